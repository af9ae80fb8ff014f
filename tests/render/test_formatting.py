import datetime as dt
from decimal import Decimal

from selfeval.render import formatting as fmt


def test_counts_take_thousands_separators():
    assert fmt.with_unit(Decimal("8579"), "people") == "8,579"
    assert fmt.with_unit(Decimal("670000"), "count") == "670,000"
    assert fmt.with_unit(Decimal("12"), "count") == "12"


def test_money_in_full_pounds():
    assert fmt.with_unit(Decimal("6597000"), "gbp") == "£6,597,000"
    assert fmt.with_unit(Decimal("4040"), "gbp") == "£4,040"
    assert fmt.with_unit(Decimal("1225.5"), "gbp") == "£1,225.50"


def test_percentages_keep_the_precision_given():
    assert fmt.with_unit(Decimal("64"), "percent") == "64%"
    assert fmt.with_unit(Decimal("67.3"), "percent") == "67.3%"
    assert fmt.with_unit(Decimal("36.80"), "percent") == "36.80%"


def test_durations_and_rates():
    assert fmt.with_unit(Decimal("11"), "days") == "11 days"
    assert fmt.with_unit(Decimal("1"), "days") == "1 day"
    assert fmt.with_unit(Decimal("90.7"), "years") == "90.7 years"
    assert fmt.with_unit(Decimal("12.5"), "rate", 100000) == "12.5 per 100,000"
    assert fmt.with_unit(Decimal("7"), "score", 10) == "7 out of 10"


def test_dates_in_govuk_style():
    assert fmt.date(dt.date(2024, 12, 31)) == "31 December 2024"
    assert fmt.date(dt.date(2025, 2, 1)) == "1 February 2025"
