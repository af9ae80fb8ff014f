"""One declarative reader for the records a project's YAML files hold.

The configuration, the framework, the evidence register, metric definitions, the
description of each table, the charts and the committee cover report are all mappings of
fields, some of them lists of further records. Each kind of record is declared once, as
data: a :class:`Record` of :class:`Field` s, each with its name, its type, whether it is
required, the values it may take (choices or a pattern), a default and an example for the
fix. :func:`read` reads a YAML mapping against its declaration into plain values and adds
one problem per mistake, at the line of the key or the value: a missing field, an unknown
one (with "did you mean"), a value of the wrong type, not a date, not one of the choices,
not of the pattern, a reference to something unknown, an id used twice, and a person's
name where a role is wanted (a warning).

So the same mistake gives the same line in every file, and a reference to the fields (the
README's, or a test that each is documented) can be drawn from the declarations. The
declarations hold no I/O: a loader reads its file, passes the mapping here and keeps only
what is its own (cross-checks between records, suppression, disclosure).

Words are the users' own: where a file has always said a mistake in its own way, its
declaration carries that wording (:class:`Say`); otherwise the standard wording applies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.problems import Problems, close_match
from selfeval.project.sourcefile import Node, read_yaml, relpath
from selfeval.render.formatting import to_decimal

# -- how a mistake is said ----------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    """What is wrong and how to fix it, as templates; None keeps the standard words.

    A template may name ``{label}`` (the record, e.g. ``metric 'residents'``), ``{kind}``
    (``metric``), ``{id}``, ``{parent}`` (the record holding this one), ``{key}``, ``{value}``
    (for a list, the item that is wrong; ``{written}`` is the whole value as written),
    ``{noun}`` (what the value should be, e.g. ``a date``), ``{example}``, ``{hint}`` (``did
    you mean …?`` or nothing), ``{choices}``, ``{fields}`` (as declared; ``{sorted_fields}``
    in alphabetical order), ``{minimum}``, ``{refers}``, ``{first_line}`` and ``{first_place}``
    (where an id was first used). ``otherwise`` is the fix when there is no close match."""

    what: str | None = None
    fix: str | None = None
    otherwise: str | None = None


# The standard wording, by mistake. A record's ``says`` and a field's ``says`` override it.
STANDARD = {
    "missing": Say("{label} has no {key}", "add '{key}: ...' to it"),
    "unknown": Say(
        "{label} has unknown field '{key}'", "{hint} remove it or correct its name", "remove it; the fields are: {sorted_fields}"
    ),
    "type": Say("{label} has {key} '{value}', which is not {noun}"),
    "choice": Say("{label} {key} '{value}' is not known", "{hint} use one of: {choices}"),
    "pattern": Say("{label} {key} '{value}' is not valid", "write it like {example}"),
    "minimum": Say("{label} has {key} '{value}', which is less than {minimum}", "write {minimum} or more, e.g. {key}: {example}"),
    "refers": Say("{label} cites unknown {refers} '{value}'", "{hint} add it or correct the id"),
    "duplicate": Say("{label} {key} '{value}' is used twice (first on line {first_line})", "give each its own id"),
    "not_mapping": Say(
        "an entry under '{key}:' is not a mapping", "write each entry as '- {example}' with its fields indented below"
    ),
    "name": Say(
        "{label} has {key} '{value}', which looks like a person's name",
        "write the role instead (e.g. 'Head of Adult Social Care'): owners are roles, never names",
    ),
}
# How the settings files (data/project.yaml, data/committee.yaml) say a mistake: they are
# one record, so a mistake names the setting, not the record.
SETTINGS = {
    "missing": Say("'{key}' is missing", "add a line '{key}: ...'"),
    "unknown": Say("unknown setting '{key}'", "{hint}", "use one of: {fields}"),
    "type": Say("{key} '{value}' is not {noun}"),
    "not_mapping": Say("the {kind} must be a mapping of settings", "write one 'key: value' per line"),
}
# How a misspelt required field is said: one line at the misspelling, not also "has no …".
STANDARD["misspelt"] = STANDARD["unknown"]
# The kind of problem each mistake is (selfeval.problems.CODES); a date that is not a date
# is told apart from other values of the wrong type where it is said.
CODE_OF = {
    "missing": "field-missing",
    "unknown": "field-unknown",
    "misspelt": "field-unknown",
    "type": "field-type",
    "choice": "field-value",
    "pattern": "field-value",
    "minimum": "field-value",
    "refers": "unknown-name",
    "duplicate": "id-duplicate",
    "not_mapping": "field-type",
    "name": "owner-is-a-name",
}
# The mistakes ``says["wrong"]`` stands for: every way a value can be wrong; a field's
# ``says["*"]`` stands for these and a missing value too.
WRONG = ("type", "choice", "pattern", "minimum")


# -- types --------------------------------------------------------------------------------
INVALID = object()


@dataclass(frozen=True)
class Type:
    """A kind of value: its name in a reference, its noun in a message, how it is read
    (the value, or :data:`INVALID`) and how to write one."""

    name: str
    noun: str
    accept: Callable[[Any], Any]
    fix: str
    example: str = ""
    what: str | None = None  # a message of its own for a value not of this type


def _text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, dt.date)):
        return INVALID
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _integer(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else INVALID


def _number(value):
    number = to_decimal(value)
    return INVALID if number is None else number


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else INVALID


def _boolean(value):
    return value if isinstance(value, bool) else INVALID


def _mapping(value):
    return value if isinstance(value, dict) else INVALID


TEXT = Type("text", "text", _text, 'write it in quotes, e.g. {key}: "{example}"', "...")
INTEGER = Type("whole number", "a whole number", _integer, "write a whole number, e.g. {key}: {example}", "1")
NUMBER = Type("number", "a number", _number, "write it as a plain number, e.g. {example}", "85")
DATE = Type("date", "a date", _date, "write it as YYYY-MM-DD, e.g. {example}", "2025-03-31")
BOOLEAN = Type("true or false", "true or false", _boolean, "write '{key}: true' or '{key}: false'", "true")
MAPPING = Type("mapping", "a mapping", _mapping, "write e.g. {key}: {example}", "{name: value}")
ANY = Type("value", "a value", lambda value: value, "", "")


@dataclass(frozen=True)
class ListOf:
    """A list of values of one type (one value alone counts as a list of one), or of records."""

    item: Type | Record

    @property
    def name(self) -> str:
        return f"list of {self.item.name}"

    noun = "a list"
    fix = "write e.g. {key}: {example}"
    example = "[first, second]"
    what = "{label} has {key} that is not a list"


@dataclass(frozen=True)
class MappingOf:
    """A mapping of names to values of one type (a row label to a metric id)."""

    item: Type

    @property
    def name(self) -> str:
        return f"mapping of names to {self.item.name}"

    noun = "a mapping"
    fix = "write e.g. {key}: {example}"
    example = "{name: value}"
    what = None


# -- declarations -------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One field of a record, as data.

    ``words``: words accepted in place of a value (``not stated``), whatever the type.
    ``prefix``: what every value starts with (``ev-``), so that one written without it is
    still known to be the one meant. ``role``: a role is wanted, never a person's name.
    ``refers``: the kind of thing the value names (``evidence``), checked against what
    :func:`read` is told is ``known``. ``test``: a check the type and pattern cannot say."""

    name: str
    type: Type | ListOf | MappingOf | Record = TEXT
    required: bool = False
    choices: tuple = ()
    pattern: str | None = None
    default: Any = None
    example: str = ""
    minimum: int | None = None
    words: tuple[str, ...] = ()
    casefold: bool = False
    prefix: str = ""
    role: bool = False
    refers: str = ""
    test: Callable[[Any], bool] | None = None
    fallback: Any = None  # the value when it is wrong (``default`` when None)
    blank: str = "absent"  # a blank value ('', []) is: "absent" (left out), "wrong", or "kept" as written
    says: Mapping[str, Say] = field(default_factory=dict)

    @property
    def sample(self) -> str:
        if self.example:
            return self.example
        return self.type.example_value if isinstance(self.type, Record) else self.type.example or "..."


