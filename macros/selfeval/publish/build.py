"""Build the internal and public sites (and the committee PDFs) from one source: ``selfeval build``.

Usage: selfeval build [--root DIR] [--out DIR] [--version internal|public|all] [--pdf] [--strict]

The sources are checked once, and that check is handed to everything after it. Each
version is built into a staging folder (:mod:`.stage`) in a worker process of its own; the
non-interference check (:mod:`.replaced`) starts as soon as the public site is built, and
the PDFs print once both sites are, while it still runs. OUT/<version>/ (and OUT/pdf/) are
replaced only when every part built and passed its checks, all together or not at all. On
any problem it prints ``path:line: what — how to fix``, exits 1, and leaves the last good
output untouched.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.adapters.mkdocs.build import preload, source_date_epoch
from selfeval.checks import Report, check_project
from selfeval.disclosure.audience import PUBLIC, audience
from selfeval.problems import Problem, Problems
from selfeval.publish.caches import cache_dir
from selfeval.publish.pdfbuild import PdfMaker, PdfResult, PrintDoc
from selfeval.publish.pdfprint import Printer
from selfeval.publish.replaced import alternatives_for, non_interference
from selfeval.publish.stage import publish, stage_version_to_print
from selfeval.report import print_problems

VERSIONS = ("internal", "public")


def main(argv=None, default_root: Path | None = None) -> int:
    """``selfeval build``: check, build both versions (and the PDFs), put them in place."""
    from selfeval.cli import root_argument

    parser = argparse.ArgumentParser(prog="selfeval build", description=__doc__.splitlines()[0])
    root_argument(parser, default_root)
    parser.add_argument("--out", default=None, help="where the sites go (default: ROOT/site)")
    parser.add_argument("--version", choices=[*VERSIONS, "all"], default="all")
    parser.add_argument("--pdf", action="store_true", help="make the committee PDFs too (make site does)")
    parser.add_argument("--strict", action="store_true", help="treat warnings (such as stale figures) as errors")
    parser.add_argument("--timings", default=None, help="write how long each step took (JSON) to this file")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    out = Path(args.out).resolve() if args.out else root / "site"

    clock = Clock()
    versions = [audience(v).name for v in (VERSIONS if args.version == "all" else (args.version,))]
    # The build's worker processes start (and load MkDocs), and the browser that prints the
    # PDFs starts, while the sources are checked.
    pool = worker_pool(len(versions))
    printer = Printer() if args.pdf else None
    if printer is not None:
        printer.warm()
    try:
        report = check_project(root, strict=args.strict)
        clock.done("check")
        print_problems(report.problems)
        if not report.ok:
            pool.shutdown(wait=False, cancel_futures=True)  # the workers stop once started
            print("build: not built; the last good output is untouched", file=sys.stderr)
            return 1
        with pool:
            return build_checked(root, out, report, versions, args, clock, pool, printer)
    finally:
        if printer is not None:
            printer.close()


def build_checked(root: Path, out: Path, report: Report, versions: list[str], args, clock, pool, printer=None) -> int:
    """Build, check and put in place the versions (and PDFs) of a project that checked clean."""
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(root, report.project.config.reporting_date)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    except OSError as exc:
        print(
            Problem(
                str(out),
                0,
                f"cannot write the output folder: {exc}",
                "check its permissions and free space",
                code="output-unwritable",
            ),
            file=sys.stderr,
        )
        return 1
    names = versions + (["pdf"] if args.pdf else [])
    try:
        build = Build(root, out, stage, report, versions, args.strict, args.pdf, clock)
        problems = build.run(pool, printer)
        if not problems:
            problems = publish(stage, out, names)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    if args.timings:
        Path(args.timings).write_text(json.dumps(clock.steps, indent=1), encoding="utf-8")
    print_problems(Problems(list(dict.fromkeys(problems))))
    shown = ", ".join(str(out / n) for n in names)
    if problems:
        print(f"build: nothing replaced; the last good {shown} are untouched", file=sys.stderr)
        return 1
    print(f"build: written {shown}", file=sys.stderr)
    return 0


class Clock:
    """Seconds each step of a build took, for the benchmark."""

    def __init__(self):
        self.steps: dict[str, float] = {}
        self.last = time.perf_counter()

    def done(self, step: str) -> None:
        now = time.perf_counter()
        self.steps[step] = round(self.steps.get(step, 0) + now - self.last, 3)
        self.last = now


@dataclass
class Build:
    """One build of a checked project into STAGE: the versions, the non-interference check
    and the PDFs. Nothing leaves STAGE unless every part succeeds, so a PDF printed before a
    later check fails is thrown away with the rest."""

    root: Path
    out: Path
    stage: Path
    report: Report
    versions: list[str]
    strict: bool = False
    pdf: bool = False
    clock: Clock = field(default_factory=lambda: Clock())

    @property
    def cache(self) -> str:
        """The caches' folder. With caches off (a first build), the two public builds still
        share this build's own drawings of charts, through a cache that lives and dies with
        the staging folder."""
        own = cache_dir(self.root, "")
        return str(own) if own is not None else str(self.stage / ".cache")

    def run(self, pool: ProcessPoolExecutor | None = None, printer: Printer | None = None) -> list[Problem]:
        """Every output into STAGE; the problems of every part (none: all passed)."""
        maker = None
        if self.pdf:
            needles = list(self.report.plan.needles)
            maker = PdfMaker(self.root, self.stage, needles, self.out, self.report.project, printer)
        try:
            with pool or worker_pool(len(self.versions)) as pool, ThreadPoolExecutor(max_workers=2) as threads:
                return self._run(pool, threads, maker)
        finally:
            if maker is not None:
                maker.close()  # the browser, whatever happened

    def _run(self, pool: ProcessPoolExecutor, threads: ThreadPoolExecutor, maker: PdfMaker | None) -> list[Problem]:
        environ, cache = worker_environ(), self.cache
        futures = {
            pool.submit(
                stage_version_to_print, str(self.root), str(self.stage), v, self.strict, self.report, cache, environ, self.pdf
            ): v
            for v in self.versions
        }
        built: dict[str, list[Problem]] = {}
        docs: dict[str, PrintDoc | None] = {}
        checking: Future | None = None
        for done in as_completed(futures):
            version = futures[done]
            built[version], docs[version] = _outcome(done, version, lambda problems: (problems, None))
            if version == PUBLIC.name and not built[version]:
                self.clock.done("public")
                alternatives = alternatives_for(self.report)
                checking = pool.submit(
                    non_interference,
                    self.root,
                    self.stage,
                    self.report,
                    self.strict,
                    self.out,
                    self.pdf,
                    cache,
                    alternatives,
                    environ,
                )
        # The PDFs print while the non-interference build runs (not while the sites
        # build, which already keep both cores busy).
        printing = time.perf_counter()
        prints = {}
        if maker is not None and not maker.errors and not any(built.values()):
            prints = {version: threads.submit(maker.make, version, docs.get(version)) for version in self.versions}
        checked = _outcome(checking, "non-interference") if checking is not None else []
        self.clock.done("non_interference")
        problems = [p for v in self.versions for p in built.get(v, [])] + checked
        pdfs = PdfResult(errors=list(maker.errors) if maker is not None else [])
        for version in self.versions:
            if version in prints:
                pdfs.add(prints[version].result())
        self.clock.done("versions")
        if problems or not self.pdf:
            return problems
        # The PDFs' own time, from the moment they started (part of it beside the
        # non-interference build).
        self.clock.steps["pdf"] = round(time.perf_counter() - printing, 3)
        print_problems(Problems(pdfs.warnings))
        return pdfs.errors


def worker_pool(versions: int) -> ProcessPoolExecutor:
    """The processes the versions build in, started now (each loads MkDocs as it starts).

    Fresh processes ("spawn"), not forks: a fork of a process whose chart renderer has
    started its engine threads can hang. The check's report is handed to them."""
    workers = min(2, versions)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=preload)
    for _ in range(workers):
        pool.submit(int)  # each call starts one more process while none is idle
    return pool


def worker_environ() -> dict[str, str]:
    """What the build sets in its environment once the sources are checked, for the
    workers, which started before (a spawned process copies the environment only then)."""
    return {name: os.environ[name] for name in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING") if name in os.environ}


def _outcome(future, name: str, failed=lambda problems: problems):
    """A worker's result, or, if the worker itself failed (it stopped, say), one line,
    given to ``failed`` for the shape of that worker's result."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        message = str(exc).strip() or type(exc).__name__
        return failed([Problem(name, 0, f"build failed: {message}", "set SELFEVAL_DEBUG=1 to see where", code="build-failed")])
