"""Metrics, their observations, and data tables, loaded from ``data/``.

Layout of ``data/``:

- ``metrics/*.yaml``      — metric definitions, a list under ``metrics:``
- ``observations/*.csv``  — one row per metric, area and period (tidy),
  or ``*.xlsx``/``*.ods`` workbooks in that layout or with periods across (see ``spreadsheet``)
- ``tables/<id>.csv``     — a table as shown (or ``<id>.xlsx``/``<id>.ods``), with
  ``tables/<id>.yaml`` for caption and source

Numbers and dates may be written as people type them (``81%``, ``£5,000``, ``31/03/2025``)
where they agree with the figure's unit; ``entered`` says what is accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from selfeval.project import entered
from selfeval.project import spreadsheet
from selfeval.project.config import Config, comparators_of, load_config
from selfeval.render.formatting import UNITS
from selfeval.project.periods import comparable
from selfeval.problems import Problems, close_match, names_in
from selfeval.register.evidence import Evidence, Register, check_register, load_register
from selfeval.project.records import ANY, BOOLEAN, DATE, INTEGER, NUMBER, TEXT, Field, Ids, ListOf, Record, Say, Values, read_file
from selfeval.project.sourcefile import read_csv, relpath

METRIC_ID = r"^[a-z][a-z0-9_]*$"
METRIC_NAMES = ("metric", "figure")  # how other problems name a metric
TABLE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
POLARITIES = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "neutral": "neither higher nor lower is better",
}
OBSERVATION_COLUMNS = ["metric", "area", "period", "period_end", "value", "numerator", "denominator", "as_of", "note"]


@dataclass
class Metric:
    id: str
    label: str
    definition: str
    unit: str
    polarity: str
    source: str
    target: Decimal | None = None
    rate_per: int | None = None
    stale_after_months: int | None = None
    disclosure: str = "public"
    reason: str = ""
    topic: str = ""
    path: str = ""
    line: int = 0
    links: dict = field(default_factory=dict)  # part_of, denominator, numerator, denominator_safe as written
    shown: bool = True  # False: kept in the data on purpose, cited nowhere and left off the Figures page


@dataclass
class Observation:
    metric: str
    area: str
    period: str
    period_end: dt.date
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    as_of: dt.date
    note: str = ""
    path: str = ""
    line: int = 0


@dataclass
class Table:
    id: str
    caption: str
    source: str
    unit: str
    header: list[str]
    rows: list[list[str]]
    row_units: list[str]
    as_of: dt.date | None = None
    note: str = ""
    path: str = ""
    meta_path: str = ""
    row_lines: list[int] = field(default_factory=list)
    total_row: str | None = None  # label of the row that sums the rows above it
    total_column: str | None = None  # header of the column that sums the columns before it
    percentages: list[dict] = field(default_factory=list)  # {row, numerator, denominator} labels
    meta: dict = field(default_factory=dict)  # the YAML as written, for the disclosure audit's links


def normalise_period(label: str) -> str:
    return " ".join(str(label).lower().replace("–", "-").split())


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


@dataclass
class Project:
    """Everything a build needs from ``data/`` and the register, with the problems found loading it."""

    root: Path
    config: Config | None
    metrics: dict[str, Metric]
    observations: list[Observation]
    tables: dict[str, Table]
    evidence: dict[str, Evidence]
    problems: Problems
    register: Register = field(default_factory=Register)

    # -- lookups -------------------------------------------------------------------
    def series(self, metric_id: str, area: str = "") -> list[Observation]:
        """Observations of one metric for one area, oldest first."""
        # Indexed once per list of observations: pages cite figures thousands of times.
        if (
            getattr(self, "_series_of", None) is None
            or self._series_for is not self.observations
            or self._series_len != len(self.observations)
        ):
            index: dict = {}
            for o in sorted(self.observations, key=lambda o: o.period_end):
                index.setdefault((o.metric, o.area), []).append(o)
            self._series_of, self._series_for, self._series_len = index, self.observations, len(self.observations)
        return list(self._series_of.get((metric_id, area), ()))

    def latest(self, metric_id: str) -> Observation | None:
        series = self.series(metric_id)
        return series[-1] if series else None

    def at_period(self, metric_id: str, period: str) -> Observation | None:
        wanted = normalise_period(period)
        for obs in self.series(metric_id):
            if normalise_period(obs.period) == wanted:
                return obs
        return None

    def previous(self, obs: Observation) -> Observation | None:
        """The observation to compare with: the one before, if it ended recently enough.

        A figure from years earlier is not a fair comparison ("up from 2 in 2017/18"), so
        only a period ending within ``compare_within_months`` counts; among those, the latest
        period of the same kind (see selfeval.project.periods) is preferred.
        """
        window = self.config.compare_within_months if self.config else 24

        def recent(o: Observation) -> bool:
            gap = (obs.period_end.year - o.period_end.year) * 12 + obs.period_end.month - o.period_end.month
            return gap <= window

        earlier = [o for o in self.series(obs.metric, obs.area) if o.period_end < obs.period_end and recent(o)]
        # Like for like first: nine months with the same nine months a year before, a year
        # with a year; failing that, the latest period (which the wording marks as unlike).
        alike = [o for o in earlier if comparable(o.period, obs.period)]
        return (alike or earlier or [None])[-1]

    def benchmarks(self, metric_id: str, period_end: dt.date | None = None) -> dict[str, Observation]:
        """Comparator observations (London, England…) for a period end, or the latest of each."""
        out = {}
        for obs in sorted(self.observations, key=lambda o: o.period_end):
            if obs.metric == metric_id and obs.area and (period_end is None or obs.period_end == period_end):
                out[obs.area] = obs
        return out

    def periods(self, metric_id: str) -> list[str]:
        return [o.period for o in self.series(metric_id)]

    def unknown_metric(self, metric_id: str) -> str:
        return close_match(metric_id, self.metrics)


# -- loading -------------------------------------------------------------------------
# Where a metric's or a table's figures come from: an item of the evidence register.
_SOURCE = Field(
    "source",
    required=True,
    refers="evidence",
    says={"refers": Say(fix="{hint} add it to evidence_register.yaml or correct the id")},
)
_WHOLE_MONTHS = Say("{label} has stale_after_months '{value}'", "write a whole number of months, e.g. 72")
METRIC = Record(
    "metric",
    (
        Field(
            "id",
            required=True,
            pattern=METRIC_ID,
            says={
                "pattern": Say(
                    fix="use lower-case letters, digits and underscores, starting with a letter, e.g. reviews_within_12m"
                )
            },
        ),
        Field("label", required=True),
        Field("definition", required=True),
        Field(
            "unit",
            required=True,
            choices=tuple(UNITS),
            says={"wrong": Say("{label} has unknown unit '{value}'", "{hint} units are: {choices}")},
        ),
        Field(
            "polarity",
            required=True,
            choices=tuple(POLARITIES),
            says={"wrong": Say("{label} has unknown polarity '{value}'", "{hint} use one of: {choices}")},
        ),
        _SOURCE,
        Field("target", NUMBER, says={"wrong": Say(fix="write the target as a plain number, e.g. 85")}),
        # A rate is "per" a population; a score is "out of" a maximum.
        Field("rate_per", INTEGER, minimum=1, example="100000"),
        Field("out_of", INTEGER, minimum=1, example="10"),
        Field("stale_after_months", INTEGER, minimum=1, example="72", says={"wrong": _WHOLE_MONTHS}),
        Field(
            "disclosure",
            default="public",
            choices=("public", "restricted"),
            fallback="restricted",  # fail closed
            blank="wrong",  # 'disclosure:' with nothing after it is a mistake, not 'public'
            says={"wrong": Say("{label} has disclosure '{value}'", "write 'disclosure: public' or 'disclosure: restricted'")},
        ),
        Field("reason", default=""),
        Field("notes", ANY),
        Field(
            "shown",
            BOOLEAN,
            default=True,
            says={
                "wrong": Say(
                    "{label} has shown '{value}'",
                    "write 'shown: false' to keep it in the data without citing it, or leave the line out",
                )
            },
        ),
        # How it is linked to other metrics, for the disclosure audit (selfeval.disclosure.audit).
        Field("part_of", ListOf(TEXT)),
        Field("denominator", ListOf(TEXT)),
        Field("numerator", ListOf(TEXT)),
        Field("denominator_safe", TEXT, blank="wrong", example="why the denominator can never reveal a small number"),
    ),
    key="id",
    lost_as=METRIC_NAMES,
    drop="required",
    says={
        "duplicate": Say(
            "{label} {key} '{value}' is defined twice (also {first_place})", "rename one of them or delete the duplicate"
        ),
        "not_mapping": Say("a metric is not a mapping", "write each metric as '- id: ...' with its fields indented below"),
    },
)
_NO_METRICS = Say("expected a list under 'metrics:'", "start the file with 'metrics:' and list one metric per '- id: ...'")
METRICS_FILE = Record(
    "metrics file",
    (Field("title"), Field("metrics", ListOf(METRIC), required=True, blank="kept", says={"*": _NO_METRICS})),
    label="the metrics file",
    file="data/metrics/",
    says={"not_mapping": _NO_METRICS, "misspelt": Say(_NO_METRICS.what, "write 'metrics:' (not '{key}:')")},
)
LINKS = ("part_of", "denominator", "numerator", "denominator_safe")


def _load_metrics(root: Path, evidence: dict, problems: Problems) -> dict[str, Metric]:
    metrics: dict[str, Metric] = {}
    folder = Path(root) / "data" / "metrics"
    ids = Ids()  # a metric id is unique across the files
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        where, data, values = read_file(path, root, METRICS_FILE, problems, ids=ids, known={"evidence": evidence})
        if values is None or not isinstance(data.get("metrics"), list):
            problems.lost(METRIC_NAMES, names_in(path, root))
            continue
        topic = values["title"] or path.stem.replace("_", " ").capitalize()
        for entry in values["metrics"]:
            metrics[entry["id"]] = _metric(entry, where, topic, problems)
    return metrics


def _metric(values: Values, where: str, topic: str, problems: Problems) -> Metric:
    """A metric whose required fields are right; a rate or score says what it is per or out of."""
    unit, node = values["unit"], values.node
    scale_key = "out_of" if unit == "score" else "rate_per"
    if unit in ("rate", "score") and values[scale_key] is None and scale_key not in values.errors:
        example = "out_of: 10" if unit == "score" else "rate_per: 100000"
        problems.add(
            where,
            node.key_line(scale_key),
            f"{values.label} is a {unit} but has no {scale_key}",
            f"add e.g. '{example}'",
            code="field-missing",
        )
    return Metric(
        id=values["id"],
        shown=values["shown"],
        label=values["label"],
        definition=values["definition"],
        unit=unit,
        polarity=values["polarity"],
        source=values["source"],
        target=values["target"],
        rate_per=values[scale_key],
        stale_after_months=values["stale_after_months"],
        disclosure=values["disclosure"],
        reason=values["reason"],
        topic=topic,
        path=where,
        line=values.line,
        links={k: node[k] for k in LINKS if k in node} | {"_lines": {k: node.key_line(k) for k in node}},
    )


def _observation_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix.lower() == ".csv" or spreadsheet.is_workbook(p))


def _observation_rows(path: Path, root: Path, problems: Problems) -> list:
    """The rows of one file of observations: a CSV's lines, or every sheet of a workbook."""
    if path.suffix.lower() == ".csv":
        header, rows = read_csv(path, root, problems, required=OBSERVATION_COLUMNS[:8], lost_as=METRIC_NAMES)
        if header is None:
            # One line for the file; what it leaves undefined is summed up, not listed.
            problems.lost(METRIC_NAMES, names_in(path, root))
        return rows
    sheets = spreadsheet.read_workbook(path, root, problems) or []
    rows = []
    for sheet in sheets:
        rows += spreadsheet.rows_of(sheet, relpath(path, root), problems) or []
    return rows


