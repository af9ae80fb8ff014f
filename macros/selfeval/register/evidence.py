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
import re
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.render import formatting as fmt
from selfeval.register.actions import Action, Area, load_actions, load_areas
from selfeval.disclosure.audience import audience
from selfeval.project.framework import Framework, load_framework
from selfeval.problems import Problems, close_match, names_in
from selfeval.project.schema import as_date, as_list, check_fields, check_owner, one_of
from selfeval.project.sourcefile import Node, read_yaml, relpath

REGISTER_FILE = Path("evidence_register.yaml")
# How other problems name what the register defines.
REGISTER_NAMES = ("evidence", "recommendation", "area", "action", "year")
EVIDENCE_ID = re.compile(r"^ev-[a-z0-9]+(-[a-z0-9]+)*$")
RECOMMENDATION_ID = re.compile(r"^rec-[a-z0-9]+(-[a-z0-9]+)*$")
KINDS = ("audit", "case file audit", "survey", "peer review", "committee report", "dataset", "strategy", "policy", "feedback")
CLASSIFICATIONS = ("public", "internal")
EVIDENCE_FIELDS = ["id", "title", "kind", "date", "owner", "category", "quality_statements", "classification"]
EVIDENCE_OPTIONAL = ["short", "link", "location", "summary", "reason"]
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


def _list_of_records(data: Node, key: str, where: str, problems: Problems, example: str) -> list[Node]:
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        problems.add(where, data.key_line(key), f"'{key}:' must be a list", f"write each entry as '- {example}'")
        return []
    out = []
    for item in items:
        if isinstance(item, Node):
            out.append(item)
        else:
            problems.add(
                where,
                getattr(items, "line", 1),
                f"an entry under '{key}:' is not a mapping",
                f"write each entry as '- {example}' with its fields indented below",
            )
    return out


def _unique_id(
    entry: Node, pattern: re.Pattern, seen: dict, where: str, kind: str, example: str, problems: Problems
) -> str | None:
    ident = entry.get("id")
    if not isinstance(ident, str) or not pattern.match(ident):
        problems.add(where, entry.key_line("id"), f"{kind} id '{ident}' is not valid", f"write it like {example}")
        if isinstance(ident, str):  # what cites it, as written or as it should be, waits on this line
            prefix = {"evidence": "ev-", "recommendation": "rec-"}.get(kind, "")
            problems.lost([kind], [ident, prefix + ident])
        return None
    if ident in seen:
        problems.add(
            where,
            entry.key_line("id"),
            f"{kind} id '{ident}' is used twice (first on line {seen[ident]})",
            "give each its own id",
        )
        return None
    seen[ident] = entry.key_line("id")
    return ident


def _evidence(entry: Node, eid: str, where: str, framework: Framework | None, problems: Problems) -> Evidence:
    label = f"evidence '{eid}'"
    check_fields(entry, where, label, EVIDENCE_FIELDS, EVIDENCE_OPTIONAL, problems)
    if not entry.get("link") and not entry.get("location"):
        problems.add(
            where,
            entry.line,
            f"{label} has no link or location",
            "add 'link: https://...' or 'location: where a reader can find it'",
        )
    kind = entry.get("kind")
    if kind:
        one_of(kind, KINDS, where, entry.key_line("kind"), f"{label} kind", problems)
    classification = entry.get("classification")
    if classification is not None:
        one_of(classification, CLASSIFICATIONS, where, entry.key_line("classification"), f"{label} classification", problems)
    category = ""
    if entry.get("category") and framework is not None:
        category = framework.category_id(entry.get("category")) or ""
        if not category:
            titles = [c.id for c in framework.categories.values()]
            one_of(str(entry.get("category")), titles, where, entry.key_line("category"), f"{label} category", problems)
    check_owner(entry, where, label, problems)
    statements = [str(s) for s in as_list(entry, "quality_statements", where, label, problems)]
    if framework is not None:
        for qs in statements:
            one_of(qs, framework.statements, where, entry.key_line("quality_statements"), f"{label} quality statement", problems)
    return Evidence(
        id=eid,
        title=str(entry.get("title") or eid),
        kind=str(kind or ""),
        date=as_date(entry, "date", where, label, problems),
        owner=str(entry.get("owner") or ""),
        link=str(entry.get("link") or entry.get("location") or ""),
        # Anything not clearly public is treated as internal: fail closed.
        classification="public" if classification == "public" else "internal",
        path=where,
        line=entry.line,
        category=category,
        quality_statements=[s for s in statements if framework is None or s in framework.statements],
        short=str(entry.get("short") or ""),
        summary=str(entry.get("summary") or ""),
    )


