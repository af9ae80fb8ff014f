"""mkdocs-macros entry point: registers the core's macros for chapters. Nothing else."""

from __future__ import annotations

from selfeval.adapters.mkdocs.state import chart_renderer, relative_url, report_for, settings
from selfeval.render.figures import MACROS as FIGURE_MACROS, FigureError, Renderer
from selfeval.render.register import MACROS as REGISTER_MACROS, RegisterRenderer


class MacroError(Exception):
    pass


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
                raise MacroError(f"content/{where}: {name}(): {exc}") from None

        macro.__name__ = name
        return macro

    for name in FIGURE_MACROS:
        env.macro(guarded(name, name), name)
    for name in REGISTER_MACROS:
        env.macro(guarded(name, name, register_renderer), name)
    env.macro(guarded("chart", "chart", charts), "chart")