def _at(row, where: str, column: str | None = None) -> tuple[str, int]:
    """Where a field of a row is: a CSV's line, or a sheet's cell."""
    return row.place(column) if hasattr(row, "place") else (where, row.line)


def _load_observations(root: Path, metrics: dict, comparators: list[str], problems: Problems) -> list[Observation]:
    observations: list[Observation] = []
    seen: dict[tuple, str] = {}
    places: dict[int, tuple[str, int]] = {}
    folder = Path(root) / "data" / "observations"
    for path in _observation_files(folder):
        where = relpath(path, root)
        for row in _observation_rows(path, root, problems):
            before = len(problems)
            obs = _observation(row, where, metrics, comparators, problems)
            if obs is None:
                if len(problems) > before and row.get("metric") in metrics:
                    problems.lost(METRIC_NAMES, [row.get("metric")])
                continue
            key = (obs.metric, obs.area, normalise_period(obs.period))
            place = _at(row, where, "value")
            if key in seen:
                problems.add(
                    *place,
                    f"metric '{obs.metric}' has period '{obs.period}' twice (also {seen[key]})",
                    "keep one row per metric, area and period",
                    code="id-duplicate",
                )
                continue
            seen[key] = f"{place[0]}:{place[1]}" if place[1] else place[0]
            places[id(obs)] = place
            observations.append(obs)
    _warn_fractions(observations, metrics, places, problems)
    return observations


