"""Making the committee PDFs of both built versions, offline, and proving the public one clean.

For each version built in ``OUT/<version>/`` this assembles the print document
(:mod:`.printdoc`), prints it with headless Chromium (:mod:`.pdfprint`: running headers,
page numbers, contents page numbers, bookmarks, tags, inline SVG drawn as vectors), and
writes ``OUT/pdf/self-evaluation-<version>.pdf``. The renderer may read only files inside
the built site and this package: nothing is fetched from the network. A print document
already printed once (the same text, files and renderer) is taken from the cache in
``.cache/pdf/`` instead of being printed again, so an unchanged site gives the same PDFs.
The public PDF is written to a temporary file, its text scanned for every restricted passage and
suppressed value, and only then renamed into place; on any problem the last good PDF
stays as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterable
from urllib.parse import unquote, urlsplit

from selfeval.disclosure.audience import audience
from selfeval.publish.caches import cache_dir, write_entry
from selfeval.publish.committee import load_committee
from selfeval.project.model import load_project
from selfeval.disclosure.leakscan import Needle
from selfeval.problems import Problem, Problems
from selfeval.publish.pdftext import extract_text, find_leaks, leak_problems
from selfeval.publish.pdfprint import Metadata, Printer, RendererMissing, renderer_identity
from selfeval.publish.printdoc import assemble, document_metadata

VERSIONS = ("internal", "public")
PACKAGE = Path(__file__).resolve().parent


def pdf_name(version: str) -> str:
    return f"self-evaluation-{version}.pdf"


@dataclass
class PdfResult:
    written: list[Path] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, other: PdfResult) -> None:
        self.written += other.written
        self.errors += other.errors
        self.warnings += other.warnings


def render_pdf(html: str, target: Path, base: Path, allowed: Iterable[Path], metadata: Metadata | None = None) -> list[str]:
    """Print ``html`` to ``target`` with a browser of its own; returns the URLs it refused.

    ``base`` is kept for callers that name the folder relative links start from; the
    print document's links are absolute file URLs. The browser is driven from the
    printer's own thread, so this works under a running asyncio loop too."""
    with Printer() as printer:
        return printer.print(html, target, allowed, metadata)


def cache_key(html: str, site: Path) -> str:
    """What a PDF depends on: the print document (with the site's folder left out, since a
    build stages it somewhere new each time), every local file it uses, and the renderer."""
    digest = hashlib.sha256()
    digest.update(RENDERER_VERSION.encode())
    digest.update(renderer_identity().encode())
    # How it is printed and finished, and how its text is read back for the scan (the text
    # kept beside a PDF in the cache goes by the same key).
    for code in (PACKAGE / "pdfprint.py", PACKAGE / "pdfbuild.py", PACKAGE / "pdftext.py"):
        digest.update(code.read_bytes())
    prefix = Path(site).resolve().as_uri()
    digest.update(html.replace(prefix, "site:").encode("utf-8"))
    for uri in sorted(set(_FILE_URI.findall(html))):
        path = Path(unquote(urlsplit(uri).path))
        digest.update(uri.replace(prefix, "site:").encode("utf-8"))
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


RENDERER_VERSION = "chromium-print-1"
_FILE_URI = re.compile(r"file://[^\s\"'<>)]+")
CACHE_KEEP = 6  # PDFs kept in the cache: both versions of the last few builds


def cached_pdf(root: Path, key: str) -> Path | None:
    folder = cache_dir(root, "pdf")
    if folder is None:
        return None
    path = folder / f"{key}.pdf"
    if not path.is_file():
        return None
    try:
        os.utime(path)  # used again: kept longest
    except OSError:
        pass
    return path


def keep_in_cache(root: Path, key: str, pdf: Path) -> None:
    """Keep a copy of a new PDF under its key, and only the newest few; failures only cost time."""
    folder = cache_dir(root, "pdf")
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        os.close(fd)
        shutil.copyfile(pdf, tmp)
        os.replace(tmp, folder / f"{key}.pdf")
        entries = sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
            old.with_suffix(".txt").unlink(missing_ok=True)
    except OSError:
        pass


def default_needles(root: Path) -> list[Needle]:
    """What the public PDF must not contain: the site's own leak-scan needles (one set)."""
    from selfeval.checks import check_project

    report = check_project(root, lint=False)
    if not report.ok or report.plan is None:
        # Without a clean check the needles are incomplete (no hidden values among them):
        # a scan with them could pass a PDF that shows one, so none is scanned at all.
        raise RuntimeError("the project's sources have errors, so the public PDF cannot be scanned; run make check")
    return list(report.plan.needles)