@dataclass(frozen=True)
class Record:
    """A kind of record: its fields, how a mistake in it names it, and where it is kept.

    ``label`` names one record in a message (``metric '{id}'``); ``key`` is the field that
    identifies it, unique among the records of one ``ids`` name (its kind unless given);
    ``file``: the file it is the whole of; ``example``: a record's first line, for the fix
    of a list entry that is not one; ``lost_as``: how other problems name it, so that a
    record left out does not also fail everything that refers to it; ``drop``: when one in
    a list is left out, beyond a bad id: ``required`` (a required field is wrong) or ``any``
    mistake; ``says``: its own words for a mistake, over the standard ones."""

    kind: str
    fields: tuple[Field, ...]
    label: str = "{kind} '{id}'"
    key: str | None = None
    ids: str = ""
    file: str = ""
    example: str = "id: ..."
    lost_as: tuple[str, ...] = ()
    says: Mapping[str, Say] = field(default_factory=dict)
    merge_misspelt: bool = True  # False: a misspelt required field is said missing as well
    drop: str = ""

    @property
    def name(self) -> str:
        return self.kind

    noun = "a mapping"
    fix = "write e.g. {key}: {example}"

    @property
    def example_value(self) -> str:
        return "{" + ", ".join(f"{f.name}: ..." for f in self.fields[:2]) + "}"

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def fields_of(record: Record) -> Iterable[tuple[Record, Field]]:
    """Every field of a record and of the records inside it, with the record it is in."""
    for f in record.fields:
        yield record, f
        inner = f.type.item if isinstance(f.type, ListOf) else f.type
        if isinstance(inner, Record):
            yield from fields_of(inner)