def _warn_fractions(observations: list[Observation], metrics: dict, places: dict, problems: Problems) -> None:
    """A percentage whose every value is at most 1 was almost surely written as a fraction."""
    by_metric: dict[str, list[Observation]] = {}
    for obs in observations:
        if metrics[obs.metric].unit == "percent":
            by_metric.setdefault(obs.metric, []).append(obs)
    for mid, found in by_metric.items():
        if all(o.value <= 1 for o in found) and any(o.value > 0 for o in found):
            first = found[0]
            shown = ", ".join(entered.canonical(o.value) for o in found[:3])
            problems.warn(
                *places[id(first)],
                f"every value of percentage '{mid}' is at most 1 ({shown}), so they look like fractions, not per cent",
                "write 71 or 71% for 71 per cent (in a workbook, format the cells as percentages)",
                code="number-invalid",
            )


def _number(row, key: str, unit: str) -> tuple[Decimal | None, str]:
    cell = getattr(row, "cells", {}).get(key)
    if cell is not None:
        return spreadsheet.cell_number(cell, unit)
    return entered.number(row.get(key), unit)


def _date(row, key: str) -> tuple[dt.date | None, str]:
    cell = getattr(row, "cells", {}).get(key)
    if cell is not None and isinstance(cell.value, (dt.date, dt.datetime)):
        return entered.date(cell.value)
    if cell is not None and isinstance(cell.value, (int, float)):
        return None, "is a number, not a date (format the cell as a date)"
    return entered.date(row.get(key))


