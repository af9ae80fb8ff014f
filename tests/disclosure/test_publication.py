"""Building both versions of a project with restricted passages: what each version shows,
the leak scan failing closed, atomic output and reproducible builds."""

import filecmp
import gzip
import json
import re

import pytest
from conftest import add_small_and_restricted, replace_in

from selfeval.publish.build import main as build_main

SAFETY = """# Safety

DoLS applications took {{ figure("dols_days", show="period") }}.

Our review was led by [Dr Quentin Placeholder of Fictional Lane]{.restricted reason="personal-data"} last year.

::: restricted reason="commercially-sensitive"
The provider's bid of £812,345 undercut the zebra-crossing consortium by a wide margin.
:::

!!! note "Drafting"
    Still being written.

    ::: restricted reason="draft"
    An unfinished thought about the quarterly marmalade review.
    :::

{{ data_table("msp") }}

We supported {{ figure("carers_small") }} young carers this year.
"""

SECRET = """---
title: Inspection rehearsal notes
description: Notes from the mock inspection of the riverside placement team.
restricted: personal-data
---

# Inspection rehearsal notes

The rehearsal panel interviewed the riverside placement team about pseudonymous casework.
"""


@pytest.fixture
def project(tiny):
    (tiny / "content/safety.md").write_text(SAFETY)
    (tiny / "content/secret.md").write_text(SECRET)
    replace_in(tiny / "mkdocs.yml", "  - Safety: safety.md\n", "  - Safety: safety.md\n  - Rehearsal notes: secret.md\n")
    replace_in(tiny / "mkdocs.yml", "  - attr_list\n", "  - admonition\n  - attr_list\n")
    replace_in(
        tiny / "mkdocs.yml",
        "site_name: Tiny self-evaluation\n",
        "site_name: Tiny self-evaluation\nsite_url: https://example.org/\n",
    )
    add_small_and_restricted(tiny, "2024/25", "2025-01-31", "2025-02-01")
    return tiny


def read(path):
    return path.read_text(encoding="utf-8")