# -- what a read gives --------------------------------------------------------------------


class Values(dict):
    """A record as read: each declared field's value (its default when absent or wrong),
    with where it came from and which fields had a mistake."""

    def __init__(self, node: Node, label: str):
        super().__init__()
        self.node = node
        self.line = node.line
        self.label = label
        self.errors: set[str] = set()  # fields with a mistake (missing or wrong)
        self.unknown: list[str] = []  # keys that are not fields
        self.spelt: dict[str, str] = {}  # required fields left out, by the misspelt key written instead

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unknown

    def key_line(self, key: str) -> int:
        return self.node.key_line(key)

    def lines(self, key: str) -> list[int]:
        """The line of each item of a list field (a single value: its key's line)."""
        raw = self.node.get(key)
        if isinstance(raw, list):
            return [raw.item_line(i) if hasattr(raw, "item_line") else self.key_line(key) for i in range(len(raw))]
        return [self.key_line(key)]


class Ids(dict):
    """Ids already read, by the ``ids`` name of their records: {name: {id: (path, line)}}."""

    def seen(self, name: str) -> dict:
        return self.setdefault(name, {})


# -- reading ------------------------------------------------------------------------------


def _absent(value) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


class _Reader:
    """One reading of one file: where it is, what is said, and the ids and names it knows."""

    def __init__(self, where: str, problems: Problems, ids: Ids, known: Mapping):
        self.where, self.problems, self.ids, self.known = where, problems, ids, known
        self.said: set[tuple] = set()

    def say(self, mistake: str, record: Record, fld: Field | None, line: int, severity: str = "error", **names) -> None:
        """Adds one problem in the field's, the record's or the standard words (the same
        line twice is said once)."""
        own = fld.says if fld is not None else {}
        general = "wrong" if mistake in WRONG else "unknown" if mistake == "misspelt" else mistake
        every = own.get("*") if mistake in ("missing", *WRONG) else None
        chain = [own.get(mistake), own.get(general), every, record.says.get(mistake), record.says.get(general)]
        chain = [s for s in chain if s is not None]
        typed = fld.type if mistake == "type" and fld is not None else None
        what = next((s.what for s in chain if s.what is not None), None)
        what = what or getattr(typed, "what", None) or STANDARD[mistake].what
        # The fix and the fix without a close match come from the first that gives one, and
        # no further down than the words that give the fix.
        chain.append(Say(fix=typed.fix) if typed is not None else STANDARD[mistake])
        upto = next(i for i, s in enumerate(chain) if s.fix is not None) + 1
        otherwise = next((s.otherwise for s in chain[:upto] if s.otherwise is not None), None)
        fix = otherwise if otherwise is not None and not names.get("hint") else chain[upto - 1].fix
        text = {k: _join(v) if k in ("choices", "fields", "sorted_fields") else v for k, v in names.items()}
        text = defaultdict(str, text)  # a word a template names but this mistake has not: none
        what, fix = what.format_map(text), " ".join(fix.format_map(text).split())
        if (line, what) not in self.said:
            self.said.add((line, what))
            code = CODE_OF[mistake]
            if mistake == "type" and fld is not None and fld.type is DATE:
                code = "date-invalid"
            self.problems.add(self.where, line, what, fix, severity, code=code)

    def record(self, node, record: Record, names: dict, line: int = 1) -> Values | None:
        """A mapping read as ``record``; None (said) when it is not one, or its id is bad."""
        names = {**names, "kind": record.kind}
        if not isinstance(node, Node):
            self.say("not_mapping", record, None, getattr(node, "line", 0) or line, **names)
            return None
        spelt = self.misspellings(node, record)
        if record.key is not None:
            ident = self.identity(node, record, names, spelt)
            if ident is None:
                return None
            names["id"] = ident
        label = record.label.format(**{"id": "", **names})
        values = Values(node, label)
        values.spelt = spelt
        names["label"] = label
        # Keys it does not know first: what is said last about a record is about its fields.
        values.unknown = [key for key in node if key not in record.names]
        for key in values.unknown:
            if key not in spelt.values():
                hint = close_match(str(key), record.names)
                self.say("unknown", record, None, node.key_line(key), **{**names, "key": key, "hint": hint, **_fields(record)})
        for fld in record.fields:
            values[fld.name] = names["id"] if fld.name == record.key else self.field(node, record, fld, values, names)
        required = {f.name for f in record.fields if f.required}
        if record.drop == "any" and not values.ok or record.drop == "required" and values.errors & required:
            if record.lost_as:  # what refers to it fails because of the line just said
                self.problems.lost(record.lost_as, [names["id"]])
            return None
        return values

    def identity(self, node: Node, record: Record, names: dict, spelt: dict) -> str | None:
        """The record's id; None (said) when it is missing, not valid or used before."""
        fld = record.field(record.key)
        raw = node.get(fld.name)
        at = {**names, "label": record.kind, "key": fld.name, "example": fld.sample, "value": raw}
        if _absent(raw):
            self.missing(node, record, fld, spelt, at)
            return None
        value = _text(raw)
        if value is INVALID or (fld.pattern and not re.match(fld.pattern, value)):
            self.say("pattern", record, fld, node.key_line(fld.name), **at)
            if isinstance(raw, str) and record.lost_as:  # what cites it, as written or as meant, waits on this line
                self.problems.lost(record.lost_as, [raw, fld.prefix + raw] if fld.prefix else [raw])
            return None
        seen, line = self.ids.seen(record.ids or record.kind), node.key_line(fld.name)
        if value in seen:
            path, first = seen[value]
            self.say("duplicate", record, fld, line, **at, first_line=first, first_place=f"{path}:{first}")
            return None
        seen[value] = (self.where, line)
        return value

    def field(self, node: Node, record: Record, fld: Field, values: Values, names: dict):
        """One field's value: its default when absent, its fallback when wrong (said)."""
        raw = node.get(fld.name)
        at = {
            **names,
            "key": fld.name,
            "example": fld.sample,
            "value": "" if raw is None else raw,
            "written": raw,
            "choices": [*fld.choices, *fld.words],
        }
        # A key written with nothing after it counts as left out, unless the field says a
        # blank is wrong: a half-written disclosure setting must fail, never default.
        written = isinstance(node, Node) and fld.name in node
        if _absent(raw) and (not written or fld.blank != "wrong"):
            if fld.required:
                values.errors.add(fld.name)
                self.missing(node, record, fld, values.spelt, at)
            return _default(fld, node)
        if fld.words and isinstance(raw, str) and raw.strip().lower() in fld.words:
            return raw.strip().lower()
        value = self.typed(raw, fld, record, node.key_line(fld.name), at)
        if value is INVALID:
            values.errors.add(fld.name)
            if isinstance(fld.type, Record):
                return defaults(fld.type, node, wrong=True)
            return _default(fld, node) if fld.fallback is None else _copy(fld.fallback)
        read = value if isinstance(value, list) else [value]
        if any(isinstance(v, Values) and not v.ok for v in read) or len(read) < len(_items(raw)):
            values.errors.add(fld.name)  # a record in it had a mistake, or was left out
        return value

    def typed(self, raw, fld: Field, record: Record, line: int, at: dict):
        """The value as its field's type reads it, checked; INVALID (said) when it is wrong."""
        kind = fld.type
        wrong = {**at, "noun": kind.noun}
        if isinstance(kind, Record):
            if not isinstance(raw, Node):
                self.say("type", record, fld, line, **wrong)
                return INVALID
            return self.record(raw, kind, {**at, "parent": at["label"]})
        if isinstance(kind, ListOf):
            if isinstance(raw, dict) or isinstance(kind.item, Record) and not isinstance(raw, list):
                self.say("type", record, fld, line, **wrong)
                return INVALID
            items = _items(raw)
            if isinstance(kind.item, Record):
                inner = {**at, "parent": at["label"], "example": kind.item.example}
                read = [self.record(item, kind.item, inner, _item_line(items, i, line)) for i, item in enumerate(items)]
                return [v for v in read if v is not None]
            out = [kind.item.accept(item) for item in items]
            if any(v is INVALID or _absent(v) for v in out):
                self.say("type", record, fld, line, **wrong)
                return INVALID
            return out if all(self.allowed(v, fld, record, line, {**at, "value": v}) for v in out) else INVALID
        if isinstance(kind, MappingOf):
            out = {str(k): kind.item.accept(v) for k, v in raw.items()} if isinstance(raw, dict) else None
            if out is None or any(v is INVALID or _absent(v) for v in out.values()):
                self.say("type", record, fld, line, **wrong)
                return INVALID
            return out
        value = kind.accept(raw)
        if value is INVALID or _absent(value) and fld.blank == "wrong":
            self.say("type", record, fld, line, **wrong)
            return INVALID
        if not self.allowed(value, fld, record, line, {**at, "value": value}):
            return INVALID
        if fld.role and isinstance(value, str) and looks_like_a_name(value):
            self.say("name", record, fld, line, "warning", **{**at, "value": value})
        return value

    def allowed(self, value, fld: Field, record: Record, line: int, at: dict) -> bool:
        """Whether a value of the right type is one the field takes (said when not)."""
        if fld.minimum is not None and value < fld.minimum:
            self.say("minimum", record, fld, line, **at, noun=fld.type.noun, minimum=fld.minimum)
            return False
        if fld.choices:
            choices = [*fld.choices, *fld.words]
            if (value.strip().lower() if fld.casefold and isinstance(value, str) else value) not in choices:
                hint = close_match(str(value), [str(c) for c in choices])
                self.say("choice", record, fld, line, **{**at, "hint": hint, "choices": choices})
                return False
        if fld.pattern and not re.match(fld.pattern, str(value)) or fld.test and not fld.test(value):
            self.say("pattern", record, fld, line, **at)
            return False
        # What a reference may name: what the reader is told, or the ids of that kind read so far.
        known = (self.known.get(fld.refers) or self.ids.get(fld.refers)) if fld.refers else None
        if known and value not in known:
            self.say("refers", record, fld, line, **at, hint=close_match(str(value), known), refers=fld.refers)
        return True

    def misspellings(self, node: Node, record: Record) -> dict[str, str]:
        """{required field: the key written in its place} where a required field is left out
        and a key it does not know is close to it: said once, at the misspelling."""
        if not record.merge_misspelt:
            return {}
        spelt: dict[str, str] = {}
        for fld in record.fields:
            if fld.required and fld.name not in node:
                for key in node:
                    if key not in record.names and key not in spelt.values() and close_match(str(key), [fld.name]):
                        spelt[fld.name] = key
                        break
        return spelt

    def missing(self, node: Node, record: Record, fld: Field, spelt: dict, at: dict) -> None:
        """Says a required field is missing, or misspelt when it is."""
        key = spelt.get(fld.name)
        if key is None:
            self.say("missing", record, fld, node.key_line(fld.name), **at)
        else:
            hint = close_match(str(key), record.names)
            self.say("misspelt", record, fld, node.key_line(key), **{**at, "key": key, "hint": hint, **_fields(record)})