def _observation(row, where: str, metrics: dict, comparators: list[str], problems: Problems) -> Observation | None:
    line = row.line
    mid = row.get("metric")
    if mid not in metrics:
        problems.add(
            *_at(row, where, "metric"),
            f"unknown metric '{mid}'",
            f"{close_match(mid, metrics)} define it in data/metrics/ or correct the id".strip(),
            code="unknown-name",
        )
        return None
    area = row.get("area")
    if area and area not in comparators:
        problems.add(
            *_at(row, where, "area"),
            f"unknown area '{area}'",
            f"leave area empty for this council, or use one of the comparators: {', '.join(comparators)}",
            code="unknown-name",
        )
        return None
    ok = True
    period = row.get("period")
    if not period:
        problems.add(
            *_at(row, where, "period"),
            f"metric '{mid}' has no period label",
            "write the period as councils do, e.g. 2023/24",
            code="field-missing",
        )
        ok = False
    period_end, why = _date(row, "period_end")
    if period_end is None:
        problems.add(
            *_at(row, where, "period_end"), f"period_end '{row.get('period_end')}' {why}", entered.DATE_FIX, code="date-invalid"
        )
        ok = False
    as_of, why = _date(row, "as_of")
    if as_of is None:
        problems.add(
            *_at(row, where, "as_of"),
            f"as_of '{row.get('as_of')}' {why}",
            f"give the date the figure was published: {entered.DATE_FIX}",
            code="date-invalid",
        )
        ok = False
    unit = metrics[mid].unit
    value, why = _number(row, "value", unit)
    if value is None:
        problems.add(
            *_at(row, where, "value"),
            f"value '{row.get('value')}' for '{mid}' {why}",
            entered.example(unit),
            code="number-invalid",
        )
        ok = False
    parts = {}
    for key in ("numerator", "denominator"):
        text = row.get(key)
        parts[key], why = _number(row, key, "people") if text else (None, "")
        if text and parts[key] is None:
            problems.add(
                *_at(row, where, key),
                f"{key} '{text}' {why}",
                "write a whole number (commas between thousands are fine) or leave it empty",
                code="number-invalid",
            )
            ok = False
    if not ok:
        return None
    place = _at(row, where, "value")
    if unit == "percent" and not (0 <= value <= 100):
        problems.add(
            *place,
            f"percentage {value} for '{mid}' is outside 0 to 100",
            "write percentages as 67.3, not 0.673",
            code="number-invalid",
        )
    if unit in ("people", "count") and value != value.to_integral_value():
        problems.add(
            *place, f"count {value} for '{mid}' is not a whole number", "counts must be whole numbers", code="number-invalid"
        )
    if parts["denominator"] is not None and parts["denominator"] <= 0:
        problems.add(
            *_at(row, where, "denominator"),
            f"denominator {parts['denominator']} must be above zero",
            "correct it or leave it empty",
            code="number-invalid",
        )
    return Observation(
        metric=mid,
        area=area,
        period=period,
        period_end=period_end,
        value=value,
        numerator=parts["numerator"],
        denominator=parts["denominator"],
        as_of=as_of,
        note=row.get("note"),
        path=where,
        line=line,
    )


