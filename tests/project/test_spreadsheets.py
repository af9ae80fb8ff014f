"""Figures kept in Excel and OpenDocument workbooks, in the long and the wide layout.

Each workbook is built here with openpyxl (or odfpy) from the tiny project's CSV, which is
the oracle: the same figures in a workbook must load as the same values.
"""

import csv
import datetime as dt
import io
import re

import openpyxl
from selfeval.render.figures import Renderer
from selfeval.project.model import load_project

PERCENT = {"reviews_within_12m", "old_measure"}


def messages(project):
    return [str(p) for p in project.problems]


def figures(project):
    return sorted(
        (o.metric, o.area, o.period, o.period_end, o.value, o.numerator, o.denominator, o.as_of) for o in project.observations
    )


def csv_rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def day(iso):
    return dt.datetime.fromisoformat(iso)


def number(text):
    return float(text) if "." in text else int(text)


def long_workbook(tiny, path, percent_cells=True):
    """The tiny observations as one sheet, one row per figure, with date and percentage cells."""
    source = tiny / "data/observations/core.csv"
    rows = csv_rows(source)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Reviews"
    header = list(rows[0])
    sheet.append(header)
    for row in rows:
        values = [row[h] for h in header]
        for h in ("period_end", "as_of"):
            values[header.index(h)] = day(row[h])
        for h in ("value", "numerator", "denominator"):
            if row[h]:
                values[header.index(h)] = number(row[h])
        sheet.append(values)
        if percent_cells and row["metric"] in PERCENT:
            cell = sheet.cell(row=sheet.max_row, column=header.index("value") + 1)
            cell.value = number(row["value"]) / 100
            cell.number_format = "0.0%" if "." in row["value"] else "0%"
    notes = book.create_sheet("_Notes")
    notes.append(["Figures extracted from the case management system."])
    book.save(path)
    source.unlink()
    return path


def test_a_long_workbook_loads_the_same_figures_as_the_csv(tiny):
    expected = figures(load_project(tiny))
    long_workbook(tiny, tiny / "data/observations/performance.xlsx")
    project = load_project(tiny)
    assert messages(project) == []
    assert figures(project) == expected
    # 0.725 shown as 72.5% is 72.5 per cent, with its decimal place, as the CSV wrote it
    assert str(project.benchmarks("reviews_within_12m")["London"].value) == "72.5"
    assert "81%" in Renderer(project, figures_href="f/").figure("reviews_within_12m")


def test_a_wide_workbook_loads_the_same_figures_as_the_csv(tiny):
    rows = [r for r in csv_rows(tiny / "data/observations/core.csv") if r["metric"] == "reviews_within_12m"]
    expected = [f for f in figures(load_project(tiny)) if f[0] == "reviews_within_12m"]
    periods = sorted({(r["period_end"], r["period"], r["as_of"]) for r in rows if not r["area"]})
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Wide"
    sheet.append(["metric", "area"] + [p for _, p, _ in periods])
    sheet.append(["period_end", None] + [day(e) for e, _, _ in periods])
    sheet.append(["as_of", None] + [day(a) for _, _, a in periods])
    sheet.append(
        ["reviews_within_12m", None]
        + [number(r["value"]) for e, p, _ in periods for r in rows if r["period"] == p and not r["area"]]
    )
    book.save(tiny / "data/observations/wide.xlsx")
    kept = [r for r in csv_rows(tiny / "data/observations/core.csv") if r["metric"] != "reviews_within_12m" or r["area"]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(kept[0]))
    writer.writeheader()
    writer.writerows(kept)
    (tiny / "data/observations/core.csv").write_text(out.getvalue(), encoding="utf-8")
    project = load_project(tiny)
    assert messages(project) == []
    # The wide sheet has no numerators: those stay with the CSV's rows only.
    assert [f[:5] + f[7:] for f in figures(project) if f[0] == "reviews_within_12m"] == [f[:5] + f[7:] for f in expected]


