"""The live preview (`make serve`), run as an author runs it: a server in its own process,
fetched over HTTP while its sources are broken, fixed and edited."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, assert_problem, replace_in

WAIT = 90  # seconds a rebuild may take on a loaded machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.read().decode("utf-8")


def _until(url: str, ok, what: str) -> str:
    deadline, text = time.monotonic() + WAIT, ""
    while time.monotonic() < deadline:
        try:
            text = _get(url)
            if ok(text):
                return text
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"the preview never showed {what}; last page:\n{text[:2000]}")


class Preview:
    def __init__(self, root: Path, *args: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = root.parent / f"serve-{self.port}.log"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "scripts/serve.py"), "--root", str(root), "--addr", f"127.0.0.1:{self.port}", *args],
            stdout=subprocess.DEVNULL,
            stderr=open(self.log, "w"),
            env=env,
        )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def preview_of(tmp_path):
    started = []

    def start(root: Path, *args: str) -> Preview:
        p = Preview(root, *args)
        started.append(p)
        return p

    yield start
    for p in started:
        p.stop()


def _epoch(page: str) -> int:
    m = re.search(r"livereload\((\d+), (\d+)\)", page)
    assert m, "the page carries the live-reload script"
    return int(m.group(1))


def test_a_broken_build_shows_its_problems_in_the_browser_and_recovers_when_fixed(tiny, preview_of):
    p = preview_of(tiny)
    page = _until(p.url + "safety/", lambda t: "<h1" in t and "Safety" in t, "the Safety page")
    before = _epoch(page)
    replace_in(tiny / "content/safety.md", 'figure("dols_days"', 'figure("dols_dayz"')
    broken = _until(p.url + "safety/", lambda t: "dols_dayz" in t, "the problem")
    # The same line as make check prints, in the page.
    text = re.sub(r"<[^>]+>", "", broken).replace("&#x27;", "'")
    assert_problem(text, "content/safety.md", 3, "unknown metric 'dols_dayz'", "did you mean dols_days?")
    # The browser's wait for a new version ends: it reloads into the problems, it does not hang.
    assert _epoch(broken) > before
    replace_in(tiny / "content/safety.md", 'figure("dols_dayz"', 'figure("dols_days"')
    fixed = _until(p.url + "safety/", lambda t: "dols_dayz" not in t and "Safety" in t, "the fixed page")
    assert "Not built" not in fixed and _epoch(fixed) > _epoch(broken)
    lines = [line for line in p.output().splitlines() if re.match(r"^\d\d:\d\d:\d\d ", line)]
    assert len(lines) == 3, p.output()
    built = [re.search(r"built (\d+) page\(s\), 0 problems", line) for line in (lines[0], lines[2])]
    assert all(built) and built[0][1] == built[1][1] and int(built[0][1]) > 3, lines
    assert "not built, 1 problem(s)" in lines[1]
    assert "Traceback" not in p.output()


def test_mkdocs_yml_edits_are_picked_up(tiny, preview_of):
    p = preview_of(tiny)
    _until(p.url, lambda t: "Tiny self-evaluation" in t, "the home page")
    replace_in(tiny / "mkdocs.yml", "site_name: Tiny self-evaluation", "site_name: Renamed preview")
    _until(p.url, lambda t: "Renamed preview" in t, "the new site name")
    replace_in(tiny / "mkdocs.yml", "  - Safety: safety.md", "  - Safety: sefety.md")
    broken = _until(p.url, lambda t: "sefety.md" in t, "the nav problem")
    assert_problem(
        re.sub(r"<[^>]+>", "", broken).replace("&#x27;", "'"), "mkdocs.yml", 4, "nav lists 'sefety.md'", "did you mean safety.md?"
    )


def test_the_public_version_previews_redacted_and_suppressed(tiny, preview_of):
    replace_in(
        tiny / "content/safety.md",
        "# Safety\n",
        '# Safety\n\nWe met [the Jones family]{.restricted reason="personal-data"} twice.\n',
    )
    p = preview_of(tiny, "--version", "public")
    page = _until(p.url + "safety/", lambda t: "Safety" in t and "<h1" in t, "the public Safety page")
    assert "Jones" not in page and "[REDACTED]" in page
    assert "[c]" in page, "the small count in the MSP table is suppressed"
    assert "not for publication" not in page.lower()
    assert "public version" in p.output()
