"""What the macros and the generated pages render as, for one version.

- ``macros``       — the macros a chapter may call, each declared once: parameters, renderer, check, what it hides
- ``formatting``   — GOV.UK number, money and date formats
- ``figures``      — what a figure, a KPI tile or a data table renders as
- ``register``     — what the register's macros render as in a chapter
- ``pages``        — the Figures page, generated from the data
- ``register_pages`` — the evidence index, CQC coverage and areas-for-development pages
- ``edition_pages`` — the Editions and What changed pages
- ``changes``      — what changed since the previous edition
- ``opendata``     — the CSV files behind every page
- ``downloads``    — links to those files
- ``footer``       — what every page's footer says
- ``charts``       — charts: their numbers, drawing (wide, and narrow for phones), look and figure
"""
