"""Small helpers shared by the loaders that validate YAML records field by field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from selfeval.problems import Problems, close_match
from selfeval.project.records import looks_like_a_name
from selfeval.project.records import unknown_choice as one_of  # noqa: F401 (the loaders import it from here)
from selfeval.project.sourcefile import Node


def check_fields(
    entry: Node, where: str, label: str, required: Iterable[str], optional: Iterable[str], problems: Problems
) -> bool:
    """Report missing required fields and unknown fields of one record; True when none is missing."""
    required, known = list(required), set(required) | set(optional)
    ok = True
    for key in required:
        value = entry.get(key)
        if value is None or value == "" or value == []:
            problems.add(where, entry.line, f"{label} has no {key}", f"add '{key}: ...' to it")
            ok = False
    for key in entry:
        if key not in known:
            hint = close_match(str(key), known)
            problems.add(
                where,
                entry.key_line(key),
                f"{label} has unknown field '{key}'",
                f"{hint} remove it or correct its name".strip()
                if hint
                else f"remove it; the fields are: {', '.join(sorted(known))}",
            )
    return ok


def as_date(entry: Node, key: str, where: str, label: str, problems: Problems) -> dt.date | None:
    """A YAML date field, or None (reported) when it is present but not a date."""
    value = entry.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    problems.add(
        where, entry.key_line(key), f"{label} has {key} '{value}', which is not a date", "write it as YYYY-MM-DD, e.g. 2025-03-31"
    )
    return None


def as_list(entry: Node, key: str, where: str, label: str, problems: Problems) -> list:
    """A field holding a list; a single string counts as a list of one."""
    value = entry.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return list(value)
    problems.add(where, entry.key_line(key), f"{label} has {key} that is not a list", f"write e.g. {key}: [first, second]")
    return []


def check_owner(entry: Node, where: str, label: str, problems: Problems, key: str = "owner") -> None:
    """Warn when an owner is written as a person's name."""
    value = entry.get(key)
    if isinstance(value, str) and looks_like_a_name(value):
        problems.warn(
            where,
            entry.key_line(key),
            f"{label} has {key} '{value}', which looks like a person's name",
            "write the role instead (e.g. 'Head of Adult Social Care'): owners are roles, never names",
        )
