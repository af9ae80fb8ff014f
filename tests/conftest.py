"""Shared fixtures: tiny projects copied into a temporary folder for each test."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from dataclasses import dataclass
from pathlib import Path

import pytest

from selfeval.problems import CODES

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Reports written during the run (such as the accessibility report), listed at the end.
REPORTS: list[str] = []


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


def add_small_and_restricted(root: Path, period: str, period_end: str, as_of: str) -> None:
    """Two figures every disclosure test needs: a small count (3 young carers) the public
    version hides as [c], and a restricted metric (98765 on one placement) it leaves out."""
    core = root / "data/metrics/core.yaml"
    core.write_text(
        core.read_text()
        + (
            "  - id: carers_small\n    label: Young carers supported\n    definition: Young carers with a plan.\n"
            "    unit: people\n    polarity: higher_is_better\n    source: ev-census-2021\n"
            "  - id: secret_spend\n    label: Spend on one placement\n    definition: Cost of a named placement.\n"
            "    unit: gbp\n    polarity: neutral\n    source: ev-census-2021\n    disclosure: restricted\n"
        )
    )
    obs = root / "data/observations/core.csv"
    obs.write_text(
        obs.read_text() + f"carers_small,,{period},{period_end},3,,,{as_of},\n"
        f"secret_spend,,{period},{period_end},98765,,,{as_of},\n"
    )


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_page(root: Path, src: str, text: str) -> Path:
    """Write content/SRC and list it in the nav, as an author adding a page would."""
    path = root / "content" / src
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    mkdocs = root / "mkdocs.yml"
    config = mkdocs.read_text(encoding="utf-8")
    mkdocs.write_text(config.replace("nav:\n", f"nav:\n  - {src}\n", 1), encoding="utf-8")
    return path


PROBLEM_LINE = re.compile(
    r"^(?P<path>[^\s:]+(?:\.[\w]+)?)(?::(?P<line>\d+))?: (?:(?P<warning>warning): )?(?P<what>.+?)"
    r"(?: — (?P<fix>.+?))?(?: \[(?P<code>[a-z-]+)\])?$"
)


def problem_lines(source) -> list[str]:
    """The problem lines of a command's output, or of a check's report (each as printed)."""
    if isinstance(source, str):
        found = [(line, PROBLEM_LINE.match(line)) for line in source.splitlines()]
        # Summary lines ("check: 3 page(s) … — no errors") name no file.
        return [
            line
            for line, m in found
            if m and " — " in line and ("." in m["path"] or "/" in m["path"] or m["path"] in ("internal", "public"))
        ]
    return [str(p) for p in getattr(source, "problems", source)]


def assert_problem(source, path: str, line: int, *words: str, warning: bool = False, only: bool = False) -> str:
    """Assert that exactly one problem is reported at PATH:LINE containing every one of
    WORDS, in the form 'path:line: what — how to fix'; returns that line.

    ``only`` asserts it is the only problem reported at all (one mistake, one line)."""
    lines = problem_lines(source)
    here = [
        text
        for text in lines
        if text.startswith(f"{path}:{line}: " if line else f"{path}: ") and all(w.lower() in text.lower() for w in words)
    ]
    assert len(here) == 1, f"expected one problem at {path}:{line} with {words}, got:\n" + "\n".join(lines)
    m = PROBLEM_LINE.match(here[0])
    assert m and m["path"] == path and int(m["line"] or 0) == line, here[0]
    assert m["fix"], f"no fix after ' — ': {here[0]}"
    assert m["code"] in CODES, f"no known code of a kind of problem at the end: {here[0]}"
    assert bool(m["warning"]) == warning, f"expected {'a warning' if warning else 'an error'}: {here[0]}"
    assert "\n" not in here[0] and "Traceback" not in here[0]
    if only:
        assert lines == here, "expected only this problem, got:\n" + "\n".join(lines)
    return here[0]


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> Path:
    """The repository's own content as make site builds it (both sites and both PDFs), once
    per test run, for the tests that only read it: its files are made read-only, so a test
    that would change them fails instead of changing what the others read. Returns OUT."""
    from selfeval.publish.build import main as build_main

    out = tmp_path_factory.mktemp("default") / "site"
    assert build_main(["--root", str(REPO), "--out", str(out), "--pdf"]) == 0, "the repository's content does not build"
    for path in sorted(out.rglob("*"), reverse=True):
        path.chmod(path.stat().st_mode & ~0o222)
    return out


@pytest.fixture(scope="session")
def default_sites(default_build) -> Path:
    """Both versions of the repository's own content (read-only); returns OUT."""
    return default_build


@dataclass(frozen=True)
class PrintedPage:
    """One page of a PDF as pypdf reads it: its text, and each piece of text with where it
    was drawn and its size (pypdf's visitor: text, current matrix, text matrix, size)."""

    text: str
    pieces: tuple[tuple[str, tuple, tuple, float], ...]


_READ: dict[tuple, list[PrintedPage]] = {}


def read_pdf(pdf: Path) -> list[PrintedPage]:
    """Every page of a PDF read by pypdf, the tests' second reader of the PDFs (the build
    reads them with its own). pypdf takes about ten seconds over a report of a hundred
    pages, so each file is read once per test run; a file written again is read again."""
    from pypdf import PdfReader

    stat = Path(pdf).stat()
    key = (str(Path(pdf).resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _READ:
        pages = []
        for page in PdfReader(str(pdf)).pages:
            pieces = []

            def visit(text, cm, tm, font, size, pieces=pieces):
                pieces.append((text, tuple(cm), tuple(tm), size))

            text = page.extract_text(visitor_text=visit) or ""
            pages.append(PrintedPage(text, tuple(pieces)))
        _READ[key] = pages
    return _READ[key]


@pytest.fixture(scope="session")
def default_pdfs(default_build):
    """Both sites and both PDFs of the repository's own content (read-only); returns
    (OUT, {version: the text of each PDF page})."""
    return default_build, {
        v: [page.text for page in read_pdf(default_build / "pdf" / f"self-evaluation-{v}.pdf")] for v in ("internal", "public")
    }


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test module (Playwright allows one per process)."""
    from test_browser import CHROMIUM, CHROMIUM_ARGS, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def pytest_terminal_summary(terminalreporter):
    for line in REPORTS:
        terminalreporter.write_line(line)
