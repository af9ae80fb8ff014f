#!/usr/bin/env python3
"""Build the internal and public sites from one source.

Usage: python scripts/build.py [--root DIR] [--out DIR] [--version internal|public|all] [--strict]

Checks every source first; builds each version into a temporary folder; replaces
OUT/<version>/ only when that version built and passed its checks. On any problem it
prints path:line: what — how to fix, exits 1, and leaves the last good site untouched.
"""
from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import _paths  # noqa: F401
from mkdocs_adapter import remember
from mkdocs_build import derived_config, run_mkdocs_build, source_date_epoch, write_config
from mkdocs_log import ProblemLog
from selfeval.caches import cache_dir
from selfeval.checks import check_project
from selfeval.problems import Problem, Problems
from selfeval.leakscan import scan
from selfeval.redaction import write_public_source
from selfeval.report import print_problems

VERSIONS = ("internal", "public")


def build_version(root: str, out: str, version: str, strict: bool, report=None) -> list[Problem]:
    """Build one version and swap it into place; returns its problems (empty on success).

    Anything that goes wrong (a redaction problem, MkDocs, the leak scan, even an
    unexpected error) is returned as problems and leaves the last good site where it was.
    """
    if report is not None:
        remember(report, root, version)
    logging.basicConfig(level=logging.WARNING, format=f"[{version}] %(levelname)s: %(message)s")
    root_p, out_p = Path(root), Path(out)
    # MkDocs' warnings become one-line problems on the source file, printed by the caller.
    collected = ProblemLog(root_p, root_p / "content")
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collected)
    mkdocs_log.propagate = False
    out_p.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".build-{version}-", dir=out_p))
    try:
        site = work / "site"
        docs, leave_out, needles = root_p / "content", set(), []
        try:
            if version == "public":
                # Restricted text is removed before MkDocs sees anything: the public version is
                # built from a redacted copy of content/, then scanned for leaks.
                plan_report = report if report is not None else check_project(root_p, strict=strict, lint=False)
                if not plan_report.ok:
                    return list(plan_report.problems.errors)
                docs = write_public_source(root_p, plan_report.plan, work / "source")
                leave_out, needles = plan_report.plan.restricted_pages, plan_report.plan.needles
            cfg = derived_config(root_p, docs, site, version, strict=strict, leave_out=leave_out)
            run_mkdocs_build(write_config(cfg, work / "mkdocs.yml"))
            if collected.problems:
                return collected.problems
            if version == "public":
                hits = scan(site, needles, label=str(out_p / version), cache_dir=cache_dir(root_p, "leakscan"))
                if hits:
                    return [leak_problem(hit) for hit in hits]
        except SystemExit as exc:  # mkdocs' Abort
            return collected.problems or [Problem(version, 0, f"build stopped: {exc}")]
        except Exception as exc:  # noqa: BLE001 - report any failure as a line, never half a site
            message = str(exc).strip() or type(exc).__name__
            if os.environ.get("SELFEVAL_DEBUG"):
                traceback.print_exc()
            return [*collected.problems, Problem(version, 0, f"build failed: {message}",
                                                 "set SELFEVAL_DEBUG=1 to see where")]
        try:
            replace_atomically(site, out_p / version)
        except OSError as exc:
            return [Problem(str(out_p / version), 0, f"the built site could not be put in place: {exc}",
                            "check the folder's permissions and free space, then build again")]
        return []
    finally:
        mkdocs_log.removeHandler(collected)
        shutil.rmtree(work, ignore_errors=True)


def leak_problem(hit) -> Problem:
    """A leak-scan hit as a problem on the source line of the passage that leaked."""
    path, _, line = hit.needle.source.rpartition(":")
    if not line.isdigit():
        path, line = hit.needle.source, "0"
    shown = " ".join(hit.needle.words)
    shown = shown[:60] + ("…" if len(shown) > 60 else "")
    more = f" (and {hit.files - 1} other file(s))" if hit.files > 1 else ""
    return Problem(path, int(line), f"leak: {hit.needle.what} '{shown}' appears in public output {hit.file}{more}",
                   "the public site was not replaced; find how this text reaches the page and restrict it there")


def replace_atomically(new: Path, final: Path) -> None:
    """Put ``new`` where ``final`` is, keeping the old one until the new one is in place."""
    old = final.with_name(f".old-{final.name}")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(_paths.REPO), help="project folder (default: this repository)")
    parser.add_argument("--out", default=None, help="where the sites go (default: ROOT/site)")
    parser.add_argument("--version", choices=[*VERSIONS, "all"], default="all")
    parser.add_argument("--strict", action="store_true", help="treat warnings (such as stale figures) as errors")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    out = Path(args.out).resolve() if args.out else root / "site"

    report = check_project(root, strict=args.strict)
    print_problems(report.problems)
    if not report.ok:
        print("build: not built; the last good site is untouched", file=sys.stderr)
        return 1
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(root, report.project.config.reporting_date)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    versions = VERSIONS if args.version == "all" else (args.version,)
    # Fresh worker processes ("spawn"), not forks: a fork of a process whose chart
    # renderer has started its engine threads can hang. The check's report is handed over.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(2, len(versions)), mp_context=context) as pool:
        futures = {v: pool.submit(build_version, str(root), str(out), v, args.strict, report) for v in versions}
        failures = {v: f.result() for v, f in futures.items()}
    # The same source problem stops both versions; report it once.
    print_problems(Problems(list(dict.fromkeys(p for v in versions for p in failures[v]))))
    failed = False
    for version in versions:
        if failures[version]:
            failed = True
            print(f"build: {version} not replaced; the last good {out / version} is untouched", file=sys.stderr)
        else:
            print(f"build: {version} site written to {out / version}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