def _recommendation(entry: Node, rid: str, where: str, evidence: dict, problems: Problems) -> Recommendation:
    label = f"recommendation '{rid}'"
    check_fields(entry, where, label, ["id", "text", "source"], ["not_taken_forward", "illustrative"], problems)
    source = str(entry.get("source") or "")
    if source and source not in evidence:
        problems.add(
            where,
            entry.key_line("source"),
            f"{label} cites unknown evidence '{source}'",
            f"{close_match(source, evidence)} add it under 'evidence:' or correct the id".strip(),
        )
    reason = entry.get("not_taken_forward")
    if reason is not None and not (isinstance(reason, str) and reason.strip()):
        problems.add(
            where,
            entry.key_line("not_taken_forward"),
            f"{label} is not taken forward but gives no reason",
            "write the reason, e.g. not_taken_forward: covered by the corporate People Strategy",
        )
    return Recommendation(
        id=rid,
        text=str(entry.get("text") or ""),
        source=source,
        not_taken_forward=str(reason or "").strip(),
        illustrative=entry.get("illustrative") is True,
        path=where,
        line=entry.line,
    )


def load_register(root: Path, problems: Problems, framework: Framework | None = None, with_framework: bool = True) -> Register:
    """Read and validate the register's own fields; cross-checks with metrics are in :func:`check_register`."""
    if framework is None and with_framework:
        framework = load_framework(root, problems)
    path = Path(root) / REGISTER_FILE
    where = relpath(path, root)
    register = Register(framework=framework, path=where)
    if not path.exists():
        problems.add(where, 0, "the evidence register is missing", "create evidence_register.yaml with an 'evidence:' list")
        return register
    data = read_yaml(path, root, problems)
    if data is None:
        problems.lost(REGISTER_NAMES, names_in(path, root))
        return register
    if not isinstance(data, Node):
        problems.add(where, 1, "the register must be a mapping with an 'evidence:' list", "start the file with 'evidence:'")
        problems.lost(REGISTER_NAMES, names_in(path, root))
        return register
    check_fields(data, where, "the register", ["evidence"], ["recommendations", "areas", "actions"], problems)
    seen: dict[str, int] = {}
    for entry in _list_of_records(data, "evidence", where, problems, "id: ev-..."):
        eid = _unique_id(
            entry,
            EVIDENCE_ID,
            seen,
            where,
            "evidence",
            "ev-asc-survey-2023-24 ('ev-' then lower-case words joined by hyphens)",
            problems,
        )
        if eid is not None:
            register.evidence[eid] = _evidence(entry, eid, where, framework, problems)
    for entry in _list_of_records(data, "recommendations", where, problems, "id: rec-..."):
        rid = _unique_id(entry, RECOMMENDATION_ID, seen, where, "recommendation", "rec-peer-challenge-2023-01", problems)
        if rid is not None:
            register.recommendations[rid] = _recommendation(entry, rid, where, register.evidence, problems)
    register.areas = load_areas(_list_of_records(data, "areas", where, problems, "id: A25-01"), where, problems)
    register.actions = load_actions(_list_of_records(data, "actions", where, problems, "id: A25-01.1"), where, problems)
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
            )
        if register.actions_of(area.id) and not area.actions_stated:
            problems.add(
                where,
                area.line,
                f"{label} says its actions are not stated, but actions list it",
                "remove 'actions: not stated' from the area, or the actions",
            )
        for rec in area.answers:
            if rec not in register.recommendations:
                problems.add(
                    where,
                    area.line,
                    f"{label} answers unknown recommendation '{rec}'",
                    f"{close_match(rec, register.recommendations)} add it under 'recommendations:' or correct the id".strip(),
                )
        for measure in area.measures:
            metric = metrics.get(measure.metric)
            if metric is None:
                problems.add(
                    where,
                    measure.line,
                    f"{label} measures unknown metric '{measure.metric}'",
                    f"{close_match(measure.metric, metrics)} define it in data/metrics/ or correct the id".strip(),
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
                )
            if measure.target is None and metric.target is None and measure.target_stated:
                problems.add(
                    where,
                    measure.line,
                    f"{label} measure '{metric.id}' has no target",
                    "add 'target: ...' to the measure (or a target to the metric), "
                    "or 'target: not stated' when the source gives none",
                )
    for action in register.actions.values():
        if action.area and action.area not in register.areas:
            hint = close_match(action.area, register.areas)
            problems.add(
                where,
                action.line,
                f"action '{action.id}' belongs to unknown area '{action.area}'",
                f"{hint} every action must belong to an area listed under 'areas:'".strip(),
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
            )
    for rec in register.recommendations.values():
        answered = register.answered_by(rec.id)
        if not answered and not rec.not_taken_forward:
            problems.add(
                where,
                rec.line,
                f"recommendation '{rec.id}' is not answered by any area for development",
                f"add '{rec.id}' to an area's 'answers:', or write not_taken_forward: with the reason",
            )
        if answered and rec.not_taken_forward:
            problems.add(
                where,
                rec.line,
                f"recommendation '{rec.id}' is answered by {', '.join(a.id for a in answered)} but also marked not taken forward",
                "remove one of the two",
            )
