"""Both built sites in a real browser: Debian's Chromium driven by Playwright.

Every page of both versions (found by walking the built folders) is opened once over
http://127.0.0.1, in one tab per version that is reused from page to page, and looked at
at three widths: a laptop, the same laptop at 200% zoom and a small phone. What happens
is recorded and each test asserts on one part of it: console errors, requests leaving the
site, the skip link, charts (one picture each at every width, the narrow one on a phone;
their text at least 12 px as drawn on the screen; a narrow picture's labels apart), figures'
provenance, the internal marking, text sizes, what falls off the screen, and axe-core's
findings with every WCAG 2.0-2.2 A and AA rule on.
Search is tried on the public site. The two versions are visited at the same time, one in
a second process with a browser of its own (the machine CI uses has two cores); within a
version, one page at a time.

With CI=true the browser is required: a missing Chromium or Playwright fails the run
instead of skipping it.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, REPORTS, replace_in
from restricted_text import Passage, normalise, restricted_passages
from selfeval.content.sourcetree import served_url
from selfeval.publish.sitecheck import html_files

from selfeval.publish.build import main as build_main

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VERSIONS = ("internal", "public")
# The widths the sites are checked at: a laptop, the same at 200% zoom, a small phone.
WIDTHS = ({"width": 1280, "height": 900}, {"width": 640, "height": 450}, {"width": 320, "height": 800})
# Below this width a chart shows its narrow picture (content/assets/selfeval.css).
NARROW_BELOW = 640
# The least size of a chart's text as it is drawn on the screen, in CSS pixels.
CHART_TEXT_LEAST = 12
# Every WCAG 2.0, 2.1 and 2.2 level A and AA rule axe has, and its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations", "incomplete"]}


def require_browser():
    """Skip (or, under CI=true, fail) when the browser cannot run here."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package is not installed (pip install -r requirements.txt)")
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        missing.append("axe-playwright-python is not installed (pip install -r requirements.txt)")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"Chromium is not at {CHROMIUM} (apt-get install chromium)")
    if missing:
        reason = "; ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests are required when CI=true, but {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path):
    """Serve a folder on 127.0.0.1 at an ephemeral port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class WidthCheck:
    """What axe and the layout probe found at one width."""

    violations: list[dict]
    incomplete: list[dict]
    cut_off: list[str]
    text: dict
    charts: list[dict] = field(default_factory=list)


@dataclass
class Visit:
    """What happened when one page was opened."""

    version: str
    url: str
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    skip: dict = field(default_factory=dict)
    charts: list[dict] = field(default_factory=list)
    page: dict = field(default_factory=dict)
    at: dict[int, WidthCheck] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.version}/{self.url.split('/', 3)[3]}"


@contextmanager
def site_context(browser, base: str):
    """A browser context that lets only requests to ``base`` through, recording the rest."""
    context = browser.new_context(viewport=WIDTHS[0])
    outside: list[str] = []

    def gate(route):
        url = route.request.url
        if url.startswith(base):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", gate)
    try:
        yield context, outside
    finally:
        context.close()


SKIP_PROBE = """() => {
  const a = document.activeElement;
  const r = a.getBoundingClientRect();
  const seen = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {shown: r.width > 0 && r.height > 0 && !!seen && (seen === a || a.contains(seen)), tag: a.tagName.toLowerCase(), cls: a.className || '', text: (a.textContent || '').trim(),
          href: a.getAttribute('href') || ''};
}"""

TARGET_PROBE = """(id) => {
  const t = document.getElementById(id);
  const main = document.querySelector('main');
  if (!t) return {found: false};
  const r = t.getBoundingClientRect();
  return {found: true, in_main: !!(main && main.contains(t)), top: r.top, height: window.innerHeight};
}"""

FOCUS_AFTER_TARGET = """(id) => {
  // The next Tab stop after the skip link's target: in the content, or (on a page whose text
  // has no links) after it, in the footer; never back in the header or the navigation.
  const t = document.getElementById(id), a = document.activeElement;
  return !!(t && a && a !== document.body && (t.contains(a) || (t.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING)));
}"""

CHART_PROBE = """() => Array.from(document.querySelectorAll('figure')).filter(f => f.querySelector('svg')).map(f => {
  const svg = f.querySelector('svg');
  const fr = f.getBoundingClientRect(), sr = svg.getBoundingClientRect();
  const style = getComputedStyle(svg);
  return {label: (f.querySelector('figcaption') || {}).textContent || svg.getAttribute('aria-label') || f.id || 'figure',
          width: sr.width, height: sr.height, figure_width: fr.width, figure_height: fr.height,
          visible: f.checkVisibility({visibilityProperty: true, opacityProperty: true}) &&
                   svg.checkVisibility({visibilityProperty: true, opacityProperty: true}) && style.display !== 'none'};
})"""


# Each table cell and chart must be on screen, or (a cell) inside a region that scrolls
# sideways, can be reached by keyboard and shows that it scrolls.
CUT_OFF_PROBE = """() => {
  const vw = document.documentElement.clientWidth;
  const inside = r => r.left >= -1 && r.right <= vw + 1;
  const scroller = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (/(auto|scroll)/.test(s.overflowX) && a.scrollWidth > a.clientWidth + 1) return a;
    }
    return null;
  };
  const cued = box => {
    const cue = box.previousElementSibling;
    return box.tabIndex === 0 && box.getAttribute('role') === 'region' && !!box.getAttribute('aria-label') &&
      !!cue && cue.classList.contains('scroll-cue') && cue.checkVisibility() && cue.getBoundingClientRect().height > 0;
  };
  const problems = [];
  const items = [...document.querySelectorAll('main td, main th')].map(e => [e, 'cell'])
    .concat([...document.querySelectorAll('main figure svg')].map(e => [e, 'chart']));
  for (const [el, kind] of items) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || inside(r)) continue;
    const box = kind === 'cell' ? scroller(el) : null;
    if (box && inside(box.getBoundingClientRect()) && cued(box)) continue;
    const table = el.closest('table');
    const where = table ? ((table.querySelector('caption') || {}).textContent || 'a table without a caption') : 'a chart';
    problems.push(`${kind} '${el.textContent.trim().slice(0, 30)}' in '${where.trim().slice(0, 50)}' spans ` +
                  `${Math.round(r.left)}-${Math.round(r.right)} px of ${vw}` + (box ? ' in a scroll box without a visible cue' : ''));
  }
  return problems.slice(0, 10);
}"""

# Each chart: which of its pictures are shown, the smallest of the shown picture's texts as drawn
# (its font size times the picture's scale on the screen), and which two of its texts overlap:
# each text's box (getBBox, the whole height of its font) is taken through its rotation and
# scale to the screen, and two boxes overlap unless an edge of one separates them.
CHART_TEXT_PROBE = """() => {
  const corners = el => {
    const b = el.getBBox(), m = el.getScreenCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m)).map(p => [p.x, p.y]);
  };
  const apart = (a, b) => [a, b].some(shape => shape.some((p, i) => {
    const q = shape[(i + 1) % shape.length], nx = q[1] - p[1], ny = p[0] - q[0], len = Math.hypot(nx, ny) || 1;
    const along = s => s.map(([x, y]) => (x * nx + y * ny) / len);
    const pa = along(a), pb = along(b);
    return Math.max(...pa) <= Math.min(...pb) + 0.5 || Math.max(...pb) <= Math.min(...pa) + 0.5;
  }));
  return [...document.querySelectorAll('main figure.chart')].map(figure => {
    const shown = [...figure.querySelectorAll('svg')].filter(s =>
      s.checkVisibility({visibilityProperty: true, opacityProperty: true}) && s.getBoundingClientRect().width > 0);
    const result = {id: figure.id, shown: shown.map(s => s.classList.contains('chart-narrow') ? 'narrow' : 'wide'),
                    smallest: null, smallest_text: '', overlaps: []};
    if (shown.length !== 1) return result;
    const texts = [...shown[0].querySelectorAll('text')].filter(t => t.textContent.trim() !== '');
    texts.forEach(t => {
      const m = t.getScreenCTM(), size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (result.smallest === null || size < result.smallest) { result.smallest = size; result.smallest_text = t.textContent; }
    });
    const shapes = texts.map(corners);
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++)
        if (!apart(shapes[i], shapes[j])) result.overlaps.push(`'${texts[i].textContent}' and '${texts[j].textContent}'`);
    return result;
  });
}"""

# The smallest text of each kind that is on screen, and how headings look.
TEXT_PROBE = """() => {
  const shown = el => el.checkVisibility({visibilityProperty: true}) && el.getClientRects().length > 0 &&
    (el.textContent || '').trim() !== '';
  const smallest = selector => {
    const sizes = [...document.querySelectorAll(selector)].filter(shown).map(e => parseFloat(getComputedStyle(e).fontSize));
    return sizes.length ? Math.min(...sizes) : null;
  };
  const h1 = document.querySelector('main h1');
  const style = h1 ? getComputedStyle(h1) : null;
  return {
    body: smallest('main .md-typeset > p:not(.scroll-cue)'),
    tables: smallest('main .md-typeset table td, main .md-typeset table th'),
    captions: smallest('main .md-typeset caption, main .md-typeset figcaption, main .md-typeset .table-source, ' +
                       'main .md-typeset .table-note, main .md-typeset .chart-source, main .md-typeset .chart-note'),
    boxes: smallest('main .md-typeset .admonition p, main .md-typeset .admonition li, main .md-typeset details p'),
    h1: style ? {weight: parseInt(style.fontWeight, 10), colour: style.color} : null,
  };
}"""

# Whether the internal banner's words are drawn (checked with the print stylesheet on).
PRINTED_BANNER_PROBE = """() => {
  const banner = document.querySelector('.internal-banner');
  if (!banner) return null;
  const r = banner.getBoundingClientRect();
  return {shown: banner.checkVisibility({visibilityProperty: true, opacityProperty: true}) && r.height > 0,
          text: banner.innerText.trim()};
}"""

# Header cells over numeric columns line up with the numbers below them.
ALIGN_PROBE = """() => {
  const problems = [];
  for (const table of document.querySelectorAll('main table')) {
    const head = table.tHead && table.tHead.rows[0];
    if (!head) continue;
    const rows = [...table.tBodies].flatMap(b => [...b.rows]).filter(r => r.cells.length === head.cells.length);
    [...head.cells].forEach((th, i) => {
      const cells = rows.map(r => r.cells[i]).filter(c => c.tagName === 'TD' && c.textContent.trim() !== '');
      if (cells.length && cells.every(c => getComputedStyle(c).textAlign === 'right') &&
          getComputedStyle(th).textAlign !== 'right')
        problems.push(`'${th.textContent.trim().slice(0, 30)}' in '${((table.caption || {}).textContent || '').trim().slice(0, 40)}'`);
    });
  }
  return problems;
}"""

# The page's title, and whether the internal banner stays on screen when the reader scrolls.
PAGE_PROBE = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const banner = document.querySelector('.internal-banner');
  const result = {title: document.title, banner: null, misaligned: []};
  if (banner) {
    window.scrollTo(0, document.documentElement.scrollHeight / 2);
    await frame();
    const r = banner.getBoundingClientRect();
    const seen = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    result.banner = {top: r.top, bottom: r.bottom, scrolled: window.scrollY, shown: !!seen && banner.contains(seen)};
    window.scrollTo(0, 0);
    await frame();
  }
  return result;
}"""


