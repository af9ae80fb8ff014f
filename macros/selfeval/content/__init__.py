"""The chapters in the docs folder (``content/`` by default), read as the site generator reads them.

- ``frontmatter``  — a page's front matter
- ``sourcetree``   — what is in the docs folder: pages, assets, links out, excluded files
- ``nav``          — the reading order, from ``nav:`` in ``mkdocs.yml``
- ``mkdocs_yml``   — checking ``mkdocs.yml`` before anything is built
- ``citations``    — finding macro calls in the chapters with their lines
- ``references``   — which files a page, stylesheet or configuration refers to
- ``lint``         — the hand-typed-figure lint
"""
