"""Printing the print document to PDF with headless Chromium, and finishing the file.

Chromium (Debian's ``chromium``, driven through Playwright, the browser the tests use)
prints the print document in about a second: CSS Paged Media margin boxes give the
running headers and "Page N of M", ``tagged=True`` writes the structure tree screen
readers follow and ``outline=True`` the bookmarks. Chromium has no ``target-counter()``,
so the page each cross-reference leads to is read back from the PDF's named
destinations (one per linked id) and written into the links, and the document is
printed again from the same loaded page. The pages where the links landed last time are
written in before the first print, so when nothing has moved that print is the last;
with nothing known the first print is a quicker untagged draft. Chromium writes neither
XMP metadata nor a language more precise than the document's, so both are added
afterwards as an incremental update of the file, which leaves every byte Chromium wrote
in place.

The browser may read only files under the folders it is given; every other request
(the network above all) is refused and reported.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from selfeval.publish.pdftext import NUMBER

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--no-first-run",
]
MAX_PAGE_PASSES = 5
LANGUAGE = "en-GB"

# Sets data-page on every in-document link (the print stylesheet decides which show it),
# marks a link whose page an earlier link in the same table row already gives, and reports
# whether any number changed.
_SET_PAGES = """pages => {
  let changed = false;
  for (const a of document.querySelectorAll('a[href^="#"]')) {
    const page = pages[decodeURIComponent(a.getAttribute('href').slice(1))];
    if (page === undefined) {
      if (a.hasAttribute('data-page') && a.getAttribute('data-page') !== '00') { a.removeAttribute('data-page'); changed = true; }
      continue;
    }
    if (a.getAttribute('data-page') !== String(page)) { a.setAttribute('data-page', String(page)); changed = true; }
  }
  for (const row of document.querySelectorAll('tr')) {
    const shown = new Set();
    for (const a of row.querySelectorAll('a[href^="#page-"][data-page]')) {
      const page = a.getAttribute('data-page');
      if (a.classList.contains('page-repeat') !== shown.has(page)) { a.classList.toggle('page-repeat'); changed = true; }
      shown.add(page);
    }
  }
  return changed;
}"""


# A link to an id the document has, and no page yet, gets a placeholder as wide as one;
# a link to nothing gets no page at all.
_PLACEHOLDERS = """() => {
  for (const a of document.querySelectorAll('a[href^="#"]')) {
    const target = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
    if (!target) a.removeAttribute('data-page');
    else if (!a.hasAttribute('data-page')) a.setAttribute('data-page', '00');
  }
}"""


# Tables whose words can all stay whole: each is marked whole-words (see print.css) and the
# document laid out; a table then wider than its container is tried again a little smaller,
# with narrower gaps between its columns (compact), and if still too wide loses both marks, since a
# table wider than the page would make Chromium shrink every page to fit it.
_WHOLE_WORDS = """() => {
  // Decided once, with every page number shown and as wide as the widest (digits are all
  // as wide), so that no number written in later can widen a table past the page.
  const numbered = [...document.querySelectorAll('a[data-page]')];
  const kept = numbered.map(a => [a.getAttribute('data-page'), a.classList.contains('page-repeat')]);
  for (const a of numbered) { a.setAttribute('data-page', '000'); a.classList.remove('page-repeat'); }
  const tables = [...document.querySelectorAll('table')];
  const wide = t => t.getBoundingClientRect().width > t.parentElement.getBoundingClientRect().width + 0.5;
  for (const t of tables) { t.classList.remove('compact'); t.classList.add('whole-words'); }
  let over = tables.filter(wide);
  for (const t of over) t.classList.add('compact');
  over = over.filter(wide);
  for (const t of over) t.classList.remove('whole-words', 'compact');
  numbered.forEach((a, i) => { a.setAttribute('data-page', kept[i][0]); a.classList.toggle('page-repeat', kept[i][1]); });
  return over.length;
}"""
# A part's name: its first chapter's id and a hash of its words, so a part whose words
# change is decided again rather than kept as an earlier build set it.
_PART_NAME = """const partName = part => {
  const first = part.querySelector('section.chapter[id]'), text = part.textContent;
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
  return (first ? first.id : '') + ':' + h.toString(16);
};"""
# Puts back the page numbers (and repeat marks) _ISOLATE kept when it first took them out.
_PUT_PAGES_BACK = """const putPagesBack = () => {
  for (const [a, page, repeat] of window.keptPages || []) { a.setAttribute('data-page', page); a.classList.toggle('page-repeat', repeat); }
};"""
# Each part's name and whether it is set tight (see print.css); given a list of names, the
# parts to set tight, every other part loose.
_PARTS = (
    """tighten => { """
    + _PART_NAME
    + """
  return [...document.querySelectorAll('div.part')].map(part => {
    if (tighten !== null) part.classList.toggle('tight', tighten.includes(partName(part)));
    return [partName(part), part.classList.contains('tight')];
  });
}"""
)
# Lays out only the parts named, and every page number as the placeholder with none hidden
# as a repeat, as a first build's draft lays them out (everything else is left out, print.css
# .left-out); given null, everything as it was. A part starts on a page of its own, so it
# lays out alone as it does in the whole document, and a print of one part alone is quick.
# Chromium writes a named destination only for an id that a link laid out on the pages leads
# to, and the links to a part are mostly elsewhere (the contents): while parts are alone, an
# empty box of no size at the top of the first page holds an empty link to every id some link
# leads to, so that the draft tells on which of its pages each of the part's ids lands.
_ISOLATE = (
    """names => { """
    + _PART_NAME
    + _PUT_PAGES_BACK
    + """
  // The page numbers as they were are kept once, by the first call, and put back by null.
  if (names !== null) {
    if (!window.keptPages) {
      window.keptPages = [...document.querySelectorAll('a[data-page]')].map(a => [a, a.getAttribute('data-page'), a.classList.contains('page-repeat')]);
      const box = document.createElement('div');
      box.className = 'isolated-links';
      box.style.cssText = 'position: absolute; top: 0; left: 0; width: 0; height: 0; overflow: hidden;';
      const ids = new Set([...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href')));
      for (const href of ids) { const a = document.createElement('a'); a.setAttribute('href', href); box.appendChild(a); }
      document.body.prepend(box);
    }
    for (const [a] of window.keptPages) { a.setAttribute('data-page', '00'); a.classList.remove('page-repeat'); }
  } else {
    putPagesBack();
    delete window.keptPages;
    document.querySelectorAll('body > div.isolated-links').forEach(box => box.remove());
  }
  for (const el of document.body.children) {
    const kept = names === null || el.matches('div.isolated-links') || (el.matches('div.part') && names.includes(partName(el)));
    el.classList.toggle('left-out', !kept);
  }
}"""
)
# While parts are alone: the page numbers back as they were before (the last build's), so
# that the part lays out as it will print rather than as a first build's draft.
_NUMBERS_BACK = "() => { " + _PUT_PAGES_BACK + " putPagesBack(); }"
MAX_ALONE = 3  # parts with new words decided alone before the first print; more, and it decides
PART = "part:"  # a key of the page memory: a part's name, 1 if it was set tight, 0 if not
SPARSE = 0.2  # a part's last page with less than this much of its height used

# The page and its margins (as print.css's @page has them), and the width of its text in
# CSS pixels: the page is laid out at this width to measure the tables as they will print.
PAGE_MM = (210, 297)  # A4
MARGINS_MM = (22, 18, 20, 18)  # top, right, bottom, left: print.css's @page margins
TEXT_WIDTH_PX = int((PAGE_MM[0] - MARGINS_MM[1] - MARGINS_MM[3]) / 25.4 * 96)
TEXT_HEIGHT_PX = (PAGE_MM[1] - MARGINS_MM[0] - MARGINS_MM[2]) / 25.4 * 96

# The contents is set a little tighter (print.css .contents.tight) when its last page would
# hold only a few lines before the page break after it, and tight spares that: the tight
# contents takes fewer pages, or its last page is no longer sparse. Decided before any
# print from where its entries lie laid out for print at the text's width: the entries are
# put on pages of the text area's height in turn, each kept whole (print.css: an entry is
# never split), so the next page starts with the first entry that would cross the foot.
_CONTENTS_FIT = """([pageHeight, sparse]) => {
  const nav = document.querySelector('nav.contents');
  if (!nav) return false;
  const paged = () => {
    const top = nav.getBoundingClientRect().top;
    let start = 0, pages = 1, bottom = 0;
    for (const entry of nav.querySelectorAll('li')) {
      const r = entry.getBoundingClientRect();
      if (r.bottom - top - start > pageHeight) { start = r.top - top; pages += 1; }
      bottom = r.bottom - top;
    }
    return [pages, (bottom - start) / pageHeight];
  };
  nav.classList.remove('tight');
  const [pages, fill] = paged();
  if (pages < 2 || fill >= sparse) return false;
  nav.classList.add('tight');
  const [tightPages, tightFill] = paged();
  const tight = tightPages < pages || tightFill >= sparse;
  nav.classList.toggle('tight', tight);
  return tight;
}"""


class RendererMissing(RuntimeError):
    """Chromium or Playwright is not installed or will not start: what is wrong, and what to do."""

    def __init__(self, what: str, fix: str):
        super().__init__(f"{what} — {fix}")
        self.what, self.fix = what, fix


def chromium_path() -> str | None:
    """Debian's Chromium (or CHROMIUM=path), as the browser tests launch it."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def renderer_identity() -> str:
    """What identifies the renderer for the PDF cache: Chromium's file, size and date."""
    path = chromium_path()
    if path is None:
        return "none"
    real = Path(path).resolve()
    targets = [real] + [p for p in (Path("/usr/lib/chromium/chromium"),) if p.is_file()]
    return ";".join(f"{p}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in targets)


@dataclass
class Metadata:
    """What the finished PDF says about itself (document info and XMP)."""

    title: str
    author: str = ""
    subject: str = ""
    language: str = LANGUAGE


class Printer:
    """One headless Chromium for every PDF of a build; use as a context manager.

    ``print`` may be called from several threads at once: each call prints in a page of
    its own in the one browser, which Playwright's asynchronous API drives from a thread
    (and event loop) of the printer's own. One browser, not one per PDF, saves starting
    Playwright's driver and Chromium again."""

    def __init__(self):
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._playwright = None
        self._browser = None
        self._lock = threading.Lock()
        self._closed = False

    def __enter__(self) -> Printer:
        return self

    def warm(self) -> None:
        """Start the browser in the background now, so that it is ready by the first print
        (a build does this while it checks the sources). A browser that fails to start
        here fails again, and is reported, at the first print."""

        def start():
            try:
                self._start()
            except Exception:  # noqa: BLE001 - reported by the first print
                pass

        threading.Thread(target=start, name="pdf-printer-start", daemon=True).start()

    def _start(self) -> None:
        """Start the browser, on the first print only: PDFs all taken from the cache need none."""
        with self._lock:
            if self._browser is not None:
                return
            if self._closed:
                raise RendererMissing("the printer was closed before it printed", "this is a fault of the tool: report it")
            path = chromium_path()
            if path is None:
                raise RendererMissing(
                    "Chromium is not installed, and the PDFs are printed with it",
                    "install it (apt-get install chromium), or set CHROMIUM to its path",
                )
            try:
                from playwright.async_api import async_playwright
            except ImportError as exc:
                raise RendererMissing(
                    "the playwright package is not installed", "run make site, which installs requirements.txt"
                ) from exc
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="pdf-printer", daemon=True)
            thread.start()

            async def launch():
                playwright = await async_playwright().start()
                try:
                    return playwright, await playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
                except BaseException:
                    await playwright.stop()
                    raise

            try:
                self._playwright, self._browser = asyncio.run_coroutine_threadsafe(launch(), loop).result()
            except Exception as exc:  # noqa: BLE001 - reported as one line by the caller
                loop.call_soon_threadsafe(loop.stop)
                thread.join()
                loop.close()
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise RendererMissing(
                    f"Chromium at {path} could not be started ({first})", "check that it runs: chromium --headless --version"
                ) from exc
            self._loop, self._thread = loop, thread

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        """Close the browser and stop the printer's thread (nothing to do if none started)."""
        with self._lock:
            self._closed = True
            loop, thread = self._loop, self._thread
            browser, playwright = self._browser, self._playwright
            self._loop = self._thread = self._browser = self._playwright = None
        if loop is None:
            return

        async def stop():
            try:
                await browser.close()
            finally:
                await playwright.stop()

        try:
            asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=30)
        except Exception:  # noqa: BLE001 - closing is best effort: the PDFs are written by now
            pass
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=30)
            if not thread.is_alive():
                loop.close()

    def print(
        self,
        html: str,
        target: Path,
        allowed: Iterable[Path],
        metadata: Metadata | None = None,
        pages: dict[str, int] | None = None,
        unsettled: list[str] | None = None,
    ) -> list[str]:
        """Print ``html`` to ``target``; returns the URLs refused (anything outside ``allowed``).

        ``pages``: where each linked id is expected to land (the last print's pages); it is
        updated in place to where they did land. ``unsettled`` gets the target's name if
        its page numbers were still moving after the last print allowed."""
        self._start()
        roots = [Path(p).resolve() for p in allowed]
        refused: list[str] = []
        target = Path(target)
        fd, name = tempfile.mkstemp(prefix=".print-", suffix=".html", dir=target.parent)
        source = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(html)
            roots.append(source)
            job = self._print(source, roots, refused, pages if pages is not None else {})
            data, settled = asyncio.run_coroutine_threadsafe(job, self._loop).result()
            if not settled and unsettled is not None:
                unsettled.append(target.name)
        finally:
            source.unlink(missing_ok=True)
        target.write_bytes(finish(data, metadata) if metadata else data)
        return refused

    async def _print(self, source: Path, roots: list[Path], refused: list[str], pages: dict[str, int]) -> tuple[bytes, bool]:
        context = await self._browser.new_context(
            java_script_enabled=True, offline=True, viewport={"width": TEXT_WIDTH_PX, "height": 1000}
        )
        try:
            await context.route("**/*", lambda route: _route(route, roots, refused))
            page = await context.new_page()
            # Laid out for print from the start, not for the screen first.
            await page.emulate_media(media="print")
            await page.goto(source.as_uri(), wait_until="load")
            await page.evaluate("document.fonts.ready.then(() => true)")
            return await _print_numbered(page, pages)
        finally:
            await context.close()


