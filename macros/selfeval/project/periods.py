"""What kind of period a figure covers, and which periods may be set side by side.

A whole year, part of a year (year to date, April to December) and a count on one day are
different things: "rose from 13 in 2023/24 to 25 in 2024/25 year to date" compares a year
with nine months. Chart summaries, change phrases and KPI tiles compare two periods only
when :func:`comparable` says they are alike, and otherwise say that they are not.
"""

from __future__ import annotations

import re

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
PART_YEAR = re.compile(r"to date|quarter|\bq[1-4]\b|months?\b|\b(" + "|".join(MONTH_NAMES) + r")\b.*\bto\b", re.I)


def period_kind(label: str) -> str:
    """'point' for a count on a day (at 31 December 2024), 'part' for part of a year
    (2024/25 year to date, April to December 2024), else 'year'."""
    lowered = label.lower().strip()
    if lowered.startswith(("at ", "as at ", "as reported ")):
        return "point"
    return "part" if PART_YEAR.search(lowered) else "year"


def comparable(a: str, b: str) -> bool:
    """Whether two periods can be set side by side: two full years, two counts on a day, or two
    parts of a year that cover the same months (their labels match once the years are dropped)."""
    kind = period_kind(a)
    if kind != period_kind(b):
        return False
    if kind != "part":
        return True

    def months(label: str) -> str:
        return re.sub(r"\d{4}(/\d{2})?", "", label.lower()).strip()

    return months(a) == months(b)


KIND_WORDS = {"year": "a whole year", "part": "part of a year", "point": "a count on one day"}


def kind_words(label: str) -> str:
    """'a whole year', 'part of a year' or 'a count on one day', for a period's label."""
    return KIND_WORDS[period_kind(label)]
