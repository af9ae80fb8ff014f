"""Problems found in a project's sources, reported one line each.

Every check in the project reports a :class:`Problem`; a run collects them and prints
``path:line: what is wrong — how to fix it``. Nothing is raised half-way through a check,
so an author sees every problem at once.

One mistake must give one line. A file that cannot be read, or a metric that is left out
because its unit is wrong, makes every reference to what it defines fail too; listing
those would bury the one line that matters under dozens pointing elsewhere, each with a
misleading "did you mean". So a loader that loses something says so (:meth:`Problems.lost`),
and :meth:`Problems.folded` keeps the root line, counts the references it broke on it,
and drops them.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable


# Every kind of problem, by its code: what the code means. A problem line ends with its
# code in brackets, so a reader can look it up in the README's table of codes (a test keeps
# this list, the code and the README in step).
CODES: dict[str, str] = {
    # Reading files
    "file-missing": "a file the project needs is not there",
    "file-unreadable": "a file cannot be read: not UTF-8, damaged, or not allowed",
    "file-empty": "a file holds nothing",
    "yaml-syntax": "a YAML file is not valid YAML",
    "csv-syntax": "a CSV file or a sheet is not laid out as a table with the columns it needs",
    "duplicate-key": "a YAML key or a CSV column is written twice",
    # Records in YAML, rows in CSV and workbooks
    "field-missing": "a required field or setting is missing",
    "field-unknown": "a field or setting the tool does not know (often a misspelling)",
    "field-type": "a field holds the wrong kind of value: text for a list, a list for a mapping",
    "field-value": "a field's value is not one the tool accepts: not one of the choices, not a valid id",
    "date-invalid": "a date that is not a date",
    "number-invalid": "a figure that is not a number, or not in its metric's unit",
    "id-duplicate": "an id defined twice",
    "unknown-name": "a reference to a metric, table, chart, evidence item, action, year or reason that does not exist",
    "owner-is-a-name": "an owner written as a person's name where a role is wanted",
    "example-address": "a web or email address still the template's example",
    "date-ahead": "a figure dated after the reporting date, or in the future",
    "action-overdue": "an action past its due date and not complete",
    # Figures
    "figure-stale": "a figure older than the project allows",
    "figure-missing": "a figure a page or chart asks for has no value for that period or area",
    "figure-hand-typed": "a number typed into a chapter that a macro should give",
    "figure-unused": "a metric that no page shows",
    "figures-disagree": "figures that should agree do not: totals, parts, numerators and denominators",
    "total-undeclared": "a row or column that looks like a total but is not declared one",
    # Chapters, navigation and links
    "macro-call": "a macro called with the wrong arguments, or written so it cannot be read",
    "macro-failed": "a macro that failed while its page was rendered",
    "link-broken": "a link to a page, file or heading that is not there",
    "nav-entry": "a navigation entry that names no page",
    "page-unreachable": "a page no navigation entry leads to",
    "page-name": "a page or file the site generator will not take as it is (its name's case, a link out)",
    "site-config": "mkdocs.yml asks for something not installed or not valid",
    "edition-unreadable": "the previous edition cannot be read from git",
    # Disclosure
    "marker-malformed": "something that looks like a restricted marker but is not one",
    "marker-unsupported": "a restricted marker where it cannot be honoured",
    "link-to-restricted": "a public page that links to a restricted page or file",
    "suppression-unsafe": "a hidden value that can still be worked out from what is published",
    "suppression-input": "what the disclosure audit needs to know about a figure or table is missing or wrong",
    "leak": "restricted text or a hidden value found in the public output",
    "non-interference": "the public output changes when restricted input changes",
    # Building and publishing
    "build-failed": "a build stopped or failed",
    "output-unwritable": "the output cannot be written or put in place",
    "site-missing": "a built site is not there to check or print",
    "html-invalid": "a built page's HTML is not valid, or could not be validated",
    "pdf-failed": "a PDF could not be made",
    "pdf-layout": "a PDF was made, but part of it may be off (a page number, an image not fetched)",
}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    what: str
    fix: str = ""
    severity: str = "error"  # "error" or "warning"
    code: str = ""  # one of CODES: what kind of problem this is

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.what}"
        if self.fix:
            text += f" — {self.fix}"
        if self.code:
            text += f" [{self.code}]"
        if self.severity == "warning":
            text = f"{where}: warning: {text[len(where) + 2 :]}"
        return text

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command."""
        kind = "error" if self.severity == "error" else "warning"
        msg = self.what + (f" — {self.fix}" if self.fix else "")
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        title = f",title={self.code}" if self.code else ""
        return f"::{kind} file={self.path},line={self.line or 1}{title}::{msg}"


