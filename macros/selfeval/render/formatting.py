"""GOV.UK style formats for numbers, money and dates.

Values arrive as :class:`~decimal.Decimal` so a percentage keeps the precision the data
gives (``67.3%`` stays ``67.3%``, ``64%`` stays ``64%``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

UNITS = {
    "percent": "a percentage",
    "people": "a count of people",
    "count": "a count",
    "gbp": "money in pounds",
    "days": "a number of days",
    "years": "a number of years",
    "rate": "a rate per population",
    "score": "a score out of a maximum",
}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def to_decimal(text) -> Decimal | None:
    """A number written in a data file (``67.3``, ``8579``, ``6597000``), or None."""
    if isinstance(text, Decimal):
        return text
    if isinstance(text, bool) or text is None:
        return None
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def decimals_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def number(value: Decimal | int | float, decimals: int | None = None) -> str:
    """``8579`` → ``8,579``; ``67.3`` → ``67.3``; negative numbers keep a hyphen-minus."""
    value = to_decimal(value)
    if decimals is None:
        decimals = decimals_of(value)
    return f"{value:,.{decimals}f}"


def money(value: Decimal, decimals: int | None = None) -> str:
    """Pounds in full, as the seeds' budget tables do: ``£6,597,000``, ``£1,225.50``."""
    value = to_decimal(value)
    if decimals is None:
        decimals = 2 if decimals_of(value) else 0
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.{decimals}f}"


def date(value: dt.date) -> str:
    """``2024-12-31`` → ``31 December 2024``."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def with_unit(value: Decimal, unit: str, rate_per: int | None = None) -> str:
    """A value written with its unit: ``64%``, ``8,579``, ``£6,597,000``, ``11 days``."""
    if unit == "percent":
        return f"{number(value)}%"
    if unit == "gbp":
        return money(value)
    if unit == "days":
        return f"{number(value)} {'day' if value == 1 else 'days'}"
    if unit == "years":
        return f"{number(value)} {'year' if value == 1 else 'years'}"
    if unit == "rate":
        return f"{number(value)} per {number(rate_per or 100000)}"
    if unit == "score":
        return f"{number(value)} out of {number(rate_per or 10)}"
    return number(value)
