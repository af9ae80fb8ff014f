"""Numbers and dates as people type them into a CSV or a spreadsheet.

Performance teams write ``81%``, ``£5,000``, ``1,234`` and ``31/03/2025``, and Excel's CSV
output writes them that way too. Refusing them all made a ten-row file give dozens of
errors, so they are accepted wherever they agree with what the figure is:

- a ``%`` sign only on a percentage, a ``£`` sign only on money; each is refused, with the
  form to use, on anything else (``£5`` for a percentage is a mistake worth a line);
- commas only as thousands separators (``1,234`` and ``12,345.6``, never ``1,23``);
- dates as ``2025-03-31`` or day first, as in the UK: ``31/03/2025`` (or ``31/3/2025``).

Each parser returns the value or ``None`` with one sentence saying what is wrong and how
to write it, so the loaders can add it to their problems at the right place.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"^(?P<sign>[-−]?)(?P<pound>£?)(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<pc>%?)$")
_UK_DATE = re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{2,4})$")

# What a figure of each unit is called in a message.
_NAMES = {
    "percent": "a percentage",
    "gbp": "money in pounds",
    "people": "a count of people",
    "count": "a count",
    "days": "a number of days",
    "years": "a number of years",
    "rate": "a rate",
    "score": "a score",
}


def unit_name(unit: str) -> str:
    return _NAMES.get(unit, f"in {unit}")


def example(unit: str) -> str:
    """How a value of this unit may be written, for the fix half of a message."""
    return {"percent": "write it as 67.3 or 67.3%", "gbp": "write it as 5000, 5,000 or £5,000"}.get(
        unit, "write digits, with commas between thousands if you like, e.g. 1,234"
    )


def number(text, unit: str) -> tuple[Decimal | None, str]:
    """The number in ``text`` for a figure in ``unit``, or None and why not."""
    if isinstance(text, Decimal):
        return text, ""
    written = str(text if text is not None else "").strip().replace(" ", "").replace("\u00a0", "")
    match = _NUMBER.match(written)
    if not match:
        return None, "is not a number"
    if match["pc"] and unit != "percent":
        return None, f"has a % sign but the figure is {unit_name(unit)}"
    if match["pound"] and unit != "gbp":
        return None, f"has a £ sign but the figure is {unit_name(unit)}"
    try:
        value = Decimal(match["digits"].replace(",", "") + (match["frac"] or ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None, "is not a number"
    return (-value if match["sign"] else value), ""


def canonical(value: Decimal) -> str:
    """A number as the data files write it: digits, a point and a sign only."""
    return format(value, "f")


def date(text) -> tuple[dt.date | None, str]:
    """The date in ``text`` (ISO or day first), or None and why not."""
    if isinstance(text, dt.datetime):
        return text.date(), ""
    if isinstance(text, dt.date):
        return text, ""
    written = str(text if text is not None else "").strip()
    match = _UK_DATE.match(written)
    if match:
        if len(match["y"]) != 4:
            return None, "has a two-digit year"
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"])), ""
        except ValueError:
            return None, "is not a date (the day comes first: 31/03/2025 is 31 March)"
    try:
        return dt.date.fromisoformat(written), ""
    except ValueError:
        return None, "is not a date"


DATE_FIX = "write it as 31/03/2025 (day first) or 2025-03-31"