def test_a_formulas_binary_noise_is_not_shown(tiny):
    path = long_workbook(tiny, tiny / "data/observations/performance.xlsx", percent_cells=False)
    book = openpyxl.load_workbook(path)
    sheet = book["Reviews"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "London")
    row[4].value = 72.49999999999999  # what =0.7249999999999999*100 leaves behind
    book.save(path)
    project = load_project(tiny)
    assert str(project.benchmarks("reviews_within_12m")["London"].value) == "72.5"


def test_a_wrong_cell_is_named_by_file_sheet_and_cell(tiny):
    path = long_workbook(tiny, tiny / "data/observations/performance.xlsx")
    book = openpyxl.load_workbook(path)
    book["Reviews"]["E4"] = "£5"
    book["Reviews"]["D5"] = "2025-13-01"
    book.save(path)
    msgs = messages(load_project(tiny))
    assert (
        "data/observations/performance.xlsx [Reviews] E4: value '£5' for 'reviews_within_12m' has a £ sign but the figure"
        " is a percentage — write it as 67.3 or 67.3% [number-invalid]" in msgs
    )
    assert (
        "data/observations/performance.xlsx [Reviews] D5: period_end '2025-13-01' is not a date"
        " — write it as 31/03/2025 (day first) or 2025-03-31 [date-invalid]" in msgs
    )


def test_a_percentage_cell_for_a_count_is_refused(tiny):
    path = long_workbook(tiny, tiny / "data/observations/performance.xlsx")
    book = openpyxl.load_workbook(path)
    cell = book["Reviews"]["E6"]  # residents, 8579
    assert book["Reviews"]["A6"].value == "residents"
    cell.value, cell.number_format = 0.5, "0%"
    book.save(path)
    assert any(
        m.startswith(
            "data/observations/performance.xlsx [Reviews] E6: value '0.5' for 'residents' is formatted as a"
            " percentage but the figure is a count of people"
        )
        for m in messages(load_project(tiny))
    )


def test_unformatted_fractions_in_a_workbook_are_a_warning(tiny):
    long_workbook(tiny, tiny / "data/observations/performance.xlsx", percent_cells=False)
    path = tiny / "data/observations/performance.xlsx"
    book = openpyxl.load_workbook(path)
    for row in book["Reviews"].iter_rows(min_row=2):
        if row[0].value == "reviews_within_12m":
            row[4].value = row[4].value / 100
    book.save(path)
    warnings = [str(p) for p in load_project(tiny).problems.warnings]
    assert len(warnings) == 1 and warnings[0].startswith(
        "data/observations/performance.xlsx [Reviews] E2: warning: every value of percentage 'reviews_within_12m' is at most 1"
    )


def test_a_sheet_in_neither_layout_and_a_damaged_file_are_one_line_each(tiny):
    long_workbook(tiny, tiny / "data/observations/performance.xlsx")
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.active.append(["Quarter", "Reviews"])
    book.save(tiny / "data/observations/other.xlsx")
    (tiny / "data/observations/broken.xlsx").write_text("not a workbook")
    (tiny / "data/observations/~$performance.xlsx").write_bytes(b"\0lock")  # Excel's lock file: ignored
    msgs = messages(load_project(tiny))
    assert [m for m in msgs if "other.xlsx" in m] == [
        (
            "data/observations/other.xlsx [Sheet1] A1: this sheet is in neither layout of observations — give it a header row"
            " with metric, area, period, period_end, value and as_of (one row per figure), or put metrics down and periods"
            " across with period_end and as_of in rows 2 and 3; start the sheet's name with _ to keep notes [csv-syntax]"
        )
    ]
    broken = [m for m in msgs if "broken.xlsx" in m]
    assert len(broken) == 1 and broken[0].startswith("data/observations/broken.xlsx: cannot be read as an Excel workbook")
    assert not any("~$" in m for m in msgs)


