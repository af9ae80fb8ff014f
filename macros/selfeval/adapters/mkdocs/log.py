"""MkDocs' own warnings and errors, turned into one-line problems on the source file and line.

MkDocs and mkdocs-macros report what they find as log messages (a Markdown link to a
missing page; a macro that fails to render, as a multi-line Markdown block). During a
build these are collected by :class:`ProblemLog` and reported like every other problem:
``content/summary.md:12: what is wrong — how to fix it`` (and as a GitHub annotation in
Actions), instead of a wall of log text.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from selfeval.content.citations import split_front_matter
from selfeval.content.mkdocs_yml import YEAR_PAGE
from selfeval.problems import Problem

DOC_LINK = re.compile(r"Doc file '(?P<doc>[^']+)' contains (?:a|an absolute) link '(?P<link>[^']+)', (?P<why>.*)")
NAV_MISSING = re.compile(r"A reference to '(?P<doc>[^']+)' is included in the 'nav' configuration")
MACRO_FILE = re.compile(r"_File_: `(?P<doc>[^`]+)`")
MACRO_LINE = re.compile(r"_Line (?P<line>\d+) in Markdown file:_ \*\*(?P<what>.*?)\*\*")
MACRO_KIND = re.compile(r"_(?P<kind>[A-Za-z]+(?:Error|Exception))_: (?P<what>[^\n]*)")


class ProblemLog(logging.Handler):
    """Collects MkDocs log records of WARNING and above as problems."""

    def __init__(self, root: Path, docs_dir: Path):
        super().__init__(logging.WARNING)
        self.root, self.docs_dir = Path(root), Path(docs_dir)
        self.problems: list[Problem] = []

    def emit(self, record: logging.LogRecord) -> None:
        # The build is strict: any warning stops it, so each one is an error to fix.
        try:
            self.problems.append(to_problem(record.getMessage(), self.root, self.docs_dir))
        except Exception:  # noqa: BLE001 - a log message we cannot read must not hide the build's own error
            self.handleError(record)


def _source(doc: str, root: Path, docs_dir: Path) -> tuple[str, Path]:
    path = docs_dir / doc
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    return shown, path


def _line_of(path: Path, needle: str) -> int:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if needle in line:
                return number
    except OSError:
        pass
    return 0


def _markdown_line(path: Path, lineno: int) -> int:
    """File line of line ``lineno`` of a page's Markdown as mkdocs-macros counts it (after front matter)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return lineno
    _, body = split_front_matter(text)
    lines = text.split("\n")
    start = body
    while start <= len(lines) and not lines[start - 1].strip():
        start += 1
    return start + lineno - 1


def to_problem(message: str, root: Path, docs_dir: Path, severity: str = "error") -> Problem:
    """One problem for one MkDocs log message."""
    message = message.strip()
    link = DOC_LINK.match(message)
    if link:
        shown, path = _source(link["doc"], root, docs_dir)
        why = re.sub(r"^but ", "", link["why"].rstrip("."))
        return Problem(
            shown,
            _line_of(path, f"({link['link']}") or _line_of(path, link["link"]),
            f"link '{link['link']}': {why}",
            "point it at a Markdown file under the content folder, relative to this page",
            severity,
        )
    source = MACRO_FILE.search(message)
    if source and "[macros]" in message:
        shown, path = _source(source["doc"], root, docs_dir)
        at = MACRO_LINE.search(message)
        if at:
            return Problem(
                shown,
                _markdown_line(path, int(at["line"])),
                f"macro syntax: {at['what']}",
                "fix the {{ … }} call on this line (see the README for the macros you can use)",
                "error",
            )
        kind = MACRO_KIND.search(message)
        what = f"{kind['kind']}: {kind['what']}" if kind else "a macro failed to render"
        return Problem(
            shown,
            0,
            f"macro failed: {what}",
            "run `make check` for the line; check each {{ … }} call's name and arguments",
            "error",
        )
    nav = NAV_MISSING.search(message)
    if nav:
        generated = YEAR_PAGE.match(nav["doc"])
        return Problem(
            "mkdocs.yml",
            _line_of(root / "mkdocs.yml", nav["doc"]),
            f"nav lists '{nav['doc']}', which is not in the content folder",
            "it is a generated page: list a year the register has areas for"
            if generated
            else "create the page or correct its path in nav (relative to the content folder)",
            severity,
        )
    first = message.replace("\n", " ").strip()
    return Problem("mkdocs.yml", 0, first[:300], "see the MkDocs documentation for this message", severity)
