"""make check: unknown ids, staleness and the hand-typed-figure lint, with file and line."""
from conftest import REPO, add_page, assert_problem, replace_in

from check import main as check_main
from selfeval.checks import check_project, months_between
import datetime as dt


def messages(report):
    return [str(p) for p in report.problems]


def test_tiny_project_checks_clean(tiny):
    report = check_project(tiny)
    assert messages(report) == []
    assert [p.src for p in report.cited_by["metric:reviews_within_12m"]] == ["index.md"]
    assert [p.src for p in report.cited_by["table:msp"]] == ["safety.md"]


def test_unknown_metric_in_content_names_page_line_and_close_match(tiny):
    replace_in(tiny / "content/safety.md", 'figure("dols_days"', 'figure("dols_day"')
    assert_problem(check_project(tiny), "content/safety.md", 3, "unknown metric 'dols_day'", "did you mean dols_days?",
                   only=True)


def test_unknown_period_and_missing_earlier_period(tiny):
    replace_in(tiny / "content/index.md", 'period="2023/24"', 'period="2023-24"')
    replace_in(tiny / "content/safety.md", 'show="period"', 'show="change"')
    (tiny / "content/extra.md").write_text('# Extra\n\nResidents {{ figure("residents", show="change") }}.\n')
    report = check_project(tiny)
    assert_problem(report, "content/index.md", 9, "metric 'reviews_within_12m' has no period '2023-24'")
    assert_problem(report, "content/extra.md", 3, "metric 'residents' has no period before '2021'")
    assert not any(m.startswith("content/safety.md") for m in messages(report))


def test_macro_syntax_and_argument_errors(tiny):
    (tiny / "content/bad.md").write_text('# Bad\n\n{{ figure("residents" }}\n')
    (tiny / "content/worse.md").write_text('# Worse\n\n\n{{ figure(metric="residents") }}\n{{ figure(name) }}\n')
    report = check_project(tiny)
    assert_problem(report, "content/bad.md", 3, "macro syntax error")
    assert_problem(report, "content/worse.md", 4, "figure() has no argument 'metric'")
    assert_problem(report, "content/worse.md", 5, "figure() argument 'id' is not written literally")


def test_unknown_table(tiny):
    replace_in(tiny / "content/safety.md", 'data_table("msp")', 'data_table("mps")')
    assert_problem(check_project(tiny), "content/safety.md", 5, "unknown table 'mps'", "did you mean msp?", only=True)


def test_stale_figures_warn_and_fail_when_strict(tiny):
    add_page(tiny, "old.md", '# Old\n\nIt was {{ figure("old_measure") }}.\n')
    report = check_project(tiny)
    assert report.ok
    assert_problem(report, "content/old.md", 3, "figure 'old_measure' is stale: as of 1 May 2022, 33 months",
                   warning=True, only=True)
    strict = check_project(tiny, strict=True)
    assert not strict.ok and "is stale" in str(strict.problems.errors[0])


def test_stale_limit_per_metric(tiny):
    # residents (2022) has stale_after_months: 72, so it is not stale.
    assert not [p for p in check_project(tiny).problems if "residents" in p.what]
    replace_in(tiny / "data/metrics/core.yaml", "stale_after_months: 72", "stale_after_months: 12")
    assert any("figure 'residents' is stale" in m for m in messages(check_project(tiny)))


def test_months_between():
    assert months_between(dt.date(2024, 2, 1), dt.date(2025, 2, 28)) == 12
    assert months_between(dt.date(2024, 2, 28), dt.date(2025, 2, 1)) == 11


def test_hand_typed_figures_are_reported_with_the_metric_to_use(tiny):
    add_page(tiny, "typed.md",
        "# Typed\n\n"
        "We reviewed 81% of plans.\n"               # line 3: reviews_within_12m
        "The budget is £6,597,000 this year.\n"     # line 4: asc_budget
        "We have 8,579 residents.\n"                # line 5: residents
        "Applications took 11 days.\n"              # line 6: dols_days
        "In 2024 we met 2 times in 12 months.\n"    # years and small numbers are fine
        'We aim for {{ literal("81%") }} again.\n'  # a deliberate literal
        "We reviewed 80% of plans.\n"               # no metric has 80%
    )
    msgs = [m for m in messages(check_project(tiny)) if m.startswith("content/typed.md")]
    assert [m.split(":")[1] for m in msgs] == ["3", "4", "5", "6"]
    assert msgs[0] == ("content/typed.md:3: '81%' is typed by hand and equals the current value of reviews_within_12m (81%)"
                       ' — write {{ figure("reviews_within_12m") }} instead, or {{ literal("81%") }} if the number is deliberate')
    assert "asc_budget" in msgs[1] and "residents" in msgs[2] and "dols_days" in msgs[3]


def test_check_command_exit_codes_and_output(tiny, capsys):
    assert check_main(["--root", str(tiny)]) == 0
    replace_in(tiny / "content/safety.md", 'figure("dols_days"', 'figure("dols_day"')
    assert check_main(["--root", str(tiny)]) == 1
    err = capsys.readouterr().err
    assert_problem(err, "content/safety.md", 3, "unknown metric 'dols_day'", "did you mean dols_days?", only=True)
    assert "Traceback" not in err


def test_every_figure_cited_in_the_repository_content_resolves():
    report = check_project(REPO)
    assert report.pages, "the repository has content pages"
    errors = [str(p) for p in report.problems.errors]
    assert errors == []


def test_lint_ignores_dates_year_ranges_and_ages():
    from selfeval.citations import Page
    from selfeval.lint import prose_of, typed_figures
    text = ("# Dates\n\nOn 12 December 2024 and in April 2024, for people aged 21 to 30,"
            " under the Carers Strategy 2023–28.\nWe saw 12 people.\n")
    page = Page(path="content/d.md", src="d.md", meta={}, text=text, body_line=1)
    assert [(line, written) for line, written, unit, value in typed_figures(prose_of(page))] == [(4, "12")]
