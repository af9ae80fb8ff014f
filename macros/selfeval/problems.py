"""Problems found in a project's sources, reported one line each.

Every check in the project reports a :class:`Problem`; a run collects them and prints
``path:line: what is wrong — how to fix it``. Nothing is raised half-way through a check,
so an author sees every problem at once.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    what: str
    fix: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.what}"
        if self.fix:
            text += f" — {self.fix}"
        if self.severity == "warning":
            text = f"{where}: warning: {text[len(where) + 2:]}"
        return text

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command."""
        kind = "error" if self.severity == "error" else "warning"
        msg = self.what + (f" — {self.fix}" if self.fix else "")
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={self.path},line={self.line or 1}::{msg}"


@dataclass
class Problems:
    """An ordered collection of problems with helpers for the common cases."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, what: str, fix: str = "", severity: str = "error") -> None:
        self.items.append(Problem(str(path), int(line or 0), what, fix, severity))

    def warn(self, path: str, line: int, what: str, fix: str = "") -> None:
        self.add(path, line, what, fix, "warning")

    def extend(self, other: Iterable[Problem]) -> None:
        self.items.extend(other)

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


class ProjectError(Exception):
    """Raised where processing cannot go on; carries the problems that stopped it."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def close_match(word: str, choices: Iterable[str]) -> str:
    """``did you mean …?`` for an unknown name when a close one exists, else ''."""
    best = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean {best[0]}?" if best else ""
