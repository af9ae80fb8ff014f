"""Areas for development and the actions that track them, with status, overdue and RAG rules.

An **area** (``areas:`` in the register) belongs to a year, answers external recommendations
and has measures of success. An **action** (``actions:``) belongs to exactly one area and has
an owner (a role), a due date, a status and dated progress notes.

A register is often built from a document that does not say everything: who owns an action,
when it is due, where it stands or what a measure's target is. Writing ``not stated`` for
any of these records that the source is silent, instead of inventing a value. A fact that is
not stated is never judged: an action with no stated due date or status is never overdue,
and a measure with no stated target gets no red/amber/green rating.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from selfeval.render.formatting import to_decimal
from selfeval.problems import Problems
from selfeval.project.schema import as_date, as_list, check_fields, check_owner, one_of
from selfeval.project.sourcefile import Node

AREA_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$")
ACTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*(\.[0-9]+)+$")
YEAR = re.compile(r"^(\d{4})/(\d{2})$")
STATUSES = ("not started", "on track", "at risk", "off track", "complete")
DIRECTIONS = ("increase", "decrease")
# How bad a status is, for an area's overall status: the worst open action decides.
SEVERITY = {"off track": 4, "at risk": 3, "on track": 2, "not started": 1, "complete": 0}
# What an owner, due date, status or target says when the source does not give it.
NOT_STATED = "not stated"


def is_not_stated(value) -> bool:
    return isinstance(value, str) and value.strip().lower() == NOT_STATED


@dataclass
class Note:
    date: dt.date
    text: str
    line: int = 0


@dataclass
class Measure:
    metric: str
    direction: str
    target: Decimal | None
    line: int = 0
    target_stated: bool = True


@dataclass
class Area:
    id: str
    year: str
    title: str
    outcome: str
    answers: list[str] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    progress: str = ""
    illustrative: bool = False
    path: str = ""
    line: int = 0
    actions_stated: bool = True  # False: 'actions: not stated', the source names no separate actions

    @property
    def number(self) -> str:
        """The area's number within its year, from the end of its id (A25-03 → 3)."""
        tail = self.id.rsplit("-", 1)[-1]
        return str(int(tail)) if tail.isdigit() else self.id


@dataclass
class Action:
    id: str
    area: str
    description: str
    owner: str
    due: dt.date | None
    status: str
    progress: list[Note] = field(default_factory=list)
    illustrative: bool = False
    path: str = ""
    line: int = 0

    @property
    def owner_stated(self) -> bool:
        return not is_not_stated(self.owner)

    @property
    def due_stated(self) -> bool:
        return self.due is not None

    @property
    def status_stated(self) -> bool:
        return self.status != NOT_STATED

    def overdue(self, reporting_date: dt.date | None) -> bool:
        """Due before the reporting date and not complete; never when either is not stated."""
        return (
            reporting_date is not None
            and self.due is not None
            and self.due < reporting_date
            and self.status_stated
            and self.status != "complete"
        )


def area_status(actions: list[Action]) -> str:
    """An area's status from its actions: complete when all are, else the worst open status.
    When any action's status is not stated, neither is the area's: a guess would be invented."""
    if not actions:
        return "not started"
    if any(not a.status_stated for a in actions):
        return NOT_STATED
    if all(a.status == "complete" for a in actions):
        return "complete"
    open_statuses = [a.status for a in actions if a.status != "complete"]
    worst = max(open_statuses, key=lambda s: SEVERITY.get(s, 0))
    if worst == "not started" and any(a.status == "complete" for a in actions):
        return "on track"
    return worst


@dataclass
class Rag:
    """A measure's red/amber/green rating and the words that explain it."""

    colour: str  # "green", "amber", "red" or "none"
    label: str  # "Green", "Amber", "Red" or "No rating"
    reason: str


def rag(
    direction: str, target: Decimal | None, value: Decimal | None, previous: Decimal | None, target_stated: bool = True
) -> Rag:
    """Green: the target is met. Amber: not met, but moving the right way since the previous
    period. Red: not met and not improving (or nothing earlier to compare with). No rating
    when the target is not stated."""
    if not target_stated:
        return Rag("none", "No rating", "no target stated")
    if value is None or target is None:
        return Rag("none", "No rating", "no figure to rate yet")
    up = direction == "increase"
    if (value >= target) if up else (value <= target):
        return Rag("green", "Green", "target met")
    if previous is not None and ((value > previous) if up else (value < previous)):
        return Rag("amber", "Amber", "target not met yet, improving")
    if previous is None:
        return Rag("red", "Red", "target not met, no earlier figure to show improvement")
    return Rag("red", "Red", "target not met, not improving")


def _flag(entry: Node, key: str, where: str, label: str, problems: Problems) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        problems.add(where, entry.key_line(key), f"{label} has {key} '{value}'", f"write '{key}: true' or leave it out")
        return False
    return value


def _notes(entry: Node, where: str, label: str, problems: Problems) -> list[Note]:
    notes = []
    for item in as_list(entry, "progress", where, label, problems):
        if not isinstance(item, Node) or not item.get("date") or not item.get("note"):
            problems.add(
                where,
                getattr(item, "line", entry.key_line("progress")),
                f"{label} has a progress note without a date and a note",
                "write each as '- date: 2024-10-01' with 'note: what happened' below",
            )
            continue
        check_fields(item, where, f"{label} progress note", ["date", "note"], [], problems)
        when = as_date(item, "date", where, f"{label} progress note", problems)
        if when is not None:
            notes.append(Note(when, str(item["note"]).strip(), item.line))
    return sorted(notes, key=lambda n: n.date)