def visit_page(page, outside: list[str], version: str, url: str) -> Visit:
    """Open one page in the context's one tab, then check it at each width in turn."""
    visit = Visit(version, url)
    handlers = {
        "console": lambda m: m.type == "error" and visit.console_errors.append(m.text),
        "pageerror": lambda e: visit.console_errors.append(f"uncaught: {e}"),
        "response": lambda r: r.status >= 400 and visit.failed_responses.append(f"{r.status} {r.url}"),
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    before = len(outside)
    page.set_viewport_size(WIDTHS[0])
    # The sites are static and local: once loaded, with their fonts, a page is complete.
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")

    # Keyboard: the first Tab from the top lands on the skip link; Enter takes the reader to the content.
    page.keyboard.press("Tab")
    page.evaluate(SETTLED)  # the skip link slides into view when focused
    first = page.evaluate(SKIP_PROBE)
    visit.skip = {"first": first}
    if "md-skip" in first["cls"] and first["href"].startswith("#"):
        page.keyboard.press("Enter")
        page.wait_for_timeout(150)
        target = first["href"][1:]
        visit.skip["hash"] = page.evaluate("() => decodeURIComponent(location.hash.slice(1))")
        visit.skip["target"] = page.evaluate(TARGET_PROBE, target)
        page.keyboard.press("Tab")
        visit.skip["next_after_target"] = page.evaluate(FOCUS_AFTER_TARGET, target)
    page.evaluate("() => { window.scrollTo(0, 0); document.activeElement && document.activeElement.blur(); }")

    visit.charts = page.evaluate(CHART_PROBE)
    visit.page = page.evaluate(PAGE_PROBE)
    visit.page["misaligned"] = page.evaluate(ALIGN_PROBE)
    visit.page["figures"] = open_a_figure(page)
    page.emulate_media(media="print")
    visit.page["printed_banner"] = page.evaluate(PRINTED_BANNER_PROBE)
    page.emulate_media(media="screen")
    for size in WIDTHS:
        page.set_viewport_size(size)
        # Checked at rest: the header's title swaps with a fade when the page scrolls back to the top.
        page.evaluate(SETTLED)
        visit.at[size["width"]] = check_width(page)
    visit.outside_requests = outside[before:]
    for event, handler in handlers.items():
        page.remove_listener(event, handler)
    return visit


FIGURES_SHOWN = """() => {
  const about = [...document.querySelectorAll('main .figure-about')];
  return {count: about.length, shown: about.filter(a => a.checkVisibility() && a.getClientRects().length > 0).length};
}"""

FIRST_FIGURE = """() => {
  const button = document.querySelector('main button.figure-value');
  const about = button.nextElementSibling;
  const r = about.getBoundingClientRect();
  return {expanded: button.getAttribute('aria-expanded'), shown: about.checkVisibility() && r.height > 0,
          text: about.innerText, focused: document.activeElement === button};
}"""


def open_a_figure(page) -> dict:
    """Whether figures' provenance starts hidden, and the first one opens by keyboard and closes with Escape."""
    found = {"before": page.evaluate(FIGURES_SHOWN)}
    if found["before"]["count"]:
        page.focus("main button.figure-value")
        page.keyboard.press("Enter")
        found["opened"] = page.evaluate(FIRST_FIGURE)
        page.keyboard.press("Escape")
        found["closed"] = page.evaluate(FIRST_FIGURE)
        page.evaluate("() => { window.scrollTo(0, 0); document.activeElement && document.activeElement.blur(); }")
    return found


def figure_problems(found: dict) -> list[str]:
    before = found["before"]
    if not before["count"]:
        return []
    problems = []
    if before["shown"]:
        problems.append(f"{before['shown']} of {before['count']} figures show their provenance before they are opened")
    opened, closed = found["opened"], found["closed"]
    if not (opened["expanded"] == "true" and opened["shown"] and " as of " in opened["text"]):
        problems.append(f"Enter on the first figure did not show its period, date and source ({opened})")
    if not (closed["expanded"] == "false" and not closed["shown"] and closed["focused"]):
        problems.append(f"Escape did not hide the first figure's provenance and keep focus on it ({closed})")
    return problems


# Resolves when every running animation and transition (a focused link sliding in) has ended.
# At rest: two frames have passed with no animation or transition running, so one that
# starts a frame late (the header's title fades after a scroll or resize is noticed) is
# waited for too; at most 2 s.
SETTLED = """() => new Promise(resolve => {
  const until = performance.now() + 2000;
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const step = () => frames().then(() => {
    const running = document.getAnimations().filter(a => a.playState === 'running');
    if (!running.length || performance.now() > until) return resolve();
    Promise.race([Promise.all(running.map(a => a.finished.catch(() => null))),
                  new Promise(r => setTimeout(r, Math.max(0, until - performance.now())))]).then(step);
  });
  step();
})"""


def run_axe(page) -> dict:
    """axe-core's results for the page as it is now; axe is put into the page once per load."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        from axe_playwright_python.sync_playwright import Axe

        page.evaluate(Axe().axe_script)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)


def check_width(page) -> WidthCheck:
    """axe with every WCAG A and AA rule and best practice, and what falls off the screen, at one width."""
    result = run_axe(page)
    return WidthCheck(
        violations=result["violations"],
        incomplete=result["incomplete"],
        cut_off=page.evaluate(CUT_OFF_PROBE),
        text=page.evaluate(TEXT_PROBE),
        charts=page.evaluate(CHART_TEXT_PROBE),
    )


def visit_site(browser, site: Path, version: str) -> list[Visit]:
    """Every page of one version, in one tab reused from page to page."""
    with serve(site) as base, site_context(browser, base) as (context, outside):
        page = context.new_page()
        visits = [visit_page(page, outside, version, base + served_url(rel)) for rel in html_files(site)]
        page.close()
    return visits


def visit_sites(browser, out: Path) -> list[Visit]:
    """Every page of both versions: the first version in a second process, with a Chromium
    of its own, while this one visits the other (each process drives one page at a time,
    and the machine has two cores)."""
    first, *rest = VERSIONS
    with tempfile.TemporaryDirectory(prefix="visits-") as tmp:
        result = Path(tmp) / f"{first}.pickle"
        child = subprocess.Popen(
            [sys.executable, __file__, "--visit", str(out / first), first, str(result)],
            cwd=Path(__file__).parent,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            visits = [v for version in rest for v in visit_site(browser, out / version, version)]
        finally:
            _, err = child.communicate()
        assert child.returncode == 0, f"visiting the {first} site failed:\n{err}"
        return pickle.loads(result.read_bytes()) + visits


def _visit_in_this_process(site: str, version: str, result: str) -> None:
    """``python test_browser.py --visit SITE VERSION RESULT``: visit_sites' second process."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            Path(result).write_bytes(pickle.dumps(visit_site(chromium, Path(site), version)))
        finally:
            chromium.close()


# What axe could not decide on its own, looked at by hand on the built pages: for each rule,
# axe's reason (a part of its message) and why that is not a failure here. An undecided item
# whose reason is not listed fails the tests until someone has looked at it and said why.
INCOMPLETE_EXPLAINED: dict[str, dict[str, str]] = {
    "color-contrast": {
        "partially obscured by another element": "navigation links that the sidebar has scrolled partly under its own sticky title or past its edge; "
        "in view they are the theme's near-black (rgba(0,0,0,.87), over 15:1) or link blue #1d4f91 (8.1:1) on white.",
        "partially overlaps other elements": "the navigation's title label, drawn in the header colour #1d4470 with white text (10:1) or near-black "
        "on white; axe cannot tell which because the label overlaps the drawer.",
        "contains an image node": "text inside a chart's SVG: every chart label is #0b0c0c on the chart's white background (19:1), "
        "set by the chart theme and checked by its tests.",
        "only non-text characters": "the status and rating symbols (● ▲ ✕ ○ ✓ ⚠), hidden from screen readers and always next to the word "
        "they stand for, in the same colour as that word (at least 5.6:1 on white).",
        "background gradient": "a gap in the CQC coverage table, bold #b3261e on white hatched with #fbeaea (5.6:1 on the darker "
        "stripe), or a table cell over the white shadow that marks a table scrolling sideways.",
        "axe encountered an error": "the title of a navigation section inside the closed navigation drawer, which is off screen at this "
        "width; axe stops on it. Open, the drawer shows it near-black on white (over 15:1).",
        "too short to determine": "a one-character axis label inside a chart ('0'), #0b0c0c on white like every chart label (19:1).",
        "is overlapped by another element": "a period label set at 45 degrees under a chart's narrow picture: the upright rectangle axe takes "
        "around it reaches over its slanted neighbours, though the words themselves are apart (the chart "
        "tests check their rotated boxes); like every chart label it is #0b0c0c on white (19:1).",
    },
    "th-has-data-cells": {
        "data cells are missing or empty": "CQC coverage: each theme's name heads its own group of rows (<th scope=rowgroup> in the group's first "
        "row, across every column); the rows under it hold the data cells, which axe does not connect to it.",
    },
}


# Explanations that hold only for the elements they name: the reason's words, and what the
# element's own markup holds (the 45-degree turn Vega writes on a slanted label).
EXPLAINED_ONLY_FOR = {("color-contrast", "is overlapped by another element"): "rotate(315)"}


def unexplained(rule: str, node: dict) -> bool:
    reasons = [m["message"] for m in node["any"] + node["all"] + node["none"]] or [""]
    explained = [
        part for part in INCOMPLETE_EXPLAINED.get(rule, {}) if EXPLAINED_ONLY_FOR.get((rule, part), "") in node.get("html", "")
    ]
    return not all(any(part.lower() in reason.lower() for part in explained) for reason in reasons)


def findings(visits: list[Visit], kind: str) -> dict[str, list[str]]:
    """Rule id → 'page at width: element' for every violation or undecided item."""
    found: dict[str, list[str]] = {}
    for visit in visits:
        for width, check in visit.at.items():
            for item in getattr(check, kind):
                for node in item["nodes"]:
                    found.setdefault(item["id"], []).append(f"{visit.name} at {width} px: {' '.join(node['target'])}")
    return found


def write_axe_report(visits: list[Visit], path: Path) -> Path:
    """What was checked, every violation, and each undecided item with why it is not a failure."""
    widths = ", ".join(f"{w['width']}×{w['height']}" for w in WIDTHS)
    lines = [
        "# Accessibility report (axe-core)",
        "",
        f"{len(visits)} page(s) of both versions checked in Chromium at {widths} px with axe-core "
        f"(rules tagged {', '.join(AXE_TAGS)}: every WCAG 2.0, 2.1 and 2.2 A and AA rule and the best "
        "practices). Any violation fails the tests.",
        "",
        "## Violations",
        "",
    ]
    violations = findings(visits, "violations")
    if not violations:
        lines.append("None.")
    for rule, where in sorted(violations.items()):
        lines.append(f"- `{rule}` ({len(where)} element(s)): " + "; ".join(where[:8]))
    lines += ["", "## Needs review (axe could not decide)", ""]
    undecided = findings(visits, "incomplete")
    if not undecided:
        lines.append("None.")
    for rule, where in sorted(undecided.items()):
        lines.append(f"- `{rule}` ({len(where)} element(s), e.g. {'; '.join(where[:3])}). Why each is not a failure:")
        lines += [f"  - *{reason}*: {why}" for reason, why in INCOMPLETE_EXPLAINED.get(rule, {}).items()]
    strays = unexplained_items(visits)
    if strays:
        lines += ["", "Not yet looked at (these fail the tests until they are explained):", ""]
        lines += [f"- {item}" for item in strays]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    extra = os.environ.get("SELFEVAL_AXE_REPORT")
    if extra:
        Path(extra).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, extra)
        return Path(extra)
    return path


