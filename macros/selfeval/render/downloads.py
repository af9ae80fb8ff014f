"""Where the open-data files sit in a built site, and how a page links to them.

Kept apart from :mod:`selfeval.render.opendata` (which writes the files) so the figure and chart
renderers can link to a file without depending on what goes in it.
"""

from __future__ import annotations

from html import escape

DIRECTORY = "open-data"


def figures_path(metric_id: str = "") -> str:
    """The site path of all figures' CSV, or of one metric's."""
    return f"{DIRECTORY}/figures/{metric_id}.csv" if metric_id else f"{DIRECTORY}/figures.csv"


def table_path(table_id: str) -> str:
    return f"{DIRECTORY}/tables/{table_id}.csv"


def chart_path(chart_id: str) -> str:
    return f"{DIRECTORY}/charts/{chart_id}.csv"


def package_path() -> str:
    return f"{DIRECTORY}/datapackage.json"


def notes_path() -> str:
    return f"{DIRECTORY}/notes.csv"


def href(figures_href: str, path: str) -> str:
    """The URL of an open-data file from a page, given that page's URL of the Figures page."""
    root = figures_href[: -len("figures/")] if figures_href.endswith("figures/") else ""
    return root + path


def link_html(url: str, text: str, name: str) -> str:
    """A download link; its accessible name says what it downloads (many share one page).
    Web only: a printed page cannot download anything."""
    return (
        f'<p class="open-data-link"><a href="{escape(url)}" download '
        f'aria-label="{escape(name)}: {escape(text)}">{escape(text)}</a></p>'
    )
