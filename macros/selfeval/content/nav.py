"""The document's reading order, from the ``nav:`` of the project's ``mkdocs.yml``.

Read as plain YAML, so the core needs no MkDocs: the order of pages, the section each
sits in, and where MkDocs writes each page's HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml


@dataclass(frozen=True)
class NavPage:
    src: str  # the Markdown path under docs_dir, e.g. city/performance-overview.md
    title: str  # the nav title ('' when the nav gives none)
    section: str  # the nav section it sits in ('' at the top level)
    url: str  # the page's URL within the site, e.g. city/performance-overview/
    html: str  # the built file, e.g. city/performance-overview/index.html


class _Loader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' custom tags (!ENV, !!python/name:...) as nothing."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_mkdocs_yml(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader) or {}


def page_url(src: str, directory_urls: bool = True) -> tuple[str, str]:
    """(url, built html path) for a Markdown source path, as MkDocs writes them."""
    p = PurePosixPath(src)
    stem = p.stem
    parent = "" if str(p.parent) == "." else f"{p.parent}/"
    if stem in ("index", "README"):
        return parent, f"{parent}index.html"
    if directory_urls:
        return f"{parent}{stem}/", f"{parent}{stem}/index.html"
    return f"{parent}{stem}.html", f"{parent}{stem}.html"


def nav_pages(mkdocs_yml: Path, docs_dir: Path | None = None) -> list[NavPage]:
    """Every page of the nav in reading order (external links left out).

    Without a ``nav:``, MkDocs' own order: the home page, then the other pages by path.
    """
    cfg = read_mkdocs_yml(mkdocs_yml)
    directory_urls = cfg.get("use_directory_urls", True) is not False
    out: list[NavPage] = []

    def add(src: str, title: str, section: str) -> None:
        if "://" in src or not src.endswith(".md"):
            return
        url, html = page_url(src, directory_urls)
        out.append(NavPage(src, title, section, url, html))

    def walk(items, section: str) -> None:
        for item in items or []:
            if isinstance(item, str):
                add(item, "", section)
            elif isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, str):
                        add(value, str(title), section)
                    elif isinstance(value, list):
                        walk(value, section or str(title))

    nav = cfg.get("nav")
    if nav:
        walk(nav, "")
    elif docs_dir is not None and Path(docs_dir).is_dir():
        sources = sorted(p.relative_to(docs_dir).as_posix() for p in Path(docs_dir).rglob("*.md"))
        sources.sort(key=lambda s: (s not in ("index.md", "README.md"), s))
        for src in sources:
            add(src, "", "")
    return out
