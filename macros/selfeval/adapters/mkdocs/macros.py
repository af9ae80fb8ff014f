"""mkdocs-macros entry point: registers the core's macros for chapters. Nothing else.

Every macro in the registry (:mod:`selfeval.render.macros`) is registered, each rendered
by its own renderer for the version being built and the page being rendered.
"""

from __future__ import annotations

from selfeval.adapters.mkdocs.state import rendering_for, source_path
from selfeval.render.figures import FigureError
from selfeval.render.macros import MACROS, Macro


class MacroError(Exception):
    """A macro that could not render on the page being built: which macro, why, and how to
    fix it (the build's log reads these rather than the message)."""

    def __init__(self, macro: str, reason: str, page: str, fix: str = ""):
        super().__init__(f"{page}: {macro}(): {reason}" + (f" — {fix}" if fix else ""))
        self.macro, self.reason, self.page, self.fix = macro, reason, page, fix


def define_env(env):
    def guarded(macro: Macro):
        def call(*args, **kwargs):
            page_url = env.page.url if env.page is not None else ""
            try:
                return macro.bound(rendering_for(env.conf, page_url))(*args, **kwargs)
            except FigureError as exc:
                where = source_path(env.conf, env.page.file.src_uri) if env.page is not None else "?"
                raise MacroError(macro.name, exc.what, where, exc.fix) from None

        call.__name__ = macro.name
        return call

    for macro in MACROS.values():
        env.macro(guarded(macro), macro.name)