def test_restricted_text_in_a_workbook_is_refused(tiny):
    path = long_workbook(tiny, tiny / "data/observations/performance.xlsx")
    book = openpyxl.load_workbook(path)
    book["Reviews"]["I2"] = 'Includes [Example House]{.restricted reason="commercially-sensitive"}'
    book.save(path)
    msgs = messages(load_project(tiny))
    assert any(
        m.startswith("data/observations/performance.xlsx [Reviews] I2: restricted text is not read from a workbook") for m in msgs
    )


def test_a_table_from_a_workbook_shows_as_its_csv_does(tiny):
    before = Renderer(load_project(tiny), figures_href="f/").data_table("msp")
    rows = list(csv.reader(io.StringIO((tiny / "data/tables/msp.csv").read_text(encoding="utf-8"))))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "MSP"
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([row[0]] + [int(v) for v in row[1:-1]] + [row[-1]])
        if row[-1] == "percent":
            for cell in sheet[sheet.max_row][1:-1]:
                cell.value, cell.number_format = cell.value / 100, "0%"
    book.save(tiny / "data/tables/msp.xlsx")
    (tiny / "data/tables/msp.csv").unlink()
    project = load_project(tiny)
    assert messages(project) == []
    assert Renderer(project, figures_href="f/").data_table("msp") == before


def test_a_table_in_both_a_csv_and_a_workbook_is_refused(tiny):
    openpyxl.Workbook().save(tiny / "data/tables/msp.xlsx")
    assert (
        "data/tables/msp.xlsx: table 'msp' is also in msp.csv — keep one file per table and delete the other [id-duplicate]"
        in messages(load_project(tiny))
    )


def test_an_opendocument_spreadsheet_reads_dates_and_percentages(tiny):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    expected = figures(load_project(tiny))
    rows = csv_rows(tiny / "data/observations/core.csv")
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Figures")

    def add(cells):
        tr = TableRow()
        for kind, value, shown in cells:
            if kind == "string":
                cell = TableCell(valuetype="string")
            elif kind == "date":
                cell = TableCell(valuetype="date", datevalue=value)
            else:
                cell = TableCell(valuetype=kind, value=value)
            if shown:
                cell.addElement(P(text=shown))
            tr.addElement(cell)
        table.addElement(tr)

    header = list(rows[0])
    add([("string", h, h) for h in header])
    for row in rows:
        cells = []
        for h in header:
            text = row[h]
            if h in ("period_end", "as_of"):
                cells.append(("date", text, text))
            elif h == "value" and row["metric"] in PERCENT:
                cells.append(("percentage", str(float(text) / 100), f"{text}%"))
            elif h in ("value", "numerator", "denominator") and text:
                cells.append(("float", text, text))
            else:
                cells.append(("string", text, text))
        add(cells)
    doc.spreadsheet.addElement(table)
    doc.save(str(tiny / "data/observations/figures.ods"))
    (tiny / "data/observations/core.csv").unlink()
    project = load_project(tiny)
    assert messages(project) == []
    assert figures(project) == expected


def test_a_project_with_workbooks_builds_and_the_public_version_hides_small_cells(tiny):
    from selfeval.publish.build import main as build_main

    long_workbook(tiny, tiny / "data/observations/performance.xlsx")
    rows = list(csv.reader(io.StringIO((tiny / "data/tables/msp.csv").read_text(encoding="utf-8"))))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([row[0]] + [int(v) if v.isdigit() else v for v in row[1:]])
    book.save(tiny / "data/tables/msp.xlsx")
    (tiny / "data/tables/msp.csv").unlink()
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    figures_page = (out / "public/figures/index.html").read_text(encoding="utf-8")
    assert "81%" in figures_page
    public = (out / "public/safety/index.html").read_text(encoding="utf-8")
    internal = (out / "internal/safety/index.html").read_text(encoding="utf-8")
    # The outcomes fully achieved (4 and 3 people) are hidden in public, shown internally.
    row = r"<th scope=\"row\">Outcomes fully achieved</th>(.*?)</tr>"
    assert re.search(row, public).group(1).count("[c]") == 2
    assert re.findall(r">(\d+)</span>", re.search(row, internal).group(1)) == ["4", "3"]
