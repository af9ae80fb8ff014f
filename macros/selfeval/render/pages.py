"""Pages generated from the data rather than written by hand."""

from __future__ import annotations

from html import escape

from selfeval.disclosure import datatext
from selfeval.render import formatting as fmt
from selfeval.checks import Report
from selfeval.render.downloads import figures_path, link_html, notes_path, package_path
from selfeval.render.figures import Renderer

FIGURES_PAGE = "figures.md"


def figures_page(report: Report, renderer: Renderer, href=lambda path: path) -> str:
    """Markdown for the Figures page: every metric, its current value and who cites it.

    ``href`` gives the URL of a site-root file (an open-data download) from this page."""
    project = report.project

    def text(value) -> str:
        return datatext.markdown(value, datatext.reasons_in(project.config))

    lines = [
        "---",
        "title: Figures",
        "render_macros: false",
        "hide:",
        "  - navigation",
        "---",
        "",
        "# Figures",
        "",
        "Every figure in this document comes from the data listed here. Each one shows its",
        "latest value, the period it covers, when it was published and its source, with the",
        "pages that cite it. Select a figure anywhere in the document to come back to its entry.",
        "",
        '<div class="open-data-link">',
        "<h2>Download the figures</h2>",
        "<ul>",
        f'<li><a href="{escape(href(figures_path()))}" download>Every figure, every period (CSV)</a>: one row per',
        "figure, area and period. Each entry below links to its own file, and every chart and table links",
        "to its figures.</li>",
        f'<li><a href="{escape(href(notes_path()))}" download>What the symbols mean (CSV)</a>: for example, [c]',
        "marks a number withheld to protect people's privacy.</li>",
        f'<li><a href="{escape(href(package_path()))}" download>Description of every file (JSON)</a>: the title,',
        "source, period, as-of date and unit of each file, in the Frictionless Data Package format.</li>",
        "</ul>",
        "<p>The files may be reused under the Open Government Licence v3.0.</p>",
        "</div>",
        "",
    ]

    def citing(metric) -> list:
        return report.pages_citing(renderer.version, metric.id)

    topics: dict[str, list] = {}
    for metric in project.metrics.values():
        topics.setdefault(metric.topic, []).append(metric)
    unused = []
    for topic, metrics in topics.items():
        # A restricted metric has no entry in the public version, not even its label.
        metrics = [m for m in metrics if not (renderer.disclosure.public and m.disclosure == "restricted")]
        # 'shown: false' keeps a figure in the data on purpose; it has no entry unless a page cites it.
        metrics = [m for m in metrics if m.shown or citing(m)]
        if not metrics:
            continue
        lines += [
            f"## {text(topic)}",
            "",
            "| Figure | Latest value | Period | As of | Source | Cited on |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for metric in metrics:
            obs = project.latest(metric.id)
            if obs is None:
                continue
            pages = citing(metric)
            if not pages:
                unused.append(metric)
            source = renderer.source_title(metric.source) or metric.source
            cited = ", ".join(f"[{text(p.title)}]({p.src})" for p in pages) or "not cited"
            download = link_html(href(figures_path(metric.id)), "All periods (CSV)", renderer.text_plain(metric.label))
            label = (
                f'<span id="{metric.id}"></span>**{text(metric.label)}**<br><small>{text(metric.definition)}</small>'
                f"<br>{datatext.table_cell(download.replace('<p ', '<span ').replace('</p>', '</span>'))}"
            )
            lines.append(
                f"| {label} | {datatext.table_cell(renderer.shown_html(metric, obs))} | {text(obs.period)} | "
                f"{fmt.date(obs.as_of)} | {text(source)} | {cited} |"
            )
        lines.append("")
    lines += ["## Figures not cited on any page", ""]
    if unused:
        lines += [f"- [{text(m.label)}](#{m.id})" for m in unused]
    else:
        lines.append("Every figure is cited at least once.")
    lines.append("")
    return "\n".join(lines)
