"""The document's reading order, from the ``nav:`` of the project's ``mkdocs.yml``.

Read as plain YAML, so the core needs no MkDocs: the order of pages, the section each
sits in, and where MkDocs writes each page's HTML. :func:`nav_entries` is the one walk of
a nav: the checks, the redaction and the print document all read the nav through it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from selfeval.content.sourcetree import built_path, page_url, read_site_config, use_directory_urls
from selfeval.project.sourcefile import Node, Seq


@dataclass(frozen=True)
class NavEntry:
    """One page entry of a nav, as written: ``- Title: path.md`` or a bare ``- path.md``."""

    src: str  # the path as written, relative to docs_dir (or a URL)
    title: object  # the title as written (None for a bare path)
    sections: tuple  # the titles of the sections it sits in, outermost first
    line: int  # its line in mkdocs.yml (0 when the nav was not read with lines)


def nav_entries(nav) -> Iterator[NavEntry]:
    """Every page entry of a nav in reading order, sections walked; anything that is not a
    list of entries yields nothing."""

    def walk(items, sections: tuple) -> Iterator[NavEntry]:
        if not isinstance(items, list):
            return
        for index, item in enumerate(items):
            line = items.item_line(index) if isinstance(items, Seq) else 0
            if isinstance(item, str):
                yield NavEntry(item, None, sections, line)
            elif isinstance(item, dict):
                for title, value in item.items():
                    at = item.key_line(title) if isinstance(item, Node) else line
                    if isinstance(value, str):
                        yield NavEntry(value, title, sections, at)
                    else:
                        yield from walk(value, (*sections, title))

    yield from walk(nav, ())


@dataclass(frozen=True)
class NavPage:
    src: str  # the Markdown path under docs_dir, e.g. city/performance-overview.md
    title: str  # the nav title ('' when the nav gives none)
    section: str  # the nav section it sits in ('' at the top level)
    url: str  # the page's URL within the site, e.g. city/performance-overview/
    html: str  # the built file, e.g. city/performance-overview/index.html


def nav_pages(mkdocs_yml: Path, docs_dir: Path | None = None) -> list[NavPage]:
    """Every page of the nav in reading order (external links left out).

    Without a ``nav:``, MkDocs' own order: the home page, then the other pages by path.
    """
    cfg = read_site_config(mkdocs_yml) or {}
    directory_urls = use_directory_urls(cfg)
    out: list[NavPage] = []

    def add(src: str, title: str, section: str) -> None:
        if "://" in src or not src.endswith(".md"):
            return
        out.append(NavPage(src, title, section, page_url(src, directory_urls), built_path(src, directory_urls)))

    nav = cfg.get("nav")
    if nav:
        for entry in nav_entries(nav):
            add(entry.src, "" if entry.title is None else str(entry.title), str(entry.sections[0]) if entry.sections else "")
    elif docs_dir is not None and Path(docs_dir).is_dir():
        sources = sorted(p.relative_to(docs_dir).as_posix() for p in Path(docs_dir).rglob("*.md"))
        sources.sort(key=lambda s: (s not in ("index.md", "README.md"), s))
        for src in sources:
            add(src, "", "")
    return out