async def _route(route, roots: list[Path], refused: list[str]) -> None:
    url = route.request.url
    if url.startswith("data:"):
        await route.continue_()
        return
    if url.startswith("file:"):
        path = Path(unquote(urlsplit(url).path)).resolve()
        if any(path == r or r in path.parents for r in roots):
            await route.continue_()
            return
    refused.append(url)
    await route.abort()


async def _pdf(page, final: bool = True) -> bytes:
    """One print; a draft (untagged, no bookmarks: quicker) serves only to find the pages."""
    return await page.pdf(tagged=final, outline=final, prefer_css_page_size=True, print_background=True)


async def _print_numbered(page, pages: dict[str, int]) -> tuple[bytes, bool]:
    """Print, read where each linked id landed, write the pages into the links; again if it
    moved. Returns the PDF, and whether its page numbers are where their targets landed.

    The first print carries the expected pages (``pages``, from the last build), and a
    placeholder as wide as a page number for any link without one, so when nothing has
    moved one print is enough. With nothing expected the first print is a draft.

    A part whose last page would hold only a few lines before the next part's page break
    is set a little tighter (print.css ``.part.tight``). In a first build the draft decides,
    its page numbers all placeholders. Each part's setting is remembered in ``pages`` under
    its name, which changes with its words; a part whose words are new to a build that
    remembers others is decided before the first print from a quick draft of that part alone,
    laid out as in a first build's draft, so that it is set as a first build would set it.
    A second draft of the part alone, its setting decided and its page numbers in, tells how
    many pages it now takes and where its ids land in it, so the first print carries the
    pages where the links will land (:func:`predicted_pages`) and an edit that moves pages
    is still printed once. A print that finds a loose part sparse sets it tight and prints
    again, never on the last print, which is left to check the one before. The contents is
    set tight or not before any print, from its own height (``_CONTENTS_FIT``)."""
    known = {key[len(PART) :]: bool(value) for key, value in pages.items() if key.startswith(PART)}
    parts = await page.evaluate(_PARTS, [name for name, tight in known.items() if tight])
    await page.evaluate(_SET_PAGES, pages)
    await page.evaluate(_PLACEHOLDERS)
    await page.evaluate(_WHOLE_WORDS)
    await page.evaluate(_CONTENTS_FIT, [TEXT_HEIGHT_PX, SPARSE])
    new = [name for name, _ in parts if name not in known]
    if known and new and len(new) <= MAX_ALONE:
        alone: dict[str, Alone] = {}
        try:
            sparse = []
            for name in new:
                await page.evaluate(_ISOLATE, [name])
                if (await _alone(page)).sparse:
                    sparse.append(name)
            if sparse:
                parts = await page.evaluate(_PARTS, [name for name, tight in parts if tight or name in sparse])
            for name in new:  # measured again as it will print: its setting decided, its numbers in
                await page.evaluate(_ISOLATE, [name])
                await page.evaluate(_NUMBERS_BACK)
                alone[name] = await _alone(page)
        finally:
            await page.evaluate(_ISOLATE, None)
        await page.evaluate(_SET_PAGES, predicted_pages(pages, parts, alone))
    final = bool(pages)
    data, prints = await _pdf(page, final), 1
    while True:
        # Read in another thread, so the other PDF's page is driven meanwhile.
        landed, sparse = await asyncio.get_running_loop().run_in_executor(None, _landed, data, parts)
        changed = await page.evaluate(_SET_PAGES, landed)
        if sparse and prints < MAX_PAGE_PASSES - 1:
            parts = await page.evaluate(_PARTS, [name for name, is_tight in parts if is_tight or name in sparse])
            changed = True
        pages.clear()
        pages.update(landed)
        pages.update({PART + name: int(is_tight) for name, is_tight in parts})
        if not changed and final:
            return data, True
        if prints == MAX_PAGE_PASSES:
            return data, False  # still moving: the numbers may be off by a page
        data, final, prints = await _pdf(page), True, prints + 1