def all_text(site):
    """Every file of a built site as text, gzip opened, keyed by path."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        out[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="replace")
    return out


def test_internal_marks_restricted_passages_and_public_redacts_them(project):
    out = project / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    internal, public = read(out / "internal/safety/index.html"), read(out / "public/safety/index.html")
    assert '<span class="restricted-reason">Restricted — Personal data:</span> Dr Quentin Placeholder' in internal
    assert re.search(
        r'<div class="admonition restricted">\s*<p class="admonition-title">Restricted — Commercially sensitive</p>', internal
    )
    assert "quarterly marmalade review" in internal and "Restricted — Draft" in internal
    assert "Our review was led by [REDACTED] last year." in public
    assert re.search(r"<p>\[REDACTED\]</p>", public)  # the block
    assert "Restricted" not in public and "marmalade" not in public  # a draft is removed silently
    assert '<div class="admonition note">' in public  # the public admonition stays
    assert "Internal: not for publication" not in public and "noindex" not in public


def test_restricted_page_leaves_public_nav_search_and_sitemap(project):
    out = project / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    assert (out / "internal/secret/index.html").exists() and not (out / "public/secret").exists()
    assert "this whole page" in read(out / "internal/secret/index.html")
    assert "Rehearsal notes" in read(out / "internal/index.html")
    for name, text in all_text(out / "public").items():
        assert "rehearsal" not in text.lower() and "secret/" not in text, name
    index = json.loads(read(out / "public/search/search_index.json"))
    assert not any(doc["location"].startswith("secret") for doc in index["docs"])
    assert "https://example.org/secret/" in read(out / "internal/sitemap.xml")
    assert "https://example.org/safety/" in read(out / "public/sitemap.xml")


def test_small_numbers_hidden_with_footnote_and_restricted_metric_off_public_figures(project):
    out = project / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    public, internal = read(out / "public/safety/index.html"), read(out / "internal/safety/index.html")
    assert re.search(
        r'We supported <span class="figure"><button [^>]*><span class="suppressed">\[c\]</span></button>'
        r'<span class="figure-about" hidden data-search-exclude>[^<]*<a [^>]*>all figures</a>\)</span></span> young carers',
        public,
    )
    assert 'class="suppression-note"' in public and "fewer than 5 people" in public
    assert "suppression-note" not in internal and re.search(r">3</span></button>.*?</span></span> young carers", internal)
    figures_public, figures_internal = read(out / "public/figures/index.html"), read(out / "internal/figures/index.html")
    assert "secret_spend" not in figures_public and "98,765" not in figures_public
    assert "Spend on one placement" in figures_internal and "£98,765" in figures_internal


def test_redaction_report_is_internal_only(project):
    out = project / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    page = re.sub(r"<[^>]+>", "", read(out / "internal/redaction-report/index.html"))
    assert "Dr Quentin Placeholder" in page and "commercially-sensitive" in page and "carers_small" in page
    csv = read(out / "internal/redaction-report.csv").splitlines()
    assert "content/safety.md,5,span,personal-data,replaced by [REDACTED]: Dr Quentin Placeholder of Fictional Lane" in csv
    assert "content/safety.md,7,block,commercially-sensitive," in "\n".join(csv)
    assert any(line.startswith("content/safety.md,20,small number,primary: below 5,carers_small") for line in csv), csv
    assert not (out / "public/redaction-report").exists() and not (out / "public/redaction-report.csv").exists()
    assert "Redaction report" in read(out / "internal/index.html") and "Redaction report" not in read(out / "public/index.html")


def test_a_leak_fails_the_build_naming_output_file_and_source_line(project, capsys):
    out = project / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    before, internal = all_text(out / "public"), all_text(out / "internal")
    # The site description is not a page, so redaction never sees it: only the scan can.
    (project / "mkdocs.yml").write_text(
        read(project / "mkdocs.yml").replace(
            "site_url: https://example.org/\n",
            'site_url: https://example.org/\nsite_description: "Led by DR QUENTIN &amp; placeholder, of Fictional\\u00a0Lane"\n',
        )
    )
    assert build_main(["--root", str(project), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(
        r"content/safety\.md:5: leak: restricted text 'dr quentin placeholder of fictional lane' appears "
        r"in public output \S*site/public/404\.html \(and \d+ other file\(s\)\) — ",
        err,
    ), err
    assert "build: nothing replaced" in err and "Traceback" not in err
    # All or nothing: the internal version, which built, is not replaced either.
    assert all_text(out / "public") == before and all_text(out / "internal") == internal


def test_a_small_number_in_its_context_is_a_leak_but_the_bare_digit_is_not(project, capsys):
    out = project / "site"
    mk = project / "mkdocs.yml"
    mk.write_text(read(mk) + "copyright: Page 3 of the 3 reports\n")
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    before = all_text(out / "public")
    # The hidden value in the words the page puts around it, as a careless copy would carry it.
    mk.write_text(read(mk).replace("copyright: Page 3 of the 3 reports", "copyright: We supported 3 young carers this year"))
    assert build_main(["--root", str(project), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(
        r"content/safety\.md:\d+: leak: a value figure\(\) hides in public 'we supported 3 young carers this'", err
    ), err
    assert all_text(out / "public") == before


def test_redaction_errors_leave_both_sites_untouched(project, capsys):
    out = project / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    before = {v: all_text(out / v) for v in ("internal", "public")}
    replace_in(project / "content/safety.md", "    :::\n\n{{", "\n{{")
    assert build_main(["--root", str(project), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "content/safety.md:14: '::: restricted' is never closed" in err
    assert {v: all_text(out / v) for v in ("internal", "public")} == before
    assert sorted(p.name for p in out.iterdir()) == ["internal", "public"]


def test_two_builds_of_one_commit_are_byte_identical(project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    first, second = tmp_path / "one", tmp_path / "two"
    assert build_main(["--root", str(project), "--out", str(first)]) == 0
    assert build_main(["--root", str(project), "--out", str(second)]) == 0
    for version in ("internal", "public"):
        files = sorted(p.relative_to(first / version) for p in (first / version).rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(second / version) for p in (second / version).rglob("*") if p.is_file())
        match, mismatch, errors = filecmp.cmpfiles(first / version, second / version, files, shallow=False)
        assert mismatch == [] and errors == []


def test_a_failure_inside_the_leak_scan_fails_closed(project, capsys, monkeypatch):
    out = project / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    before = all_text(out / "public")
    replace_in(project / "content/safety.md", "last year.", "last year, and again this year.")

    def unreadable(path, data=None):
        raise OSError(f"cannot read {path.name}")

    # The version build runs in this process here, so it uses this broken reader; with no
    # cache of files found clean, it is the first file the scan reads.
    from selfeval.publish import stage
    import selfeval.disclosure.leakscan

    monkeypatch.setattr(selfeval.disclosure.leakscan, "file_text", unreadable)
    monkeypatch.setenv("SELFEVAL_CACHE", "")
    problems = stage.build_version(str(project), str(out), "public", False)
    assert [str(p) for p in problems] == [
        "public: build failed: cannot read 404.html — set SELFEVAL_DEBUG=1 to see where [build-failed]"
    ]
    assert all_text(out / "public") == before
    assert sorted(p.name for p in out.iterdir()) == ["internal", "public"]


def test_public_pages_never_name_what_only_restricted_content_cites(project):
    """The Figures page's "Cited on", tiles and titles follow the public text only."""
    replace_in(project / "content/secret.md", "pseudonymous casework.", 'pseudonymous casework, {{ figure("residents") }}.')
    replace_in(project / "data/metrics/core.yaml", "    shown: false\n", "")
    replace_in(project / "content/safety.md", "An unfinished thought", '{{ figure("old_measure") }} An unfinished thought')
    replace_in(project / "content/safety.md", "{{ data_table", '{{ kpi_tiles(["secret_spend", "residents"]) }}\n\n{{ data_table')
    out = project / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    public = all_text(out / "public")
    figures = public["figures/index.html"]
    assert "Inspection rehearsal notes" not in figures and "secret/" not in figures

    def cited(html):
        row = html[html.index('id="old_measure"') :]
        return row[: row.index("</tr>")]

    # Cited only inside a restricted block: "not cited" in public, the page in internal.
    assert "not cited" in cited(figures) and "Safety" not in cited(figures)
    assert "Safety" in cited(all_text(out / "internal")["figures/index.html"])
    assert not any("Spend on one placement" in text for text in public.values())
    assert "Spend on one placement" in all_text(out / "internal")["safety/index.html"]


