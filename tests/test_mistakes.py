"""Every mistake an officer makes gives one line, at the line of the mistake, with the fix.

Each test makes one kind of mistake in a copy of the tiny fixture project and checks the
line with the one shared helper (``assert_problem``: format, path and line number). The
expected line is found in the edited file itself, not taken from the code under test.
"""

from __future__ import annotations

import datetime as dt

from conftest import add_page, assert_problem, replace_in

from selfeval.publish.build import main as build_main
from selfeval.cli import check as check_main
from selfeval.checks import check_project
from selfeval.project.records import looks_like_a_name


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def check_output(root, capsys) -> tuple[int, str]:
    code = check_main(["--root", str(root)])
    return code, capsys.readouterr().err


# -- YAML and template syntax, at the line of the mistake ------------------------------------
def test_an_unclosed_quote_is_reported_where_it_opens(tiny):
    metrics = tiny / "data/metrics/core.yaml"
    replace_in(metrics, "label: Residents", 'label: "Residents')
    assert_problem(
        check_project(tiny),
        "data/metrics/core.yaml",
        line_of(metrics, '"Residents'),
        "quotation mark opened here is never closed",
        only=True,
    )


def test_an_unclosed_quote_in_front_matter_is_one_line_at_its_line(tiny):
    page = tiny / "content/improvement.md"
    replace_in(page, "title: Improvement", 'title: "Improvement')
    assert_problem(
        check_project(tiny),
        "content/improvement.md",
        line_of(page, '"Improvement'),
        "front matter",
        "never closed",
        "treated as restricted",
        only=True,
    )


def test_a_tab_is_named_at_its_line(tiny):
    register = tiny / "evidence_register.yaml"
    replace_in(register, "    owner: Performance Lead", "\towner: Performance Lead")
    assert_problem(check_project(tiny), "evidence_register.yaml", line_of(register, "\towner"), "tab", only=True)


def test_a_colon_inside_a_value_is_named_with_the_fix(tiny):
    metrics = tiny / "data/metrics/core.yaml"
    replace_in(metrics, "definition: Usual resident population.", "definition: Population: usual residents")
    assert_problem(
        check_project(tiny), "data/metrics/core.yaml", line_of(metrics, "Population: usual"), "colon", "quotes", only=True
    )


def test_an_unclosed_if_is_reported_at_the_if(tiny):
    page = tiny / "content/safety.md"
    replace_in(page, "{{ data_table", "{% if true %}\n\n{{ data_table")
    assert_problem(check_project(tiny), "content/safety.md", line_of(page, "{% if"), "never closed", "endif", only=True)


# -- one root cause, one line -------------------------------------------------------------
def test_an_empty_metrics_file_is_the_one_line_with_a_count_of_what_it_broke(tiny):
    (tiny / "data/metrics/core.yaml").write_text("", encoding="utf-8")
    line = assert_problem(check_project(tiny), "data/metrics/core.yaml", 1, "the file is empty", "references", only=True)
    assert "did you mean" not in line


def test_an_empty_register_or_charts_file_is_one_line(tiny):
    (tiny / "evidence_register.yaml").write_text("\n", encoding="utf-8")
    assert_problem(check_project(tiny), "evidence_register.yaml", 1, "the file is empty", only=True)
    (tiny / "evidence_register.yaml").unlink()
    tiny_copy = tiny.parent / "again"
    import shutil
    from conftest import FIXTURES

    shutil.copytree(FIXTURES / "tiny", tiny_copy)
    (tiny_copy / "data/charts.yaml").write_text("", encoding="utf-8")
    assert_problem(check_project(tiny_copy), "data/charts.yaml", 1, "the file is empty", "reference", only=True)


def test_an_unknown_unit_is_one_line_not_one_per_reference(tiny):
    metrics = tiny / "data/metrics/core.yaml"
    replace_in(metrics, "unit: percent", "unit: percentage")
    report = check_project(tiny)
    line = assert_problem(
        report,
        "data/metrics/core.yaml",
        line_of(metrics, "unit: percentage"),
        "unknown unit 'percentage'",
        "did you mean percent?",
        only=True,
    )
    # reviews_within_12m is cited on pages, drawn by charts, measured in the register and
    # observed in the CSV: all of them counted on the one line.
    assert "references to it elsewhere" in line


