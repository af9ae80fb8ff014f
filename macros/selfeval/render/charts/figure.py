"""What ``{{ chart("id") }}`` puts in a page: a figure with its picture, words and data.

The figure holds, in reading order: the title (``<figcaption>``), a one-sentence
summary, the SVG picture, notes (suppressed values, the chart's own note), the source,
and the data table in a ``<details>`` element. Picture, sentence and table come from
one :class:`~selfeval.render.charts.data.ChartData`, so they cannot disagree.

The picture is there twice, drawn wide and narrow from the same numbers with the same
name; the stylesheet shows the narrow one on small screens and the wide one otherwise
(and the other is ``display: none``, so a screen reader meets one picture). Printing
keeps only the wide one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from selfeval.disclosure import datatext
from selfeval.render import formatting as fmt
from selfeval.render import downloads
from selfeval.render.charts.svg import SvgRenderer, accessible_svg
from selfeval.render.charts.data import ChartData, ChartDef, chart_data, summary, suppression_note
from selfeval.render.figures import FigureError
from selfeval.project.model import Project
from selfeval.problems import close_match
from selfeval.disclosure.suppression import DEFAULT_THRESHOLD, SYMBOL


def unknown_chart(chart_id: str, charts: dict) -> FigureError:
    """The problem with a chart id that ``data/charts.yaml`` does not define."""
    hint = close_match(chart_id, [*charts, *getattr(charts, "broken", ())])
    return FigureError(f"unknown chart '{chart_id}'", hint or "define it in data/charts.yaml")


def picture_name(chart: ChartDef) -> str:
    """The picture's accessible name: what kind of chart it is and where its numbers are."""
    kind = "Bar chart" if chart.kind in ("benchmark", "composition") or chart.mark == "bar" else "Line chart"
    if chart.kind == "target":
        kind += " with its target"
    return f"{kind}; its figures are in the table below it"


@dataclass
class ChartRenderer:
    """Renders charts for one version of the site (``internal`` or ``public``)."""

    project: Project
    charts: dict[str, ChartDef]
    version: str = "internal"
    figures_href: str = "figures/"
    threshold: int = DEFAULT_THRESHOLD
    svg_renderer: SvgRenderer = field(default_factory=SvgRenderer)

    def data(self, chart_id: str) -> ChartData:
        chart = self.charts.get(chart_id)
        if chart is None:
            raise unknown_chart(chart_id, self.charts)
        return chart_data(self.project, chart, self.version, self.threshold)

    def chart(self, chart_id: str) -> str:
        data = self.data(chart_id)
        chart = data.chart
        if not data.series:  # every measure in it is restricted
            return '<p class="chart-withheld">This chart is not included in this version.</p>'
        reasons = datatext.reasons_in(self.project.config)
        drawn = datatext.unmarked(data, reasons)  # the picture and its sentence are plain text
        sentence = summary(drawn)
        # The figure's caption names it and its sentence follows: the picture's own name
        # says only what kind of picture it is, so the title is announced once.
        name = picture_name(chart)
        svg = accessible_svg(self.svg_renderer.chart_svg(drawn), chart.id, name, "") + accessible_svg(
            self.svg_renderer.chart_svg(drawn, narrow=True), chart.id, name, "", narrow=True
        )
        notes = [n for n in (suppression_note(data), chart.note) if n]
        if data.withheld:
            notes.append("Some measures in this chart are not included in this version.")
        parts = [
            f'<figure class="chart" id="chart-{escape(chart.id)}">',
            f'<figcaption class="chart-title">{datatext.html(chart.title, reasons)}</figcaption>',
            f'<p class="chart-summary">{escape(sentence)}</p>',
            f'<div class="chart-picture">{svg}</div>',
            *(f'<p class="chart-note">{datatext.html(n, reasons)}</p>' for n in notes),
            self.source_line(data),
            '<details class="chart-data"><summary>Show the figures in this chart as a table</summary>',
            self.table(data),
            downloads.link_html(
                downloads.href(self.figures_href, downloads.chart_path(chart.id)),
                "Download these figures (CSV)",
                datatext.plain(chart.title, reasons),
            ),
            "</details>",
            "</figure>",
        ]
        return "".join(p for p in parts if p)

    def source_line(self, data: ChartData) -> str:
        titles = []
        for eid in data.sources:
            item = self.project.evidence.get(eid)
            # The public version names only evidence that may itself be published.
            if item and item.shown_in(self.version):
                titles.append(item.title)
        parts = []
        if titles:
            parts.append(f"Source: {'; '.join(titles)}")
        if data.as_of:
            parts.append(f"as of {fmt.date(data.as_of)}")
        if not parts:
            return ""
        text = ", ".join(parts)
        return f'<p class="chart-source">{escape(text[0].upper() + text[1:])}.</p>'

    def _heading(self, label: str, scope: str, data: ChartData) -> str:
        metric = data.links.get(label)
        text = datatext.html(label, datatext.reasons_in(self.project.config))
        if metric:
            text = f'<a href="{escape(self.figures_href)}#{escape(metric)}">{text}</a>'
        numeric = ' class="num"' if scope == "col" else ""
        return f'<th scope="{scope}"{numeric}>{text}</th>'

    def table(self, data: ChartData) -> str:
        """The chart's numbers as a table: a row per category, a column per series."""
        first = "Period" if data.chart.kind in ("trend", "target") else ""
        # A space between cells keeps them apart in search results.
        head = f'<th scope="col">{first}</th> ' + " ".join(self._heading(s, "col", data) for s in data.series)
        if data.target is not None:
            head += ' <th scope="col" class="num">Target</th>'
        body = []
        for category in data.categories:
            cells = [self._heading(category, "row", data)]
            for series in data.series:
                point = data.point(series, category)
                text = escape(point.text if point else "–")
                if point is not None and point.small and not point.hidden:
                    # The internal version marks what the public one hides, as figures do.
                    text = f'<span class="hidden-in-public" title="Shown as {SYMBOL} in the public version">{text}</span>'
                cells.append(f'<td class="num">{text}</td>')
            if data.target is not None:
                cells.append(f'<td class="num">{escape(fmt.with_unit(data.target, data.unit, data.scale))}</td>')
            body.append("<tr>" + " ".join(cells) + "</tr>")
        keys = []
        if any(p.hidden for p in data.points):
            keys.append(f"{SYMBOL} suppressed: fewer than {data.threshold} people")
        if any(p.value is None and not p.hidden for p in data.points) or len(data.points) < len(data.series) * len(
            data.categories
        ):
            keys.append("– no figure for this period or part")
        key = f'<p class="table-note">{escape("; ".join(keys))}.</p>' if keys else ""
        return (
            f'<div class="data-table"><table><caption>{datatext.html(data.chart.title, datatext.reasons_in(self.project.config))}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{' '.join(body)}</tbody></table>{key}</div>"
        )
