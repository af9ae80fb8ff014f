"""What a figure, a block of KPI tiles and a data table render as.

Every rendered figure links to its entry on the generated Figures page and carries its
provenance (period, as-of date, source) in the link's title, so the sentence stays
clean while a reader can always find where a number came from.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from . import formatting as fmt
from .model import Metric, Observation, Project
from .problems import close_match

SHOW = ("value", "period", "change")


class FigureError(Exception):
    """A figure that cannot be rendered; the message says what is wrong and how to fix it."""


def resolve(project: Project, metric_id: str, period: str | None = None) -> Observation:
    """The observation a citation refers to: the latest, or the named period."""
    if metric_id not in project.metrics:
        hint = project.unknown_metric(metric_id)
        raise FigureError(f"unknown metric '{metric_id}' — {hint or 'define it in data/metrics/'}".rstrip())
    if period is None:
        obs = project.latest(metric_id)
        if obs is None:
            raise FigureError(f"metric '{metric_id}' has no observations — add a row in data/observations/")
        return obs
    obs = project.at_period(metric_id, period)
    if obs is None:
        periods = project.periods(metric_id)
        hint = close_match(period, periods) if periods else "it has no observations"
        listed = f" (periods: {', '.join(periods)})" if periods and len(periods) <= 8 else ""
        raise FigureError(f"metric '{metric_id}' has no period '{period}'{listed} — {hint}".rstrip(" —"))
    return obs


def in_period(label: str) -> str:
    """``2023/24`` → ``in 2023/24``; ``at 31 December 2024`` and ``as reported May 2018`` stay as they are."""
    lowered = label.lower()
    if lowered.startswith(("at ", "as at ", "as reported ", "in ", "during ", "by ", "on ")):
        return label
    return f"in {label}"


def direction(new: Decimal, old: Decimal) -> str:
    return "up" if new > old else "down" if new < old else "same"


def judgement(metric: Metric, move: str) -> str:
    """'better', 'worse' or 'neutral' for a movement, given the metric's polarity."""
    if move == "same" or metric.polarity == "neutral":
        return "neutral"
    good = "up" if metric.polarity == "higher_is_better" else "down"
    return "better" if move == good else "worse"


def target_status(metric: Metric, value: Decimal) -> str | None:
    """'met' or 'not met' against the metric's target; None without one or when neutral."""
    if metric.target is None or metric.polarity == "neutral":
        return None
    met = value >= metric.target if metric.polarity == "higher_is_better" else value <= metric.target
    return "met" if met else "not met"