@dataclass
class Problems:
    """An ordered collection of problems with helpers for the common cases."""

    items: list[Problem] = field(default_factory=list)
    # (root problem, kinds of name it defined, the names lost or None for any, whether its
    # own file's lines may be consequences too)
    causes: list[tuple[Problem, tuple[str, ...], frozenset | None, bool]] = field(default_factory=list)

    def add(self, path: str, line: int, what: str, fix: str = "", severity: str = "error", code: str = "") -> None:
        self.items.append(Problem(str(path), int(line or 0), what, fix, severity, code))

    def warn(self, path: str, line: int, what: str, fix: str = "", code: str = "") -> None:
        self.add(path, line, what, fix, "warning", code)

    def extend(self, other: Iterable[Problem]) -> None:
        self.items.extend(other)
        self.causes.extend(getattr(other, "causes", ()))

    def lost(self, kinds: Iterable[str], ids: Iterable[str] | None = None, here_too: bool = False) -> None:
        """The problem just added lost the ``kinds`` of thing named ``ids`` (None: any of
        those kinds): what refers to them elsewhere fails because of it, not on its own.
        ``here_too``: so do the lines of its own file that name them."""
        if self.items and kinds:
            self.causes.append((self.items[-1], tuple(kinds), None if ids is None else frozenset(ids), here_too))

    def folded(self) -> Problems:
        """The problems with each root cause's consequences counted on its own line, not listed.

        A root that is itself a consequence (a chart left out because a metric it draws
        was lost) counts, with what it broke, towards the first cause."""

        def first_cause(problem: Problem) -> Problem | None:
            cause, seen = None, {id(problem)}
            while True:
                found = _cause_of(cause or problem, self.causes)
                if found is None or id(found) in seen:
                    return cause
                seen.add(id(found))
                cause = found

        counts: dict[int, int] = {}
        kept = []
        for problem in self.items:
            cause = first_cause(problem)
            if cause is None:
                kept.append(problem)
            else:
                counts[id(cause)] = counts.get(id(cause), 0) + 1
        out = Problems()
        for problem in kept:
            n = counts.get(id(problem), 0)
            if n:
                problem = Problem(
                    problem.path,
                    problem.line,
                    f"{problem.what} (and {n} reference{'s' if n > 1 else ''} to it elsewhere, "
                    "which will work again once this is fixed)",
                    problem.fix,
                    problem.severity,
                    problem.code,
                )
            out.items.append(problem)
        return out

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


_MENTION = re.compile(r"\b(metric|figure|evidence|chart|table|action|area|recommendation|year) '([^']*)'")


def _cause_of(problem: Problem, causes) -> Problem | None:
    """The root problem that ``problem`` is a consequence of, if any."""
    mentions = _MENTION.findall(problem.what)
    for root, kinds, ids, here_too in causes:
        if root.path == problem.path and not here_too:
            continue  # a file's own other lines are mistakes of their own
        for kind, name in mentions:
            if kind in kinds and (name in ids if ids is not None else _consequence(problem.what, kind, name)):
                return root
    return None


def _consequence(what: str, kind: str, name: str) -> bool:
    """Whether a problem is one that a lost file of unknown content causes (it cannot say
    which names it took, only that references to what it held fail)."""
    return (
        f"unknown {kind} '{name}'" in what
        or f"{kind} '{name}' has no observations" in what
        or f"{kind} '{name}' has no period" in what
        or re.search(rf"{kind} '{re.escape(name)}' has no .+ figure", what) is not None
        or f"no areas for development for {kind} '{name}'" in what
    )


def names_in(path: Path, root: Path) -> frozenset | None:
    """Every name-like word a source file defines, to know what a broken or emptied file
    took with it: from the file as it is, or, when it is empty, as last committed; None
    when neither says."""
    words = re.compile(r"[A-Za-z0-9][\w./-]*")
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    if not text.strip():
        try:
            rel = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
            done = subprocess.run(
                ["git", "-C", str(root), "show", f"HEAD:./{rel}"], capture_output=True, text=True, timeout=20, check=False
            )
            text = done.stdout if done.returncode == 0 else ""
        except (OSError, ValueError, subprocess.SubprocessError):
            text = ""
    found = frozenset(w.rstrip(".") for w in words.findall(text))
    return found or None


def place(source: str) -> tuple[str, int]:
    """``path:line`` (how a passage or an input names where it came from) as (path, line);
    a source with no line is the path alone, at line 0."""
    path, _, line = source.rpartition(":")
    return (path, int(line)) if line.isdigit() else (source, 0)


def close_match(word: str, choices: Iterable[str]) -> str:
    """``did you mean …?`` for an unknown name when a close one exists, else ''."""
    best = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean {best[0]}?" if best else ""
