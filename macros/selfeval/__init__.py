"""The self-evaluation publisher's core: plain Python that knows nothing of MkDocs.

Modules, one idea each, in the order a build meets them (each module's docstring says more):

Reading the sources
- ``problems``     — the error type every check reports (``path:line: what — fix``)
- ``sourcefile``   — YAML and CSV reading that remembers line numbers
- ``encoding``     — files not saved as UTF-8, refused with the line and how to save them
- ``entered``      — numbers and dates as people type them into a CSV or a spreadsheet
- ``spreadsheet``  — Excel and OpenDocument workbooks, read by their cells' values
- ``schema``       — helpers the loaders share to validate YAML records field by field
- ``config``       — the project configuration (``data/project.yaml``)
- ``framework``    — the assessment framework (``data/framework.yaml``)
- ``model``        — metrics, observations and tables loaded from ``data/``
- ``periods``      — what kind of period a figure covers, and which may be compared
- ``register``     — the evidence register (``evidence_register.yaml``)
- ``actions``      — areas for development and their actions: status, overdue, RAG
- ``committee``    — the committee cover report (``data/committee.yaml``)
- ``editions``     — published editions, kept as git tags, and page dates

Checking
- ``frontmatter``  — a page's front matter, read as MkDocs reads it
- ``sourcetree``   — what is under ``content/``, seen the way MkDocs sees it
- ``navorder``     — the reading order, from ``nav:`` in ``mkdocs.yml``
- ``mkdocs_yml``   — checking ``mkdocs.yml`` before anything is built
- ``citations``    — finding macro calls in ``content/`` with their lines
- ``references``   — which files a page, stylesheet or configuration refers to
- ``lint``         — the hand-typed-figure lint
- ``checks``       — every validation, run by ``make check`` and before a build

Disclosure
- ``audience``     — who a version is for, and everything that differs because of it
- ``markers``      — restricted blocks, spans and pages in Markdown, and their reasons
- ``datatext``     — text from data: placed as text, never as markup, and redacted
- ``suppression``  — small-number suppression and withheld figures
- ``audit``        — the disclosure audit: hidden values proved safe against what is published
- ``redaction``    — each page's public and internal text; the redaction report
- ``rendered_needles`` — what the leak scan looks for where a figure is hidden
- ``leakscan``     — the scan that proves a built public site carries nothing restricted
- ``noninterference`` — proof that nothing restricted changes the public version

Rendering
- ``formatting``   — GOV.UK number, money and date formats
- ``figures``      — what a figure, a KPI tile or a data table renders as
- ``charts``, ``chart_svg``, ``chart_narrow``, ``chart_theme``, ``chart_figure`` — chart numbers,
  drawing (wide, and narrow for phones), look, figure
- ``register_render`` — what the register's macros render as in a chapter
- ``pages``, ``register_pages``, ``edition_pages``, ``changes`` — generated pages
- ``opendata``, ``downloads`` — the CSV files behind every page, and links to them
- ``sitefooter``   — what every page's footer says

Publishing
- ``caches``       — what the build keeps between runs
- ``sitecheck``, ``htmlvalid`` — checks of the built sites: links and valid HTML
- ``printdoc``, ``pdfprint``, ``pdf_text``, ``pdfbuild`` — the committee PDFs: assembled,
  printed with Chromium, read back and scanned, put in place
- ``report``       — printing problems for people and for CI
"""