def _table_files(folder: Path, problems: Problems, root: Path) -> list[Path]:
    """One file per table: a CSV or a workbook, never both under one name."""
    files: dict[str, Path] = {}
    for path in sorted(p for p in folder.glob("*") if p.suffix.lower() == ".csv" or spreadsheet.is_workbook(p)):
        if path.stem in files:
            problems.add(
                relpath(path, root),
                0,
                f"table '{path.stem}' is also in {files[path.stem].name}",
                "keep one file per table and delete the other",
                code="id-duplicate",
            )
            continue
        files[path.stem] = path
    return sorted(files.values())


def _table_rows(path: Path, root: Path, problems: Problems):
    """(header, rows) of a table file; a workbook's table is its one sheet not starting with _."""
    where = relpath(path, root)
    if path.suffix.lower() == ".csv":
        return read_csv(path, root, problems)
    sheets = spreadsheet.read_workbook(path, root, problems)
    if sheets is None:
        return None, []
    if len(sheets) != 1:
        names = ", ".join(s.name for s in sheets) or "none"
        problems.add(
            where,
            0,
            f"a table's workbook must hold one sheet of data (it holds: {names})",
            "keep the table on one sheet and start the other sheets' names with _",
            code="csv-syntax",
        )
        return None, []
    sheet = sheets[0]
    if not sheet.rows:
        problems.add(f"{where} [{sheet.name}] A1", 0, "the sheet is empty", "add a header row", code="file-empty")
        return None, []
    header = [c.text for c in sheet.rows[0]]
    for i, name in enumerate(header):
        if name in header[:i]:
            problems.add(
                f"{where} [{sheet.name}] {sheet.rows[0][i].ref}",
                0,
                f"column '{name}' appears twice",
                "give each column a distinct name",
                code="duplicate-key",
            )
    rows = []
    for number, row in enumerate(sheet.rows[1:], start=2):
        if any(c.text for c in row):
            cells = {
                h: row[i] if i < len(row) else spreadsheet.Cell(None, f"{spreadsheet.column_letter(i)}{number}")
                for i, h in enumerate(header)
            }
            rows.append(spreadsheet.SheetRow(where, sheet.name, number, cells))
    return header, rows