def test_a_row_left_out_does_not_also_report_its_missing_period(tiny):
    csv = tiny / "data/observations/core.csv"
    replace_in(csv, ",67,67,100,", ",67 per cent,67,100,")
    assert_problem(
        check_project(tiny),
        "data/observations/core.csv",
        line_of(csv, "67 per cent"),
        "'67 per cent'",
        "is not a number",
        only=True,
    )


def test_an_unclosed_quote_in_a_csv_is_reported_at_its_row(tiny):
    csv = tiny / "data/observations/core.csv"
    replace_in(csv, "dols_days,,2023/24,2024-03-31,14,,,2024-05-01,", 'dols_days,,2023/24,2024-03-31,14,,,2024-05-01,"x')
    assert_problem(check_project(tiny), "data/observations/core.csv", line_of(csv, '"x'), "never closed", only=True)


# -- mkdocs.yml ------------------------------------------------------------------------------
def test_mkdocs_yml_tab_is_one_line_and_the_build_prints_it_once(tiny, capsys):
    mkdocs = tiny / "mkdocs.yml"
    replace_in(mkdocs, "  - Safety: safety.md", "\t- Safety: safety.md")
    code, err = check_output(tiny, capsys)
    assert code == 1
    assert_problem(err, "mkdocs.yml", line_of(mkdocs, "\t- Safety"), "tab", only=True)
    assert build_main(["--root", str(tiny), "--out", str(tiny / "site")]) == 1
    err = capsys.readouterr().err
    assert_problem(err, "mkdocs.yml", line_of(mkdocs, "\t- Safety"), "tab", only=True)
    assert "internal" not in err and "public" not in err.replace("public version", "")


def test_mkdocs_yml_nav_plugins_extensions_and_features(tiny):
    mkdocs = tiny / "mkdocs.yml"
    replace_in(mkdocs, "  - Safety: safety.md", "  - Safety: sefety.md")
    replace_in(mkdocs, "progress-2023-24.md", "progress-2022-23.md")
    replace_in(mkdocs, "  font: false\n", "  font: false\n  features:\n    - navigation.topp\n")
    replace_in(mkdocs, "  - tables\n", "  - tabels\nplugins:\n  - serach\n")
    report = check_project(tiny)
    assert_problem(report, "mkdocs.yml", line_of(mkdocs, "sefety.md"), "nav lists 'sefety.md'", "did you mean safety.md?")
    generated = assert_problem(
        report, "mkdocs.yml", line_of(mkdocs, "progress-2022-23.md"), "generated page", "progress-2023-24.md"
    )
    assert "create the page" not in generated
    assert_problem(report, "mkdocs.yml", line_of(mkdocs, "navigation.topp"), "theme feature", "did you mean navigation.top?")
    assert_problem(report, "mkdocs.yml", line_of(mkdocs, "tabels"), "extension 'tabels'", "did you mean tables?")
    assert_problem(report, "mkdocs.yml", line_of(mkdocs, "serach"), "plugin 'serach'", "did you mean search?")
    # safety.md is missing from the nav only through the typo: not a second line about it.
    assert len(report.problems) == 5, [str(p) for p in report.problems]


# -- make check sees what the build would, all at once ---------------------------------------
def test_check_reports_links_restricted_links_nav_and_data_mistakes_together(tiny, capsys):
    safety = tiny / "content/safety.md"
    add_page(tiny, "secret.md", "---\nrestricted: personal-data\n---\n# Secret\n\nHidden.\n")
    replace_in(safety, "# Safety\n", "# Safety\n\nSee [the plan](plan.md) and [the secret](secret.md).\n")
    mkdocs = tiny / "mkdocs.yml"
    replace_in(mkdocs, "  - Improvement: improvement.md", "  - Improvement: improvement.md\n  - Missing: missing.md")
    csv = tiny / "data/observations/core.csv"
    replace_in(csv, ",14,,,", ",14 days,,,")
    code, err = check_output(tiny, capsys)
    assert code == 1
    assert_problem(err, "content/safety.md", 3, "link 'plan.md'", "not found")
    assert_problem(err, "content/safety.md", 3, "secret.md", "restricted page")
    assert_problem(err, "mkdocs.yml", line_of(mkdocs, "missing.md"), "nav lists 'missing.md'")
    assert_problem(err, "data/observations/core.csv", line_of(csv, "14 days"), "'14 days'", "is not a number")
    assert "4 error(s)" in err