@dataclass(frozen=True)
class Alone:
    """A part printed alone (a draft): how many pages it takes, the page (from its first)
    each of its linked ids lands on, and whether its last page is sparse."""

    pages: int
    anchors: dict[str, int]
    sparse: bool


async def _alone(page) -> Alone:
    """Draft the part the page now lays out alone, and read it (in another thread, so that
    the other PDF's page is driven meanwhile)."""
    draft = await _pdf(page, final=False)
    return await asyncio.get_running_loop().run_in_executor(None, _read_alone, draft)


def _read_alone(data: bytes) -> Alone:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    count = len(reader.pages)
    return Alone(count, anchor_pages(reader), count > 1 and page_fill(reader.pages[-1]) < SPARSE)


def predicted_pages(pages: dict[str, int], parts: list, alone: dict[str, Alone]) -> dict[str, int]:
    """Where each linked id will land, given where it landed last time (``pages``), the
    parts in order (name, tight) and the parts with new words printed alone (``alone``).

    A part starts on a page of its own, so a part that now takes more or fewer pages moves
    every page after it by the difference, and an id inside it lands where its draft put it,
    counted from where the part starts. The first print then usually has every number right
    and is the last. A part not printed before (its first chapter's id has no page) cannot
    be placed: the pages are given back as they were, and the print after the first puts
    the numbers right. The id of a part's first chapter gives where it starts, and where
    the next part starts gives where it ends."""
    starts = [pages.get(name.rsplit(":", 1)[0]) for name, _ in parts]
    shifts, inside = [], []
    for i, (name, _) in enumerate(parts):
        if name not in alone:
            continue
        start, after = starts[i], next((s for s in starts[i + 1 :] if s), None)
        if start is None:
            return dict(pages)
        if after is not None:
            shifts.append((after, alone[name].pages - (after - start)))
        inside.append((start, alone[name].anchors))

    def moved(page: int) -> int:
        return page + sum(by for at, by in shifts if page >= at)

    out = {key: moved(page) if not key.startswith(PART) else page for key, page in pages.items()}
    for start, anchors in inside:
        out.update({anchor: moved(start) + page - 1 for anchor, page in anchors.items()})
    return out


