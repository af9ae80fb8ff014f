"""What a figure, a block of KPI tiles and a data table render as.

Every rendered figure is a small button that shows or hides its provenance (period,
as-of date, source) in the sentence, with a link to its entry on the generated Figures
page. The sentence stays clean, and a reader can always find where a number came from
by mouse, touch, keyboard or screen reader: a ``title`` tooltip reaches only a mouse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from selfeval.disclosure import datatext
from selfeval.render import formatting as fmt
from selfeval.render import downloads
from selfeval.project.model import Metric, Observation, Project
from selfeval.project.periods import comparable, kind_words
from selfeval.problems import close_match
from selfeval.disclosure.suppression import DEFAULT_THRESHOLD, SUPPRESSED_CLASS, SYMBOL, WITHHELD, WITHHELD_CLASS, Disclosure

SHOW = ("value", "period", "change")
NUMERIC = ' class="num"'  # a header over a column of numbers is aligned with them


class FigureError(Exception):
    """A figure that cannot be rendered: what is wrong, how to fix it, and the kind of
    problem it is (a code of :data:`selfeval.problems.CODES`), kept apart so that whoever
    reports it (the check, or the build's macros) needs to take no message apart."""

    def __init__(self, what: str, fix: str = "", code: str = "unknown-name"):
        super().__init__(f"{what} — {fix}" if fix else what)
        self.what, self.fix, self.code = what, fix, code


def resolve(project: Project, metric_id: str, period: str | None = None) -> Observation:
    """The observation a citation refers to: the latest, or the named period."""
    if metric_id not in project.metrics:
        hint = project.unknown_metric(metric_id)
        raise FigureError(f"unknown metric '{metric_id}'", hint or "define it in data/metrics/")
    if period is None:
        obs = project.latest(metric_id)
        if obs is None:
            raise FigureError(f"metric '{metric_id}' has no observations", "add a row in data/observations/", "figure-missing")
        return obs
    obs = project.at_period(metric_id, period)
    if obs is None:
        periods = project.periods(metric_id)
        hint = close_match(period, periods) if periods else "it has no observations"
        listed = f" (periods: {', '.join(periods)})" if periods and len(periods) <= 8 else ""
        raise FigureError(f"metric '{metric_id}' has no period '{period}'{listed}", hint, "figure-missing")
    return obs


def previous_of(project: Project, obs: Observation) -> Observation:
    """The observation to compare ``obs`` with, or a FigureError saying how to get one."""
    before = project.previous(obs)
    if before is None:
        raise FigureError(
            f"metric '{obs.metric}' has no period before '{obs.period}' to compare with",
            "add the earlier observation (within compare_within_months) or show the value alone",
            "figure-missing",
        )
    return before


def in_period(label: str) -> str:
    """``2023/24`` → ``in 2023/24``; ``at 31 December 2024`` and ``as reported April 2018``
    stay as they are."""
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


def marked(text: str) -> str:
    """Escaped text with each [c] or [withheld] in it marked up, so the page gets its footnote."""
    html = escape(text)
    for placeholder, cls in ((SYMBOL, SUPPRESSED_CLASS), (WITHHELD, WITHHELD_CLASS)):
        html = html.replace(placeholder, f'<span class="{cls}">{placeholder}</span>')
    return html


@dataclass
class Renderer:
    """Renders figures for one version of the site.

    ``figures_href`` is the URL of the Figures page relative to the page being rendered
    (the MkDocs adapter sets it per page). What the public version may show is decided by
    :class:`~selfeval.disclosure.suppression.Disclosure`; the renderer only asks it.
    """

    project: Project
    version: str = "internal"
    figures_href: str = "figures/"
    disclosure: Disclosure = field(init=False)

    def __post_init__(self):
        config = self.project.config
        from selfeval.disclosure.audit import decide

        self.disclosure = Disclosure(
            self.version, config.suppression_threshold if config else DEFAULT_THRESHOLD, decide(self.project)
        )

    # -- the parts every rendering shares ------------------------------------------
    def text_html(self, text) -> str:
        """Data text as HTML: escaped, restricted spans highlighted (see selfeval.disclosure.datatext)."""
        return datatext.html(text, datatext.reasons_in(self.project.config))

    def text_plain(self, text) -> str:
        """Data text for an attribute: no marker syntax (escape it where it is placed)."""
        return datatext.plain(text, datatext.reasons_in(self.project.config))

    def value_text(self, metric: Metric, obs: Observation) -> str:
        return fmt.with_unit(obs.value, metric.unit, metric.rate_per)

    def shown_text(self, metric: Metric, obs: Observation) -> str:
        """The value as this version shows it: the true value, [c] or [withheld]."""
        return self.disclosure.placeholder(metric, obs) or self.value_text(metric, obs)

    def shown_html(self, metric: Metric, obs: Observation) -> str:
        """The value as HTML; internal marks values the public version hides."""
        placeholder = self.disclosure.placeholder(metric, obs)
        if placeholder:
            cls = SUPPRESSED_CLASS if placeholder == SYMBOL else WITHHELD_CLASS
            return f'<span class="{cls}">{escape(placeholder)}</span>'
        text = escape(self.value_text(metric, obs))
        reason = self.disclosure.reason(metric, obs)
        if reason:
            shown = SYMBOL if reason == "small" else WITHHELD
            return f'<span class="hidden-in-public" title="Shown as {shown} in the public version">{text}</span>'
        return text

    def source_title(self, evidence_id: str) -> str | None:
        source = self.project.evidence.get(evidence_id)
        return self.disclosure.evidence_title(source) if source else None

    def provenance(self, metric: Metric, obs: Observation) -> str:
        parts = [f"{self.text_plain(metric.label)}: {self.text_plain(obs.period)}", f"as of {fmt.date(obs.as_of)}"]
        source = self.source_title(metric.source)
        if source:
            parts.append(f"source: {self.text_plain(source)}")
        return "; ".join(parts)

    def link(self, metric: Metric, obs: Observation) -> str:
        """The figure as a disclosure button followed by its (hidden) provenance.

        One tab stop per figure, and only because it opens something; the link to the
        Figures page is reachable only once the provenance is shown. The provenance is kept
        out of the search index, so search results quote the sentence, not its sources."""
        if self.disclosure.placeholder(metric, obs) == WITHHELD:
            return self.shown_html(metric, obs)  # no entry on the public Figures page to link to
        name = f"{self.shown_text(metric, obs)}, about this figure"
        return (
            f'<span class="figure"><button type="button" class="figure-value" aria-expanded="false" '
            f'aria-label="{escape(name)}">{self.shown_html(metric, obs)}</button>'
            f'<span class="figure-about" hidden data-search-exclude> ({escape(self.provenance(metric, obs))}; '
            f'<a href="{escape(self.figures_href)}#{metric.id}">all figures</a>)</span></span>'
        )

    def comparison(self, metric: Metric, obs: Observation, before: Observation) -> tuple[str, str]:
        """(movement word, 'from X in period' as HTML) — no direction when either value is hidden.

        The earlier value is marked up as any value is (the internal version marks it when
        the public one hides it), so the leak scan knows it for a hidden value too."""
        then = f"{self.shown_html(metric, before)} {escape(in_period(before.period))}"
        if not comparable(obs.period, before.period):
            # A part year beside a whole year (or a count on a day) is not a change: say so.
            return "compared", f"with {then} ({kind_words(before.period)}, so not like for like)"
        if self.disclosure.placeholder(metric, obs) or self.disclosure.placeholder(metric, before):
            return "compared", f"with {then}"
        return direction(obs.value, before.value), f"from {then}"

    def change_phrase(self, metric: Metric, obs: Observation) -> str:
        before = previous_of(self.project, obs)
        if self.disclosure.placeholder(metric, obs) == WITHHELD:
            return marked(WITHHELD)
        move, then = self.comparison(metric, obs, before)
        return f"{'unchanged' if move == 'same' else move} {then}"

    # -- macros ---------------------------------------------------------------------
    def figure(self, metric_id: str, period: str | None = None, show: str = "value") -> str:
        if show not in SHOW:
            raise FigureError(f"figure() show='{show}' is not known", f"use one of: {', '.join(SHOW)}", "macro-call")
        obs = resolve(self.project, metric_id, period)
        metric = self.project.metrics[metric_id]
        link = self.link(metric, obs)
        if show == "period":
            return f"{link} ({self.text_html(obs.period)})"
        if show == "change":
            return f"{link}, {self.change(metric_id, period)}"
        return link

    def change(self, metric_id: str, period: str | None = None) -> str:
        obs = resolve(self.project, metric_id, period)
        return self.change_phrase(self.project.metrics[metric_id], obs)

    def kpi_tile(self, metric_id: str) -> str:
        obs = resolve(self.project, metric_id)
        metric = self.project.metrics[metric_id]
        if self.disclosure.public and metric.disclosure == "restricted":
            return ""  # a restricted measure's tile, label and all, is not in the public version
        lines = [
            '<li class="kpi">',
            f'<p class="kpi-label">{self.text_html(metric.label)}</p>',
            f'<p class="kpi-value">{self.link(metric, obs)}</p>',
            f'<p class="kpi-period">{self.text_html(obs.period)}</p>',
        ]
        before = self.project.previous(obs)
        hidden = self.disclosure.placeholder(metric, obs)
        if before is not None and hidden != WITHHELD:
            move, then = self.comparison(metric, obs, before)
            verdict = judgement(metric, move) if move != "compared" else "neutral"
            arrow = {"up": "▲", "down": "▼", "same": "▶", "compared": ""}[move]
            word = {"up": "Up", "down": "Down", "same": "Unchanged", "compared": "Compared"}[move]
            note = {"better": " (better)", "worse": " (worse)", "neutral": ""}[verdict]
            mark = f'<span aria-hidden="true">{arrow}</span> ' if arrow else ""
            lines.append(f'<p class="kpi-trend kpi-{verdict}">{mark}{word} {then}{note}</p>')
        status = None if hidden else target_status(metric, obs.value)
        if status:
            cls = "kpi-better" if status == "met" else "kpi-worse"
            lines.append(
                f'<p class="kpi-target {cls}">Target {escape(fmt.with_unit(metric.target, metric.unit, metric.rate_per))}: '
                f"{status}</p>"
            )
        lines.append("</li>")
        return "".join(lines)

    def kpi_tiles(self, ids) -> str:
        if isinstance(ids, str):
            ids = [ids]
        tiles = "".join(self.kpi_tile(mid) for mid in ids)
        return f'<ul class="kpi-tiles">{tiles}</ul>'

    def table_cell(self, text: str, unit: str, hidden: str | None = None) -> str:
        """One cell; ``hidden`` says why the public version hides it (None: it does not)."""
        if text.strip() == SYMBOL or (hidden and self.disclosure.public):
            return f'<span class="{SUPPRESSED_CLASS}">{SYMBOL}</span>'
        value = fmt.to_decimal(text.replace(",", "")) if text else None
        shown = self.text_html(text or "–") if value is None else escape(fmt.with_unit(value, unit))
        if hidden:
            why = "a small number" if hidden == "primary" else "so a hidden number cannot be worked out"
            return f'<span class="hidden-in-public" title="Shown as {SYMBOL} in the public version ({why})">{shown}</span>'
        return shown

    def data_table(self, table_id: str, caption: str | None = None) -> str:
        table = self.project.tables.get(table_id)
        if table is None:
            hint = close_match(table_id, self.project.tables)
            raise FigureError(f"unknown table '{table_id}'", hint or f"add data/tables/{table_id}.csv")
        # Headers over numbers line up with them; a space between cells keeps them apart in search results.
        head = " ".join(f'<th scope="col"{NUMERIC if i else ""}>{self.text_html(h)}</th>' for i, h in enumerate(table.header))
        hidden = self.disclosure.table_cells(table)
        body = []
        for r, (cells, unit) in enumerate(zip(table.rows, table.row_units)):
            row = [f'<th scope="row">{self.text_html(cells[0])}</th>']
            row += [f'<td class="num">{self.table_cell(c, unit, hidden.get((r, i)))}</td>' for i, c in enumerate(cells) if i > 0]
            body.append("<tr>" + " ".join(row) + "</tr>")
        source = self.source_title(table.source)
        foot = []
        if source:
            foot.append(f"Source: {self.text_html(source)}")
        if table.as_of:
            foot.append(f"as of {fmt.date(table.as_of)}")
        note = f'<p class="table-note">{self.text_html(table.note)}</p>' if table.note else ""
        download = downloads.link_html(
            downloads.href(self.figures_href, downloads.table_path(table.id)),
            "Download this table (CSV)",
            self.text_plain(caption or table.caption),
        )
        return (
            f'<div class="data-table"><table><caption>{escape(caption) if caption else self.text_html(table.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{' '.join(body)}</tbody></table>"
            f'<p class="table-source">{"; ".join(foot)}</p>{note}{download}</div>'
        )

    @staticmethod
    def literal(text) -> str:
        return escape(str(text))
