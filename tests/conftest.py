"""Shared fixtures: tiny projects copied into a temporary folder for each test."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Reports written during the run (such as the accessibility report), listed at the end.
REPORTS: list[str] = []
for folder in (REPO / "macros", REPO / "scripts"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


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
