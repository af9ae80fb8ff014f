"""Excel (``.xlsx``) and OpenDocument (``.ods``) workbooks, read by their cells' values.

Performance teams keep their figures in workbooks, so ``data/observations/`` and
``data/tables/`` take them as they are, beside CSV files. A cell is read for what it holds,
not for how it looks: a date cell is a date whatever its display format, and a cell
formatted as a percentage (which stores 0.71 and shows 71%) is known to be one, so a
percentage metric reads it as 71. A formula is read by the value Excel last calculated.

Every value keeps its sheet and cell (``[Reviews] C4``), so a problem names the place a
person can click on. Two layouts of observations are understood (see the README):

- **long**: a header row naming ``metric``, ``period``, ``period_end``, ``value``, ``as_of``
  (and optionally ``area``, ``numerator``, ``denominator``, ``note``), one row per figure,
  exactly like the CSV files;
- **wide**: metrics down and periods across. Row 1 is ``metric``, optionally ``area``, then
  one period label per column; row 2 starts ``period_end`` and gives each period's end
  date; row 3 starts ``as_of`` and gives the date its figures were published or
  extracted; each row below is a metric id (and area) with one value per period. An
  empty cell is no figure.

A sheet whose name starts with an underscore is skipped, so notes can sit beside the data.
Restricted spans are not read from workbooks: the restricted-text checks read text files
line by line, so a span here would escape them, and it is refused instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval.project import entered
from selfeval.problems import Problems
from selfeval.project.sourcefile import relpath

SUFFIXES = (".xlsx", ".ods")
LONG_REQUIRED = ["metric", "period", "period_end", "value", "as_of"]
LONG_OPTIONAL = ["area", "numerator", "denominator", "note"]
_MARKER = re.compile(r"\.restricted|^\s*:::")
_MAX_EMPTY_COLUMNS = 50


@dataclass
class Cell:
    """One cell: what it holds (text, a number, a date or None) and where it is."""

    value: Any
    ref: str
    percent_decimals: int | None = None  # set when the cell is formatted as a percentage

    @property
    def text(self) -> str:
        value = self.value
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]  # rows[0] is the sheet's row 1


@dataclass
class SheetRow:
    """One figure read from a sheet, shaped like a CSV row, knowing the cell of each field."""

    where: str
    sheet: str
    line: int
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def values(self) -> dict[str, str]:
        return {k: c.text for k, c in self.cells.items()}

    def get(self, key: str, default: str = "") -> str:
        cell = self.cells.get(key)
        return cell.text if cell is not None and cell.text else default

    def place(self, key: str | None = None) -> tuple[str, int]:
        cell = self.cells.get(key) if key else None
        ref = cell.ref if cell is not None else f"row {self.line}"
        return f"{self.where} [{self.sheet}] {ref}", 0


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def is_workbook(path: Path) -> bool:
    """A workbook to read: not Excel's or LibreOffice's lock file for one open elsewhere."""
    name = Path(path).name
    return Path(path).suffix.lower() in SUFFIXES and not name.startswith(("~$", ".~lock"))


def read_workbook(path: Path, root: Path, problems: Problems) -> list[Sheet] | None:
    """The sheets of a workbook (those not starting with ``_``), or None when it cannot be read."""
    where = relpath(path, root)
    try:
        sheets = _read_ods(path) if Path(path).suffix.lower() == ".ods" else _read_xlsx(path)
    except Exception as exc:  # noqa: BLE001 - a damaged file: each reader raises its own kinds
        kind = "OpenDocument spreadsheet" if Path(path).suffix.lower() == ".ods" else "Excel workbook"
        problems.add(
            where,
            0,
            f"cannot be read as an {kind} ({type(exc).__name__}: {exc})",
            "open it in Excel or LibreOffice and save it again as .xlsx or .ods",
            code="file-unreadable",
        )
        return None
    kept = [s for s in sheets if not s.name.startswith("_")]
    for sheet in kept:
        for row in sheet.rows:
            for cell in row:
                if isinstance(cell.value, str) and _MARKER.search(cell.value):
                    problems.add(
                        f"{where} [{sheet.name}] {cell.ref}",
                        0,
                        "restricted text is not read from a workbook",
                        "move the restricted words into a chapter, or into a CSV file where they can be checked",
                        code="marker-unsupported",
                    )
                    cell.value = ""
    return kept


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl  # here: only projects with workbooks pay for loading it

    book = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        sheets = []
        for ws in book.worksheets:
            rows = []
            for r, row in enumerate(ws.iter_rows(), start=1):
                cells = []
                for c, cell in enumerate(row):
                    value = getattr(cell, "value", None)
                    fmt = str(getattr(cell, "number_format", "") or "")
                    percent = None
                    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
                        percent = _format_decimals(fmt)
                    cells.append(Cell(value, f"{column_letter(c)}{r}", percent))
                rows.append(_trim(cells))
            sheets.append(Sheet(ws.title, _trim_rows(rows)))
        return sheets
    finally:
        book.close()


def _format_decimals(number_format: str) -> int:
    """How many decimals a percentage format shows: ``0%`` none, ``0.0%`` one."""
    match = re.search(r"0\.(0+)%", number_format)
    return len(match.group(1)) if match else 0


def _read_ods(path: Path) -> list[Sheet]:
    from odf import teletype
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableRow

    doc = load(str(path))
    sheets = []
    for table in doc.spreadsheet.getElementsByType(Table):
        rows: list[list[Cell]] = []
        for row in table.getElementsByType(TableRow):
            repeat = int(row.attributes.get((TABLENS, "number-rows-repeated"), 1))
            cells = []
            for node in row.childNodes:
                if getattr(node, "qname", (None, ""))[1] not in ("table-cell", "covered-table-cell"):
                    continue
                times = int(node.attributes.get((TABLENS, "number-columns-repeated"), 1))
                value = _ods_value(node, OFFICENS, teletype)
                if value[0] is None and times > 1:
                    times = min(times, _MAX_EMPTY_COLUMNS)
                for _ in range(times):
                    cells.append(Cell(value[0], f"{column_letter(len(cells))}{len(rows) + 1}", value[1]))
            cells = _trim(cells)
            if not cells:
                # Blank rows are often repeated to the end of the sheet: count them, hold none.
                rows.extend([] for _ in range(min(repeat, 1_000)))
                continue
            for _ in range(repeat):
                n = len(rows) + 1
                rows.append([Cell(c.value, re.sub(r"\d+$", str(n), c.ref), c.percent_decimals) for c in cells])
        sheets.append(Sheet(str(table.getAttribute("name")), _trim_rows(rows)))
    return sheets


def _ods_value(node, officens: str, teletype):
    kind = node.attributes.get((officens, "value-type"))
    text = teletype.extractText(node).strip()
    if kind in ("float", "currency"):
        return _float(node.attributes.get((officens, "value"))), None
    if kind == "percentage":
        shown = re.search(r"\.(\d+)\s*%", text)
        return _float(node.attributes.get((officens, "value"))), len(shown.group(1)) if shown else 0
    if kind == "date":
        stamp = str(node.attributes.get((officens, "date-value"), ""))
        try:
            return dt.date.fromisoformat(stamp[:10]), None
        except ValueError:
            return text or None, None
    return (text or None), None


def _float(text):
    number = float(text)
    return int(number) if number.is_integer() else number


def _trim(cells: list[Cell]) -> list[Cell]:
    while cells and cells[-1].text == "":
        cells.pop()
    return cells


def _trim_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    while rows and not rows[-1]:
        rows.pop()
    return rows


# -- a cell's number or date, for the loaders --------------------------------------------------
def cell_number(cell: Cell, unit: str) -> tuple[Decimal | None, str]:
    """A cell's number for a figure in ``unit``, with a percentage-formatted cell scaled to
    per cent for a percentage and refused for anything else."""
    value = cell.value
    if isinstance(value, bool):
        return None, "is TRUE or FALSE, not a number"
    if isinstance(value, (int, float)):
        number = _decimal(value)
        if cell.percent_decimals is not None:
            if unit != "percent":
                return None, f"is formatted as a percentage but the figure is {entered.unit_name(unit)}"
            number = (number * 100).quantize(Decimal(1).scaleb(-cell.percent_decimals))
        elif isinstance(value, float) and value.is_integer():
            number = Decimal(int(value))
        return number, ""
    if isinstance(value, (dt.date, dt.datetime)):
        return None, "is a date, not a number"
    return entered.number(cell.text, unit)


def _decimal(value) -> Decimal:
    """A cell's number as written: a float's binary noise (72.50000000000001, left by a
    formula) is rounded off at nine decimals, beyond anything a figure is shown to."""
    if not isinstance(value, float):
        return Decimal(value)
    number = Decimal(repr(value))
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -9:
        number = Decimal(repr(round(value, 9)))
    return number


def rows_of(sheet: Sheet, where: str, problems: Problems) -> list[SheetRow] | None:
    """A sheet of observations in the long or the wide layout, as one row per figure."""
    if not sheet.rows:
        return []
    header = [c.text for c in sheet.rows[0]]
    lowered = [h.strip().lower() for h in header]
    first = [row[0].text.strip().lower() if row else "" for row in sheet.rows[1:3]]
    if "value" in lowered:
        return _long(sheet, where, lowered, problems)
    if lowered and lowered[0] == "metric" and first == ["period_end", "as_of"]:
        return _wide(sheet, where, lowered, problems)
    problems.add(
        f"{where} [{sheet.name}] A1",
        0,
        "this sheet is in neither layout of observations",
        "give it a header row with metric, area, period, period_end, value and as_of (one row per figure), "
        "or put metrics down and periods across with period_end and as_of in rows 2 and 3; "
        "start the sheet's name with _ to keep notes",
        code="csv-syntax",
    )
    return None


def _long(sheet: Sheet, where: str, header: list[str], problems: Problems) -> list[SheetRow] | None:
    missing = [c for c in LONG_REQUIRED if c not in header]
    if missing:
        problems.add(
            f"{where} [{sheet.name}] A1",
            0,
            f"missing column(s): {', '.join(missing)}",
            f"the header row must name: {', '.join(LONG_REQUIRED)} (and may name {', '.join(LONG_OPTIONAL)})",
            code="csv-syntax",
        )
        return None
    columns = {name: i for i, name in enumerate(header) if name in LONG_REQUIRED + LONG_OPTIONAL}
    out = []
    for number, row in enumerate(sheet.rows[1:], start=2):
        if not any(c.text for c in row):
            continue
        cells = {name: row[i] if i < len(row) else Cell(None, f"{column_letter(i)}{number}") for name, i in columns.items()}
        out.append(SheetRow(where, sheet.name, number, cells))
    return out


def _wide(sheet: Sheet, where: str, header: list[str], problems: Problems) -> list[SheetRow]:
    has_area = len(header) > 1 and header[1] == "area"
    start = 2 if has_area else 1
    head = sheet.rows[0]
    ends, as_of = sheet.rows[1], sheet.rows[2]
    periods = [i for i in range(start, len(head)) if head[i].text]
    out = []
    for number, row in enumerate(sheet.rows[3:], start=4):
        if not row or not any(c.text for c in row):
            continue
        for i in periods:
            if i >= len(row) or row[i].text == "":
                continue
            cells = {
                "metric": row[0],
                "period": head[i],
                "value": row[i],
                "period_end": ends[i] if i < len(ends) else Cell(None, f"{column_letter(i)}2"),
                "as_of": as_of[i] if i < len(as_of) else Cell(None, f"{column_letter(i)}3"),
            }
            if has_area and len(row) > 1:
                cells["area"] = row[1]
            out.append(SheetRow(where, sheet.name, number, cells))
    if not periods:
        problems.add(
            f"{where} [{sheet.name}] {column_letter(start)}1",
            0,
            "this wide sheet has no period labels",
            "write one period label per column in row 1, e.g. 2023/24",
            code="csv-syntax",
        )
    return out
