"""Keyboard use in a real browser at a desktop width, at 640 px (a laptop at 200% zoom) and
on a phone.

A reader who cannot use a mouse moves with Tab: every stop must be something they can
see, on screen and not covered, with the same focus outline wherever it is. On narrow
screens the navigation is a drawer: its menu button must be a tab stop, Enter must open
the drawer and put focus in it, Escape must close it and give focus back to the button,
and while it is closed none of its links may be a tab stop.

Runs with the browser tests' Chromium (see tests/publish/test_browser.py): skipped without it,
required with CI=true.
"""

from __future__ import annotations

import pytest
from conftest import REPO
from test_browser import serve, site_context

WIDTHS = {1280: 900, 640: 450, 390: 844}
NARROW = (640, 390)


def _sample():
    """From this project's own nav (any council's): the first section's title and the URL of
    a page inside it, the page with the most charts and tables, and the accessibility statement."""
    import yaml

    nav = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader).get("nav") or []
    section, inside = next(
        (
            (title, entries)
            for item in nav
            if isinstance(item, dict)
            for title, entries in item.items()
            if isinstance(entries, list)
        ),
        ("", []),
    )
    pages = [v for e in inside if isinstance(e, dict) for v in e.values() if isinstance(v, str)]
    inner = next((p for p in pages[1:] if not p.endswith("index.md")), pages[0] if pages else "index.md")
    docs = REPO / "content"

    def busy(path):
        text = path.read_text(encoding="utf-8")
        return text.count("chart(") + text.count("data_table(")

    richest = max(docs.rglob("*.md"), key=busy)

    def url(src: str) -> str:
        stem = src.removesuffix(".md")
        return stem.removesuffix("index") if stem.endswith("index") else stem + "/"

    return section, url(inner), url(richest.relative_to(docs).as_posix())


SECTION, IN_SECTION, RICHEST = _sample()
# A sample: the home page, a page inside a section (the drawer opens on its menu), the page
# of most tables and charts, and the accessibility statement, across both versions.
PAGES = [("public", ""), ("public", IN_SECTION), ("internal", RICHEST), ("internal", "about/accessibility/")]
MAX_TABS = 60
FOCUS_YELLOW = "rgb(255, 221, 0)"

