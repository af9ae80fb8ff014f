"""Making the committee PDFs of both built versions, offline, and proving the public one clean.

For each version built in ``OUT/<version>/`` this assembles the print document
(:mod:`.printdoc`), renders it with WeasyPrint (CSS Paged Media: running headers, page
numbers, contents page numbers, bookmarks, inline SVG drawn as vectors), and writes
``OUT/pdf/self-evaluation-<version>.pdf``. The renderer may read only files inside the
built site and this package: nothing is fetched from the network. The public PDF is
written to a temporary file, its text scanned for every restricted passage and
suppressed value, and only then renamed into place; on any problem the last good PDF
stays as it was.
"""
from __future__ import annotations

import logging
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .audience import audience
from .committee import load_committee
from .model import load_project
from .leakscan import Needle
from .pdf_text import extract_text, find_leaks, leak_lines
from .printdoc import assemble

VERSIONS = ("internal", "public")
PACKAGE = Path(__file__).resolve().parent


def pdf_name(version: str) -> str:
    return f"self-evaluation-{version}.pdf"


@dataclass
class PdfResult:
    written: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _fetcher(allowed: Iterable[Path], refused: list[str]):
    """A WeasyPrint URL fetcher that reads local files under ``allowed`` and nothing else."""
    from weasyprint.urls import URLFetcher

    roots = [Path(p).resolve() for p in allowed]

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlsplit
                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path == r or r in path.parents for r in roots):
                    return super().fetch(url, headers)
            elif url.startswith("data:"):
                return super().fetch(url, headers)
            refused.append(url)
            raise ValueError(f"not fetched (print documents read local files only): {url}")

    return LocalOnly(allowed_protocols={"file", "data"})


def render_pdf(html: str, target: Path, base: Path, allowed: Iterable[Path]) -> list[str]:
    """Render print HTML to ``target``; returns the URLs it refused to fetch."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    refused: list[str] = []
    base_url, fetcher = Path(base).resolve().as_uri() + "/", _fetcher(allowed, refused)

    def layout(text: str):
        return HTML(string=text, base_url=base_url, url_fetcher=fetcher).render(pdf_tags=True)

    document = layout(html)
    # WeasyPrint's target-counter() can keep a page number from an earlier layout pass when
    # later pages move (a long table growing by a page), so the contents and "(page N)"
    # references are written in as plain numbers from the finished layout, until they agree.
    for _ in range(MAX_PAGE_PASSES):
        pages = anchor_pages(document)
        numbered = with_page_numbers(html, pages)
        if numbered == html:
            break
        html = numbered
        document = layout(html)
    document.write_pdf(target, pdf_identifier=b"self-evaluation", pdf_tags=True)
    return refused


MAX_PAGE_PASSES = 3
_PAGE_LINK = re.compile(r'<a\b([^>]*?)\shref="#([^"]+)"([^>]*)>')


def anchor_pages(document) -> dict[str, int]:
    """The page (counting from 1) that each element id of a rendered document is on."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def with_page_numbers(html: str, pages: dict[str, int]) -> str:
    """Every in-document link with data-page="N": the page its target is on."""
    def number(match: re.Match) -> str:
        before, target, after = match.groups()
        if target not in pages:
            return match.group(0)
        attrs = re.sub(r'\sdata-page="\d*"', "", before + after)
        return f'<a{attrs} href="#{target}" data-page="{pages[target]}">'
    return _PAGE_LINK.sub(number, html)


def default_needles(root: Path) -> list[Needle]:
    """What the public PDF must not contain: the site's own leak-scan needles (one set)."""
    from .checks import check_project

    report = check_project(root, lint=False)
    return list(report.plan.needles) if report.plan else []


def build_pdfs(root: Path, out: Path, versions: Iterable[str] = VERSIONS,
               needles: Callable[[Path], Iterable[Needle]] | Iterable[Needle] = default_needles, shown_out: Path | None = None) -> PdfResult:
    """Write OUT/pdf/self-evaluation-<version>.pdf for each version built in OUT/<version>/.

    ``shown_out`` is the folder named in messages, when OUT is a staging folder that will
    be moved there.
    """
    from .problems import Problems

    root, out = Path(root).resolve(), Path(out).resolve()
    result = PdfResult()
    problems = Problems()
    project = load_project(root)
    committee = load_committee(root, problems)
    problems.extend(p for p in project.problems if p.path.endswith("project.yaml"))
    result.errors += [str(p) for p in problems.errors]
    if project.config is None and not result.errors:
        result.errors.append("data/project.yaml: the project configuration cannot be read — run make check")
    if result.errors:
        return result
    versions = list(versions)
    jobs = [(root, out, v, project.config, committee, needles, shown_out) for v in versions]
    if len(jobs) > 1:  # one process per version: WeasyPrint uses one core
        with ProcessPoolExecutor(max_workers=min(2, len(jobs))) as pool:
            parts = list(pool.map(make_pdf, *zip(*jobs)))
    else:
        parts = [make_pdf(*job) for job in jobs]
    for part in parts:
        result.written += part.written
        result.errors += part.errors
        result.warnings += part.warnings
    return result


def make_pdf(root: Path, out: Path, version: str, config, committee,
             needles: Callable[[Path], Iterable[Needle]] | Iterable[Needle] = default_needles, shown_out: Path | None = None) -> PdfResult:
    """Write one version's PDF into OUT/pdf/, via a temporary file renamed only on success."""
    result = PdfResult()
    shown = Path(shown_out or out) / "pdf" / pdf_name(version)
    site = out / version
    if not (site / "index.html").is_file() and not any(site.glob("*/index.html")):
        result.errors.append(f"{site}: the {version} site has not been built — run make site (or scripts/build.py) first")
        return result
    pdf_dir = out / "pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    final = pdf_dir / pdf_name(version)
    temp = pdf_dir / f".{final.name}.tmp"
    try:
        html = assemble(root, site, version, config, committee)
        refused = render_pdf(html, temp, site, [site, PACKAGE])
        result.warnings += [f"{final.name}: warning: not fetched: {url} — print documents use local files only"
                            for url in sorted(set(refused))]
        if audience(version).scanned:
            leaks = find_leaks(extract_text(temp), needles(root) if callable(needles) else needles)
            if leaks:
                result.errors += leak_lines(str(_shown(shown, root)), leaks)
                return result
        os.replace(temp, final)
        result.written.append(final)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        if os.environ.get("SELFEVAL_DEBUG"):
            raise
        result.errors.append(f"{_shown(shown, root)}: the PDF could not be made: {exc} — "
                             "check that WeasyPrint and Pango are installed (see README)")
    finally:
        temp.unlink(missing_ok=True)
    return result


def _shown(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path
