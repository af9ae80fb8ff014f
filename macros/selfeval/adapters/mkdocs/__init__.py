"""MkDocs, Material for MkDocs and mkdocs-macros: the only modules that import them.

- ``build``        — one version built with MkDocs into a folder of the build's choosing
- ``state``        — the checked project for the build under way, for macros and hooks
- ``macros``       — the mkdocs-macros module: registers the core's macros
- ``hooks``        — the MkDocs hooks: check first, mark or redact, add generated pages
- ``log``          — MkDocs' warnings as one-line problems on the source file
- ``serve``        — the live preview (``selfeval serve``)
- ``plain``        — the benchmark's yardstick: the same pages built by plain MkDocs and Material

``overrides/`` holds the theme's overrides (header, footer, search, 404, strings).
"""
