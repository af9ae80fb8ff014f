"""mkdocs-macros entry point: registers the core's macros for chapters. Nothing else.

Every macro in the registry (:mod:`selfeval.render.macros`) is registered, each rendered
by its own renderer for the version being built and the page being rendered.
"""

from __future__ import annotations

from selfeval.adapters.mkdocs.state import rendering_for
from selfeval.render.figures import FigureError
from selfeval.render.macros import MACROS, Macro


class MacroError(Exception):
    pass


def define_env(env):
    def guarded(macro: Macro):
        def call(*args, **kwargs):
            page_url = env.page.url if env.page is not None else ""
            try:
                return macro.bound(rendering_for(env.conf, page_url))(*args, **kwargs)
            except FigureError as exc:
                where = env.page.file.src_uri if env.page is not None else "?"
                raise MacroError(f"content/{where}: {macro.name}(): {exc}") from None

        call.__name__ = macro.name
        return call

    for macro in MACROS.values():
        env.macro(guarded(macro), macro.name)