@pytest.fixture(scope="session")
def visits(browser, default_sites, tmp_path_factory) -> list[Visit]:
    found = visit_sites(browser, default_sites)
    assert {v.version for v in found} == set(VERSIONS)
    report = write_axe_report(found, tmp_path_factory.mktemp("axe") / "axe-report.md")
    REPORTS.append(f"accessibility report (axe-core): {report}")
    return found


def failures(visits, what) -> list[str]:
    return [f"{v.name}: {item}" for v in visits for item in what(v)]


def test_every_page_of_both_sites_is_visited_at_every_width(visits, default_sites):
    for version in VERSIONS:
        expected = len(html_files(default_sites / version))
        assert expected >= 2 and sum(v.version == version for v in visits) == expected
    assert all(sorted(v.at) == sorted(w["width"] for w in WIDTHS) for v in visits)


def test_pages_load_without_console_errors(visits):
    found = failures(visits, lambda v: v.console_errors + v.failed_responses)
    assert not found, "\n".join(found)


def test_no_request_leaves_the_site(visits):
    found = failures(visits, lambda v: v.outside_requests)
    assert not found, "requests to anywhere but the site itself:\n" + "\n".join(found)


def test_no_accessibility_violations_of_any_impact_at_any_width(visits):
    found = failures(
        visits,
        lambda v: [
            f"at {width} px: {x['impact']} {x['id']}: {x['help']} — {', '.join(' '.join(n['target']) for n in x['nodes'][:5])}"
            for width, check in v.at.items()
            for x in check.violations
        ],
    )
    assert not found, "\n".join(found)


