"""Checking a project's ``mkdocs.yml`` before anything is built, with its line numbers.

MkDocs reads the file itself, but only once a build has started, and then reports a
mistake without a line (a misspelt plugin), twice (once per version built), or with
advice that does not fit (a generated page is not created by hand). Checked here, with
everything else ``make check`` checks: the YAML itself, each nav entry, the plugins, the
Markdown extensions and the theme's features, each against what is installed.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import re
from pathlib import Path

from selfeval.problems import Problems, close_match
from selfeval.project.sourcefile import Node, Seq
from selfeval.content.nav import nav_entries
from selfeval.content.sourcetree import MKDOCS_YML, docs_dir_of, page_files, read_site_config

# Pages the build writes itself; the year pages depend on the register.
YEAR_PAGE = re.compile(r"^(areas-for-development|progress)-(\d{4})-(\d{2})\.md$")
# Strings in Material's templates that are translation keys, not features.
_NOT_FEATURES = re.compile(r"^search\.(config|result)\.|^search\.(placeholder|reset)$")


def check_mkdocs_yml(root: Path, generated: set[str], problems: Problems, docs_dir: Path | None = None) -> Node | None:
    """Every check of mkdocs.yml; returns its data (None when it cannot be read)."""
    data = read_site_config(Path(root) / MKDOCS_YML, problems)
    if data is None:
        return None
    docs_dir = Path(docs_dir) if docs_dir is not None else docs_dir_of(root, data)
    pages = {f.src for f in page_files(docs_dir, Path(root), data)} if docs_dir.is_dir() else set()
    _check_nav(data.get("nav"), pages, generated, problems)
    _check_plugins(data, problems)
    _check_extensions(data, problems)
    _check_features(data, problems)
    return data


def nav_sources(nav) -> list[tuple[str, int]]:
    """(source, line) for every page entry of a nav, sections walked."""
    return [(entry.src, entry.line) for entry in nav_entries(nav)]


def _check_nav(nav, pages: set[str], generated: set[str], problems: Problems) -> None:
    known = pages | generated
    for src, line in nav_sources(nav):
        if "://" in src or src.startswith(("mailto:", "#")) or src in known:
            continue
        if not src.lower().endswith((".md", ".markdown")):
            continue  # a link to a folder or a file other than a page: MkDocs keeps it as a link
        year = YEAR_PAGE.match(src)
        if year:
            made = sorted(g for g in generated if YEAR_PAGE.match(g))
            problems.add(
                MKDOCS_YML,
                line,
                f"nav lists '{src}', the generated page of unknown year '{year[2]}/{year[3]}' (the register has no areas for it)",
                f"list {' or '.join(made)} instead"
                if made
                else f"add areas for {year[2]}/{year[3]} to evidence_register.yaml; never create this page by hand",
                code="nav-entry",
            )
            continue
        hint = close_match(src, known)
        problems.add(
            MKDOCS_YML,
            line,
            f"nav lists '{src}', which is not in the content folder",
            f"{hint} correct the path in nav (relative to the content folder)"
            if hint
            else "create the page, or correct its path in nav (relative to the content folder)",
            code="nav-entry",
        )


def _entries(data: Node, key: str) -> list[tuple[str, int]]:
    """(name, line) of each entry of a list setting such as plugins or markdown_extensions."""
    value = data.get(key)
    out = []
    if isinstance(value, list):
        for index, entry in enumerate(value):
            line = value.item_line(index) if isinstance(value, Seq) else data.key_line(key)
            name = entry if isinstance(entry, str) else next(iter(entry), None) if isinstance(entry, dict) else None
            if isinstance(name, str):
                out.append((name, line))
    elif isinstance(value, dict):
        out = [(str(name), value.key_line(name) if isinstance(value, Node) else data.key_line(key)) for name in value]
    return out


@functools.cache
def installed_plugins() -> frozenset:
    return frozenset(ep.name for ep in importlib.metadata.entry_points(group="mkdocs.plugins"))


@functools.cache
def _builtin_extensions() -> frozenset:
    return frozenset(ep.name for ep in importlib.metadata.entry_points(group="markdown.extensions"))


def _check_plugins(data: Node, problems: Problems) -> None:
    installed = installed_plugins()
    if not installed:
        return
    for name, line in _entries(data, "plugins"):
        bare = name.split("/")[-1]
        if name in installed or bare in installed:
            continue
        hint = close_match(name, installed)
        problems.add(
            MKDOCS_YML,
            line,
            f"plugin '{name}' is not installed",
            f"{hint} correct the name"
            if hint
            else f"remove it, or add the package that provides it to requirements.txt; installed: {', '.join(sorted(installed))}",
            code="site-config",
        )


def _extension_found(name: str) -> bool:
    if name in _builtin_extensions():
        return True
    module = name.split(":")[0]
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _check_extensions(data: Node, problems: Problems) -> None:
    names = _builtin_extensions()
    for name, line in _entries(data, "markdown_extensions"):
        if _extension_found(name):
            continue
        hint = close_match(
            name,
            names
            | {
                "pymdownx.details",
                "pymdownx.superfences",
                "pymdownx.tabbed",
                "pymdownx.highlight",
                "pymdownx.emoji",
                "pymdownx.caret",
            },
        )
        problems.add(
            MKDOCS_YML,
            line,
            f"Markdown extension '{name}' is not installed",
            f"{hint} correct the name" if hint else "remove it, or correct its name",
            code="site-config",
        )


@functools.cache
def material_features() -> frozenset:
    """The feature flags the installed Material theme reads, from its own templates and scripts."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    templates = Path(list(spec.submodule_search_locations)[0]) / "templates"
    found = set()
    flag = re.compile(r"""["']((?:announce|content|header|navigation|search|toc)\.[a-z]+(?:\.[a-z]+)*)["']""")
    for path in list(templates.rglob("*.html")) + list(templates.rglob("*.js")):
        try:
            found.update(flag.findall(path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return frozenset(f for f in found if not _NOT_FEATURES.search(f))


def _check_features(data: Node, problems: Problems) -> None:
    theme = data.get("theme")
    if not isinstance(theme, Node) or theme.get("name") != "material":
        return
    features = theme.get("features")
    known = material_features()
    if not isinstance(features, list) or not known:
        return
    for index, feature in enumerate(features):
        if str(feature) in known:
            continue
        line = features.item_line(index) if isinstance(features, Seq) else theme.key_line("features")
        hint = close_match(str(feature), known)
        problems.add(
            MKDOCS_YML,
            line,
            f"theme feature '{feature}' is not one the installed Material theme knows",
            f"{hint} correct the name" if hint else f"remove it; the features are: {', '.join(sorted(known))}",
            code="site-config",
        )