def _table_cell(row, where: str, column: str, unit: str, problems: Problems) -> str:
    """A table cell as shown, with a number written as digits (``81%`` for a percentage is 81)."""
    text = row.get(column)
    if not text or text in ("[c]", "-", ".."):
        return text
    value, why = _number(row, column, unit)
    if value is None:
        problems.add(
            *_at(row, where, column),
            f"cell '{text}' in column '{column}' {why}",
            f"{entered.example(unit)}; leave it empty or use '-' where there is no value",
            code="number-invalid",
        )
        return text
    return entered.canonical(value)


_PERCENTAGE_ROW = "write '- {{row: Share met, numerator: Met, denominator: Asked}}' using the tables' row labels"
TOTALS = Record(
    "totals",
    (Field("row"), Field("column")),
    label="totals",
    says={"unknown": Say("totals has unknown key '{key}'", "use 'row' and 'column'")},
)
PERCENTAGE = Record(
    "percentage row",
    (Field("row", required=True), Field("numerator", ListOf(TEXT), required=True), Field("denominator", required=True)),
    label="a percentage row",
    says=dict.fromkeys(("missing", "not_mapping"), Say("a percentage row needs row, numerator and denominator", _PERCENTAGE_ROW)),
)
TABLE_META = Record(
    "table",
    (
        Field("caption", required=True),
        _SOURCE,
        Field("unit", required=True, choices=tuple(UNITS), says={"wrong": Say("{label} has unknown unit '{value}'")}),
        Field("as_of", DATE),
        Field("note", default=""),
        Field(
            "totals",
            TOTALS,
            says={"wrong": Say("totals must be a mapping", "write e.g. 'totals: {{row: Total, column: Total}}'")},
        ),
        Field(
            "percentages",
            ListOf(PERCENTAGE),
            says={
                "type": Say(
                    "percentages must be a list",
                    "write '- {{row: Share met, numerator: Met, denominator: Asked}}' per percentage row",
                )
            },
        ),
        # How the table is linked to metrics and what its percentages are of: checked by the
        # disclosure audit against the table's rows and the metrics (selfeval.disclosure.audit).
        Field("metrics", ANY),
        Field("periods", ANY),
        Field("denominator", ANY),
        Field("denominator_safe", TEXT, blank="wrong", example="why the denominator can never reveal a small number"),
        Field("exclusive", BOOLEAN, default=False),
    ),
    label="table '{table}'",
    file="data/tables/",
    says={
        "missing": Say(fix="add '{key}: ...'"),
        "not_mapping": Say("expected caption, source and unit as 'key: value' lines", "rewrite it as a mapping"),
    },
)


