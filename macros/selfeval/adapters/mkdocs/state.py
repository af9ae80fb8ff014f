"""The thin layer between the core and MkDocs: shared by the macros module and the hooks.

Holds the checked project for the current build, so the macros and the generated pages
read the data once. Nothing here decides anything; the core does.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from selfeval.render.charts.svg import SvgRenderer
from selfeval.publish.caches import cache_dir
from selfeval.disclosure.audience import audience
from selfeval.checks import Report, check_project
from selfeval.content.sourcetree import docs_dir_of
from selfeval.disclosure.datatext import report_as
from selfeval.render.macros import Rendering

_state: dict = {}


def settings(config) -> dict:
    """The tool's own settings, passed by the build in ``extra.selfeval``."""
    extra = config.get("extra") or {}
    own = extra.get("selfeval") or {}
    root = own.get("root") or str(Path(config["config_file_path"]).parent)
    return {
        "root": Path(root),
        "version": own.get("version", "internal"),
        "strict": bool(own.get("strict")),
        "prechecked": bool(own.get("prechecked")),
        "chart_cache": cache_dir(root, "charts"),
    }


def report_for(config, refresh: bool = False) -> Report:
    """The checked project for this build, computed once per build; the public version's
    data has its restricted spans already redacted."""
    s = settings(config)
    key = (str(s["root"]), s["version"])
    if refresh or _state.get("key") != key:
        _state["key"] = key
        _state["report"] = check_project(s["root"], strict=s["strict"], docs_dir=Path(config["docs_dir"]))
    made_from = _state.get("view_of", (None, None))
    if made_from[0] is not _state["report"] or made_from[1] != s["version"]:
        _state["view_of"] = (_state["report"], s["version"])
        _state["view"] = report_as(_state["report"], audience(s["version"]))
    return _state["view"]


def rendering_for(config, page_url: str) -> Rendering:
    """What the macros of the page being built render for: the checked project of this
    version, links relative to the page, charts drawn through the shared cache."""
    s = settings(config)
    report = report_for(config)
    key = ("svg", s["chart_cache"])
    if _state.get("svg_key") != key:  # one SvgRenderer per build process, so its count means something
        _state["svg_key"] = key
        _state["svg"] = SvgRenderer(s["chart_cache"])
    return Rendering(
        report.project,
        report.charts,
        version=s["version"],
        href=lambda target: relative_url(page_url, target),
        svg_renderer=_state["svg"],
    )


def remember(report: Report, root, version: str) -> None:
    """Hand the build script's own check to the MkDocs build of ``version`` that follows it,
    so a build process that inherits this state (forked) does not check everything again."""
    _state["key"] = (str(root), version)
    _state["report"] = report


def source_path(config, src_uri: str) -> str:
    """The file a page comes from, as problems name it (``content/a.md``): under the
    project's docs folder, even when MkDocs builds from a redacted copy of it."""
    root = settings(config)["root"]
    return (docs_dir_of(root) / src_uri).relative_to(root).as_posix()


def relative_url(page_url: str, target: str) -> str:
    """URL of ``target`` (a site-root directory URL such as ``figures/``) from a page's URL."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    rel = posixpath.relpath(target.rstrip("/") or ".", base.rstrip("/") or ".")
    return rel + "/" if target.endswith("/") else rel
