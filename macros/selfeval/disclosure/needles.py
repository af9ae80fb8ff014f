"""What the leak scan looks for where a figure is hidden: taken from the renderer itself.

A hidden figure (a small number the public version shows as ``[c]``, a restricted metric
shown as ``[withheld]``) would leak in the words the renderer puts around it: "81%, up
from 67% in 2023/24", a KPI tile, a table row, a line of the Figures page. Rather than copy
that wording here, every call in a public page of a macro that may hide a value (the
registry, :mod:`selfeval.render.macros`, says which), and every generated page, is
rendered as the internal version shows it, where the renderer marks each value the public
version hides (``class="hidden-in-public"``). Each marked value, with a few of the words
the renderer put either side of it, becomes a needle. Rewording the renderer changes the
needles with it; a fault in the public version's own rendering cannot hide a needle, since
the needles are read from the internal rendering alone.
"""

from __future__ import annotations

import re

from selfeval.disclosure.audience import INTERNAL
from selfeval.disclosure.leakscan import Needle, distinctive, words
from selfeval.render.macros import MACROS, Rendering

CONTEXT = 3  # words kept either side of a hidden value
_TAG = re.compile(r"<[^>]*>")
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


class _NoPicture:
    """Stands in for the chart drawing: the needles come from a chart's words, not its SVG."""

    def chart_svg(self, data, narrow: bool = False) -> str:
        return "<svg></svg>"


# A figure's provenance is shown only when its reader opens it, and the PDF leaves it out:
# it is not part of the sentence around the figure.
_ABOUT = re.compile(r'<span class="figure-about"[^>]*>.*?</span>', re.S)


def tokens(html: str) -> list[str]:
    """The words a reader (or the leak scan) sees in rendered HTML or Markdown."""
    return words(_TAG.sub(" ", _ABOUT.sub(" ", str(html))))


_MARKED = re.compile(r'<span class="hidden-in-public"[^>]*>(.*?)</span>', re.S)
_NEAR = 600  # characters either side of a marked value read for its context


def marked_runs(html: str, before: list[str] = (), after: list[str] = ()):
    """Each value the internal rendering marks as hidden in public, with CONTEXT words either
    side (``before``/``after``: the words of the source line around the macro call)."""
    for m in _MARKED.finditer(str(html)):
        left = tokens(html[max(0, m.start() - _NEAR) : m.start()])[-CONTEXT:] or list(before)[-CONTEXT:]
        right = tokens(html[m.end() : m.end() + _NEAR])[:CONTEXT] or list(after)[:CONTEXT]
        value = tokens(m.group(1))
        if value:
            yield tuple([*left, *value, *right])


def _render(rendering: Rendering, call) -> str | None:
    """The call as the internal version renders it; None for a macro that hides nothing
    in public (see :mod:`selfeval.render.macros`) or a call that does not render."""
    macro = MACROS.get(call.macro)
    if macro is None or macro.hides is None:
        return None
    try:
        return macro.render(call, rendering)
    except Exception:  # noqa: BLE001 - a call that does not render is reported by the checks
        return None


def _add(needles: list[Needle], seen: set, run: tuple, source: str, what: str) -> None:
    if run and distinctive(list(run)) and run not in seen:
        seen.add(run)
        needles.append(Needle(run, source, what))


def rendered_needles(report) -> list[Needle]:
    """Needles for every value the public version hides, read off the internal rendering."""
    if report.plan is None or report.project.config is None:
        return []
    # Each macro's renderer as the internal version renders it, charts without a picture.
    internal = Rendering(report.project, report.charts, INTERNAL.name, svg_renderer=_NoPicture())
    needles: list[Needle] = []
    seen: set = set()
    for versions in report.plan.pages.values():
        if versions.public is None:
            continue
        lines = versions.public.split("\n")
        for call in versions.public_calls:
            true = _render(internal, call)
            if true is None or "hidden-in-public" not in true:
                continue
            line = lines[call.line - 1] if call.line <= len(lines) else ""
            around = _MACRO.split(line)
            before = tokens(around[0])[-CONTEXT:] if len(around) > 1 else []
            after = tokens(around[1])[:CONTEXT] if len(around) > 1 else []
            where = f"{versions.page.path}:{call.line}"
            for run in marked_runs(true, before, after):
                _add(needles, seen, run, where, f"a value {call.macro}() hides in public")
    for name, true in _generated(report).items():
        for run in marked_runs(true):
            _add(needles, seen, run, f"{name} (generated)", "a value the public version hides")
    return needles


def _generated(report) -> dict[str, str]:
    """Each generated page as the internal version shows it."""
    from selfeval.render.figures import Renderer
    from selfeval.render.pages import FIGURES_PAGE, figures_page
    from selfeval.render.register_pages import register_pages
    from selfeval.render.register import RegisterRenderer

    project = report.project
    out = {FIGURES_PAGE: figures_page(report, Renderer(project, version=INTERNAL.name))}
    out.update(register_pages(report, RegisterRenderer(project, version=INTERNAL.name)))
    return out


def withheld_needles(report) -> list[Needle]:
    """The words of each restricted metric's label and definition, which the public version
    withholds with its values. (An internal evidence item's title is not secret in itself:
    public pages may name the work it records; the non-interference check proves that the
    register's own text of it never reaches the public version.)"""
    from selfeval.disclosure.leakscan import passage_needles

    needles: list[Needle] = []
    for metric in report.project.metrics.values():
        if metric.disclosure == "restricted":
            for text in (metric.label, metric.definition):
                needles += [
                    Needle(n.words, f"{metric.path}:{metric.line}", f"restricted metric {metric.id}")
                    for n in passage_needles(str(text or ""), metric.path, metric.line)
                ]
    return needles
