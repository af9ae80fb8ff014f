"""The build: both versions and the PDFs, checked and put in place together or not at all.

- ``build``        — the build itself (``selfeval build``): the check, the workers, the order of the parts
- ``stage``        — one version built into a staging folder, and staged folders put in place together
- ``replaced``     — the non-interference check within a build: the public version built again and compared
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