def unexplained_items(visits: list[Visit]) -> list[str]:
    return [
        f"{visit.name} at {width} px: `{item['id']}` {' '.join(node['target'])}: "
        f"{'; '.join(m['message'] for m in node['any'] + node['all'] + node['none'])}"
        for visit in visits
        for width, check in visit.at.items()
        for item in check.incomplete
        for node in item["nodes"]
        if unexplained(item["id"], node)
    ]


def test_every_undecided_accessibility_item_is_explained(visits):
    strays = unexplained_items(visits)
    assert not strays, "axe could not decide these; look at them and explain them in INCOMPLETE_EXPLAINED:\n" + "\n".join(
        strays[:20]
    )


def test_no_table_cell_or_chart_is_cut_off_at_any_width(visits):
    found = failures(visits, lambda v: [f"at {width} px: {p}" for width, check in v.at.items() for p in check.cut_off])
    assert not found, "\n".join(found)


def text_problems(text: dict) -> list[str]:
    wanted = {"body": 19, "tables": 16, "captions": 16, "boxes": 16}
    problems = [
        f"{kind} text is {text[kind]:.1f} px, under {least} px"
        for kind, least in wanted.items()
        if text[kind] is not None and text[kind] < least - 0.05
    ]
    h1 = text["h1"]
    if h1 and (h1["weight"] < 700 or not dark(h1["colour"])):
        problems.append(f"the main heading is weight {h1['weight']} in {h1['colour']}, not bold near-black")
    return problems


