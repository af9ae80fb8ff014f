"""The chapters in the docs folder (``content/`` by default), read as the site generator reads them.

- ``frontmatter``  — a page's front matter
- ``sourcetree``   — what is in the docs folder: pages, assets, links out, excluded files;
                     the one reader of ``mkdocs.yml``; where a page is built and served
- ``nav``          — the one walk of ``nav:`` in ``mkdocs.yml``, and the reading order
- ``mkdocs_yml``   — checking ``mkdocs.yml`` before anything is built
- ``citations``    — finding macro calls in the chapters with their lines
- ``references``   — which files a page, stylesheet or configuration refers to
- ``lint``         — the hand-typed-figure lint
"""
