"""mkdocs-macros entry point: registers the core's macros for chapters. Nothing else."""

from __future__ import annotations

from selfeval.adapters.mkdocs.state import chart_renderer, relative_url, report_for, settings
from selfeval.render.figures import MACROS as FIGURE_MACROS, FigureError, Renderer
from selfeval.render.register import MACROS as REGISTER_MACROS, RegisterRenderer


class MacroError(Exception):
    """A macro that could not render on the page being built: which macro, why, and how to
    fix it (the build's log reads these rather than the message)."""

    def __init__(self, macro: str, reason: str, page: str, fix: str = ""):
        super().__init__(f"{page}: {macro}(): {reason}" + (f" — {fix}" if fix else ""))
        self.macro, self.reason, self.page, self.fix = macro, reason, page, fix


def define_env(env):
    def renderer() -> Renderer:
        report = report_for(env.conf)
        page_url = env.page.url if env.page is not None else ""
        return Renderer(report.project, version=settings(env.conf)["version"], figures_href=relative_url(page_url, "figures/"))

    def register_renderer() -> RegisterRenderer:
        report = report_for(env.conf)
        page_url = env.page.url if env.page is not None else ""
        return RegisterRenderer(
            report.project, version=settings(env.conf)["version"], href=lambda target: relative_url(page_url, target)
        )

    def charts():
        return chart_renderer(env.conf, env.page.url if env.page is not None else "")

    def guarded(name, method, make=renderer):
        def macro(*args, **kwargs):
            try:
                return getattr(make(), method)(*args, **kwargs)
            except FigureError as exc:
                where = env.page.file.src_uri if env.page is not None else "?"
                reason, _, fix = str(exc).partition(" — ")  # the core's 'what — how to fix'
                raise MacroError(name, reason, f"content/{where}", fix) from None

        macro.__name__ = name
        return macro

    for name in FIGURE_MACROS:
        env.macro(guarded(name, name), name)
    for name in REGISTER_MACROS:
        env.macro(guarded(name, name, register_renderer), name)
    env.macro(guarded("chart", "chart", charts), "chart")