FOCUSED = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const r = a.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  // A link that wraps onto two lines has a box per line: it is seen if the middle of one is it.
  const hit = (x0, x1, y0, y1) => {
    if (!(x1 > x0 && y1 > y0)) return false;
    const seen = document.elementFromPoint((x0 + x1) / 2, (y0 + y1) / 2);
    return !!seen && (seen === a || a.contains(seen) || (seen.contains(a) && seen.tagName === 'LABEL'));
  };
  const boxes = Array.from(a.getClientRects());
  const on_top = boxes.some(b => hit(Math.max(b.left, 0), Math.min(b.right, vw), Math.max(b.top, 0), Math.min(b.bottom, vh)));
  const s = getComputedStyle(a);
  const name = a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + (a.className && a.className.baseVal === undefined
    ? '.' + String(a.className).trim().split(/\\s+/).filter(c => c !== 'focus-visible').join('.') : '');
  return {name, text: (a.getAttribute('aria-label') || a.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50),
          left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height, vw, vh,
          visible: a.checkVisibility({visibilityProperty: true, opacityProperty: true}),
          on_top,
          outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor};
}"""


def focus_problem(f: dict) -> str | None:
    """What is wrong with a focused element a reader should be able to see, or None."""
    where = f"<{f['name']}> '{f['text']}'"
    if f["width"] < 1 or f["height"] < 1:
        return f"{where} has focus but is {f['width']:.0f}×{f['height']:.0f} px"
    if not f["visible"]:
        return f"{where} has focus but is hidden (visibility or opacity)"
    fits = f["width"] <= f["vw"] and f["height"] <= f["vh"]
    inside = f["left"] >= -1 and f["top"] >= -1 and f["right"] <= f["vw"] + 1 and f["bottom"] <= f["vh"] + 1
    meets = f["right"] > 0 and f["bottom"] > 0 and f["left"] < f["vw"] and f["top"] < f["vh"]
    if (fits and not inside) or not meets:
        return (
            f"{where} has focus off screen at ({f['left']:.0f}, {f['top']:.0f})–"
            f"({f['right']:.0f}, {f['bottom']:.0f}) in a {f['vw']}×{f['vh']} viewport"
        )
    if not f["on_top"]:
        return f"{where} has focus but something else covers it"
    if f["outline"] != f"solid 3px {FOCUS_YELLOW}":
        return f"{where} has the focus style '{f['outline']}', not the site's 3 px yellow outline"
    return None


def open_page(context, base: str, path: str, width: int):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    page.goto(base + path, wait_until="networkidle")
    return page


def tab_walk(page) -> list[str]:
    """Tab through the page from the top; every problem with a focused element."""
    problems, seen = [], []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        page.wait_for_timeout(60)
        f = page.evaluate(FOCUSED)
        if f is None or (seen and (f["name"], f["text"]) == seen[0]):
            break  # past the last stop, back at the start
        seen.append((f["name"], f["text"]))
        problem = focus_problem(f)
        if problem:
            # Something still moving: the skip link fading in, a menu sliding, a smooth scroll.
            page.wait_for_timeout(400)
            f = page.evaluate(FOCUSED)
            problem = focus_problem(f)
        if problem:
            problems.append(problem)
    return problems


@pytest.fixture(scope="module")
def served(browser, default_sites):
    with (
        serve(default_sites / "internal") as internal,
        serve(default_sites / "public") as public,
        site_context(browser, internal) as (ictx, _),
        site_context(browser, public) as (pctx, _),
    ):
        yield {"internal": (ictx, internal), "public": (pctx, public)}


@pytest.mark.parametrize("width", WIDTHS)
def test_every_tab_stop_is_visible_and_on_screen(served, width):
    problems = []
    for version, path in PAGES:
        context, base = served[version]
        page = open_page(context, base, path, width)
        problems += [f"{version}/{path} at {width} px: {p}" for p in tab_walk(page)]
        page.close()
    assert not problems, "\n".join(problems)


CLOSED_DRAWER_STOPS = """() => Array.from(document.querySelectorAll('.md-sidebar--primary a[href], .md-sidebar--primary label[tabindex], .md-sidebar--primary button'))
  .filter(e => e.tabIndex >= 0 && e.checkVisibility({visibilityProperty: true}))
  .map(e => (e.textContent || '').trim().slice(0, 40))"""

STATE = """() => ({drawer: document.getElementById('__drawer').checked,
  expanded: (document.querySelector('[data-selfeval-toggle=__drawer]') || {getAttribute: () => null}).getAttribute('aria-expanded'),
  on_button: document.activeElement && document.activeElement.getAttribute('data-selfeval-toggle') === '__drawer',
  in_drawer: !!document.activeElement && !!document.activeElement.closest('.md-sidebar--primary')})"""


@pytest.mark.parametrize("width", NARROW)
def test_the_navigation_drawer_opens_and_closes_by_keyboard(served, width):
    context, base = served["public"]
    page = open_page(context, base, IN_SECTION, width)
    assert page.evaluate(CLOSED_DRAWER_STOPS) == [], "links in the closed drawer are tab stops"
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate(STATE)["on_button"]:
            break
    state = page.evaluate(STATE)
    assert state["on_button"], "the menu button is not among the first Tab stops"
    assert state["expanded"] == "false" and not state["drawer"]
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    state = page.evaluate(STATE)
    assert state["drawer"] and state["expanded"] == "true", state
    assert state["in_drawer"], "opening the drawer did not move focus into it"
    assert focus_problem(page.evaluate(FOCUSED)) is None
    # Tab moves through the open drawer's links, each one visible.
    for _ in range(3):
        page.keyboard.press("Tab")
        page.wait_for_timeout(60)
        assert page.evaluate(STATE)["in_drawer"]
        assert focus_problem(page.evaluate(FOCUSED)) is None
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    state = page.evaluate(STATE)
    assert not state["drawer"] and state["expanded"] == "false", state
    assert state["on_button"], "Escape did not give focus back to the menu button"
    assert page.evaluate(CLOSED_DRAWER_STOPS) == [], "links in the drawer stay tab stops after it closed"
    # Space on the button opens it too, as on any button.
    page.keyboard.press(" ")
    page.wait_for_timeout(400)
    assert page.evaluate(STATE)["drawer"]
    page.close()


@pytest.mark.parametrize("width", NARROW)
def test_a_section_of_the_drawer_opens_and_closes_by_keyboard(served, width):
    if not SECTION:
        pytest.skip("this project's navigation has no sections to open")
    context, base = served["public"]
    page = open_page(context, base, IN_SECTION, width)
    page.focus("[data-selfeval-toggle=__drawer]")
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    # The drawer opens on this page's section; its title closes it, back to the list of sections.
    first = page.evaluate(FOCUSED)
    assert first["name"].startswith("label") and first["text"] == SECTION, first
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    opener = page.evaluate(FOCUSED)
    assert opener["text"] == SECTION and focus_problem(opener) is None, opener
    # Space on the entry opens its menu again, with focus on the menu's title.
    page.keyboard.press(" ")
    page.wait_for_timeout(500)
    inside = page.evaluate(FOCUSED)
    assert inside["text"] == SECTION and inside["name"] != opener["name"], (opener, inside)
    assert focus_problem(inside) is None
    page.close()


@pytest.mark.parametrize("width", NARROW)
def test_tabbing_past_the_end_of_the_drawer_closes_it_and_focus_stays_in_sight(served, width):
    context, base = served["public"]
    page = open_page(context, base, "", width)
    page.focus("[data-selfeval-toggle=__drawer]")
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert page.evaluate(STATE)["in_drawer"]
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        page.wait_for_timeout(30)
        if not page.evaluate(STATE)["in_drawer"]:
            break
    # Once the drawer has slid away (0.25 s), what has focus is in sight.
    page.wait_for_timeout(400)
    state, focused = page.evaluate(STATE), page.evaluate(FOCUSED)
    assert not state["in_drawer"], f"{MAX_TABS} Tabs did not leave the drawer"
    assert not state["drawer"] and state["expanded"] == "false", state
    assert focused is None or focus_problem(focused) is None, focused
    page.close()


def test_heading_permalinks_are_not_tab_stops(served):
    context, base = served["public"]
    page = open_page(context, base, IN_SECTION, 1280)
    stops = page.evaluate("() => Array.from(document.querySelectorAll('a.headerlink')).map(a => a.tabIndex)")
    assert stops and all(t == -1 for t in stops), stops
    heading = page.locator("h2:has(a.headerlink)").first
    heading.hover()
    page.wait_for_timeout(300)
    opacity = heading.locator("a.headerlink").evaluate("a => getComputedStyle(a).opacity")
    assert float(opacity) == 1.0, "the ¶ does not show when the heading is hovered"
    page.close()
