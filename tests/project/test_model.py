"""Loading data/: what an officer sees when a data file is wrong."""

from conftest import replace_in

from selfeval.project.model import load_project


def messages(project):
    return [str(p) for p in project.problems]


def test_tiny_project_loads_cleanly(tiny):
    project = load_project(tiny)
    assert messages(project) == []
    assert set(project.metrics) >= {"reviews_within_12m", "residents", "asc_budget"}
    reviews = [o for o in project.observations if o.metric == "reviews_within_12m"]
    assert len(reviews) == 4
    assert all(o.period and o.period_end and o.value is not None and o.as_of for o in reviews)


def test_latest_and_named_periods(tiny):
    project = load_project(tiny)
    assert project.latest("reviews_within_12m").period == "April to December 2024"
    assert project.at_period("reviews_within_12m", "2023/24").value == 67
    assert project.previous(project.latest("reviews_within_12m")).period == "2023/24"
    assert project.benchmarks("reviews_within_12m")["London"].value == 72.5


def test_unknown_unit_names_file_line_and_choices(tiny):
    replace_in(tiny / "data/metrics/core.yaml", "unit: days", "unit: dayz")
    msgs = messages(load_project(tiny))
    assert any(
        m.startswith("data/metrics/core.yaml:26: metric 'dols_days' has unknown unit 'dayz'") and "did you mean days?" in m
        for m in msgs
    ), msgs


def test_duplicate_metric_ids_are_reported_with_both_places(tiny):
    replace_in(tiny / "data/metrics/core.yaml", "id: old_measure", "id: residents")
    msgs = messages(load_project(tiny))
    assert any("metric id 'residents' is defined twice (also data/metrics/core.yaml:10)" in m for m in msgs), msgs


def test_observation_for_unknown_metric_suggests_close_match(tiny):
    replace_in(tiny / "data/observations/core.csv", "dols_days,,2023/24", "dols_dayz,,2023/24")
    msgs = messages(load_project(tiny))
    assert (
        "data/observations/core.csv:8: unknown metric 'dols_dayz' — did you mean dols_days? define it in data/metrics/ or correct the id [unknown-name]"
        in msgs
    )


def test_bad_values_and_dates_are_reported_per_line(tiny):
    replace_in(tiny / "data/observations/core.csv", "2023-03-31,58", "2023-13-31,58 per cent")
    msgs = messages(load_project(tiny))
    assert any(m.startswith("data/observations/core.csv:2: period_end '2023-13-31' is not a date") for m in msgs), msgs
    assert any(
        m.startswith("data/observations/core.csv:2: value '58 per cent' for 'reviews_within_12m' is not a number") for m in msgs
    ), msgs


def test_duplicate_periods_are_reported(tiny):
    path = tiny / "data/observations/core.csv"
    path.write_text(path.read_text() + "dols_days,,2023/24,2024-03-31,15,,,2024-05-01,\n")
    msgs = messages(load_project(tiny))
    assert any(
        "core.csv:11: metric 'dols_days' has period '2023/24' twice (also data/observations/core.csv:8)" in m for m in msgs
    ), msgs


def test_broken_yaml_names_the_line(tiny):
    replace_in(tiny / "data/metrics/core.yaml", "    unit: people", "    unit: [people")
    msgs = messages(load_project(tiny))
    assert any(m.startswith("data/metrics/core.yaml:1") and "YAML cannot be read" in m for m in msgs), msgs


def test_unknown_evidence_source(tiny):
    replace_in(tiny / "data/metrics/core.yaml", "source: ev-census-2021", "source: ev-census-2012")
    msgs = messages(load_project(tiny))
    assert any(
        "metric 'residents' cites unknown evidence 'ev-census-2012'" in m and "did you mean ev-census-2021?" in m for m in msgs
    ), msgs


def test_a_metric_mistake_is_one_line_at_its_key(tiny):
    core = tiny / "data/metrics/core.yaml"
    replace_in(core, "    label: Residents\n", "    lable: Residents\n")
    replace_in(core, "polarity: lower_is_better", "polarity: lower_is_beter")
    replace_in(core, "    shown: false\n", "    shown: false\n    xyz: x\n")
    msgs = messages(load_project(tiny))
    # A misspelt required field: the misspelling alone (it was also "has no label").
    assert [m for m in msgs if "'residents'" in m and "core.yaml" in m] == [
        "data/metrics/core.yaml:11: metric 'residents' has unknown field 'lable' — did you mean label? "
        "remove it or correct its name [field-unknown]"
    ], msgs
    # Choices now come with the nearest one.
    assert any(
        m.startswith("data/metrics/core.yaml:27: metric 'dols_days' has unknown polarity 'lower_is_beter'")
        and "did you mean lower_is_better?" in m
        for m in msgs
    ), msgs
    # A field with no close match lists the fields there are.
    assert any("has unknown field 'xyz' — remove it; the fields are: definition, denominator" in m for m in msgs), msgs


def test_a_table_description_mistake_is_one_line_at_its_key(tiny):
    meta = tiny / "data/tables/msp.yaml"
    replace_in(meta, "as_of: 2025-02-01", "as_of: February 2025")
    meta.write_text(meta.read_text() + "totls: {row: Asked about outcomes}\n")
    lines = meta.read_text().splitlines()
    msgs = [m for m in messages(load_project(tiny)) if m.startswith("data/tables/msp.yaml")]
    assert msgs == [
        # A misspelt key was ignored, and the total with it (so suppression did not know of it).
        f"data/tables/msp.yaml:{len(lines)}: table 'msp' has unknown field 'totls' — did you mean totals? "
        "remove it or correct its name [field-unknown]",
        # A date that is not one was dropped without a word.
        "data/tables/msp.yaml:4: table 'msp' has as_of 'February 2025', which is not a date — write it as YYYY-MM-DD, "
        "e.g. 2025-03-31 [date-invalid]",
    ], msgs


def test_a_disclosure_setting_written_with_nothing_after_it_fails_closed(tiny):
    """'disclosure:' left blank is a half-written restriction: an error, and the figure
    is treated as restricted meanwhile, never as public."""
    metrics = tiny / "data/metrics/core.yaml"
    replace_in(metrics, "    stale_after_months: 72\n", "    stale_after_months: 72\n    disclosure:\n")
    project = load_project(tiny)
    line = next(n for n, text in enumerate(metrics.read_text().split("\n"), 1) if text.strip() == "disclosure:")
    assert any(m.startswith(f"data/metrics/core.yaml:{line}: metric 'residents' has disclosure ''") for m in messages(project)), (
        messages(project)
    )
    assert project.metrics["residents"].disclosure == "restricted"


def test_a_blank_suppression_threshold_or_denominator_safe_is_an_error_not_the_default(tiny):
    config = tiny / "data/project.yaml"
    config.write_text(config.read_text() + "suppression:\n  threshold:\n")
    assert any("suppression threshold ''" in m for m in messages(load_project(tiny))), messages(load_project(tiny))
    config.write_text(config.read_text().replace("suppression:\n  threshold:\n", "suppression:\n"))
    assert any("'suppression' must be a mapping" in m for m in messages(load_project(tiny)))
    config.write_text(config.read_text().replace("suppression:\n", ""))
    replace_in(
        tiny / "data/metrics/core.yaml", "    stale_after_months: 72\n", "    stale_after_months: 72\n    denominator_safe: ''\n"
    )
    assert any("denominator_safe" in m for m in messages(load_project(tiny))), messages(load_project(tiny))
