"""Live preview of one version of the site, rebuilt whenever a source is saved: ``selfeval serve``.

Usage: selfeval serve [--root DIR] [--version internal|public] [--addr 127.0.0.1:8000]

Each rebuild starts from the sources as they are: ``mkdocs.yml`` is read again, the
sources are checked as ``make check`` checks them, and the public version is built
from a redacted copy of the chapters, with small numbers suppressed, as ``make site``
builds it. A rebuild prints one line (time, pages, problems). When a build fails, every
page of the preview shows its problems, one line each as in the terminal, and the
browser reloads by itself into the fixed site once the sources are put right.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
import time
from html import escape
from pathlib import Path

from selfeval.adapters.mkdocs.state import remember
from selfeval.adapters.mkdocs.build import derived_config, write_config
from selfeval.adapters.mkdocs.log import ProblemLog, build_failed, build_stopped
from selfeval.disclosure.audience import audience
from selfeval.checks import check_project
from selfeval.content.sourcetree import docs_dir_of
from selfeval.problems import Problem
from selfeval.disclosure.redaction import write_public_source

PROBLEMS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not built: {count} problem(s) in the sources</title>
<style>body{{font-family:sans-serif;margin:2rem;max-width:60rem}}li{{font-family:monospace;margin:.5rem 0}}</style>
</head><body><main>
<h1>Not built: {count} problem(s) in the sources</h1>
<p>Fix these and save; this page reloads by itself when the site builds again.</p>
<ul>
{items}
</ul>
</main></body></html>
"""


class Preview:
    """Builds one version of a project into a fixed folder, for the live-reload server."""

    def __init__(self, root: Path, version: str, work: Path, serve_url: str):
        self.root, self.who, self.work, self.serve_url = root, audience(version), work, serve_url
        self.site = work / "site"
        self.site.mkdir(parents=True, exist_ok=True)

    def build(self) -> list[Problem]:
        """Check and build; returns the problems (the site is left as it was built, or not at all)."""
        report = check_project(self.root)
        if not report.ok:
            return list(report.problems.errors)
        remember(report, self.root, self.who.name)
        docs, leave_out = docs_dir_of(self.root), set()
        if self.who.redacts:
            source = self.work / "source"
            shutil.rmtree(source, ignore_errors=True)
            docs = write_public_source(self.root, report.plan, source)
            leave_out = report.plan.restricted_pages
        cfg = derived_config(self.root, docs, self.site, self.who.name, leave_out=leave_out)
        config_file = write_config(cfg, self.work / "mkdocs.yml")
        collected = ProblemLog(self.root, docs_dir_of(self.root))
        log = logging.getLogger("mkdocs")
        log.addHandler(collected)
        try:
            from mkdocs.commands.build import build
            from mkdocs.config import load_config

            config = load_config(config_file=str(config_file))
            config.site_url = self.serve_url
            config.plugins.on_startup(command="serve", dirty=False)
            try:
                build(config, serve_url=self.serve_url)
            finally:
                config.plugins.on_shutdown()
        except SystemExit as exc:  # mkdocs' Abort, after the warnings it collected
            return build_stopped(exc, collected.problems, self.who.name, "see the lines above")
        except Exception as exc:  # noqa: BLE001 - the preview keeps running whatever a build does
            return build_failed(
                exc, collected.problems, self.who.name, "set SELFEVAL_DEBUG=1 and run scripts/build.py to see where"
            )
        finally:
            log.removeHandler(collected)
        return list(collected.problems)

    def show_problems(self, problems: list[Problem]) -> None:
        """Every page of the preview (and its home page) shows the problems instead."""
        items = "\n".join(f"<li>{escape(str(p))}</li>" for p in problems)
        page = PROBLEMS_PAGE.format(count=len(problems), items=items)
        pages = list(self.site.rglob("*.html")) or []
        for path in {*pages, self.site / "index.html", self.site / "404.html"}:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page, encoding="utf-8")

    def pages(self) -> int:
        return sum(1 for p in self.site.rglob("index.html"))

    def rebuild(self) -> None:
        """One rebuild: the problems one line each, then one line saying what happened."""
        started = time.perf_counter()
        try:
            problems = self.build()
        except Exception as exc:  # noqa: BLE001 - never leave the browser waiting for a build that died
            problems = [Problem(self.who.name, 0, f"build failed: {exc}", "see the terminal", code="build-failed")]
        seconds = time.perf_counter() - started
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            self.show_problems(problems)
            print(
                f"{stamp} {self.who.name}: not built, {len(problems)} problem(s), shown in the browser ({seconds:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
        else:
            print(
                f"{stamp} {self.who.name}: built {self.pages()} page(s), 0 problems ({seconds:.1f} s)",
                file=sys.stderr,
                flush=True,
            )


def main(argv=None, default_root: Path | None = None) -> int:
    """``selfeval serve``: a live preview of one version, rebuilt on every save."""
    from selfeval.cli import root_argument

    parser = argparse.ArgumentParser(prog="selfeval serve", description=__doc__.splitlines()[0])
    root_argument(parser, default_root)
    parser.add_argument(
        "--version", choices=["internal", "public"], default="internal", help="which version to preview (default: internal)"
    )
    parser.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = Path(args.root).resolve()
    host, _, port = args.addr.rpartition(":")
    work = Path(tempfile.mkdtemp(prefix="selfeval-serve-"))
    # MkDocs' own progress messages are replaced by one line per rebuild; its warnings
    # are collected as problems by each build.
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    logging.getLogger("mkdocs").propagate = False
    from mkdocs.livereload import LiveReloadServer, _serve_url

    serve_url = _serve_url(host, int(port), "/")
    preview = Preview(root, args.version, work, serve_url)
    server = LiveReloadServer(builder=preview.rebuild, host=host, port=int(port), root=str(preview.site))
    server.error_handler = lambda code: _error_page(preview.site, code)
    try:
        preview.rebuild()
        for path in (root / "content", root / "data", root / "evidence_register.yaml", root / "mkdocs.yml"):
            if path.exists():
                server.watch(str(path))
        print(f"Previewing the {preview.who.name} version at {serve_url} — press Ctrl+C to stop", file=sys.stderr, flush=True)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _error_page(site: Path, code: int) -> bytes | None:
    page = site / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