def dark(colour: str) -> bool:
    """Near-black: every channel of an rgb() colour at most 0x40."""
    channels = [float(c) for c in colour[colour.index("(") + 1 : colour.index(")")].replace("/", ",").split(",")[:3]]
    return all(c <= 64 for c in channels)


def test_text_is_large_enough_to_read_at_every_width(visits):
    found = failures(
        visits, lambda v: [f"at {width} px: {p}" for width, check in v.at.items() for p in text_problems(check.text)]
    )
    assert not found, "\n".join(found)


def test_figures_open_their_provenance_by_keyboard_and_start_closed(visits):
    found = failures(visits, lambda v: figure_problems(v.page["figures"]))
    assert any(v.page["figures"]["before"]["count"] for v in visits), "no page has a figure to open"
    assert not found, "\n".join(found)


def test_headers_of_numeric_columns_line_up_with_their_numbers(visits):
    found = failures(visits, lambda v: [f"header {h} is not right-aligned over its numbers" for h in v.page["misaligned"]])
    assert not found, "\n".join(found)


def test_internal_pages_say_so_in_their_title_and_keep_the_banner_on_screen_and_in_print(visits):
    problems = []
    for visit in visits:
        title, banner = visit.page["title"], visit.page["banner"]
        if visit.version == "internal":
            if not title.startswith("INTERNAL – "):
                problems.append(f"{visit.name}: title '{title}' does not start 'INTERNAL – '")
            if banner is None:
                problems.append(f"{visit.name}: no internal banner")
            elif banner["scrolled"] > 0 and not (banner["top"] >= 0 and banner["shown"]):
                problems.append(f"{visit.name}: the internal banner is off screen once the page is scrolled ({banner})")
            printed = visit.page["printed_banner"]
            if not (printed and printed["shown"] and "not for publication" in printed["text"].lower()):
                problems.append(f"{visit.name}: printed, the page loses its internal banner ({printed})")
        elif "INTERNAL" in title or banner is not None:
            problems.append(f"{visit.name}: the public page is marked internal (title '{title}')")
    assert not problems, "\n".join(problems)


