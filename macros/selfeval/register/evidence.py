"""The evidence register, ``evidence_register.yaml``.

One file holds four lists (the schema is documented in README.md, "The evidence register"):

- ``evidence:``         what the self-evaluation rests on (audits, surveys, reviews, data);
- ``recommendations:``  what external reviews recommended, each with its source evidence;
- ``areas:``            areas for development per year, with outcomes and measures of success;
- ``actions:``          the tracked actions, each belonging to one area (see :mod:`actions`).

Loading never raises: every problem is reported as ``path:line: what — how to fix``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.render import formatting as fmt
from selfeval.register.actions import ACTION, AREA, FLAG, Action, Area, action_of, area_of
from selfeval.disclosure.audience import audience
from selfeval.project.framework import Framework, load_framework
from selfeval.problems import Problems, close_match, names_in
from selfeval.project.records import BOOLEAN, DATE, TEXT, Field, ListOf, Record, Say, Values, read_file, unknown_choice

REGISTER_FILE = Path("evidence_register.yaml")
# How other problems name what the register defines.
REGISTER_NAMES = ("evidence", "recommendation", "area", "action", "year")
EVIDENCE_ID = r"^ev-[a-z0-9]+(-[a-z0-9]+)*$"
RECOMMENDATION_ID = r"^rec-[a-z0-9]+(-[a-z0-9]+)*$"
KINDS = ("audit", "case file audit", "survey", "peer review", "committee report", "dataset", "strategy", "policy", "feedback")
CLASSIFICATIONS = ("public", "internal")
WITHHELD = "internal evidence"


@dataclass
class Evidence:
    id: str
    title: str
    kind: str = ""
    date: dt.date | None = None
    owner: str = ""
    link: str = ""
    classification: str = "public"
    path: str = ""
    line: int = 0
    category: str = ""
    quality_statements: list[str] = field(default_factory=list)
    short: str = ""
    summary: str = ""

    @property
    def public(self) -> bool:
        return self.classification == "public"

    @property
    def short_title(self) -> str:
        return self.short or self.title

    def shown_in(self, version: str) -> bool:
        """Whether this item may appear in a version of the site."""
        return not audience(version).redacts or self.public


@dataclass
class Recommendation:
    id: str
    text: str
    source: str
    not_taken_forward: str = ""
    illustrative: bool = False
    path: str = ""
    line: int = 0


@dataclass
class Register:
    """Everything in the register, validated, with the framework it maps to."""

    evidence: dict[str, Evidence] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    framework: Framework | None = None
    path: str = str(REGISTER_FILE)

    def years(self) -> list[str]:
        """The years that have areas for development, oldest first."""
        return sorted({a.year for a in self.areas.values()})

    def areas_in(self, year: str) -> list[Area]:
        return [a for a in self.areas.values() if a.year == year]

    def actions_of(self, area_id: str) -> list[Action]:
        return [a for a in self.actions.values() if a.area == area_id]

    def answered_by(self, rec_id: str) -> list[Area]:
        return [a for a in self.areas.values() if rec_id in a.answers]

    def evidence_for(self, statement: str, category: str, version: str = "internal") -> list[Evidence]:
        return [
            e
            for e in self.evidence.values()
            if statement in e.quality_statements and e.category == category and e.shown_in(version)
        ]


EVIDENCE = Record(
    "evidence",
    (
        Field(
            "id",
            required=True,
            pattern=EVIDENCE_ID,
            prefix="ev-",
            example="ev-asc-survey-2023-24 ('ev-' then lower-case words joined by hyphens)",
        ),
        Field("title", required=True),
        Field("kind", required=True, choices=KINDS),
        Field("date", DATE, required=True),
        Field("owner", required=True, role=True),
        Field("category", required=True),
        Field("quality_statements", ListOf(TEXT), required=True),
        Field("classification", required=True, choices=CLASSIFICATIONS),
        Field("short", default=""),
        Field("link", default=""),
        Field("location", default=""),
        Field("summary", default=""),
        Field("reason", default=""),
    ),
    key="id",
    lost_as=("evidence",),
    example="id: ev-...",
)
_NO_REASON = Say(
    "{label} is not taken forward but gives no reason",
    "write the reason, e.g. not_taken_forward: covered by the corporate People Strategy",
)
RECOMMENDATION = Record(
    "recommendation",
    (
        Field("id", required=True, pattern=RECOMMENDATION_ID, prefix="rec-", example="rec-peer-challenge-2023-01"),
        Field("text", required=True),
        Field(
            "source",
            required=True,
            refers="evidence",
            says={"refers": Say(fix="{hint} add it under 'evidence:' or correct the id")},
        ),
        Field("not_taken_forward", default="", says={"wrong": _NO_REASON}),
        Field("illustrative", BOOLEAN, default=False, says=FLAG),
    ),
    key="id",
    lost_as=("recommendation",),
    example="id: rec-...",
)
REGISTER = Record(
    "register",
    (
        Field("evidence", ListOf(EVIDENCE), required=True, example=EVIDENCE.example),
        Field("recommendations", ListOf(RECOMMENDATION), example=RECOMMENDATION.example),
        Field("areas", ListOf(AREA), example=AREA.example),
        Field("actions", ListOf(ACTION), example=ACTION.example),
    ),
    label="the register",
    file=str(REGISTER_FILE),
    says={
        "type": Say("'{key}:' must be a list", "write each entry as '- {example}'"),
        "not_mapping": Say("the register must be a mapping with an 'evidence:' list", "start the file with 'evidence:'"),
    },
)


def _evidence(values: Values, where: str, framework: Framework | None, problems: Problems) -> Evidence:
    """An evidence item, with what the framework it maps to says of its category and statements."""
    label = values.label
    if not values["link"] and not values["location"]:
        problems.add(
            where,
            values.line,
            f"{label} has no link or location",
            "add 'link: https://...' or 'location: where a reader can find it'",
            code="field-missing",
        )
    category = ""
    if values["category"] and framework is not None:
        category = framework.category_id(values["category"]) or ""
        if not category:
            ids = [c.id for c in framework.categories.values()]
            unknown_choice(values["category"], ids, where, values.key_line("category"), f"{label} category", problems)
    statements = values["quality_statements"]
    if framework is not None:
        for qs in statements:
            line = values.key_line("quality_statements")
            unknown_choice(qs, framework.statements, where, line, f"{label} quality statement", problems)
    return Evidence(
        id=values["id"],
        title=values["title"] or values["id"],
        kind=values["kind"] or "",
        date=values["date"],
        owner=values["owner"] or "",
        link=values["link"] or values["location"],
        # Anything not clearly public is treated as internal: fail closed.
        classification="public" if values["classification"] == "public" else "internal",
        path=where,
        line=values.line,
        category=category,
        quality_statements=[s for s in statements if framework is None or s in framework.statements],
        short=values["short"],
        summary=values["summary"],
    )


def _recommendation(values: Values, where: str, problems: Problems) -> Recommendation:
    reason = values.node.get("not_taken_forward")
    if isinstance(reason, str) and not reason.strip():  # written, but empty
        problems.add(
            where,
            values.key_line("not_taken_forward"),
            _NO_REASON.what.format(label=values.label),
            _NO_REASON.fix,
            code="field-missing",
        )
    # Marked not taken forward, even without a reason: so it is not also reported unanswered.
    marked = values["not_taken_forward"].strip() or ("no reason given" if reason is not None else "")
    return Recommendation(
        id=values["id"],
        text=values["text"] or "",
        source=values["source"] or "",
        not_taken_forward=marked,
        illustrative=values["illustrative"],
        path=where,
        line=values.line,
    )


def load_register(root: Path, problems: Problems, framework: Framework | None = None, with_framework: bool = True) -> Register:
    """Read and validate the register's own fields; cross-checks with metrics are in :func:`check_register`."""
    if framework is None and with_framework:
        framework = load_framework(root, problems)
    path = Path(root) / REGISTER_FILE
    missing = Say("the evidence register is missing", "create evidence_register.yaml with an 'evidence:' list")
    where, _, values = read_file(path, root, REGISTER, problems, missing)
    register = Register(framework=framework, path=where)
    if values is None:
        problems.lost(REGISTER_NAMES, names_in(path, root))
        return register
    register.evidence = {e["id"]: _evidence(e, where, framework, problems) for e in values["evidence"]}
    register.recommendations = {r["id"]: _recommendation(r, where, problems) for r in values["recommendations"]}
    register.areas = {a["id"]: area_of(a, where) for a in values["areas"]}
    register.actions = {a["id"]: action_of(a, where) for a in values["actions"]}
    return register


