"""Staging: one version built into a folder of its own, and staged folders put in place.

A version is built into STAGE/<version>/ (the public one from a redacted copy of the
chapters, then scanned for leaks); nothing outside STAGE is touched. Only when every part
of a build has passed are the staged folders moved to OUT, all together or not at all, so
a failed build leaves the last good output as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import traceback
from pathlib import Path

from selfeval.adapters.mkdocs.build import derived_config, run_mkdocs_build, write_config
from selfeval.adapters.mkdocs.log import ProblemLog, build_failed, build_stopped
from selfeval.adapters.mkdocs.state import remember
from selfeval.checks import check_project
from selfeval.content.sourcetree import docs_dir_of
from selfeval.disclosure.audience import audience
from selfeval.disclosure.leakscan import scan
from selfeval.disclosure.redaction import write_public_source
from selfeval.problems import Problem, place
from selfeval.publish.caches import cache_dir
from selfeval.publish.pdfbuild import PrintDoc, prepare


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
    collected = ProblemLog(root_p, docs_dir_of(root_p))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collected)
    mkdocs_log.propagate = False
    work = Path(tempfile.mkdtemp(prefix=f".work-{who.name}-", dir=stage_p))
    try:
        site = stage_p / who.name
        docs, leave_out, needles = docs_dir_of(root_p), set(), []
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
    path, line = place(hit.needle.source)
    shown = " ".join(hit.needle.words)
    shown = shown[:60] + ("…" if len(shown) > 60 else "")
    more = f" (and {hit.files - 1} other file(s))" if hit.files > 1 else ""
    return Problem(
        path,
        line,
        f"leak: {hit.needle.what} '{shown}' appears in public output {hit.file}{more}",
        "the public site was not replaced; find how this text reaches the page and restrict it there",
        code="leak",
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
                code="output-unwritable",
            )
        ]
    return []
