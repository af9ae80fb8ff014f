"""The evidence register: schema errors with lines, cross-checks, RAG ratings and overdue actions."""

import datetime as dt
from decimal import Decimal

from conftest import assert_problem, replace_in

from selfeval.cli import check as check_main
from selfeval.register.actions import area_status, rag
from selfeval.checks import check_project
from selfeval.project.model import load_project


def messages(root):
    return [str(p) for p in check_project(root).problems]


def line_of(path, text, after=None):
    """The 1-based line of the first line containing ``text`` (after the line containing ``after``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start) if text in line) + 1


# -- schema -------------------------------------------------------------------------------
def test_tiny_register_loads_every_part(tiny):
    register = load_project(tiny).register
    assert list(register.evidence) == ["ev-case-records", "ev-census-2021", "ev-peer-review-2023"]
    assert register.evidence["ev-peer-review-2023"].category == "partners-feedback"
    assert register.years() == ["2023/24", "2025/26"]
    assert [a.id for a in register.actions_of("A25-01")] == ["A25-01.1"]
    assert register.actions["A23-01.1"].progress[0].date == dt.date(2024, 2, 1)
    assert [a.id for a in register.answered_by("rec-peer-01")] == ["A23-01"]
    assert len(register.framework.statements) == 9 and len(register.framework.categories) == 5


def test_schema_errors_name_the_line_and_a_close_match(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "kind: peer review", "kind: peer-review")
    replace_in(reg, "category: outcomes", "category: outcome")
    replace_in(reg, "quality_statements: [equity-in-experience]", "quality_statements: [equity]")
    replace_in(reg, "classification: public\n    link: https://www.ons", "classification: published\n    link: https://www.ons")
    replace_in(reg, "    status: on track", "    status: on-track")
    replace_in(reg, "    owner: Team Manager\n", "    owner: Team Manager\n    dew: 2025-01-01\n")
    msgs = messages(tiny)
    assert (
        f"evidence_register.yaml:{line_of(reg, 'kind: peer-review')}: evidence 'ev-peer-review-2023' kind "
        "'peer-review' is not known — did you mean peer review? use one of: audit, case file audit, survey, "
        "peer review, committee report, dataset, strategy, policy, feedback [field-value]"
    ) in msgs
    assert any(
        m.startswith(
            f"evidence_register.yaml:{line_of(reg, 'category: outcome')}: evidence 'ev-census-2021' "
            "category 'outcome' is not known — did you mean outcomes?"
        )
        for m in msgs
    ), msgs
    assert any(
        m.startswith(
            f"evidence_register.yaml:{line_of(reg, '[equity]')}: evidence 'ev-census-2021' quality "
            "statement 'equity' is not known"
        )
        for m in msgs
    ), msgs
    assert any(
        f":{line_of(reg, 'published')}: evidence 'ev-census-2021' classification 'published' is not known" in m for m in msgs
    ), msgs
    assert any(
        m.startswith(
            f"evidence_register.yaml:{line_of(reg, 'on-track')}: action 'A25-01.1' status 'on-track' "
            "is not known — did you mean on track?"
        )
        for m in msgs
    ), msgs
    assert (
        f"evidence_register.yaml:{line_of(reg, 'dew:')}: action 'A25-01.1' has unknown field 'dew' — "
        "did you mean due? remove it or correct its name [field-unknown]"
    ) in msgs


def test_missing_fields_bad_ids_duplicates_and_dates(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "    owner: Performance Lead\n", "")
    replace_in(reg, "  - id: ev-peer-review-2023", "  - id: ev-census-2021")
    replace_in(reg, "    due: 2025-06-30", "    due: end of June")
    replace_in(reg, "  - id: A23-01.1", "  - id: first action")
    msgs = messages(tiny)
    assert (
        f"evidence_register.yaml:{line_of(reg, 'id: ev-census-2021')}: evidence 'ev-census-2021' has no owner — add 'owner: ...' to it [field-missing]"
        in msgs
    )
    dup = line_of(reg, "id: ev-census-2021", after="Census 2021")
    assert any(
        m.startswith(
            f"evidence_register.yaml:{dup}: evidence id 'ev-census-2021' is used twice (first on line "
            f"{line_of(reg, 'id: ev-census-2021')})"
        )
        for m in msgs
    ), msgs
    assert (
        f"evidence_register.yaml:{line_of(reg, 'end of June')}: action 'A25-02.1' has due 'end of June', which is "
        "not a date — write it as YYYY-MM-DD, e.g. 2025-03-31 [date-invalid]"
    ) in msgs
    assert any(
        m.startswith(f"evidence_register.yaml:{line_of(reg, 'first action')}: action id 'first action' is not valid")
        for m in msgs
    ), msgs


def test_broken_yaml_and_missing_framework_are_one_line_each(tiny, capsys):
    (tiny / "data/framework.yaml").unlink()
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "    title: Census 2021", "    title: Census: 2021: x")
    assert check_main(["--root", str(tiny)]) == 1
    err = capsys.readouterr().err
    assert "data/framework.yaml: the assessment framework is missing — create data/framework.yaml" in err
    assert f"evidence_register.yaml:{line_of(reg, 'Census: 2021')}: a colon followed by a space inside this value" in err
    assert "Traceback" not in err


def test_framework_is_configuration(tiny):
    fw = tiny / "data/framework.yaml"
    replace_in(fw, "title: Safeguarding\n", "title: Keeping people safe\n")
    replace_in(fw, "  - id: outcomes\n    title: Outcomes\n", "")
    project = load_project(tiny)
    assert project.register.framework.statements["safeguarding"].title == "Keeping people safe"
    assert "outcomes" not in project.register.framework.categories
    assert any("evidence 'ev-census-2021' category 'outcomes' is not known" in str(p) for p in project.problems)


def test_register_entry_mistakes_are_one_line_each_at_their_own_line(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "  - id: ev-peer-review-2023\n", "  - just a title\n  - idd: ev-peer-review-2023\n")
    replace_in(reg, "not_taken_forward: The current system is being improved instead.", "not_taken_forward: ''")
    msgs = messages(tiny)
    # The entry that is not a mapping, at its own line (it was the line of the list).
    assert (
        f"evidence_register.yaml:{line_of(reg, 'just a title')}: an entry under 'evidence:' is not a mapping — "
        "write each entry as '- id: ev-...' with its fields indented below [field-type]"
    ) in msgs
    # A misspelt id is the misspelling (it was "evidence id 'None' is not valid").
    assert (
        f"evidence_register.yaml:{line_of(reg, 'idd:')}: evidence has unknown field 'idd' — did you mean id? "
        "remove it or correct its name [field-unknown]"
    ) in msgs
    # Marked not taken forward without a reason: that line, not also "is not answered by any area".
    assert any(f":{line_of(reg, 'not_taken_forward')}: recommendation 'rec-peer-02' is not taken forward" in m for m in msgs)
    assert not any("'rec-peer-02' is not answered" in m for m in msgs), msgs


def test_a_framework_mistake_is_one_line_at_its_line(tiny):
    from selfeval.problems import Problems
    from selfeval.project.framework import load_framework

    fw = tiny / "data/framework.yaml"
    text = fw.read_text(encoding="utf-8")
    start = text.index("    quality_statements:", text.index("id: providing-support"))
    end = text.index("  - id: ensuring-safety")
    fw.write_text(
        text[:start] + text[end:].replace("  - id: outcomes\n    title: Outcomes\n", "  - outcomes\n"), encoding="utf-8"
    )
    problems = Problems()
    framework = load_framework(tiny, problems)
    assert [str(p) for p in problems] == [
        # A theme without statements used to give two lines: "has no quality_statements" and this.
        f"data/framework.yaml:{line_of(fw, 'id: providing-support')}: the framework needs a list under "
        "'quality_statements:' — add 'quality_statements:' with entries like '- id: assessing-needs' [field-missing]",
        # At the entry's own line (it was the line of the list).
        f"data/framework.yaml:{line_of(fw, '- outcomes')}: an entry under 'evidence_categories:' is not a mapping — "
        "write each as '- id: peoples-experience' with its fields below [field-type]",
    ]
    assert [t.id for t in framework.themes][:2] == ["working-with-people", "providing-support"]
    assert "outcomes" not in framework.categories


# -- cross-checks ---------------------------------------------------------------------------
def test_every_area_needs_a_tracked_action(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "    area: A25-02\n", "    area: A25-01\n")
    assert (
        f"evidence_register.yaml:{line_of(reg, 'id: A25-02')}: area 'A25-02' has no tracked action — add an action "
        "under 'actions:' with 'area: A25-02', an owner, a due date and a status [field-missing]"
    ) in messages(tiny)


def test_every_action_belongs_to_an_area(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "    area: A25-02\n", "    area: A25-2\n")
    # One line: area A25-02 is not reported as having no action, as it has one with a typo.
    assert_problem(
        messages(tiny),
        "evidence_register.yaml",
        line_of(reg, "id: A25-02.1"),
        "action 'A25-02.1' belongs to unknown area 'A25-2'",
        "did you mean A25-02?",
        only=True,
    )


def test_actions_need_owner_due_date_and_status(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "    owner: Team Manager\n    due: 2025-09-30\n    status: on track\n", "")
    msgs = messages(tiny)
    line = line_of(reg, "id: A25-01.1")
    for field in ("owner", "due", "status"):
        assert (
            f"evidence_register.yaml:{line}: action 'A25-01.1' has no {field} — add '{field}: ...' to it [field-missing]" in msgs
        )


def test_cited_evidence_must_resolve(tiny):
    replace_in(tiny / "content/improvement.md", 'cite("ev-peer-review-2023")', 'cite("ev-peer-reveiw-2023")')
    replace_in(tiny / "content/improvement.md", 'action_status("A25-01.1")', 'action_status("A25-01.9")')
    replace_in(tiny / "content/improvement.md", 'progress_table("2023/24")', 'progress_table("2024/25")')
    msgs = messages(tiny)
    assert (
        "content/improvement.md:7: unknown evidence 'ev-peer-reveiw-2023' — did you mean ev-peer-review-2023? [unknown-name]"
        in msgs
    )
    assert "content/improvement.md:14: unknown action 'A25-01.9' — did you mean A25-01.1? [unknown-name]" in msgs
    assert any(m.startswith("content/improvement.md:12: no areas for development for year '2024/25'") for m in msgs), msgs


def test_metric_and_recommendation_sources_must_resolve(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "    source: ev-peer-review-2023\n    text: Complete", "    source: ev-peer-review\n    text: Complete")
    msgs = messages(tiny)
    assert any(
        m.startswith(
            f"evidence_register.yaml:{line_of(reg, 'source: ev-peer-review')}: recommendation "
            "'rec-peer-01' cites unknown evidence 'ev-peer-review' — did you mean ev-peer-review-2023?"
        )
        for m in msgs
    ), msgs


def test_every_recommendation_is_answered_or_not_taken_forward_with_a_reason(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "    answers: [rec-peer-01]\n", "")
    replace_in(reg, "    not_taken_forward: The current system is being improved instead.", "    not_taken_forward: ''")
    msgs = messages(tiny)
    assert (
        f"evidence_register.yaml:{line_of(reg, 'id: rec-peer-01')}: recommendation 'rec-peer-01' is not answered by "
        "any area for development — add 'rec-peer-01' to an area's 'answers:', or write not_taken_forward: with "
        "the reason [field-missing]"
    ) in msgs
    assert any(
        m.startswith(
            f"evidence_register.yaml:{line_of(reg, 'not_taken_forward')}: recommendation 'rec-peer-02' "
            "is not taken forward but gives no reason"
        )
        for m in msgs
    ), msgs


def test_a_recommendation_cannot_be_both_answered_and_dropped(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "    answers: [rec-peer-01]\n", "    answers: [rec-peer-01, rec-peer-02]\n")
    assert any(
        "recommendation 'rec-peer-02' is answered by A23-01 but also marked not taken forward — remove one" in m
        for m in messages(tiny)
    )


def test_measures_need_known_metrics_matching_direction_and_a_target(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(
        reg,
        "      - metric: reviews_within_12m\n        direction: increase\n        target: 90",
        "      - metric: reviews_within_12\n        direction: increase\n        target: 90",
    )
    replace_in(
        reg,
        "      - metric: dols_days\n        direction: decrease\n        target: 10",
        "      - metric: dols_days\n        direction: increase",
    )
    msgs = messages(tiny)
    assert (
        f"evidence_register.yaml:{line_of(reg, 'metric: reviews_within_12')}: area 'A25-01' measures unknown metric "
        "'reviews_within_12' — did you mean reviews_within_12m? define it in data/metrics/ or correct the id [unknown-name]"
    ) in msgs
    dols = line_of(reg, "metric: dols_days")
    assert (
        f"evidence_register.yaml:{dols}: area 'A25-01' aims to increase 'dols_days', but for that metric lower is "
        "better — write direction: decrease [field-value]"
    ) in msgs
    assert (
        f"evidence_register.yaml:{dols}: area 'A25-01' measure 'dols_days' has no target — add 'target: ...' to the measure (or a target to the metric), or 'target: not stated' when the source gives none [field-missing]"
        in msgs
    )


def test_overdue_actions_are_a_warning_with_the_line(tiny, capsys):
    reg = tiny / "evidence_register.yaml"
    replace_in(reg, "    due: 2025-09-30", "    due: 2025-01-31")
    report = check_project(tiny)
    assert report.ok
    assert [str(w) for w in report.problems.warnings] == [
        f"evidence_register.yaml:{line_of(reg, 'id: A25-01.1')}: warning: action 'A25-01.1' is overdue: due 31 January "
        "2025, before the reporting date 28 February 2025, and on track — mark it complete, or agree a new due date and "
        "record why in a progress note [action-overdue]"
    ]
    assert check_main(["--root", str(tiny)]) == 0
    assert "action 'A25-01.1' is overdue" in capsys.readouterr().err
    # A complete action is never overdue.
    replace_in(reg, "    status: on track", "    status: complete")
    assert check_project(tiny).problems.warnings == []


# -- rules ----------------------------------------------------------------------------------
def test_rag_rating_follows_direction_and_target():
    assert rag("increase", Decimal(85), Decimal(86), Decimal(80)).colour == "green"
    assert rag("increase", Decimal(85), Decimal(81), Decimal(67)).label == "Amber"
    assert rag("increase", Decimal(85), Decimal(60), Decimal(67)).colour == "red"
    assert rag("increase", Decimal(85), Decimal(60), None).reason == "target not met, no earlier figure to show improvement"
    assert rag("decrease", Decimal(10), Decimal(9), None).colour == "green"
    assert rag("decrease", Decimal(10), Decimal(11), Decimal(14)).colour == "amber"
    assert rag("decrease", Decimal(10), Decimal(15), Decimal(14)).colour == "red"
    assert rag("increase", Decimal(85), None, None).label == "No rating"


def test_area_status_is_the_worst_open_action():
    from selfeval.register.actions import Action

    def act(status):
        return Action("A-1.1", "A-1", "x", "Owner", dt.date(2025, 1, 1), status)

    assert area_status([act("complete"), act("complete")]) == "complete"
    assert area_status([act("complete"), act("at risk"), act("on track")]) == "at risk"
    assert area_status([act("off track"), act("at risk")]) == "off track"
    assert area_status([act("complete"), act("not started")]) == "on track"
    assert area_status([act("not started")]) == "not started"


# -- "not stated" -----------------------------------------------------------------------------
def test_not_stated_owner_due_status_and_target_load_without_errors_or_judgements(tiny):
    reg = tiny / "evidence_register.yaml"
    # An action due long before the reporting date: overdue only while its date and status are known.
    replace_in(
        reg,
        "    owner: Team Manager\n    due: 2025-09-30\n    status: on track",
        "    owner: not stated\n    due: 2024-01-31\n    status: not stated",
    )
    replace_in(reg, "        direction: increase\n        target: 90", "        direction: increase\n        target: not stated")
    report = check_project(tiny)
    assert report.ok and report.problems.warnings == [], [str(p) for p in report.problems]
    action = report.project.register.actions["A25-01.1"]
    assert not action.owner_stated and action.due_stated and not action.status_stated
    assert not action.overdue(dt.date(2025, 2, 28))
    assert area_status([action]) == "not stated"
    measure = report.project.register.areas["A25-01"].measures[0]
    assert not measure.target_stated and measure.target is None
    assert rag("increase", None, Decimal(81), Decimal(67), target_stated=False).label == "No rating"


def test_an_area_may_say_its_actions_are_not_stated_but_not_also_list_some(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(
        reg,
        "    outcome: Applications are signed off promptly.\n",
        "    outcome: Applications are signed off promptly.\n    actions: not stated\n",
    )
    line = line_of(reg, "id: A25-02")
    assert (
        f"evidence_register.yaml:{line}: area 'A25-02' says its actions are not stated, but actions list it — "
        "remove 'actions: not stated' from the area, or the actions [field-value]"
    ) in messages(tiny)
    replace_in(reg, "    area: A25-02\n", "    area: A25-01\n")
    assert not any("A25-02" in m for m in messages(tiny))
    replace_in(reg, "    actions: not stated\n", "    actions: [A25-02.1]\n")
    assert any(
        m.startswith(f"evidence_register.yaml:{line_of(reg, 'actions: [A25')}: area 'A25-02' has actions") for m in messages(tiny)
    )