# -- checked, with the fix in the message --------------------------------------------------
def test_as_of_in_the_future_or_after_the_reporting_date_warns(tiny):
    csv = tiny / "data/observations/core.csv"
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    replace_in(csv, "2024-12-31,11,,,2025-02-01", f"2024-12-31,11,,,{future}")
    replace_in(csv, "2024-12-31,81,81,100,2025-02-01", "2024-12-31,81,81,100,2025-03-15")
    report = check_project(tiny)
    assert report.ok
    assert_problem(report, "data/observations/core.csv", line_of(csv, future), "in the future", warning=True)
    assert_problem(report, "data/observations/core.csv", line_of(csv, "2025-03-15"), "after the reporting date", warning=True)


def test_a_page_in_no_nav_warns_naming_what_it_misses(tiny):
    (tiny / "content/orphan.md").write_text("# Orphan\n\nText.\n", encoding="utf-8")
    assert_problem(check_project(tiny), "content/orphan.md", 1, "in no nav", "navigation", "PDFs", warning=True, only=True)


def test_an_unknown_quality_statement_in_front_matter_is_an_error(tiny):
    page = tiny / "content/improvement.md"
    replace_in(page, "title: Improvement\n", "title: Improvement\nquality_statements: [safeguardin]\n")
    report = check_project(tiny)
    assert not report.ok
    assert_problem(
        report,
        "content/improvement.md",
        line_of(page, "safeguardin"),
        "unknown quality statement",
        "did you mean safeguarding?",
        only=True,
    )


def test_an_owner_written_as_a_name_warns_and_roles_do_not(tiny):
    register = tiny / "evidence_register.yaml"
    assert check_project(tiny).problems.items == []  # the fixture's roles are not names
    replace_in(register, "owner: Performance Lead", "owner: Jane Smith")
    replace_in(register, "owner: Team Manager", "owner: Mr A. Patel")
    report = check_project(tiny)
    assert_problem(report, "evidence_register.yaml", line_of(register, "Jane Smith"), "person's name", "role", warning=True)
    assert_problem(report, "evidence_register.yaml", line_of(register, "Mr A. Patel"), "person's name", warning=True)
    assert len(report.problems) == 2


def test_names_and_roles():
    for name in ("Jane Smith", "Mrs Patel", "J. Smith", "Dr Ahmed Khan", "Mary-Jane O'Brien"):
        assert looks_like_a_name(name), name
    for role in (
        "Head of Adult Social Care",
        "Principal Social Worker",
        "Assistant Director, People",
        "Chamberlain",
        "Town Clerk and Chief Executive",
        "Commissioning Manager",
        "Caldicott Guardian",
        "Performance Lead",
        "Director of Public Health",
    ):
        assert not looks_like_a_name(role), role


def test_an_unknown_filter_or_name_is_found_by_check_at_its_line(tiny):
    page = tiny / "content/safety.md"
    replace_in(page, '{{ data_table("msp") }}', '{{ data_table("msp") | uppr }}\n\n{{ residents_total }}')
    report = check_project(tiny)
    assert_problem(report, "content/safety.md", line_of(page, "uppr"), "unknown filter 'uppr'", "did you mean upper?")
    assert_problem(report, "content/safety.md", line_of(page, "residents_total"), "unknown name 'residents_total'")
    assert len(report.problems) == 2


def test_a_date_that_does_not_exist_is_one_line_not_a_traceback(tiny):
    register = tiny / "evidence_register.yaml"
    replace_in(register, "due: 2025-06-30", "due: 2025-06-31")
    assert_problem(
        check_project(tiny),
        "evidence_register.yaml",
        line_of(register, "2025-06-31"),
        "due '2025-06-31', which is not a date",
        "YYYY-MM-DD",
        only=True,
    )


def test_a_missing_register_is_one_line_with_a_count_of_what_it_broke(tiny):
    (tiny / "evidence_register.yaml").unlink()
    line = assert_problem(check_project(tiny), "evidence_register.yaml", 0, "the evidence register is missing", only=True)
    assert "references to it elsewhere" in line