def check_register(register: Register, metrics: dict, reporting_date: dt.date | None, problems: Problems) -> None:
    """Cross-checks: areas, actions, recommendations and measures agree with each other and the metrics."""
    where = register.path
    for area in register.areas.values():
        label = f"area '{area.id}'"
        if not register.actions_of(area.id) and area.actions_stated:
            problems.add(
                where,
                area.line,
                f"{label} has no tracked action",
                f"add an action under 'actions:' with 'area: {area.id}', an owner, a due date and a status",
                code="field-missing",
            )
        if register.actions_of(area.id) and not area.actions_stated:
            problems.add(
                where,
                area.line,
                f"{label} says its actions are not stated, but actions list it",
                "remove 'actions: not stated' from the area, or the actions",
                code="field-value",
            )
        for rec in area.answers:
            if rec not in register.recommendations:
                problems.add(
                    where,
                    area.line,
                    f"{label} answers unknown recommendation '{rec}'",
                    f"{close_match(rec, register.recommendations)} add it under 'recommendations:' or correct the id".strip(),
                    code="unknown-name",
                )
        for measure in area.measures:
            metric = metrics.get(measure.metric)
            if metric is None:
                problems.add(
                    where,
                    measure.line,
                    f"{label} measures unknown metric '{measure.metric}'",
                    f"{close_match(measure.metric, metrics)} define it in data/metrics/ or correct the id".strip(),
                    code="unknown-name",
                )
                continue
            wrong = {"increase": "lower_is_better", "decrease": "higher_is_better"}[measure.direction]
            if metric.polarity == wrong:
                problems.add(
                    where,
                    measure.line,
                    f"{label} aims to {measure.direction} '{metric.id}', but for that metric "
                    f"{'lower' if wrong == 'lower_is_better' else 'higher'} is better",
                    f"write direction: {'decrease' if measure.direction == 'increase' else 'increase'}",
                    code="field-value",
                )
            if measure.target is None and metric.target is None and measure.target_stated:
                problems.add(
                    where,
                    measure.line,
                    f"{label} measure '{metric.id}' has no target",
                    "add 'target: ...' to the measure (or a target to the metric), "
                    "or 'target: not stated' when the source gives none",
                    code="field-missing",
                )
    for action in register.actions.values():
        if action.area and action.area not in register.areas:
            hint = close_match(action.area, register.areas)
            problems.add(
                where,
                action.line,
                f"action '{action.id}' belongs to unknown area '{action.area}'",
                f"{hint} every action must belong to an area listed under 'areas:'".strip(),
                code="unknown-name",
            )
            if hint:  # the area it was meant for is not short of an action because of it
                problems.lost(["area"], [hint.removeprefix("did you mean ").removesuffix("?")], here_too=True)
        if action.overdue(reporting_date):
            problems.warn(
                where,
                action.line,
                f"action '{action.id}' is overdue: due {fmt.date(action.due)}, before the reporting date "
                f"{fmt.date(reporting_date)}, and {action.status}",
                "mark it complete, or agree a new due date and record why in a progress note",
                code="action-overdue",
            )
    for rec in register.recommendations.values():
        answered = register.answered_by(rec.id)
        if not answered and not rec.not_taken_forward:
            problems.add(
                where,
                rec.line,
                f"recommendation '{rec.id}' is not answered by any area for development",
                f"add '{rec.id}' to an area's 'answers:', or write not_taken_forward: with the reason",
                code="field-missing",
            )
        if answered and rec.not_taken_forward:
            problems.add(
                where,
                rec.line,
                f"recommendation '{rec.id}' is answered by {', '.join(a.id for a in answered)} but also marked not taken forward",
                "remove one of the two",
                code="field-value",
            )
