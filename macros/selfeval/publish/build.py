"""Build the internal and public sites (and the committee PDFs) from one source: ``selfeval build``.

Usage: selfeval build [--root DIR] [--out DIR] [--version internal|public|all] [--pdf] [--strict]

Checks every source first; builds each version into a temporary folder; replaces
OUT/<version>/ only when that version built and passed its checks. On any problem it
prints path:line: what — how to fix, exits 1, and leaves the last good site untouched.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

from selfeval.adapters.mkdocs.state import remember
from selfeval.adapters.mkdocs.build import derived_config, run_mkdocs_build, source_date_epoch, write_config
from selfeval.adapters.mkdocs.log import ProblemLog, build_failed, build_stopped
from selfeval.disclosure.audience import PUBLIC, audience
from selfeval.publish.caches import cache_dir
from selfeval.checks import check_project
from selfeval.problems import Problem, Problems
from selfeval.disclosure.leakscan import scan
from selfeval.disclosure.noninterference import culprit, first_difference, mutate_project
from selfeval.publish.pdfbuild import PdfMaker, PdfResult, PrintDoc, prepare
from selfeval.publish.pdfprint import Printer
from selfeval.disclosure.redaction import write_public_source
from selfeval.report import print_problems

VERSIONS = ("internal", "public")


def stage_version(
    root: str,
    stage: str,
    version: str,
    strict: bool,
    report=None,
    cache: str | None = None,
    scan_leaks: bool = True,
    history: str | None = None,
    environ: dict[str, str] | None = None,
) -> list[Problem]:
    """Build one version into STAGE/<version>/; returns its problems (empty on success).

    Anything that goes wrong (a redaction problem, MkDocs, the leak scan, even an
    unexpected error) is returned as problems; nothing outside STAGE is touched.
    ``cache`` points the chart cache elsewhere (the non-interference build reuses the
    real build's drawings of charts whose numbers are the same); ``history`` is the folder
    whose git history holds the editions and page dates (the non-interference build's copy
    has no .git of its own, and must read the original's); ``environ``: variables the build
    set after its worker processes started (the pages' date, SOURCE_DATE_EPOCH).
    """
    os.environ.update(environ or {})
    if cache is not None:
        os.environ["SELFEVAL_CACHE"] = cache
    if history is not None:
        os.environ["SELFEVAL_HISTORY"] = history
    if report is not None:
        remember(report, root, version)
    logging.basicConfig(level=logging.WARNING, format=f"[{version}] %(levelname)s: %(message)s")
    root_p, stage_p = Path(root), Path(stage)
    who = audience(version)
    # MkDocs' warnings become one-line problems on the source file, printed by the caller.
    collected = ProblemLog(root_p, root_p / "content")
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collected)
    mkdocs_log.propagate = False
    work = Path(tempfile.mkdtemp(prefix=f".work-{who.name}-", dir=stage_p))
    try:
        site = stage_p / who.name
        docs, leave_out, needles = root_p / "content", set(), []
        try:
            if who.redacts:
                # Restricted text is removed before MkDocs sees anything: the public version is
                # built from a redacted copy of content/, then scanned for leaks.
                plan_report = (
                    report if report is not None else check_project(root_p, strict=strict, lint=False, needles=scan_leaks)
                )
                if not plan_report.ok:
                    return list(plan_report.problems.errors)
                remember(plan_report, root, who.name)  # the MkDocs build below reads this one
                docs = write_public_source(root_p, plan_report.plan, work / "source")
                leave_out, needles = plan_report.plan.restricted_pages, plan_report.plan.needles
            cfg = derived_config(root_p, docs, site, who.name, strict=strict, leave_out=leave_out)
            run_mkdocs_build(write_config(cfg, work / "mkdocs.yml"))
            if collected.problems:
                return collected.problems
            if who.scanned and scan_leaks:
                # Named as it will be once in place: OUT/public.
                hits = scan(site, needles, label=str(stage_p.parent / who.name), cache_dir=cache_dir(root_p, "leakscan"))
                if hits:
                    return [leak_problem(hit) for hit in hits]
        except SystemExit as exc:  # mkdocs' Abort, or mkdocs-macros' exit after a macro error
            return build_stopped(exc, collected.problems, who.name)
        except Exception as exc:  # noqa: BLE001 - report any failure as a line, never half a site
            if os.environ.get("SELFEVAL_DEBUG"):
                traceback.print_exc()
            return build_failed(exc, collected.problems, who.name, "set SELFEVAL_DEBUG=1 to see where")
        return []
    finally:
        mkdocs_log.removeHandler(collected)
        shutil.rmtree(work, ignore_errors=True)


def stage_version_to_print(
    root: str, stage: str, version: str, strict: bool, report, cache: str, environ: dict[str, str], pdf: bool
) -> tuple[list[Problem], PrintDoc | None]:
    """Build one version into STAGE/<version>/ and, for the PDFs, assemble its print
    document there too (in this worker, so the process that prints only prints)."""
    problems = stage_version(root, stage, version, strict, report, cache, True, None, environ)
    if problems or not pdf:
        return problems, None
    try:
        return [], prepare(Path(root), Path(stage), audience(version).name, report.project)
    except Exception:  # noqa: BLE001 - the printer assembles it again and reports what fails
        return [], None


def build_version(root: str, out: str, version: str, strict: bool, report=None) -> list[Problem]:
    """Build one version on its own and put it in OUT/<version>/ (the last good one stays on failure)."""
    out_p = Path(out)
    out_p.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".build-", dir=out_p))
    try:
        problems = stage_version(root, str(stage), version, strict, report)
        if not problems:
            problems = publish(stage, out_p, [audience(version).name])
        return problems
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def leak_problem(hit) -> Problem:
    """A leak-scan hit as a problem on the source line of the passage that leaked."""
    path, _, line = hit.needle.source.rpartition(":")
    if not line.isdigit():
        path, line = hit.needle.source, "0"
    shown = " ".join(hit.needle.words)
    shown = shown[:60] + ("…" if len(shown) > 60 else "")
    more = f" (and {hit.files - 1} other file(s))" if hit.files > 1 else ""
    return Problem(
        path,
        int(line),
        f"leak: {hit.needle.what} '{shown}' appears in public output {hit.file}{more}",
        "the public site was not replaced; find how this text reaches the page and restrict it there",
    )


def publish(stage: Path, out: Path, names: list[str]) -> list[Problem]:
    """Put STAGE/<name> at OUT/<name> for every name, all together or not at all.

    Each old folder is moved aside first; if any step fails, what was moved is put back,
    so OUT holds either every new folder or every old one.
    """
    moved: list[tuple[Path, Path | None]] = []
    try:
        for name in names:
            final, new = out / name, stage / name
            if final.is_symlink():
                raise OSError(f"{final} is a symbolic link; the build never writes through one")
            old = None
            if final.exists():
                old = stage / f".old-{name}"
                final.rename(old)
            moved.append((final, old))
            new.rename(final)
    except OSError as exc:
        for final, old in reversed(moved):
            if final.exists() and old is not None and old.exists():
                shutil.rmtree(final, ignore_errors=True)
            if old is not None and old.exists():
                old.rename(final)
        return [
            Problem(
                str(out),
                0,
                f"the built output could not be put in place: {exc}",
                "check the folder's permissions and free space, then build again",
            )
        ]
    return []


def non_interference(
    root: Path, stage: Path, report, strict: bool, out: Path, pdf: bool, cache: str, alternatives: dict, environ: dict[str, str]
) -> list[Problem]:
    """Build the public version again from sources whose restricted inputs are replaced,
    and compare: any difference from STAGE/public is a channel nobody thought of.

    It runs in a worker process, beside the PDFs the main process prints: copying,
    building and comparing there leaves the main process free to drive the browser."""

    def differs(name: str, only=None):
        """(difference, problems or None; the replacements made; how many there are in all)."""
        copy = stage / name
        mutations, total = mutate_project(root, report, copy / "project", alternatives=alternatives, skip={out, stage}, only=only)
        problems = stage_version(str(copy / "project"), str(copy), PUBLIC.name, strict, None, cache, False, str(root), environ)
        if problems:
            return problems, mutations, total
        return first_difference(stage / PUBLIC.name, copy / PUBLIC.name), mutations, total

    try:
        diff, mutations, total = differs("replaced")
        if isinstance(diff, list):
            return [
                Problem(
                    p.path,
                    p.line,
                    f"non-interference: the public version could not be built from the replaced sources: {p.what}",
                    "this is a fault of the tool, not of your sources: report it",
                )
                for p in diff
            ]
        if diff is None:
            return print_difference(root, stage, report) if pdf else []
        rel, how = diff
        cause = culprit(rel, stage / PUBLIC.name, stage / "replaced" / PUBLIC.name, mutations)
        # Not recognisable in the output (a hash, a count): halve the replacements until one is left.
        candidates, step = list(range(total)), 0
        while cause is None and len(candidates) > 1 and step < 12:
            half, step = candidates[: len(candidates) // 2], step + 1
            found = differs(f"replaced-{step}", set(half))[0]
            if isinstance(found, list):
                break
            candidates = half if found else candidates[len(half) :]
        if cause is None and len(candidates) == 1:
            # The first, whole replacement recorded every input with its number.
            cause = next((m for m in mutations if m.number == candidates[0]), None)
    except OSError as exc:
        return [
            Problem(
                str(root),
                0,
                f"non-interference: the sources could not be copied: {exc}",
                "check the folder's permissions and free space, then build again",
            )
        ]
    source, what = (cause.source, cause.what) if cause else ("content", "a restricted input")
    path, _, line = source.rpartition(":")
    return [
        Problem(
            path if line.isdigit() else source,
            int(line) if line.isdigit() else 0,
            f"non-interference: public output {rel} {how} when {what} is replaced, "
            "so the public version depends on restricted input",
            "the public site was not replaced; find how this input reaches that file and restrict it there",
        )
    ]


def print_difference(root: Path, stage: Path, report) -> list[Problem]:
    """The public print document (what the public PDF is made from) from both builds, compared."""
    from selfeval.publish.committee import load_committee
    from selfeval.publish.printdoc import assemble

    config = report.project.config
    committee = load_committee(root, Problems())
    mutated = stage / "replaced"
    committee_b = load_committee(mutated / "project", Problems())
    # Files are referenced by absolute URL: the two builds' folders differ by design. The
    # public build's own print document is read if its worker assembled it already.
    made = stage / f".print-{PUBLIC.name}.html"
    a = made.read_text(encoding="utf-8") if made.is_file() else assemble(root, stage / "public", "public", config, committee)
    a = a.replace((stage / "public").as_uri(), "site:")
    b = assemble(mutated / "project", mutated / "public", "public", config, committee_b).replace(
        (mutated / "public").as_uri(), "site:"
    )
    if a == b:
        return []
    return [
        Problem(
            "data/committee.yaml",
            0,
            "non-interference: the public PDF's print document changes when "
            "restricted input is replaced, so the public PDF depends on it",
            "the public PDF was not written; find how restricted input reaches it and restrict it there",
        )
    ]


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


def build_checked(root: Path, out: Path, report, versions: list[str], args, clock, pool, printer=None) -> int:
    """Build, check and put in place the versions (and PDFs) of a project that checked clean."""
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(root, report.project.config.reporting_date)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    except OSError as exc:
        print(
            Problem(str(out), 0, f"cannot write the output folder: {exc}", "check its permissions and free space"),
            file=sys.stderr,
        )
        return 1
    try:
        problems = build_all(root, out, stage, report, versions, args.strict, args.pdf, clock, pool, printer)
        names = versions + (["pdf"] if args.pdf else [])
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


def worker_pool(versions: int) -> ProcessPoolExecutor:
    """The processes the versions build in, started now (each loads MkDocs as it starts).

    Fresh processes ("spawn"), not forks: a fork of a process whose chart renderer has
    started its engine threads can hang. The check's report is handed to them."""
    workers = min(2, versions)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_load_mkdocs)
    for _ in range(workers):
        pool.submit(int)  # each call starts one more process while none is idle
    return pool


def worker_environ() -> dict[str, str]:
    """What the build sets in its environment once the sources are checked, for the
    workers, which started before (a spawned process copies the environment only then)."""
    return {name: os.environ[name] for name in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING") if name in os.environ}


def _load_mkdocs() -> None:
    """What every build needs loaded: MkDocs, its theme and plugins, and the tool's hooks.
    Only a head start: whatever fails to load here fails again in the build, which reports
    it as a problem (a failure here would break the worker pool)."""
    try:
        import material.plugins.search.plugin  # noqa: F401
        import mkdocs.commands.build  # noqa: F401
        import mkdocs_macros.plugin  # noqa: F401

        from selfeval.adapters.mkdocs import hooks  # noqa: F401
    except Exception:  # noqa: BLE001 - reported by the build itself
        pass


def build_all(
    root: Path,
    out: Path,
    stage: Path,
    report,
    versions: list[str],
    strict: bool,
    pdf: bool,
    clock: Clock | None = None,
    pool: ProcessPoolExecutor | None = None,
    printer: Printer | None = None,
) -> list[Problem]:
    """Every output into STAGE: the versions, the non-interference check, the PDFs.

    The non-interference build starts as soon as the public site is built, and both
    PDFs once both sites are, while it still runs; nothing leaves STAGE unless every part
    succeeds, so a PDF made before a later check fails is thrown away with the rest."""
    clock = clock or Clock()
    # With caches off (a first build), the two public builds still share this build's own
    # drawings of charts, through a cache that lives and dies with the staging folder.
    own = cache_dir(root, "")
    cache = str(own) if own is not None else str(stage / ".cache")
    maker = (
        PdfMaker(root, stage, needles=list(report.plan.needles), shown_out=out, project=report.project, printer=printer)
        if pdf
        else None
    )
    try:
        return _build_all(root, out, stage, report, versions, strict, pdf, clock, pool, maker, cache)
    finally:
        if maker is not None:
            maker.close()  # the browser, whatever happened


def _outcome(future, name: str, failed=lambda problems: problems):
    """A worker's result, or, if the worker itself failed (it stopped, say), one line,
    given to ``failed`` for the shape of that worker's result."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        message = str(exc).strip() or type(exc).__name__
        return failed([Problem(name, 0, f"build failed: {message}", "set SELFEVAL_DEBUG=1 to see where")])


def _build_all(root, out, stage, report, versions, strict, pdf, clock, pool, maker, cache) -> list[Problem]:
    with pool or worker_pool(len(versions)) as pool, ThreadPoolExecutor(max_workers=2) as threads:
        futures = {
            pool.submit(stage_version_to_print, str(root), str(stage), v, strict, report, cache, worker_environ(), pdf): v
            for v in versions
        }
        built: dict[str, list[Problem]] = {}
        docs: dict[str, PrintDoc | None] = {}
        prints, checking = {}, None
        for done in as_completed(futures):
            version = futures[done]
            built[version], docs[version] = _outcome(done, version, lambda problems: (problems, None))
            if built[version]:
                continue
            if version == PUBLIC.name:
                clock.done("public")
                checking = pool.submit(
                    non_interference, root, stage, report, strict, out, pdf, cache, alternatives_for(report), worker_environ()
                )
        # The PDFs print while the non-interference build runs (not while the sites
        # build, which already keep both cores busy).
        printing = time.perf_counter()
        if maker is not None and not maker.errors and not any(built.values()):
            prints = {version: threads.submit(maker.make, version, docs.get(version)) for version in versions}
        checked = _outcome(checking, "non-interference") if checking is not None else []
        clock.done("non_interference")
        problems = [p for v in versions for p in built.get(v, [])] + checked
        pdfs = PdfResult(errors=list(maker.errors) if maker is not None else [])
        for version in versions:
            if version in prints:
                pdfs.add(prints[version].result())
        clock.done("versions")
    if problems or not pdf:
        return problems
    # The PDFs' own time, from the moment they started (part of it beside the
    # non-interference build).
    clock.steps["pdf"] = round(time.perf_counter() - printing, 3)
    for line in pdfs.warnings:
        print(line, file=sys.stderr)
    return [_as_problem(line) for line in pdfs.errors]


def _as_problem(line: str) -> Problem:
    """A PDF error line (``file: what — fix``) as a problem."""
    where, _, rest = line.partition(": ")
    what, _, fix = rest.partition(" — ")
    return Problem(where, 0, what, fix)


def alternatives_for(report) -> dict:
    """Other values for hidden figures that keep every published figure as it is (the
    suppression audit's alternative world)."""
    from selfeval.disclosure.audit import alternative_values, decide

    return alternative_values(report.project, decide(report.project))