def _load_tables(root: Path, evidence: dict, problems: Problems) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    folder = Path(root) / "data" / "tables"
    for path in _table_files(folder, problems, root):
        where = relpath(path, root)
        tid = path.stem
        meta_path = path.with_suffix(".yaml")
        meta_where = relpath(meta_path, root)
        if not TABLE_ID.match(tid):
            problems.add(
                where,
                0,
                f"table file name '{path.name}' is not a valid id",
                "name it with lower-case letters, digits and underscores, e.g. msp.csv",
                code="field-value",
            )
            continue
        if not meta_path.exists():
            problems.add(
                where,
                1,
                f"table '{tid}' has no {meta_path.name} beside it",
                f"create {meta_where} with caption, source and unit",
                code="file-missing",
            )
            problems.lost(["table"], [tid])
            continue
        _, meta, values = read_file(meta_path, root, TABLE_META, problems, known={"evidence": evidence}, table=tid)
        if values is None:
            problems.lost(["table"], [tid])
            continue
        header, rows = _table_rows(path, root, problems)
        if header is None:
            problems.lost(["table"], [tid])
            continue
        unit = values["unit"]
        has_units = "unit" in header
        shown = [h for h in header if h != "unit"]
        body, row_units, lines = [], [], []
        for row in rows:
            row_unit = row.get("unit") if has_units else ""
            row_unit = row_unit or unit or "count"
            if row_unit not in UNITS:
                problems.add(
                    *_at(row, where, "unit"), f"unknown unit '{row_unit}'", f"use one of: {', '.join(UNITS)}", code="field-value"
                )
            cells = [row.get(shown[0])] + [_table_cell(row, where, h, row_unit, problems) for h in shown[1:]] if shown else []
            body.append(cells)
            row_units.append(row_unit)
            lines.append(row.line)
        totals, percentages = _table_structure(values, meta_where, shown, body, problems)
        tables[tid] = Table(
            id=tid,
            caption=values["caption"] or tid,
            source=values["source"] or "",
            unit=unit or "count",
            header=shown,
            rows=body,
            row_units=row_units,
            as_of=values["as_of"],
            note=values["note"],
            path=where,
            meta_path=meta_where,
            row_lines=lines,
            total_row=totals.get("row"),
            total_column=totals.get("column"),
            percentages=percentages,
            meta=meta,
        )
    return tables


def _table_structure(values: Values, where: str, header: list[str], body: list[list[str]], problems: Problems):
    """The table's declared totals and percentage rows, which small-number suppression needs.

    ``totals: {row: Total, column: Total}`` names the row and the column that sum the others;
    ``percentages: [{row: ..., numerator: ..., denominator: ...}]`` names rows that are a share
    of other rows, so hiding a count also hides the percentage that would reveal it.
    """
    labels = [cells[0] for cells in body]
    totals, out = values["totals"], {}
    for key, choices in (("row", labels), ("column", header[1:])):
        name = totals[key]
        if name is None:
            continue
        if name not in choices:
            problems.add(
                where,
                totals.key_line(key),
                f"totals {key} '{name}' is not a {key} of the table",
                f"{close_match(name, choices)} {key}s are: {', '.join(choices)}".strip(),
                code="unknown-name",
            )
            continue
        out[key] = name
    percentages = []
    for entry in values["percentages"]:
        if entry.errors & {"row", "numerator", "denominator"}:
            continue
        # The numerator may be one row or a list of rows that together make it.
        named = {"row": [entry["row"]], "numerator": entry["numerator"], "denominator": [entry["denominator"]]}
        bad = [(k, v) for k, rows in named.items() for v in rows if v not in labels]
        for k, v in bad:
            problems.add(
                where,
                entry.line,
                f"percentage {k} '{v}' is not a row of the table",
                f"{close_match(v, labels)} rows are: {', '.join(labels)}".strip(),
                code="unknown-name",
            )
        if not bad:
            numerator = entry["numerator"] if isinstance(entry.node["numerator"], list) else entry["numerator"][0]
            percentages.append(
                {"row": entry["row"], "numerator": numerator, "denominator": entry["denominator"], "line": entry.line}
            )
    return out, percentages


def load_project(root: Path) -> Project:
    """Load and validate everything in ``data/`` and the register. Never raises on bad input."""
    root = Path(root)
    problems = Problems()
    config = load_config(root, problems)
    register = load_register(root, problems)
    evidence = register.evidence
    metrics = _load_metrics(root, evidence, problems)
    comparators = comparators_of(config)
    observations = _load_observations(root, metrics, comparators, problems)
    observed = {o.metric for o in observations if not o.area}
    for metric in metrics.values():
        if metric.id not in observed:
            problems.add(
                metric.path,
                metric.line,
                f"metric '{metric.id}' has no observations",
                "add at least one row for it in data/observations/",
                code="figure-missing",
            )
    tables = _load_tables(root, evidence, problems)
    check_register(register, metrics, config.reporting_date if config else None, problems)
    return Project(
        root=root,
        config=config,
        metrics=metrics,
        observations=observations,
        tables=tables,
        evidence=evidence,
        problems=problems,
        register=register,
    )
