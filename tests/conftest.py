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
def default_pdfs(tmp_path_factory):
    """Both sites and both PDFs of the repository's own content, built once per test run;
    returns (OUT, {version: the text of each PDF page})."""
    from build import main as build_main
    from pdf import main as pdf_main
    from selfeval.pdf_text import page_texts

    out = tmp_path_factory.mktemp("default") / "site"
    assert build_main(["--root", str(REPO), "--out", str(out)]) == 0
    assert pdf_main(["--root", str(REPO), "--out", str(out)]) == 0
    return out, {v: page_texts(out / "pdf" / f"self-evaluation-{v}.pdf") for v in ("internal", "public")}


def pytest_terminal_summary(terminalreporter):
    for line in REPORTS:
        terminalreporter.write_line(line)