class PdfMaker:
    """Makes the PDF of any version built in OUT/<version>/, one version per call, so a
    build can start each version's PDF as soon as that version's site is ready. Every
    call prints in the one browser the maker starts on its first print; ``close()`` (or
    leaving a ``with`` block) closes it.

    ``project`` is the loaded project when the caller has it (read from ``root``
    otherwise); ``printer``, a printer the caller started already (one of its own otherwise); ``shown_out`` is the folder named in messages, when OUT is a staging
    folder that will be moved there. Problems reading the committee report or the
    project's configuration are in ``errors``, and then nothing is made."""

    def __init__(
        self,
        root: Path,
        out: Path,
        needles: Callable[[Path], Iterable[Needle]] | Iterable[Needle] = default_needles,
        shown_out: Path | None = None,
        project=None,
        printer: Printer | None = None,
    ):
        self.root, self.out = Path(root).resolve(), Path(out).resolve()
        self.needles, self.shown_out = needles, shown_out
        problems = Problems()
        self.project = project if project is not None else load_project(self.root)
        self.committee = load_committee(self.root, problems)
        problems.extend(p for p in self.project.problems if p.path.endswith("project.yaml"))
        self.errors = list(problems.errors)
        if self.project.config is None and not self.errors:
            self.errors.append(
                Problem(
                    "data/project.yaml", 0, "the project configuration cannot be read", "run make check", code="file-unreadable"
                )
            )
        self.labels = {key: metric.label for key, metric in self.project.metrics.items() if metric.label}
        self.printer = printer if printer is not None else Printer()

    def __enter__(self) -> PdfMaker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.printer.close()

    def make(self, version: str, doc: PrintDoc | None = None) -> PdfResult:
        """Print (or take from the cache) one version's PDF, scan it if its version is
        scanned, and put it in OUT/pdf/; calls may run at the same time from different
        threads, each printing in a page of its own. ``doc``: the version's print document,
        when it was assembled already (by :func:`prepare`, beside the site's build)."""
        if self.errors:
            return PdfResult(errors=list(self.errors))
        staged = stage_pdf(
            self.root, self.out, version, self.project.config, self.committee, self.shown_out, self.printer, self.labels, doc
        )
        return staged if isinstance(staged, PdfResult) else publish_pdf(staged, self.root, self.needles)


def build_pdfs(
    root: Path,
    out: Path,
    versions: Iterable[str] = VERSIONS,
    needles: Callable[[Path], Iterable[Needle]] | Iterable[Needle] = default_needles,
    shown_out: Path | None = None,
) -> PdfResult:
    """Write OUT/pdf/self-evaluation-<version>.pdf for each version built in OUT/<version>/.

    The versions print at the same time, each in a page of the one browser; the public
    one is scanned as soon as it is printed. ``shown_out`` is the folder named in
    messages, when OUT is a staging folder that will be moved there.
    """
    with PdfMaker(root, out, needles, shown_out) as maker:
        if maker.errors:
            return PdfResult(errors=list(maker.errors))
        result = PdfResult()
        versions = list(versions)
        with ThreadPoolExecutor(max_workers=max(1, len(versions))) as pool:
            for part in pool.map(maker.make, versions):
                result.add(part)
        return result


@dataclass
class PrintDoc:
    """A version's print document, written in OUT beside the version's folder (never
    published), and the key it is cached by."""

    version: str
    path: Path
    key: str


def prepare(root: Path, out: Path, version: str, project, committee=None) -> PrintDoc:
    """Assemble the print document of the version built in OUT/<version>/ and work out its
    cache key, so that a build can do it in the process that built the site, beside the
    other version's build, rather than in the one that prints."""

    root, out = Path(root).resolve(), Path(out).resolve()
    committee = committee if committee is not None else load_committee(root, Problems())
    labels = {key: metric.label for key, metric in project.metrics.items() if metric.label}
    site = out / version
    html = assemble(root, site, version, project.config, committee, labels)
    path = out / f".print-{version}.html"
    path.write_text(html, encoding="utf-8")
    return PrintDoc(version, path, cache_key(html, site))


@dataclass
class Staged:
    """A version's PDF printed to its temporary file, not yet scanned or put in place."""

    version: str
    temp: Path
    final: Path
    shown: Path
    result: PdfResult
    root: Path | None = None  # whose cache holds this PDF's text
    key: str = ""


