"""Small helpers shared by the loaders that validate YAML records field by field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from selfeval.problems import Problems, close_match
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


def one_of(value, choices: Iterable[str], where: str, line: int, what: str, problems: Problems) -> bool:
    """Report ``value`` when it is not one of ``choices`` (with a close match)."""
    choices = list(choices)
    if value in choices:
        return True
    hint = close_match(str(value), choices)
    problems.add(where, line, f"{what} '{value}' is not known", f"{hint + ' ' if hint else ''}use one of: {', '.join(choices)}")
    return False


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
