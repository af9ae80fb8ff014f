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

from selfeval.project.records import BOOLEAN, DATE, NUMBER, TEXT, Field, ListOf, Record, Say, Values

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


def _financial_year(text: str) -> bool:
    match = YEAR.match(text)
    return bool(match and (int(match.group(1)) + 1) % 100 == int(match.group(2)))


# A flag says one thing: true, or left out.
FLAG = {"wrong": Say("{label} has {key} '{value}'", "write '{key}: true' or leave it out")}
_NOTE_FIX = "write each as '- date: 2024-10-01' with 'note: what happened' below"

NOTE = Record(
    "progress note",
    (Field("date", DATE, required=True), Field("note", required=True)),
    label="{parent} progress note",
    says=dict.fromkeys(("missing", "not_mapping"), Say("{parent} has a progress note without a date and a note", _NOTE_FIX)),
)
MEASURE = Record(
    "measure",
    (
        Field("metric", required=True),
        Field("direction", required=True, choices=DIRECTIONS),
        Field(
            "target",
            NUMBER,
            words=(NOT_STATED,),
            says={
                "type": Say(
                    "{label} target '{value}' is not a number", "write it as a plain number in the metric's unit, e.g. 85"
                )
            },
        ),
    ),
    label="{parent} measure",
    says={
        "not_mapping": Say(
            "{parent} has a measure that is not a mapping",
            "write each as '- metric: reviews_within_12m' with direction and target below",
        )
    },
)
AREA = Record(
    "area",
    (
        Field("id", required=True, pattern=AREA_ID.pattern, example="A25-01 (letters and digits joined by hyphens)"),
        Field(
            "year",
            required=True,
            test=_financial_year,
            says={"wrong": Say("{label} has year '{value}'", 'write a financial year in quotes, e.g. year: "2025/26"')},
        ),
        Field("title", required=True),
        Field("outcome", required=True),
        Field("answers", ListOf(TEXT)),
        Field("measures", ListOf(MEASURE), example="[{metric: reviews_within_12m, direction: increase, target: 85}]"),
        Field("progress", default=""),
        Field("illustrative", BOOLEAN, default=False, says=FLAG),
        Field(
            "actions",
            choices=(NOT_STATED,),
            casefold=True,
            says={
                "wrong": Say(
                    "{label} has actions '{value}'",
                    "list actions under 'actions:' at the end of the register with 'area: {id}'; "
                    "write 'actions: not stated' here only when the source names none",
                )
            },
        ),
    ),
    key="id",
    example="id: A25-01",
    says={"duplicate": Say(fix="give each area its own id")},
)
ACTION = Record(
    "action",
    (
        Field(
            "id",
            required=True,
            pattern=ACTION_ID.pattern,
            says={"pattern": Say(fix="write it as its area's id, a full stop and a number, e.g. A25-01.1")},
        ),
        Field("area", required=True),
        Field("description", required=True),
        Field("owner", required=True, role=True, words=(NOT_STATED,)),
        Field("due", DATE, required=True, words=(NOT_STATED,)),
        Field("status", required=True, choices=STATUSES, words=(NOT_STATED,), fallback="not started"),
        Field("progress", ListOf(NOTE), example="[{date: 2024-10-01, note: what happened}]"),
        Field("illustrative", BOOLEAN, default=False, says=FLAG),
    ),
    key="id",
    example="id: A25-01.1",
    says={"duplicate": Say(fix="give each action its own id")},
)


def _notes(values: Values) -> list[Note]:
    """The progress notes with a date and a note, oldest first."""
    notes = [Note(n["date"], n["note"].strip(), n.line) for n in values["progress"] if not n.errors & {"date", "note"}]
    return sorted(notes, key=lambda n: n.date)


def area_of(values: Values, where: str) -> Area:
    """An area as its declared record reads it."""
    measures = [
        Measure(
            m["metric"],
            m["direction"],
            None if is_not_stated(m["target"]) else m["target"],
            m.line,
            not is_not_stated(m["target"]),
        )
        for m in values["measures"]
        if not m.errors & {"metric", "direction"}
    ]
    return Area(
        id=values["id"],
        year=values["year"] or "",
        title=values["title"] or values["id"],
        outcome=values["outcome"] or "",
        answers=values["answers"],
        measures=measures,
        progress=(values["progress"] or "").strip(),
        illustrative=values["illustrative"],
        path=where,
        line=values.line,
        actions_stated=not is_not_stated(values["actions"]),
    )


def action_of(values: Values, where: str) -> Action:
    """An action as its declared record reads it."""
    return Action(
        id=values["id"],
        area=values["area"] or "",
        description=(values["description"] or "").strip(),
        owner=values["owner"] or "",
        due=values["due"] if isinstance(values["due"], dt.date) else None,
        status=values["status"] or "not started",
        progress=_notes(values),
        illustrative=values["illustrative"],
        path=where,
        line=values.line,
    )
