"""MkDocs' own warnings and errors, turned into one-line problems on the source file and line.

MkDocs and mkdocs-macros report what they find as log records (a Markdown link to a
missing page; a macro that fails to render). During a build these are collected by
:class:`ProblemLog` and reported like every other problem: ``content/summary.md:12: what is
wrong — how to fix it`` (and as a GitHub annotation in Actions), instead of a wall of log
text. A build that stops is turned into problems by :func:`build_stopped`.

What a record is about is read from the record and the exception behind it wherever they
say it: the logger that wrote it, the exception mkdocs-macros was handling when it logged
(Jinja's syntax error carries its line; a failure while rendering carries the template's
line in its traceback; the plugin that caught it knows the page), and MkDocs' own
exception types. Only two kinds of message are read from their wording, because MkDocs
writes them as finished sentences and passes nothing else: a broken link in a page and a
nav entry with no page.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import jinja2
from click import ClickException
from mkdocs.exceptions import Abort

from selfeval.content import frontmatter
from selfeval.content.mkdocs_yml import YEAR_PAGE
from selfeval.problems import Problem

# The loggers MkDocs and mkdocs-macros write through (``logging.getLogger(__name__)`` in
# mkdocs/structure/pages.py and nav.py; mkdocs-macros logs as "mkdocs.plugins." + its
# module's name).
PAGES_LOGGER = "mkdocs.structure.pages"
NAV_LOGGER = "mkdocs.structure.nav"
MACROS_LOGGER = "mkdocs.plugins.mkdocs_macros"

# MkDocs formats these two messages with f-strings and logs them with no arguments, no
# exception and no line: the page, the link and the nav entry are only in the wording.
DOC_LINK = re.compile(r"Doc file '(?P<doc>[^']+)' contains (?:a|an absolute) link '(?P<link>[^']+)', (?P<why>.*)")
NAV_MISSING = re.compile(r"A reference to '(?P<doc>[^']+)' is included in the 'nav' configuration")

# Jinja gives the code it compiles from a string this file name, in its traceback too.
TEMPLATE_FILE = "<template>"

MACRO_FIX = "fix the {{ … }} call on this line (see the README for the macros you can use)"
MACRO_CALL_FIX = "check the {{ … }} call on this line: its name and arguments"
MACRO_PAGE_FIX = "run `make check` for the line; check each {{ … }} call's name and arguments"


class SourceProblem(Abort):
    """Stops a MkDocs build for one problem in the project's sources, carrying it, so it is
    reported as it stands rather than as the text of an exception."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class ProblemLog(logging.Handler):
    """Collects MkDocs log records of WARNING and above as problems."""

    def __init__(self, root: Path, docs_dir: Path):
        super().__init__(logging.WARNING)
        self.root, self.docs_dir = Path(root), Path(docs_dir)
        self.problems: list[Problem] = []

    def emit(self, record: logging.LogRecord) -> None:
        # The build is strict: any warning stops it, so each one is an error to fix.
        try:
            self.problems.append(record_problem(record, self.root, self.docs_dir, _handled(record)))
        except Exception:  # noqa: BLE001 - a log message we cannot read must not hide the build's own error
            self.handleError(record)


def _handled(record: logging.LogRecord) -> BaseException | None:
    """The exception behind a record: the one it was logged with, or the one being handled
    while it was logged (a handler runs inside the logging call, so mkdocs-macros' ``except``
    block is still on the stack when it logs the error it caught)."""
    if record.exc_info and record.exc_info[1] is not None:
        return record.exc_info[1]
    return sys.exc_info()[1]


def record_problem(record: logging.LogRecord, root: Path, docs_dir: Path, error: BaseException | None = None) -> Problem:
    """One problem for one MkDocs log record (``error``: the exception behind it, if any)."""
    if isinstance(error, SourceProblem):
        # A hook stopped for a problem in the sources; MkDocs logs it as an error reading the page.
        return error.problem
    name = record.name
    if name == MACROS_LOGGER or name.startswith(MACROS_LOGGER + "."):
        if isinstance(error, Exception):
            return macro_problem(error, root, docs_dir)
    message = record.getMessage().strip()
    if name == PAGES_LOGGER:
        link = DOC_LINK.match(message)
        if link:
            return _link_problem(link, root, docs_dir)
    if name == NAV_LOGGER:
        nav = NAV_MISSING.match(message)
        if nav:
            return _nav_problem(nav["doc"], root)
    first = message.replace("\n", " ").strip()
    return Problem("mkdocs.yml", 0, first[:300], "see the MkDocs documentation for this message", code="build-failed")