def _measure(item, where: str, label: str, problems: Problems) -> Measure | None:
    if not isinstance(item, Node):
        problems.add(
            where,
            getattr(item, "line", 0),
            f"{label} has a measure that is not a mapping",
            "write each as '- metric: reviews_within_12m' with direction and target below",
        )
        return None
    check_fields(item, where, f"{label} measure", ["metric", "direction"], ["target"], problems)
    direction = item.get("direction")
    if direction is not None and not one_of(
        direction, DIRECTIONS, where, item.key_line("direction"), f"{label} measure direction", problems
    ):
        return None
    target, stated = None, not is_not_stated(item.get("target"))
    if item.get("target") is not None and stated:
        target = to_decimal(item.get("target"))
        if target is None:
            problems.add(
                where,
                item.key_line("target"),
                f"{label} measure target '{item.get('target')}' is not a number",
                "write it as a plain number in the metric's unit, e.g. 85",
            )
    if not item.get("metric") or not direction:
        return None
    return Measure(str(item["metric"]), str(direction), target, item.line, target_stated=stated)


def load_areas(entries: list[Node], where: str, problems: Problems) -> dict[str, Area]:
    areas: dict[str, Area] = {}
    for entry in entries:
        aid = entry.get("id")
        if not isinstance(aid, str) or not AREA_ID.match(aid):
            problems.add(
                where,
                entry.key_line("id"),
                f"area id '{aid}' is not valid",
                "write it like A25-01 (letters and digits joined by hyphens)",
            )
            continue
        if aid in areas:
            problems.add(
                where,
                entry.key_line("id"),
                f"area id '{aid}' is used twice (first on line {areas[aid].line})",
                "give each area its own id",
            )
            continue
        label = f"area '{aid}'"
        check_fields(
            entry,
            where,
            label,
            ["id", "year", "title", "outcome"],
            ["answers", "measures", "progress", "illustrative", "actions"],
            problems,
        )
        listed = entry.get("actions")
        if listed is not None and not is_not_stated(listed):
            problems.add(
                where,
                entry.key_line("actions"),
                f"{label} has actions '{listed}'",
                "list actions under 'actions:' at the end of the register with 'area: "
                f"{aid}'; write 'actions: not stated' here only when the source names none",
            )
        year = str(entry.get("year") or "")
        match = YEAR.match(year)
        if year and not (match and (int(match.group(1)) + 1) % 100 == int(match.group(2))):
            problems.add(
                where,
                entry.key_line("year"),
                f"{label} has year '{year}'",
                'write a financial year in quotes, e.g. year: "2025/26"',
            )
        measures = [
            m for m in (_measure(i, where, label, problems) for i in as_list(entry, "measures", where, label, problems)) if m
        ]
        areas[aid] = Area(
            id=aid,
            year=year,
            title=str(entry.get("title") or aid),
            outcome=str(entry.get("outcome") or ""),
            answers=[str(r) for r in as_list(entry, "answers", where, label, problems)],
            measures=measures,
            progress=str(entry.get("progress") or "").strip(),
            illustrative=_flag(entry, "illustrative", where, label, problems),
            path=where,
            line=entry.line,
            actions_stated=not is_not_stated(listed),
        )
    return areas


def load_actions(entries: list[Node], where: str, problems: Problems) -> dict[str, Action]:
    actions: dict[str, Action] = {}
    for entry in entries:
        aid = entry.get("id")
        if not isinstance(aid, str) or not ACTION_ID.match(aid):
            problems.add(
                where,
                entry.key_line("id"),
                f"action id '{aid}' is not valid",
                "write it as its area's id, a full stop and a number, e.g. A25-01.1",
            )
            continue
        if aid in actions:
            problems.add(
                where,
                entry.key_line("id"),
                f"action id '{aid}' is used twice (first on line {actions[aid].line})",
                "give each action its own id",
            )
            continue
        label = f"action '{aid}'"
        check_fields(
            entry, where, label, ["id", "area", "description", "owner", "due", "status"], ["progress", "illustrative"], problems
        )
        check_owner(entry, where, label, problems)
        status = entry.get("status")
        if is_not_stated(status):
            status = NOT_STATED
        elif status is not None:
            one_of(status, STATUSES + (NOT_STATED,), where, entry.key_line("status"), f"{label} status", problems)
        owner = entry.get("owner")
        due = None if is_not_stated(entry.get("due")) else as_date(entry, "due", where, label, problems)
        actions[aid] = Action(
            id=aid,
            area=str(entry.get("area") or ""),
            description=str(entry.get("description") or "").strip(),
            owner=NOT_STATED if is_not_stated(owner) else str(owner or ""),
            due=due,
            status=status if status in STATUSES + (NOT_STATED,) else "not started",
            progress=_notes(entry, where, label, problems),
            illustrative=_flag(entry, "illustrative", where, label, problems),
            path=where,
            line=entry.line,
        )
    return actions
