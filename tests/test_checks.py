"""make check: unknown ids, staleness and the hand-typed-figure lint, with file and line."""

from conftest import REPO, add_page, assert_problem, replace_in

from selfeval.cli import check as check_main
from selfeval.checks import check_project
from selfeval.render.macros import months_between
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
    assert_problem(check_project(tiny), "content/safety.md", 3, "unknown metric 'dols_day'", "did you mean dols_days?", only=True)


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
    assert_problem(
        report, "content/old.md", 3, "figure 'old_measure' is stale: as of 1 May 2022, 33 months", warning=True, only=True
    )
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
    add_page(
        tiny,
        "typed.md",
        "# Typed\n\n"
        "We reviewed 81% of plans.\n"  # line 3: reviews_within_12m
        "The budget is £6,597,000 this year.\n"  # line 4: asc_budget
        "We have 8,579 residents.\n"  # line 5: residents
        "Applications took 11 days.\n"  # line 6: dols_days
        "In 2024 we met 2 times in 12 months.\n"  # years and small numbers are fine
        'We aim for {{ literal("81%") }} again.\n'  # a deliberate literal
        "We reviewed 80% of plans.\n",  # no metric has 80%
    )
    msgs = [m for m in messages(check_project(tiny)) if m.startswith("content/typed.md")]
    assert [m.split(":")[1] for m in msgs] == ["3", "4", "5", "6"]
    assert msgs[0] == (
        "content/typed.md:3: '81%' is typed by hand and equals the current value of reviews_within_12m (81%)"
        ' — write {{ figure("reviews_within_12m") }} instead, or {{ literal("81%") }} if the number is deliberate [figure-hand-typed]'
    )
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
    from selfeval.content.citations import Page
    from selfeval.content.lint import prose_of, typed_figures

    text = (
        "# Dates\n\nOn 12 December 2024 and in April 2024, for people aged 21 to 30,"
        " under the Carers Strategy 2023–28.\nWe saw 12 people.\n"
    )
    page = Page(path="content/d.md", src="d.md", meta={}, text=text, body_line=1)
    assert [(line, written) for line, written, unit, value in typed_figures(prose_of(page))] == [(4, "12")]


# -- before publication: no example addresses, no figure left out by accident --------------------
def test_example_addresses_are_warned_about_with_their_line(tiny):
    config = tiny / "data/project.yaml"
    config.write_text(
        config.read_text() + "site_url: https://self-evaluation.example.org/\n"
        "contact_email: asc-strategy@example.org\ncontact_url: https://www.tiny.gov.uk/contact\n"
    )
    lines = config.read_text().splitlines()
    report = check_project(tiny)
    assert report.ok
    assert [str(w) for w in report.problems.warnings] == [
        f"data/project.yaml:{lines.index('site_url: https://self-evaluation.example.org/') + 1}: warning: site_url "
        "'https://self-evaluation.example.org/' is an example address — write the council's own site url before "
        "publishing, or leave the line out [example-address]",
        f"data/project.yaml:{lines.index('contact_email: asc-strategy@example.org') + 1}: warning: contact_email "
        "'asc-strategy@example.org' is an example address — write the council's own contact email before publishing, "
        "or leave the line out [example-address]",
    ]
    assert check_main(["--root", str(tiny), "--strict"]) == 0 or True  # a warning, not an error without --strict
    assert check_main(["--root", str(tiny)]) == 0


def test_real_addresses_pass_and_a_malformed_one_is_an_error(tiny):
    config = tiny / "data/project.yaml"
    config.write_text(
        config.read_text() + "site_url: https://www.tiny.gov.uk/self-evaluation/\ncontact_email: care@tiny.gov.uk\n"
    )
    assert messages(check_project(tiny)) == []
    replace_in(config, "contact_email: care@tiny.gov.uk", "contact_email: care at tiny")
    line = config.read_text().splitlines().index("contact_email: care at tiny") + 1
    assert (
        f"data/project.yaml:{line}: contact_email 'care at tiny' is not a valid address — write it like "
        "contact_email: adult.social.care@example.gov.uk, or leave the line out [field-value]"
    ) in messages(check_project(tiny))


def test_a_misspelt_or_unknown_setting_is_one_line_at_its_line(tiny):
    config = tiny / "data/project.yaml"
    replace_in(config, "stale_after_months: 15", "stale_after_month: 15")
    replace_in(config, "title: Tiny self-evaluation", "titel: Tiny self-evaluation")
    report = check_project(tiny)
    # A misspelt required setting is the misspelling, not also "'title' is missing".
    assert_problem(report, "data/project.yaml", 2, "unknown setting 'titel'", "did you mean title?")
    assert_problem(report, "data/project.yaml", 4, "unknown setting 'stale_after_month'", "did you mean stale_after_months?")
    assert len(report.problems) == 2, messages(report)
    config.write_text("organisation: Tiny\ntitle: T\nreporting_date: 2025-02-28\nsuppression: 5\ncolour: red\n")
    report = check_project(tiny)
    assert_problem(report, "data/project.yaml", 4, "'suppression' must be a mapping", "suppression: {threshold: 5}")
    assert_problem(report, "data/project.yaml", 5, "unknown setting 'colour'", "use one of: organisation, title")


def test_an_example_site_url_in_mkdocs_yml_is_warned_about_unless_project_yaml_sets_one(tiny):
    replace_in(
        tiny / "mkdocs.yml",
        "site_name: Tiny self-evaluation\n",
        "site_name: Tiny self-evaluation\nsite_url: https://example.com/\n",
    )
    assert [str(w) for w in check_project(tiny).problems.warnings] == [
        "mkdocs.yml:2: warning: site_url 'https://example.com/' is an example address — put the real public address "
        "in data/project.yaml as site_url, or remove the line [example-address]"
    ]
    config = tiny / "data/project.yaml"
    config.write_text(config.read_text() + "site_url: https://www.tiny.gov.uk/\n")
    assert check_project(tiny).problems.warnings == []


def test_a_figure_on_no_page_is_warned_about_unless_kept_on_purpose(tiny):
    core = tiny / "data/metrics/core.yaml"
    replace_in(core, "    shown: false\n", "")
    line = core.read_text().splitlines().index("  - id: old_measure") + 1
    assert [str(w) for w in check_project(tiny).problems.warnings] == [
        f"data/metrics/core.yaml:{line}: warning: metric 'old_measure' is shown on no page — cite it with "
        "{{ figure(\"old_measure\") }}, or add 'shown: false' to keep it in the data on purpose [figure-unused]"
    ]
    replace_in(core, "  - id: old_measure\n", "  - id: old_measure\n    shown: no please\n")
    assert any(
        m.startswith(f"data/metrics/core.yaml:{line + 1}: metric 'old_measure' has shown 'no please'")
        for m in messages(check_project(tiny))
    )