def test_skip_link_reaches_the_main_content_by_keyboard(visits):
    problems = []
    for visit in visits:
        skip = visit.skip
        first = skip["first"]
        if "md-skip" not in first["cls"] or first["text"] != "Skip to content":
            problems.append(
                f"{visit.name}: the first Tab stop is <{first['tag']} class='{first['cls']}'> "
                f"'{first['text'][:40]}', not the 'Skip to content' link"
            )
            continue
        if not first["shown"]:
            problems.append(f"{visit.name}: the focused skip link is not visible on screen")
            continue
        target = skip["target"]
        if skip["hash"] != first["href"][1:] or not target.get("found") or not target["in_main"]:
            problems.append(f"{visit.name}: Enter on the skip link did not go to an element in <main> ({skip})")
        elif not 0 <= target["top"] < target["height"]:
            problems.append(f"{visit.name}: the skip link's target is off screen after Enter ({target})")
        elif not skip["next_after_target"]:
            problems.append(f"{visit.name}: after the skip link, the next Tab stop goes back before the content")
    assert not problems, "\n".join(problems)


def chart_problems(charts: list[dict]) -> list[str]:
    return [
        f"chart '{c['label'].strip()[:60]}' is not visible (visible={c['visible']}, {c['width']:.0f}×{c['height']:.0f} px)"
        for c in charts
        if not (c["visible"] and c["width"] > 0 and c["height"] > 0 and c["figure_width"] > 0 and c["figure_height"] > 0)
    ]


