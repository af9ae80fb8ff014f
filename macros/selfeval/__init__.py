"""The self-evaluation publisher's core: plain Python that knows nothing of MkDocs.

Modules, one idea each:

- ``problems``   — the error type every check reports (``path:line: what — fix``)
- ``sourcefile`` — YAML and CSV reading that remembers line numbers
- ``config``     — the project configuration (``data/project.yaml``)
- ``formatting`` — GOV.UK number, money and date formats
- ``model``      — metrics, observations and tables loaded from ``data/``
- ``figures``    — what a figure, a KPI tile or a data table renders as
- ``citations``  — finding macro calls in ``content/`` with their lines
- ``lint``       — the hand-typed-figure lint
- ``pages``      — generated pages (the Figures page)
- ``checks``     — every validation, run by ``make check`` and before a build
- ``markers``    — restricted blocks, spans and pages in Markdown, and their reasons
- ``redaction``  — each page's public and internal text; the redaction report
- ``suppression``— small-number suppression and withheld figures (what public may show)
- ``leakscan``   — the scan that proves a built public site carries nothing restricted
"""
