"""Open data: the figures behind every page, as CSV files a reader can download.

Government guidance makes CSV the standard for statistics published alongside HTML, so each
version of the site carries, under ``open-data/``:

- ``figures.csv``: every figure the version shows, one row per metric, area and period;
- ``figures/<metric>.csv``: the same rows for one metric (linked from its Figures entry);
- ``tables/<table>.csv``: each data table as the pages show it;
- ``charts/<chart>.csv``: each chart's numbers, as its "figures as a table" section shows them;
- ``notes.csv``: what the symbols in the files mean, in the Government Statistical Service's
  way ([c] confidential, [x] not available);
- ``datapackage.json``: a Frictionless Data Package describing every file (title, source,
  period, as-of date, unit, licence and contact).

Every value comes from the same decisions the pages use (the audited suppression decision
and the data as this version may see it), so a file can never show what its page hides:
a suppressed value is ``[c]`` here as it is there, and a restricted metric has no rows in
the public version, as it has no entry on its Figures page, and a table or chart that only a
restricted passage shows is not published as data either. Counts behind a percentage
(numerator and denominator) are left out of the public files: no page shows them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from selfeval.disclosure import datatext
from selfeval.render.charts.data import ChartData, chart_data
from selfeval.render.downloads import (
    DIRECTORY,
    chart_path,
    figures_path,
    notes_path,
    package_path,
    table_path,
)
from selfeval.render.formatting import to_decimal
from selfeval.disclosure.suppression import SYMBOL, WITHHELD

NOT_AVAILABLE = "[x]"
LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
FIGURE_COLUMNS = ["metric", "label", "unit", "area", "period", "period_end", "value", "as_of", "source", "note"]
INTERNAL_COLUMNS = ["numerator", "denominator"]
NO_VALUE = ("", "-", "–", "..")


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _type(values: list[str]) -> str:
    """The Table Schema type of a column: number or date when every value present is one."""
    present = [v for v in values if v not in ("", SYMBOL, NOT_AVAILABLE)]
    if present and all(NUMBER.match(v) for v in present):
        return "number"
    if present and all(ISO_DATE.match(v) for v in present):
        return "date"
    return "string"


def _number(value: Decimal | None) -> str:
    if value is None:
        return NOT_AVAILABLE
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Files:
    """The open-data files of one version, built from its renderer's decisions."""

    def __init__(self, report, renderer):
        self.report = report
        self.project = report.project
        self.renderer = renderer
        self.disclosure = renderer.disclosure
        self.reasons = datatext.reasons_in(self.project.config)
        self.files: dict[str, str] = {}
        self.resources: list[dict] = []

    def text(self, value) -> str:
        return datatext.plain(str(value or ""), self.reasons)

    def source(self, evidence_id: str | None) -> str:
        if not evidence_id:
            return ""
        return self.text(self.renderer.source_title(evidence_id) or "")

    def add_file(self, path: str, rows: list[list[str]], resource: dict) -> None:
        self.files[path] = _csv(rows)
        header = rows[0]
        resource = {
            "name": re.sub(r"[^a-z0-9._-]+", "-", path[len(DIRECTORY) + 1 : -4].lower()),
            "path": path[len(DIRECTORY) + 1 :],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **{k: v for k, v in resource.items() if v not in (None, "", [])},
        }
        resource["schema"] = {
            "fields": [{"name": h or "category", "type": _type([r[i] for r in rows[1:]])} for i, h in enumerate(header)],
            "missingValues": ["", SYMBOL, NOT_AVAILABLE],
        }
        self.resources.append(resource)

    # -- figures -----------------------------------------------------------------
    def shown_metrics(self):
        """The metrics the version's Figures page lists: not restricted ones in public, and not
        ones kept in the data on purpose ('shown: false') unless a page cites them."""
        public, version = self.disclosure.public, self.renderer.version
        return [
            m
            for m in self.project.metrics.values()
            if not (public and m.disclosure == "restricted")
            and (getattr(m, "shown", True) or self.report.pages_citing(version, m.id))
        ]

    def figure_rows(self, metric) -> list[list[str]]:
        rows = []
        for obs in sorted((o for o in self.project.observations if o.metric == metric.id), key=lambda o: (o.area, o.period_end)):
            hidden = self.disclosure.placeholder(metric, obs)
            row = [
                metric.id,
                self.text(metric.label),
                metric.unit,
                self.text(obs.area),
                self.text(obs.period),
                obs.period_end.isoformat(),
                hidden or _number(obs.value),
                obs.as_of.isoformat(),
                self.source(metric.source),
                self.text(obs.note),
            ]
            if not self.disclosure.public:
                row += [
                    _number(obs.numerator) if obs.numerator is not None else "",
                    _number(obs.denominator) if obs.denominator is not None else "",
                ]
            rows.append(row)
        return rows

    def figures(self) -> None:
        header = FIGURE_COLUMNS + ([] if self.disclosure.public else INTERNAL_COLUMNS)
        everything = [header]
        for metric in self.shown_metrics():
            rows = self.figure_rows(metric)
            if not rows:
                continue
            everything += rows
            periods = [r[4] for r in rows]
            self.add_file(
                figures_path(metric.id),
                [header, *rows],
                {
                    "title": self.text(metric.label),
                    "description": self.text(metric.definition),
                    "unit": metric.unit,
                    "period": f"{periods[0]} to {periods[-1]}" if len(set(periods)) > 1 else periods[0],
                    "as_of": max(r[7] for r in rows),
                    "sources": [{"title": self.source(metric.source)}] if self.source(metric.source) else [],
                },
            )
        self.add_file(
            figures_path(),
            everything,
            {"title": "Every figure in this document", "description": "One row per metric, area and period."},
        )

    # -- tables --------------------------------------------------------------------
    def shown(self, kind: str, ids) -> list[str]:
        """Tables or charts this version shows: in public, only those its public text cites
        (one used only inside a restricted passage is not published as data either)."""
        if not self.disclosure.public:
            return list(ids)
        cited = self.report.citations(self.renderer.version)
        return [i for i in ids if f"{kind}:{i}" in cited]

    def tables(self) -> None:
        for table_id in self.shown("table", self.project.tables):
            table = self.project.tables[table_id]
            hidden = self.disclosure.table_cells(table) if self.disclosure.public else {}
            rows = [[self.text(h) for h in table.header]]
            for r, cells in enumerate(table.rows):
                row = [self.text(cells[0])]
                for i, cell in enumerate(cells[1:], start=1):
                    if (r, i) in hidden or cell.strip() == SYMBOL:
                        row.append(SYMBOL)
                    elif cell.strip() in NO_VALUE:
                        row.append(NOT_AVAILABLE)
                    else:
                        number = to_decimal(cell.strip().replace(",", ""))
                        row.append(_number(number) if number is not None else self.text(cell))
                rows.append(row)
            self.add_file(
                table_path(table.id),
                rows,
                {
                    "title": self.text(table.caption),
                    "unit": table.unit,
                    "as_of": table.as_of.isoformat() if table.as_of else "",
                    "sources": [{"title": self.source(table.source)}] if self.source(table.source) else [],
                },
            )

    # -- charts --------------------------------------------------------------------
    def charts(self) -> None:
        threshold = self.disclosure.threshold
        charts = self.report.charts or {}
        for chart_id in self.shown("chart", charts):
            chart = charts[chart_id]
            data = chart_data(self.project, chart, self.renderer.version, threshold)
            if not data.series:  # every measure in it is restricted: the page says so
                continue
            self.add_file(
                chart_path(chart.id),
                chart_rows(data, self.text),
                {
                    "title": self.text(chart.title),
                    "unit": data.unit,
                    "as_of": data.as_of.isoformat() if data.as_of else "",
                    "sources": [{"title": t} for t in (self.source(e) for e in data.sources) if t],
                },
            )

    # -- notes and the package -------------------------------------------------------
    def notes(self) -> None:
        threshold = self.disclosure.threshold
        rows = [
            ["symbol", "meaning"],
            [
                SYMBOL,
                (
                    f"Confidential: not shown, because it is a count of fewer than {threshold} people, "
                    "or because it would let such a count be worked out."
                ),
            ],
            [NOT_AVAILABLE, "Not available: no figure for this period or category."],
            [WITHHELD, "In the source column: the source is an internal document that is not published."],
        ]
        self.files[notes_path()] = _csv(rows)
        self.resources.insert(
            0,
            {
                "name": "notes",
                "path": "notes.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": "What the symbols in these files mean",
                "schema": {"fields": [{"name": "symbol", "type": "string"}, {"name": "meaning", "type": "string"}]},
            },
        )

    def package(self) -> None:
        config = self.project.config
        organisation = self.text(getattr(config, "organisation", ""))
        title = self.text(getattr(config, "title", "")) or "Self-evaluation"
        contact = getattr(config, "contact_email", "") or ""
        package = {
            "profile": "data-package",
            "name": re.sub(r"[^a-z0-9]+", "-", f"{organisation} {title}".lower()).strip("-") or "self-evaluation",
            "title": f"{organisation}: {title}" if organisation else title,
            "description": (
                "The figures, tables and charts of this document as CSV. Symbols are explained in "
                "notes.csv." + ("" if self.disclosure.public else " INTERNAL: this copy holds figures the public version hides.")
            ),
            "version": self.text(getattr(config, "document_version", "")),
            "licenses": [LICENCE],
            "contributors": [{"title": organisation, "role": "publisher", **({"email": contact} if contact else {})}],
            "resources": self.resources,
        }
        reporting = getattr(config, "reporting_date", None)
        if reporting:
            package["reporting_date"] = reporting.isoformat()
        self.files[package_path()] = json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def chart_rows(data: ChartData, text=str) -> list[list[str]]:
    """A chart's numbers as CSV rows: a row per category, a column per series (and target)."""
    first = "period" if data.chart.kind in ("trend", "target") else "category"
    header = [first, *(text(s) for s in data.series)] + (["target"] if data.target is not None else [])
    rows = [header]
    for category in data.categories:
        row = [text(category)]
        for series in data.series:
            point = data.point(series, category)
            if point is not None and point.hidden:
                row.append(SYMBOL)
            elif point is None or point.value is None:
                row.append(NOT_AVAILABLE)
            else:
                row.append(_number(point.value))
        if data.target is not None:
            row.append(_number(data.target))
        rows.append(row)
    return rows


def open_data_files(report, renderer) -> dict[str, str]:
    """Every open-data file of the version ``renderer`` draws, by site path."""
    files = _Files(report, renderer)
    files.figures()
    files.tables()
    files.charts()
    files.notes()
    files.package()
    return dict(sorted(files.files.items()))
