"""Reading a project's sources, remembering where every value came from.

- ``sourcefile``   — YAML and CSV reading that remembers line numbers and refuses duplicate keys
- ``encoding``     — files not saved as UTF-8, refused with the line and how to save them
- ``entered``      — numbers and dates as people type them into a CSV or a spreadsheet
- ``spreadsheet``  — Excel and OpenDocument workbooks, read by their cells' values
- ``records``      — the one declarative reader of YAML records: fields, types, choices, one line per mistake
- ``config``       — the project configuration (``data/project.yaml``)
- ``framework``    — the assessment framework (``data/framework.yaml``)
- ``model``        — metrics, observations and tables loaded from ``data/``
- ``periods``      — what kind of period a figure covers, and which may be compared
- ``editions``     — published editions, kept as git tags, and page dates
- ``new``          — starting another council's project (``selfeval new``)
"""
