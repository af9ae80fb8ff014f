"""The build: both versions and the PDFs, checked and put in place together or not at all.

- ``build``        — the build itself (``selfeval build``): staging, the workers, publishing
- ``caches``       — what the build keeps between runs
- ``sitecheck``    — checks of the built sites: links and restricted targets
- ``htmlvalid``    — the built pages' HTML validated with the Nu Html Checker
- ``committee``    — the committee cover report (``data/committee.yaml``)
- ``printdoc``     — the print document: one HTML file holding a whole built version
- ``pdfprint``     — printing it with headless Chromium, and finishing the PDF
- ``pdftext``      — reading a PDF's text back, and scanning the public one
- ``pdfbuild``     — the committee PDFs of both versions, cached, scanned, put in place
- ``bench``        — the benchmark (``selfeval bench``): time and memory against plain MkDocs
"""