def _link_problem(link: re.Match, root: Path, docs_dir: Path) -> Problem:
    shown, path = _source(link["doc"], root, docs_dir)
    why = re.sub(r"^but ", "", link["why"].rstrip("."))
    return Problem(
        shown,
        _line_of(path, f"({link['link']}") or _line_of(path, link["link"]),
        f"link '{link['link']}': {why}",
        "point it at a Markdown file under the content folder, relative to this page",
        code="link-broken",
    )


def _nav_problem(doc: str, root: Path) -> Problem:
    return Problem(
        "mkdocs.yml",
        _line_of(root / "mkdocs.yml", doc),
        f"nav lists '{doc}', which is not in the content folder",
        "it is a generated page: list a year the register has areas for"
        if YEAR_PAGE.match(doc)
        else "create the page or correct its path in nav (relative to the content folder)",
        code="nav-entry",
    )


def macro_problem(error: Exception, root: Path, docs_dir: Path) -> Problem:
    """The problem for an exception mkdocs-macros caught while rendering a page's macros."""
    src = _macro_page(error)
    shown, path = _source(src, root, docs_dir) if src else ("mkdocs.yml", None)
    if isinstance(error, jinja2.TemplateSyntaxError):
        line = _markdown_line(path, error.lineno) if path is not None and error.lineno else 0
        return Problem(shown, line, f"macro syntax: {error.message}", MACRO_FIX, code="macro-call")
    lineno = _template_line(error)
    line = _markdown_line(path, lineno) if path is not None and lineno else 0
    fix = MACRO_CALL_FIX if line else MACRO_PAGE_FIX
    # The tool's own macros say which macro failed, why, and often how to fix it (MacroError).
    macro, reason = getattr(error, "macro", None), getattr(error, "reason", None)
    if macro and reason:
        return Problem(shown, line, f"macro failed: {macro}(): {reason}", getattr(error, "fix", "") or fix, code="macro-failed")
    return Problem(shown, line, f"macro failed: {type(error).__name__}: {error}", fix, code="macro-failed")


def _macro_page(error: Exception) -> str | None:
    """The page (relative to the docs folder) mkdocs-macros was rendering when ``error`` arose.

    mkdocs-macros catches the error in its plugin's ``render`` method, so the outermost frame
    of the error's traceback is that method, and the plugin's ``page`` is the page it hands
    to its own error formatter."""
    tb = error.__traceback__
    plugin = tb.tb_frame.f_locals.get("self") if tb is not None else None
    try:
        page = getattr(plugin, "page", None)
    except Exception:  # noqa: BLE001 - before any page, mkdocs-macros' property raises
        page = None
    src = getattr(getattr(page, "file", None), "src_uri", None)
    return src if isinstance(src, str) else None


def _template_line(error: BaseException) -> int:
    """The line of the page's Markdown that was rendering when ``error`` was raised: Jinja
    puts the template's own line into the traceback, in a frame of the template's code."""
    line, tb = 0, error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def build_stopped(exc: BaseException, collected: list[Problem], label: str, fix: str = "") -> list[Problem]:
    """The problems of a MkDocs build that stopped with ``exc``.

    MkDocs' :class:`~mkdocs.exceptions.Abort` (a strict build's warnings, a configuration it
    cannot use) and mkdocs-macros' ``exit()`` after a macro error both come after the
    warnings they stopped for, so those are the problems; the exception itself is one line
    only when nothing was logged. A hook that stops the build for a problem in the sources
    raises :class:`SourceProblem`, which carries it.
    """
    if isinstance(exc, SourceProblem) and exc.problem not in collected:
        return [*collected, exc.problem]
    if collected:
        return list(collected)
    message = exc.format_message() if isinstance(exc, ClickException) else str(exc)
    return [Problem(label, 0, f"build stopped: {message}", fix, code="build-failed")]


def build_failed(exc: BaseException, collected: list[Problem], label: str, fix: str) -> list[Problem]:
    """The problems of a MkDocs build that failed with an unexpected exception: what it logged
    first, then the exception in one line."""
    message = str(exc).strip() or type(exc).__name__
    return [*collected, Problem(label, 0, f"build failed: {message}", fix, code="build-failed")]


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
    """File line of line ``lineno`` of a page's Markdown as mkdocs-macros counts it: MkDocs
    hands it the text after the front matter, with the blank lines that follow it dropped."""
    try:
        text = frontmatter.read_text(path)
    except (OSError, UnicodeDecodeError):
        return lineno
    lines = text.split("\n")
    start = frontmatter.read(text).body_line
    while start <= len(lines) and not lines[start - 1].strip():
        start += 1
    return start + lineno - 1