QUOTED = """# Quoted

```x``` starts this line as inline code, so what follows is still read.

> The team said the service had improved.
>
> ::: restricted reason="personal-data"
> Nobody outside heard about the tangerine windmill incident.
> :::
>
> They also said the waiting list was shorter.

After the quote, [the saffron lighthouse keeper]{.restricted} spoke.

````text
::: restricted
An example of the syntax, shown in code, public on purpose.
:::
```
````
"""

BOM_SECRET = (
    "\ufeff---\r\ntitle: Cobalt orchard minutes\r\nrestricted:\r\n---\r\n\r\n# Cobalt orchard minutes\r\n\r\n"
    "The cobalt orchard panel met in private.\r\n"
)


def test_quoted_blocks_code_span_lines_and_a_byte_order_mark_page_leave_nothing_in_public(tiny):
    (tiny / "content/quoted.md").write_text(QUOTED, encoding="utf-8")
    (tiny / "content/minutes.md").write_bytes(BOM_SECRET.encode("utf-8"))
    replace_in(
        tiny / "mkdocs.yml", "  - Safety: safety.md\n", "  - Safety: safety.md\n  - Quoted: quoted.md\n  - Orchard: minutes.md\n"
    )
    replace_in(tiny / "mkdocs.yml", "  - attr_list\n", "  - admonition\n  - attr_list\n  - pymdownx.superfences\n")
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    for name, text in all_text(out / "public").items():
        for canary in ("tangerine", "saffron", "cobalt", "minutes/"):
            assert canary not in text.lower(), f"{canary} in public/{name}"
    public = read(out / "public/quoted/index.html")
    assert public.count("<blockquote>") == 1 and "[REDACTED]" in public and "waiting list was shorter" in public
    assert "An example of the syntax, shown in code" in public  # code is code: published as written
    internal = read(out / "internal/quoted/index.html")
    assert "tangerine windmill" in internal and "saffron lighthouse" in internal
    assert "this whole page" in read(out / "internal/minutes/index.html")