def defaults(record: Record, node: Node, wrong: bool = False) -> Values:
    """A record that is not written (or ``wrong``: not a mapping, so none of its fields is
    known), as its fields' defaults."""
    values = Values(node, record.kind)
    values.errors = set(record.names) if wrong else set()
    for fld in record.fields:
        values[fld.name] = _default(fld, node)
    return values


def _default(fld: Field, node: Node):
    """A field's value when it is not written: its default (a list: empty; a record: its defaults)."""
    if isinstance(fld.type, Record):
        return defaults(fld.type, node)
    if fld.default is None and isinstance(fld.type, ListOf):
        return []
    return _copy(fld.default)


def _fields(record: Record) -> dict:
    return {"fields": record.names, "sorted_fields": sorted(record.names)}


def _items(raw) -> list:
    """A list as written, or one value alone as a list of one."""
    return raw if isinstance(raw, list) else [raw]


def _join(value) -> str:
    return ", ".join(str(v) for v in value)


def _copy(value):
    return type(value)(value) if isinstance(value, (list, dict)) else value


def _item_line(items, index: int, line: int) -> int:
    return items.item_line(index) if hasattr(items, "item_line") else line


def read(
    node, record: Record, where: str, problems: Problems, *, ids: Ids | None = None, known: Mapping | None = None, **names
) -> Values | None:
    """Reads a YAML mapping as a record: its values, or None when it is not a mapping or its
    id is missing, not valid or used before; every mistake is added to ``problems``.

    ``ids``: the ids read so far, to find one used twice across calls (several files);
    ``known``: what references may name, by kind (``{"evidence": register.evidence}``);
    ``names``: more words for the label (``table='msp'``)."""
    return _Reader(where, problems, Ids() if ids is None else ids, known or {}).record(node, record, names)


