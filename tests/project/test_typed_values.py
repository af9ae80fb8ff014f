"""CSV files as people type them and Excel saves them: 81%, £5,000, 1,234, 31/03/2025.

The oracle for every accepted form is the tiny project's own digits-only CSV: the same
figures written the way a performance team writes them must load as the same values.
"""

import csv
import io
import re

import pytest
from conftest import shown_text, replace_in
from selfeval.render.figures import Renderer
from selfeval.project.model import load_project

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<what>.+?)(?: — (?P<fix>.+))?$")


def messages(project):
    return [str(p) for p in project.problems]


def figures(project):
    return sorted(
        (o.metric, o.area, o.period, o.period_end, o.value, o.numerator, o.denominator, o.as_of) for o in project.observations
    )


def rewrite(path, change):
    """Rewrite a CSV through ``change(row) -> row`` (a dict), quoting as Excel does."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(change(dict(r)) for r in rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def uk(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def as_typed(row):
    """The row as Excel shows it: £ and thousands on money, % on shares, UK dates."""
    units = {"reviews_within_12m": "percent", "old_measure": "percent", "asc_budget": "gbp"}
    unit = units.get(row["metric"], "count")
    value = row["value"]
    if unit == "percent":
        value += "%"
    elif unit == "gbp":
        value = f"£{int(value):,}"
    elif "." not in value:
        value = f"{int(value):,}"
    row.update(value=value, period_end=uk(row["period_end"]), as_of=uk(row["as_of"]))
    if row["denominator"]:
        row["denominator"] = f"{int(row['denominator']):,}"
    return row


def test_csv_typed_as_excel_shows_it_loads_the_same_figures_as_digits(tiny):
    expected = figures(load_project(tiny))
    path = tiny / "data/observations/core.csv"
    rewrite(path, as_typed)
    text = path.read_text(encoding="utf-8")
    assert "81%" in text and '"£6,597,000"' in text and '"8,579"' in text and "31/03/2024" in text
    project = load_project(tiny)
    assert messages(project) == []
    assert figures(project) == expected
    shown = Renderer(project, figures_href="f/")
    # As a reader sees them (the figure's provenance, folded away, is not part of it).
    assert shown_text(shown.figure("asc_budget")) == "£6,597,000"
    assert shown_text(shown.figure("reviews_within_12m")) == "81%"


def test_uk_dates_are_day_first(tiny):
    replace_in(tiny / "data/observations/core.csv", "2024-12-31,81,81,100,2025-02-01", "31/12/2024,81,81,100,01/02/2025")
    project = load_project(tiny)
    latest = project.latest("reviews_within_12m")
    assert (latest.as_of.day, latest.as_of.month) == (1, 2)
    assert "as of 1 February 2025" in Renderer(project, figures_href="f/").figure("reviews_within_12m")


@pytest.mark.parametrize(
    "written, what",
    [
        ("31/02/2025", "is not a date (the day comes first: 31/03/2025 is 31 March)"),
        ("01/02/25", "has a two-digit year"),
        ("March 2025", "is not a date"),
    ],
)
def test_a_date_that_is_not_one_is_refused_with_both_forms(tiny, written, what):
    replace_in(tiny / "data/observations/core.csv", "2023/24,2024-03-31,67", f"2023/24,{written},67")
    assert (
        f"data/observations/core.csv:3: period_end '{written}' {what} — write it as 31/03/2025 (day first) or 2025-03-31 [date-invalid]"
        in messages(load_project(tiny))
    )


@pytest.mark.parametrize(
    "old, new, what",
    [
        (
            "2022/23,2023-03-31,58,",
            "2022/23,2023-03-31,£5,",
            "value '£5' for 'reviews_within_12m' has a £ sign but the figure is a percentage",
        ),
        (
            "2021,2021-03-21,8579",
            '2021,2021-03-21,"8,579%"',
            "value '8,579%' for 'residents' has a % sign but the figure is a count of people",
        ),
        (
            "2025/26,2026-03-31,6597000",
            "2025/26,2026-03-31,6597000%",
            "value '6597000%' for 'asc_budget' has a % sign but the figure is money in pounds",
        ),
        (
            "2023/24,2024-03-31,14",
            "2023/24,2024-03-31,£14",
            "value '£14' for 'dols_days' has a £ sign but the figure is a number of days",
        ),
        ("2021,2021-03-21,8579", '2021,2021-03-21,"85,79"', "value '85,79' for 'residents' is not a number"),
        (
            "2022/23,2023-03-31,58,58",
            "2022/23,2023-03-31,58,58%",
            "numerator '58%' has a % sign but the figure is a count of people",
        ),
    ],
)
def test_a_sign_that_disagrees_with_the_unit_is_refused_at_its_line(tiny, old, new, what):
    replace_in(tiny / "data/observations/core.csv", old, new)
    found = [m for m in messages(load_project(tiny)) if what in m]
    assert len(found) == 1, messages(load_project(tiny))
    match = LINE.match(found[0])
    assert match["path"] == "data/observations/core.csv" and match["what"] == what and match["fix"]
    lines = (tiny / "data/observations/core.csv").read_text().split("\n")
    assert new in lines[int(match["line"]) - 1]


def test_table_cells_accept_the_same_forms_and_show_the_same(tiny):
    table = tiny / "data/tables/msp.csv"
    before = Renderer(load_project(tiny), figures_href="f/").data_table("msp")
    replace_in(table, "Fully or partly met,83,90,percent", 'Fully or partly met,83%,"90.0%",percent')
    replace_in(table, "Asked about outcomes,7,15,people", 'Asked about outcomes,"7",15,people')
    project = load_project(tiny)
    assert messages(project) == []
    after = Renderer(project, figures_href="f/").data_table("msp")
    assert after == before.replace(">90%<", ">90.0%<")


def test_table_cell_with_a_sign_that_disagrees_is_refused(tiny):
    replace_in(tiny / "data/tables/msp.csv", "Outcomes fully achieved,4,3,people", "Outcomes fully achieved,£4,3,people")
    assert (
        "data/tables/msp.csv:3: cell '£4' in column '2024/25 to date' has a £ sign but the figure is a count of people"
        " — write digits, with commas between thousands if you like, e.g. 1,234; leave it empty or use '-' where there is no value [number-invalid]"
    ) in messages(load_project(tiny))


def test_a_percentage_written_as_fractions_is_a_warning(tiny):
    path = tiny / "data/observations/core.csv"
    rewrite(path, lambda r: r | {"value": str(float(r["value"]) / 100)} if r["metric"] == "reviews_within_12m" else r)
    project = load_project(tiny)
    warnings = [str(p) for p in project.problems.warnings]
    assert warnings == [
        (
            "data/observations/core.csv:2: warning: every value of percentage 'reviews_within_12m' is at most 1"
            " (0.58, 0.67, 0.81), so they look like fractions, not per cent — write 71 or 71% for 71 per cent"
            " (in a workbook, format the cells as percentages) [number-invalid]"
        )
    ]
    assert not project.problems.errors


def test_one_small_percentage_among_others_is_no_warning(tiny):
    replace_in(tiny / "data/observations/core.csv", "2022/23,2023-03-31,58,", "2022/23,2023-03-31,0.5,")
    assert load_project(tiny).problems.warnings == []


# -- Windows-1252 files are refused with their line and the option that saves UTF-8 ---------
def test_a_windows_1252_csv_is_refused_at_its_line_with_the_excel_option(tiny):
    path = tiny / "data/observations/core.csv"
    text = path.read_text(encoding="utf-8").replace("2025-02-01,\n", "2025-02-01,Budget £6.6m\n", 1)
    path.write_bytes(text.encode("cp1252"))
    line = text.split("\n").index(next(x for x in text.split("\n") if "£6.6m" in x)) + 1
    found = [m for m in messages(load_project(tiny)) if m.startswith("data/observations/core.csv:")]
    assert found[0] == (
        f"data/observations/core.csv:{line}: not saved as UTF-8: byte 0xa3 ('£' in Windows-1252) on this line"
        ' — in Excel choose File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)",'
        " or save it with UTF-8 encoding in your editor [file-unreadable]"
    )
    assert len(found) == 1


def test_a_windows_1252_yaml_file_is_refused_at_its_line(tiny):
    path = tiny / "data/metrics/core.yaml"
    text = path.read_text(encoding="utf-8").replace("Net budget for adult social care.", "Net budget – in £.")
    path.write_bytes(text.encode("cp1252"))
    line = next(i for i, x in enumerate(text.split("\n"), start=1) if "Net budget" in x)
    msgs = messages(load_project(tiny))
    assert (
        f"data/metrics/core.yaml:{line}: not saved as UTF-8: byte 0x96 ('–' in Windows-1252) on this line"
        " — save it with UTF-8 encoding in your editor (in Notepad: Save As, Encoding: UTF-8) [file-unreadable]" in msgs
    )
    assert not any("Traceback" in m or "codec" in m for m in msgs)


def test_a_utf8_csv_with_excels_byte_order_mark_is_read(tiny):
    path = tiny / "data/observations/core.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert messages(load_project(tiny)) == []