def test_charts_are_visible(visits):
    found = failures(visits, lambda v: chart_problems(v.charts))
    assert not found, "\n".join(found)


def test_each_chart_shows_one_picture_the_narrow_one_on_a_phone(visits):
    found = failures(
        visits,
        lambda v: [
            f"at {width} px: chart '{c['id']}' shows {c['shown'] or 'no picture'}, not one {wanted} picture"
            for width, check in v.at.items()
            for c in check.charts
            for wanted in ["narrow" if width < NARROW_BELOW else "wide"]
            if c["shown"] != [wanted]
        ],
    )
    assert any(check.charts for v in visits for check in v.at.values()), "no page has a chart"
    assert not found, "\n".join(found)


def test_chart_text_is_at_least_12_px_on_the_screen_at_every_width(visits):
    found = failures(
        visits,
        lambda v: [
            f"at {width} px: chart '{c['id']}' draws '{c['smallest_text']}' {c['smallest']:.1f} px high"
            for width, check in v.at.items()
            for c in check.charts
            if c["smallest"] is not None and c["smallest"] < CHART_TEXT_LEAST - 0.05
        ],
    )
    assert not found, "\n".join(found)


def test_no_two_labels_of_a_narrow_chart_overlap(visits):
    found = failures(
        visits,
        lambda v: [
            f"at {width} px: chart '{c['id']}': {', '.join(c['overlaps'][:5])} overlap"
            for width, check in v.at.items()
            for c in check.charts
            if c["shown"] == ["narrow"] and c["overlaps"]
        ],
    )
    assert any(c["shown"] == ["narrow"] for v in visits for check in v.at.values() for c in check.charts)
    assert not found, "\n".join(found)


# Search ---------------------------------------------------------------------------------


def search(page, query: str) -> list[str]:
    """Type a query into the site's search box; the text of each result shown."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.type(query, delay=10)
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Initiali[sz]ing|Type to start/i.test(m.textContent); }",
        timeout=15000,
    )
    page.wait_for_timeout(300)
    meta.wait_for()
    return [t for t in page.locator(".md-search-result__item").all_inner_texts()]


def index_texts(site: Path) -> list[str]:
    data = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    return [normalise(f"{d.get('title', '')} {d.get('text', '')}") for d in data["docs"]]


def leaked(probes: list[str], texts: list[str]) -> list[str]:
    return [p for p in probes if any(p in t for t in texts)]


def search_site(browser, site: Path, queries: list[str]) -> dict[str, list[str]]:
    with serve(site) as base, site_context(browser, base) as (context, outside):
        page = context.new_page()
        page.goto(base, wait_until="networkidle")
        results = {q: [normalise(r) for r in search(page, q)] for q in queries}
        assert not outside, outside
    return results


def probes_of(passages: list[Passage]) -> list[str]:
    return sorted({p for passage in passages for p in passage.probes()})


def test_public_search_finds_pages(browser, default_sites):
    results = search_site(browser, default_sites / "public", ["safeguarding"])["safeguarding"]
    assert results, "searching the public site for 'safeguarding' showed no results"
    assert any("safeguarding" in r for r in results)


def test_public_search_finds_no_restricted_text_of_the_content(browser, default_sites):
    passages = restricted_passages(REPO / "content")
    probes = probes_of(passages)
    assert not leaked(probes, index_texts(default_sites / "public")), "restricted text is in the public search index"
    # The search box too, for a sample of passages (each query takes a moment).
    sample = probes[:15]
    if sample:
        results = search_site(browser, default_sites / "public", sample)
        shown = {q: r for q, r in results.items() if any(q in text for text in r)}
        assert not shown, f"public search shows restricted text: {shown}"


CANARY_PAGE = """---
title: Canary
---