@dataclass
class Renderer:
    """Renders figures for one version of the site.

    ``figures_href`` is the URL of the Figures page relative to the page being rendered
    (the MkDocs adapter sets it per page).
    """

    project: Project
    version: str = "internal"
    figures_href: str = "figures/"

    # -- the parts every rendering shares ------------------------------------------
    def value_text(self, metric: Metric, obs: Observation) -> str:
        return fmt.with_unit(obs.value, metric.unit, metric.rate_per)

    def provenance(self, metric: Metric, obs: Observation) -> str:
        source = self.project.evidence.get(metric.source)
        parts = [f"{metric.label}: {obs.period}", f"as of {fmt.date(obs.as_of)}"]
        if source:
            parts.append(f"source: {source.title}")
        return "; ".join(parts)

    def link(self, metric: Metric, obs: Observation, text: str | None = None) -> str:
        text = text if text is not None else self.value_text(metric, obs)
        return (f'<a class="figure" href="{escape(self.figures_href)}#{metric.id}" '
                f'title="{escape(self.provenance(metric, obs))}">{escape(text)}</a>')

    def change_phrase(self, metric: Metric, obs: Observation) -> str:
        before = self.project.previous(obs)
        if before is None:
            raise FigureError(f"metric '{metric.id}' has no period before '{obs.period}' to compare with — "
                              "add the earlier observation or show the value alone")
        move = direction(obs.value, before.value)
        then = f"{self.value_text(metric, before)} {in_period(before.period)}"
        if move == "same":
            return f"unchanged from {then}"
        return f"{move} from {then}"

    # -- macros ---------------------------------------------------------------------
    def figure(self, metric_id: str, period: str | None = None, show: str = "value") -> str:
        if show not in SHOW:
            raise FigureError(f"figure() show='{show}' is not known — use one of: {', '.join(SHOW)}")
        obs = resolve(self.project, metric_id, period)
        metric = self.project.metrics[metric_id]
        link = self.link(metric, obs)
        if show == "period":
            return f"{link} ({escape(obs.period)})"
        if show == "change":
            return f"{link}, {escape(self.change_phrase(metric, obs))}"
        return link

    def change(self, metric_id: str, period: str | None = None) -> str:
        obs = resolve(self.project, metric_id, period)
        return escape(self.change_phrase(self.project.metrics[metric_id], obs))

    def kpi_tile(self, metric_id: str) -> str:
        obs = resolve(self.project, metric_id)
        metric = self.project.metrics[metric_id]
        lines = [f'<li class="kpi">',
                 f'<p class="kpi-label">{escape(metric.label)}</p>',
                 f'<p class="kpi-value">{self.link(metric, obs)}</p>',
                 f'<p class="kpi-period">{escape(obs.period)}</p>']
        before = self.project.previous(obs)
        if before is not None:
            move = direction(obs.value, before.value)
            verdict = judgement(metric, move)
            arrow = {"up": "▲", "down": "▼", "same": "▶"}[move]
            word = {"up": "Up", "down": "Down", "same": "Unchanged"}[move]
            note = {"better": " (better)", "worse": " (worse)", "neutral": ""}[verdict]
            lines.append(f'<p class="kpi-trend kpi-{verdict}"><span aria-hidden="true">{arrow}</span> '
                         f'{word} from {escape(self.value_text(metric, before))} {escape(in_period(before.period))}'
                         f'{note}</p>')
        status = target_status(metric, obs.value)
        if status:
            cls = "kpi-better" if status == "met" else "kpi-worse"
            lines.append(f'<p class="kpi-target {cls}">Target {escape(fmt.with_unit(metric.target, metric.unit, metric.rate_per))}: '
                         f'{status}</p>')
        lines.append("</li>")
        return "".join(lines)

    def kpi_tiles(self, ids) -> str:
        if isinstance(ids, str):
            ids = [ids]
        tiles = "".join(self.kpi_tile(mid) for mid in ids)
        return f'<ul class="kpi-tiles">{tiles}</ul>'

    def table_cell(self, text: str, unit: str) -> str:
        value = fmt.to_decimal(text.replace(",", "")) if text else None
        if value is None:
            return escape(text or "–")
        return escape(fmt.with_unit(value, unit))

    def data_table(self, table_id: str, caption: str | None = None) -> str:
        table = self.project.tables.get(table_id)
        if table is None:
            hint = close_match(table_id, self.project.tables)
            raise FigureError(f"unknown table '{table_id}' — {hint or 'add data/tables/' + table_id + '.csv'}")
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.header)
        body = []
        for cells, unit in zip(table.rows, table.row_units):
            row = [f'<th scope="row">{escape(cells[0])}</th>']
            row += [f'<td class="num">{self.table_cell(c, unit)}</td>' for c in cells[1:]]
            body.append("<tr>" + "".join(row) + "</tr>")
        source = self.project.evidence.get(table.source)
        foot = []
        if source:
            foot.append(f"Source: {escape(source.title)}")
        if table.as_of:
            foot.append(f"as of {fmt.date(table.as_of)}")
        note = f'<p class="table-note">{escape(table.note)}</p>' if table.note else ""
        return (f'<div class="data-table"><table><caption>{escape(caption or table.caption)}</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
                f'<p class="table-source">{"; ".join(foot)}</p>{note}</div>')

    @staticmethod
    def literal(text) -> str:
        return escape(str(text))