def stage_pdf(
    root: Path,
    out: Path,
    version: str,
    config,
    committee,
    shown_out: Path | None,
    printer: Printer,
    labels: dict[str, str] | None,
    doc: PrintDoc | None = None,
) -> Staged | PdfResult:
    """Print one version to OUT/pdf/.<name>.tmp, or copy it from the cache.

    A print document seen before (same text, same files, same renderer) is not printed
    again: the PDF printed then is copied from the cache. ``doc``: the print document, if
    assembled already. A PdfResult comes back on failure."""
    result = PdfResult()
    shown = Path(shown_out or out) / "pdf" / pdf_name(version)
    site = out / version
    if not (site / "index.html").is_file() and not any(site.glob("*/index.html")):
        result.errors.append(
            Problem(
                str(site),
                0,
                f"the {version} site has not been built",
                "run make site (or scripts/build.py) first",
                code="site-missing",
            )
        )
        return result
    pdf_dir = out / "pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    final = pdf_dir / pdf_name(version)
    temp = pdf_dir / f".{final.name}.tmp"
    try:
        if doc is not None:
            html, key = doc.path.read_text(encoding="utf-8"), doc.key
        else:
            html = assemble(root, site, version, config, committee, labels)
            key = cache_key(html, site)
        hit = cached_pdf(root, key)
        if hit is not None:
            shutil.copyfile(hit, temp)
        else:
            meta = Metadata(**document_metadata(config, version))
            pages = page_memory(root, version)
            unsettled: list[str] = []
            refused = printer.print(html, temp, [site, PACKAGE], meta, pages, unsettled)
            result.warnings += [
                Problem(
                    final.name, 0, f"not fetched: {url}", "print documents use local files only", "warning", code="pdf-layout"
                )
                for url in sorted(set(refused))
            ]
            if unsettled:
                result.warnings.append(
                    Problem(
                        final.name,
                        0,
                        "its page numbers were still moving after the last print, so a few may be off by a page",
                        "build again (the next build starts from where they landed)",
                        "warning",
                        code="pdf-layout",
                    )
                )
            remember_pages(root, version, pages)
            if not refused and not unsettled:
                keep_in_cache(root, key, temp)
        return Staged(version, temp, final, shown, result, root, key)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        temp.unlink(missing_ok=True)
        _failed(result, exc, shown, root)
        return result


def publish_pdf(staged: Staged, root: Path, needles: Callable[[Path], Iterable[Needle]] | Iterable[Needle]) -> PdfResult:
    """Scan a staged PDF if its version is scanned, then rename it into place; else remove it."""
    result, temp = staged.result, staged.temp
    try:
        if audience(staged.version).scanned:
            leaks = find_leaks(pdf_text(staged), needles(root) if callable(needles) else needles)
            if leaks:
                result.errors += leak_problems(str(_shown(staged.shown, root)), leaks)
                return result
        os.replace(temp, staged.final)
        result.written.append(staged.final)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        _failed(result, exc, staged.shown, root)
    finally:
        temp.unlink(missing_ok=True)
    return result


def pdf_text(staged: Staged) -> str:
    """The staged PDF's text: read from it, or, for a PDF from the cache, the text read
    from it when it was printed (kept beside it under the same key)."""
    folder = cache_dir(staged.root, "pdf") if staged.root is not None and staged.key else None
    kept = folder / f"{staged.key}.txt" if folder else None
    if kept is not None and kept.is_file() and (folder / f"{staged.key}.pdf").is_file():
        try:
            return kept.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    text = extract_text(staged.temp)
    if kept is not None and (folder / f"{staged.key}.pdf").is_file():
        write_entry(kept, text)
    return text


def _failed(result: PdfResult, exc: Exception, shown: Path, root: Path) -> None:
    if isinstance(exc, RendererMissing):
        result.errors.append(
            Problem(str(_shown(shown, root)), 0, f"the PDF was not made: {exc.what}", exc.fix, code="pdf-failed")
        )
        return
    if os.environ.get("SELFEVAL_DEBUG"):
        raise exc
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    result.errors.append(
        Problem(
            str(_shown(shown, root)),
            0,
            f"the PDF could not be made: {first}",
            "check that Chromium runs (chromium --headless --version; see README)",
            code="pdf-failed",
        )
    )


def page_memory(root: Path, version: str) -> dict[str, int]:
    """Where each linked id landed in this version's last print: the first print's page
    numbers, so that when nothing moved, one pass is enough."""
    folder = cache_dir(root, "pdf")
    path = folder / f"pages-{version}.json" if folder else None
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else {}
    except (OSError, ValueError):
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int)} if isinstance(data, dict) else {}


def remember_pages(root: Path, version: str, pages: dict[str, int]) -> None:
    folder = cache_dir(root, "pdf")
    if folder is not None and pages:
        write_entry(folder / f"pages-{version}.json", json.dumps(pages, sort_keys=True))


def _shown(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path
