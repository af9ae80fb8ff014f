"""Small-number suppression: which figures the public version must not show.

The public version replaces a small count of people, and a percentage of a small group,
with the Government Statistical Service symbol ``[c]`` (confidential). The internal
version shows true values.
"""
from __future__ import annotations

from decimal import Decimal

SYMBOL = "[c]"
DEFAULT_THRESHOLD = 5


def is_small(value, unit: str, denominator=None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True when a figure must be suppressed in public.

    A count of people from 1 to ``threshold - 1`` is suppressed (0 is not: nobody can be
    identified from none). A percentage is suppressed when its denominator, a count of
    people, is from 1 to ``threshold - 1``.
    """
    if unit == "people" and value is not None:
        return 0 < Decimal(str(value)) < threshold
    if unit == "percent" and denominator is not None:
        return 0 < Decimal(str(denominator)) < threshold
    return False
