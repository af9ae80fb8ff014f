"""The two texts of a page, the redaction report and the checks that guard them (no build)."""

import csv as csv_module

from conftest import replace_in

from selfeval.cli import check as check_main
from selfeval.cli import redact as redact_main
from selfeval.checks import check_project
from selfeval.disclosure.markers import DEFAULT_REASONS, parse
from selfeval.problems import Problems
from selfeval.disclosure.redaction import internal_text, public_nav, public_text

PAGE = """# Page

Public start [Ms Secret Person]{.restricted reason="personal-data"} public end.

::: restricted reason="draft"
A draft thought.
:::

!!! note "Public note"
    Visible.

    ::: restricted
    - hidden item
    :::

Closing line.
"""


def versions(text):
    markers = parse(text, "content/p.md", DEFAULT_REASONS, Problems())
    return public_text(text, markers), internal_text(text, markers)


def test_public_text_redacts_or_removes_and_keeps_every_line_in_place():
    public, internal = versions(PAGE)
    assert public.count("\n") == PAGE.count("\n") == internal.count("\n")
    lines = public.split("\n")
    assert lines[2] == "Public start \\[REDACTED\\] public end."
    assert "draft" not in public.lower() and "hidden item" not in public and "Secret" not in public
    assert lines[12] == "    \\[REDACTED\\]"  # stays inside the admonition
    assert lines[15] == "Closing line."


def test_internal_text_marks_each_passage_with_its_reason():
    _, internal = versions(PAGE)
    lines = internal.split("\n")
    assert lines[2].startswith(
        'Public start <span class="restricted" data-reason="personal-data">'
        '<span class="restricted-reason">Restricted — Personal data:</span> Ms Secret Person</span>'
    )
    assert lines[4] == '!!! restricted "Restricted — Draft"' and lines[5] == "    A draft thought." and lines[6] == ""
    assert lines[11] == '    !!! restricted "Restricted"' and lines[12] == "        - hidden item"


def test_public_nav_drops_restricted_pages_and_empty_sections():
    nav = [{"Summary": "index.md"}, {"Part": [{"Secret": "secret.md"}]}, {"Other": [{"A": "a.md"}, {"S": "secret.md"}]}]
    assert public_nav(nav, {"secret.md"}) == [{"Summary": "index.md"}, {"Other": [{"A": "a.md"}]}]


def test_make_check_reports_marker_and_link_errors_with_file_and_line(tiny, capsys):
    (tiny / "content/secret.md").write_text("---\ntitle: Secret\nrestricted: personal-data\n---\n# Secret\n")
    replace_in(
        tiny / "content/safety.md",
        "# Safety\n",
        "# Safety\n\nSee [the secret page](secret.md#top).\n\n"
        '[[Also](secret.md)]{.restricted}\n\n::: restricted reason="secrit"\nx\n',
    )
    assert check_main(["--root", str(tiny)]) == 1
    err = capsys.readouterr().err
    assert "content/safety.md:3: links to 'secret.md', a restricted page that is not in the public version" in err
    assert "content/safety.md:7: unknown reason 'secrit' on '::: restricted' — did you mean security?" in err
    assert "content/safety.md:7: '::: restricted' is never closed" in err
    assert ":5: links to" not in err  # a link inside a restricted span goes with it


def test_unknown_metric_reason_and_bad_reason_config(tiny):
    replace_in(
        tiny / "data/metrics/core.yaml",
        "    stale_after_months: 72\n",
        "    stale_after_months: 72\n    disclosure: restricted\n    reason: personal-dta\n",
    )
    (tiny / "data/project.yaml").write_text(
        (tiny / "data/project.yaml").read_text()
        + "redaction:\n  reasons:\n    personal-data: {label: Personal data, public: hide}\n"
    )
    msgs = [str(p) for p in check_project(tiny).problems]
    assert any(
        m.startswith(
            "data/metrics/core.yaml:10: metric 'residents' has unknown reason 'personal-dta' — did you mean personal-data?"
        )
        for m in msgs
    ), msgs
    assert any(m.startswith("data/project.yaml:8: reason 'personal-data' has public: 'hide'") for m in msgs), msgs


def test_redact_script_writes_public_source_and_report(tiny, tmp_path):
    (tiny / "content/secret.md").write_text("---\ntitle: Secret\nrestricted: true\n---\n# Secret\n")
    replace_in(tiny / "content/safety.md", "# Safety\n", '# Safety\n\nA [named person]{.restricted reason="personal-data"}.\n')
    (tiny / "content/notes.txt").write_text("A file no page refers to.\n")
    out = tmp_path / "redacted"
    assert redact_main(["--root", str(tiny), "--out", str(out)]) == 0
    assert not (out / "content/secret.md").exists() and not (out / "content/notes.txt").exists()
    assert "A \\[REDACTED\\]." in (out / "content/safety.md").read_text()
    csv = (out / "redaction-report.csv").read_text().splitlines()
    assert csv[0] == "page,line,kind,reason,detail"
    assert "content/secret.md,3,page,restricted,whole page 'Secret' left out of the public version" in csv
    assert "content/safety.md,3,span,personal-data,replaced by [REDACTED]: named person" in csv
    assert "content/notes.txt,,file,not referenced,not referenced by any public page: left out of the public version" in csv
    assert any(
        line.startswith("content/safety.md,7,small number,primary: below 5,\"table msp, 'Outcomes fully achieved'")
        for line in csv
    ), csv
    assert "| content/safety.md:3 | span | personal-data |" in (out / "redaction-report.md").read_text()


def test_the_redaction_report_lists_what_a_chart_hides(tiny, tmp_path):
    # The chart of the safeguarding table shows its small cell as [c] in public: the report says so, at the call.
    replace_in(tiny / "content/safety.md", "# Safety\n", '# Safety\n\n{{ chart("msp_parts") }}\n')
    out = tmp_path / "redacted"
    assert redact_main(["--root", str(tiny), "--out", str(out)]) == 0
    rows = list(csv_module.reader((out / "redaction-report.csv").read_text().splitlines()))
    charted = [r for r in rows if "chart 'msp_parts'" in r[4]]
    assert charted and all(r[0] == "content/safety.md" and r[1] == "3" and r[2] == "small number" for r in charted), rows
    assert any("Outcomes fully achieved" in r[4] and r[4].endswith("shown as [c]") for r in charted), charted
