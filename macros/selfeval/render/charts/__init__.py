"""Charts: one accessible picture with a sentence and a table from the same numbers.

- ``data``         — the definitions in ``data/charts.yaml`` and the numbers each chart draws
- ``svg``          — drawing a chart to SVG (through Altair and vl-convert), cached
- ``narrow``       — the narrow picture for phones, laid out label by label
- ``theme``        — the charts' look: colours, fonts, sizes
- ``figure``       — a chart placed in a page: picture, summary sentence and table
"""
