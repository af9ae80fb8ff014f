"""Shared fixtures: tiny projects copied into a temporary folder for each test."""
from __future__ import annotations

import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Reports written during the run (such as the accessibility report), listed at the end.
REPORTS: list[str] = []
for folder in (REPO / "macros", REPO / "scripts"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


class _Shown(HTMLParser):
    """The text a reader sees before opening anything: elements marked ``hidden`` are skipped."""

    VOID = frozenset({"br", "img", "input", "hr", "meta", "link", "wbr"})

    def __init__(self):
        super().__init__()
        self.parts, self.depth, self.hidden_at = [], 0, None

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.depth += 1
        if self.hidden_at is None and any(name == "hidden" for name, _ in attrs):
            self.hidden_at = self.depth

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.hidden_at == self.depth:
            self.hidden_at = None
        self.depth -= 1

    def handle_data(self, data):
        if self.hidden_at is None:
            self.parts.append(data)


def shown_text(html: str) -> str:
    """The text of an HTML fragment as a reader first sees it, without what is marked hidden."""
    parser = _Shown()
    parser.feed(html)
    return "".join(parser.parts)


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A copy of the tiny fixture project that a test may change freely."""
    root = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", root)
    return root


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="session")
def default_sites(tmp_path_factory) -> Path:
    """Both versions of the repository's own content, built once per test run; returns OUT."""
    from build import main as build_main

    out = tmp_path_factory.mktemp("default-sites")
    assert build_main(["--root", str(REPO), "--out", str(out)]) == 0, "the repository's content does not build"
    return out


def pytest_terminal_summary(terminalreporter):
    for line in REPORTS:
        terminalreporter.write_line(line)