def _landed(data: bytes, parts: list) -> tuple[dict[str, int], list[str]]:
    """Where each linked id landed, and the parts not yet tight whose last page is sparse."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    landed = anchor_pages(reader)
    starts = [landed.get(name.rsplit(":", 1)[0]) for name, _ in parts]
    sparse = []
    for i, (name, is_tight) in enumerate(parts):
        nxt = next((s for s in starts[i + 1 :] if s), len(reader.pages) + 1)
        start = starts[i]
        if is_tight or not start or nxt - 1 <= start:
            continue  # already tight, not found, or a part of one page
        if page_fill(reader.pages[nxt - 2]) < SPARSE:
            sparse.append(name)
    return landed, sparse


# What places text on a page: saving and restoring the graphics state, changes to the
# transformation matrix, and the text matrix Chromium writes before each run of glyphs.
_PLACING = re.compile(
    rb"(?<![^\s])(?:(?P<q>[qQ])(?![^\s])"
    rb"|(?P<cm>(?:" + NUMBER + rb"\s+){6})cm(?![^\s])"
    rb"|(?P<tm>(?:" + NUMBER + rb"\s+){6})Tm(?![^\s]))"
)
# The text area of a page, in points from its foot.
TEXT_TOP, TEXT_FOOT = ((PAGE_MM[1] - MARGINS_MM[0]) * 72 / 25.4, MARGINS_MM[2] * 72 / 25.4)


def page_fill(page) -> float:
    """How far down its text area a page's lowest line of text is (0 empty, 1 full),
    from the positions its content stream gives each run of glyphs."""
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    ctm, saved, lowest = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), [], None
    for match in _PLACING.finditer(data):
        if match["q"] == b"q":
            saved.append(ctm)
        elif match["q"] == b"Q":
            ctm = saved.pop() if saved else ctm
        elif match["cm"]:
            a, b, c, d, e, f = (float(v) for v in match["cm"].split())
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
        else:
            *_, e, f = (float(v) for v in match["tm"].split())
            y = ctm[1] * e + ctm[3] * f + ctm[5]
            if TEXT_FOOT < y < TEXT_TOP and (lowest is None or y < lowest):
                lowest = y
    return 0.0 if lowest is None else (TEXT_TOP - lowest) / (TEXT_TOP - TEXT_FOOT)


def anchor_pages(reader) -> dict[str, int]:
    """The page (from 1) of each named destination, i.e. of each id some link points at
    (``reader``: a pypdf reader of the PDF)."""
    pages = {}
    for name, dest in reader.named_destinations.items():
        number = reader.get_destination_page_number(dest)
        if number is not None and number >= 0:
            pages[name.lstrip("/")] = number + 1
    return pages


def xmp_packet(meta: Metadata) -> bytes:
    """An XMP packet with the title, author, subject and language (Dublin Core)."""

    def alt(text: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

    creator = f"<dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>" if meta.author else ""
    subject = f"<dc:description>{alt(meta.subject)}</dc:description>" if meta.subject else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f"<dc:format>application/pdf</dc:format><dc:title>{alt(meta.title)}</dc:title>{creator}{subject}"
        f"<dc:language><rdf:Bag><rdf:li>{escape(meta.language)}</rdf:li></rdf:Bag></dc:language>"
        "<pdf:Producer>Skia/PDF (Chromium)</pdf:Producer>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>'
    ).encode()


def finish(data: bytes, meta: Metadata) -> bytes:
    """Chromium's PDF with XMP metadata, document info and /Lang added as an incremental update."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NumberObject, StreamObject, TextStringObject

    reader = PdfReader(io.BytesIO(data))
    trailer = reader.trailer
    catalog_ref = trailer.raw_get("/Root")
    size = int(trailer["/Size"])
    xmp_num, info_num = size, size + 1
    catalog = DictionaryObject(reader.get_object(catalog_ref).items())
    stream = StreamObject()
    stream.set_data(xmp_packet(meta))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    info = DictionaryObject(dict(reader.metadata or {}).items())
    info[NameObject("/Title")] = TextStringObject(meta.title)
    if meta.author:
        info[NameObject("/Author")] = TextStringObject(meta.author)
    if meta.subject:
        info[NameObject("/Subject")] = TextStringObject(meta.subject)
    catalog[NameObject("/Lang")] = TextStringObject(meta.language)
    out = io.BytesIO()
    out.write(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}

    def put(number: int, obj) -> None:
        offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(out)
        out.write(b"\nendobj\n")

    xmp_ref = IndirectObject(xmp_num, 0, reader)
    catalog[NameObject("/Metadata")] = xmp_ref
    put(catalog_ref.idnum, catalog)
    put(xmp_num, stream)
    put(info_num, info)
    xref = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")
    for number in sorted(offsets):
        out.write(f"{number} 1\n{offsets[number]:010d} 00000 n \n".encode())
    new_trailer = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(size + 2),
            NameObject("/Root"): catalog_ref,
            NameObject("/Info"): IndirectObject(info_num, 0, reader),
            NameObject("/Prev"): NumberObject(_startxref(data)),
        }
    )
    out.write(b"trailer\n")
    new_trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _startxref(data: bytes) -> int:
    tail = data[-1024:]
    at = tail.rindex(b"startxref")
    return int(tail[at + len(b"startxref") :].split()[0])