# Canary

This page is public; some of what follows is not.

::: restricted reason="draft"
The zebra lighthouse marmalade committee met in private about the canary budget.
:::

Residents saw [the quiet walrus orchestra plan was shelved]{.restricted} last spring.

<figure class="chart" markdown>
<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120" role="img"
     aria-label="Canary chart"><rect x="10" y="10" width="200" height="100" fill="#1d4470"/></svg>
<figcaption>Canary chart</figcaption>
</figure>
"""


@pytest.fixture(scope="module")
def canary_sites(tmp_path_factory) -> tuple[Path, list[Passage]]:
    """The tiny project with a page of restricted passages and a chart, built once."""
    root = tmp_path_factory.mktemp("canary") / "tiny"
    shutil.copytree(FIXTURES / "tiny", root)
    (root / "content/canary.md").write_text(CANARY_PAGE, encoding="utf-8")
    replace_in(root / "mkdocs.yml", "  - Figures: figures.md", "  - Canary: canary.md\n  - Figures: figures.md")
    out = root / "site"
    assert build_main(["--root", str(root), "--out", str(out)]) == 0
    return out, restricted_passages(root / "content")


def test_restricted_passages_are_read_from_the_markers():
    passages = restricted_passages_of(CANARY_PAGE)
    assert [p.line for p in passages] == [10, 13]
    assert passages[0].probes() == ["the zebra lighthouse marmalade committee met in private"]
    assert passages[1].text == "the quiet walrus orchestra plan was shelved"


def restricted_passages_of(text: str) -> list[Passage]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        content.mkdir()
        (content / "canary.md").write_text(text, encoding="utf-8")
        return restricted_passages(content)


def test_canary_chart_is_visible(browser, canary_sites):
    out, _ = canary_sites
    with serve(out / "public") as base, site_context(browser, base) as (context, outside):
        visit = visit_page(context.new_page(), outside, "public", base + "canary/")
    assert len(visit.charts) == 1 and not chart_problems(visit.charts), visit.charts


def test_canary_restricted_text_is_found_internally_and_not_publicly(browser, canary_sites):
    out, passages = canary_sites
    probes = probes_of(passages)
    assert len(probes) == 2
    public_html = (out / "public/canary/index.html").read_text(encoding="utf-8")
    if "::: restricted" in public_html or "{.restricted" in public_html:
        pytest.skip("this build does not process restricted markers yet: they reach the page as plain text")
    internal = search_site(browser, out / "internal", probes)
    assert all(any(p in r for r in internal[p]) for p in probes), f"internal search misses the canary: {internal}"
    assert not leaked(probes, index_texts(out / "public")), "restricted canary text is in the public search index"
    public = search_site(browser, out / "public", probes)
    assert not any(p in r for p in probes for r in public[p]), f"public search shows restricted text: {public}"


class _Cells(HTMLParser):
    """Each table row's cell texts, and the text of each figure's provenance, from built HTML."""

    def __init__(self):
        super().__init__()
        self.rows, self.provenance, self._cell, self._about = [], [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self._cell = []
        elif tag == "span" and ("class", "figure-about") in attrs:
            self._about = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "span" and self._about is not None:  # the provenance holds no nested span
            self.provenance.append("".join(self._about).strip(" ()"))
            self._about = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._about is not None:
            self._about.append(data)


def test_search_index_keeps_table_cells_apart_and_leaves_provenance_out(canary_sites):
    out, _ = canary_sites
    site = out / "public"
    texts = " ".join(d["text"] for d in json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"])
    texts = " ".join(re.sub(r"<[^>]+>", " ", texts).split())
    run_together, shown, pairs, figures = [], [], 0, 0
    for rel in html_files(site):
        cells = _Cells()
        cells.feed((site / rel).read_text(encoding="utf-8"))
        for row in cells.rows:
            for a, b in zip(row, row[1:]):
                # Short cells ("1", "12") joined could be any number in the text; longer ones cannot.
                if len(a) >= 3 and len(b) >= 3 and a[-1].isalnum() and b[0].isalnum():
                    pairs += 1
                    run_together += [f"{rel}: '{a}{b}'"] if f"{a}{b}" in texts else []
        figures += len(cells.provenance)
        shown += [f"{rel}: {p}" for p in cells.provenance if p and p in texts]
    assert pairs and figures, "the fixture has no table or no figure to look at"
    assert not run_together, f"search text runs neighbouring cells together: {run_together[:5]}"
    assert not shown, f"a figure's provenance is in the search index: {shown[:5]}"


if __name__ == "__main__" and sys.argv[1:2] == ["--visit"]:
    # As the module the tests import, so that what is pickled here unpickles there.
    import test_browser

    test_browser._visit_in_this_process(*sys.argv[2:5])