def read_file(
    path: Path, root: Path, record: Record, problems: Problems, missing: Say | None = None, **kwargs
) -> tuple[str, Any, Values | None]:
    """The record a whole file holds: (its path as problems name it, its YAML as written, its
    values). The values are None when the file is not there (said with ``missing``, if it
    must be), cannot be read, or is not the record; ``kwargs`` go to :func:`read`."""
    where = relpath(path, root)
    if not Path(path).exists():
        if missing is not None:
            problems.add(where, 0, missing.what, missing.fix, code="file-missing")
        return where, None, None
    data = read_yaml(path, root, problems)
    return where, data, read(data, record, where, problems, **kwargs) if data is not None else None


def unknown_choice(value, choices: Iterable[str], where: str, line: int, what: str, problems: Problems) -> bool:
    """Reports ``value`` when it is not one of ``choices`` that another file defines (a
    framework's quality statements), in the words a declared choice uses."""
    choices = list(choices)
    if value in choices:
        return True
    hint = close_match(str(value), choices)
    problems.add(
        where,
        line,
        f"{what} '{value}' is not known",
        f"{hint + ' ' if hint else ''}use one of: {', '.join(choices)}",
        code="unknown-name",
    )
    return False


# -- roles, not names ---------------------------------------------------------------------

# Words that make an owner a role ("Head of Strategy", "Caldicott Guardian"), not a person.
_ROLE_WORDS = set(
    """
head lead leader director deputy assistant executive chief principal senior manager management officer officers
team teams board boards service services council corporation department unit hub panel forum network group
committee partnership partnerships coordinator co-ordinator adviser advisor commissioner commissioning chair
secretary clerk controller administrator practitioner worker workers social care health adult adults children
finance financial analyst analysts specialist consultant nurse therapist therapy occupational engineer planner
programme project data quality policy business insight legal hr workforce development learning practice
operations strategy strategic performance safeguarding caldicott guardian monitoring registrar auditor audit
governance information records intelligence contracts public housing mental approved amhp dols pmo supervisor
champion owner steward people resources commissioner mayor chamberlain solicitor treasurer lead's carers
""".split()
)
_TITLE = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr|cllr|councillor|prof|professor|sir|dame|lord|lady)\.?\s+\S", re.I)
_INITIAL = re.compile(r"^[A-Z]\.?(?:\s*[A-Z]\.)*\s+[A-Z][a-z'’-]+$")
_NAME_WORD = re.compile(r"^[A-Z][A-Za-z'’]*[a-z](?:-[A-Z][A-Za-z'’]*[a-z])*$")


def looks_like_a_name(text: str) -> bool:
    """Whether an owner reads as a person's name ("Jane Smith", "Mrs Patel", "J. Smith")
    rather than a role: names go stale when people move on, and the public version must
    not carry them."""
    text = " ".join(str(text).split())
    if _TITLE.match(text) or _INITIAL.match(text):
        return True
    words = text.replace(",", " ").split()
    return (
        2 <= len(words) <= 3
        and all(_NAME_WORD.match(w) for w in words)
        and not any(w.lower().strip("'’") in _ROLE_WORDS for w in words)
    )
