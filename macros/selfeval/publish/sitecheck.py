"""Checking built sites: internal links, links into restricted pages, well-formed and valid HTML.

Works on the folders a build writes (``OUT/internal`` and ``OUT/public``), so it checks
what readers get whatever produced it. Every finding is a :class:`Problem` on the built
file and line, with what to change.

- A link (``href``/``src``) inside a site must reach a file of that site, and a
  ``#fragment`` must name an ``id`` on the target page.
- A page present in the internal site but absent from the public one is restricted; a
  public page must not link to it.
- HTML must be well formed: every element closed in order, no block element inside a
  paragraph (browsers silently end the paragraph there), no duplicate ``id`` or attribute,
  no ``<div/>``-style self-closing of a normal element, a doctype first.
- On request, HTML must be valid by the Nu Html Checker (:mod:`selfeval.publish.htmlvalid`).
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selfeval.content.sourcetree import served_url
from selfeval.publish.htmlvalid import check_html
from selfeval.problems import Problems

# Elements that never have content or an end tag.
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Elements whose end tag HTML lets a writer leave out; an unclosed one is not an error.
OPTIONAL_END = frozenset(
    "html head body p li dt dd tr td th thead tbody tfoot option optgroup colgroup caption rb rt rtc rp".split()
)
# Start tags that end an open <p>: a browser closes the paragraph before them, so the
# page's structure is not what its markup says.
CLOSES_P = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "table ul".split()
)
# Start tags that implicitly end an open sibling of the listed kinds.
ENDS_SIBLING = {
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "option": {"option"},
    "tbody": {"thead", "tbody", "tr", "td", "th"},
    "tfoot": {"thead", "tbody", "tr", "td", "th"},
}
# Elements whose content is another vocabulary where <x/> self-closing is allowed.
FOREIGN = frozenset({"svg", "math"})
# Attributes that point at another resource, by the elements that carry them.
LINK_ATTRS = {"href": None, "src": None, "poster": {"video"}, "data": {"object"}, "action": {"form"}}
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel", "data", "javascript", "ftp", "blob")


@dataclass
class Link:
    url: str
    line: int
    tag: str


@dataclass
class HtmlPage:
    """What the checks need from one HTML file."""

    rel: str  # path inside the site, e.g. city/index.html
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    markup: list[tuple[int, str, str]] = field(default_factory=list)  # (line, what, fix)


class _Reader(HTMLParser):
    def __init__(self, page: HtmlPage):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[tuple[str, int]] = []
        self.seen_doctype = False
        self.seen_element = False
        self.id_lines: dict[str, int] = {}

    def _problem(self, what: str, fix: str, line: int | None = None) -> None:
        self.page.markup.append((line or self.getpos()[0], what, fix))

    def _foreign(self) -> bool:
        return any(tag in FOREIGN for tag, _ in self.stack)

    def handle_decl(self, decl):
        if decl.lower().startswith("doctype"):
            self.seen_doctype = True

    def _attrs(self, tag, attrs) -> None:
        line = self.getpos()[0]
        names = [name for name, _ in attrs]
        for name in sorted({n for n in names if names.count(n) > 1}):
            self._problem(f"<{tag}> has the attribute '{name}' twice", "keep one; browsers ignore the second")
        for name, value in attrs:
            if name == "id" and value is not None:
                if value in self.id_lines:
                    self._problem(
                        f"id '{value}' is used twice (first on line {self.id_lines[value]})",
                        "give each element a unique id; links and labels reach only the first",
                    )
                else:
                    self.id_lines[value] = line
                self.page.ids.add(value)
            elif name == "name" and tag == "a" and value:
                self.page.ids.add(value)
            if value and (name in LINK_ATTRS and (LINK_ATTRS[name] is None or tag in LINK_ATTRS[name]) or name == "xlink:href"):
                self.page.links.append(Link(value.strip(), line, tag))

    def _start(self, tag, attrs) -> None:
        if not self.seen_element and not self.seen_doctype:
            self._problem(
                "the page does not start with <!DOCTYPE html>", "put <!DOCTYPE html> first so browsers use standards mode"
            )
        self.seen_element = True
        self._attrs(tag, attrs)
        if self._foreign():
            return
        if self.stack and self.stack[-1][0] in ENDS_SIBLING.get(tag, ()):
            while self.stack and self.stack[-1][0] in ENDS_SIBLING[tag]:
                self.stack.pop()
        if tag in CLOSES_P and self.stack and self.stack[-1][0] == "p":
            opened = self.stack[-1][1]
            self._problem(
                f"<{tag}> inside the paragraph opened on line {opened}",
                "put the block on its own line with a blank line before it, or use an inline element",
            )
            self.stack.pop()

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs)
        if tag not in VOID or self._foreign():
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs)
        if tag not in VOID and not self._foreign() and tag not in FOREIGN:
            self._problem(f"<{tag}/> is not self-closing in HTML: the element stays open", f"write <{tag}></{tag}>")
            self.stack.append((tag, self.getpos()[0]))

    def handle_endtag(self, tag):
        if tag in VOID and not self._foreign():
            if tag != "br":  # </br> is read as <br>
                self._problem(f"</{tag}> closes an element that has no end tag", f"remove </{tag}>")
            return
        open_tags = [t for t, _ in self.stack]
        if tag not in open_tags:
            if tag == "p":
                self._problem(
                    "</p> with no open paragraph (a block element inside <p> ended it early)",
                    "move the block element out of the paragraph",
                )
            else:
                self._problem(f"</{tag}> has no matching <{tag}>", f"remove it or add the missing <{tag}>")
            return
        while self.stack:
            open_tag, line = self.stack.pop()
            if open_tag == tag:
                break
            if open_tag not in OPTIONAL_END and not self._foreign_within(tag):
                self._problem(
                    f"<{open_tag}> opened on line {line} is not closed before </{tag}>",
                    f"add </{open_tag}> where the element ends",
                )

    def _foreign_within(self, closing: str) -> bool:
        # Inside an <svg>, leniency belongs to the SVG renderer; report only HTML nesting.
        return closing in FOREIGN or self._foreign()

    def close(self):
        super().close()
        for tag, line in self.stack:
            if tag not in OPTIONAL_END:
                self._problem(f"<{tag}> opened on line {line} is never closed", f"add </{tag}>", line)


def read_page(path: Path, rel: str) -> HtmlPage:
    page = HtmlPage(rel)
    reader = _Reader(page)
    reader.feed(Path(path).read_text(encoding="utf-8", errors="replace"))
    reader.close()
    return page


def site_files(site: Path) -> set[str]:
    """Every file in a built site, as a path relative to it with forward slashes."""
    site = Path(site)
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def html_files(site: Path) -> list[str]:
    return sorted(f for f in site_files(site) if f.endswith(".html"))


def resolve(page_rel: str, url: str) -> tuple[str, str] | None:
    """(target file in the site, fragment) for a link on a page; None for a link elsewhere."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        return page_rel, unquote(parts.fragment)
    joined = path if path.startswith("/") else posixpath.join("/" + posixpath.dirname(page_rel), path)
    target = posixpath.normpath(joined).lstrip("/")
    if not target or path.endswith("/"):
        target = posixpath.join(target, "index.html") if target else "index.html"
    return target, unquote(parts.fragment)


def restricted_pages(internal: Path, public: Path) -> set[str]:
    """HTML pages the internal site has and the public one does not."""
    return set(html_files(internal)) - set(html_files(public))


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
    return str(path) if rel.startswith("..") else rel


def check_site(site: Path, restricted: set[str] = frozenset(), problems: Problems | None = None) -> Problems:
    """Links and markup of one built site; ``restricted`` lists pages it must not link to."""
    problems = problems if problems is not None else Problems()
    site = Path(site)
    files = site_files(site)
    pages = {rel: read_page(site / rel, rel) for rel in sorted(f for f in files if f.endswith(".html"))}
    for rel, page in pages.items():
        where = _display(site / rel)
        for line, what, fix in page.markup:
            problems.add(where, line, what, fix, code="html-invalid")
        for link in page.links:
            target = resolve(rel, link.url)
            if target is None:
                continue
            path, fragment = target
            if path not in files and posixpath.join(path, "index.html") in files:
                path = posixpath.join(path, "index.html")
            if path in restricted:
                problems.add(
                    where,
                    link.line,
                    f"links to the restricted page '{served_url(path) or '/'}' ({link.url})",
                    "remove the link from the public text, or mark the linking passage restricted too",
                    code="link-to-restricted",
                )
            elif path not in files:
                problems.add(
                    where,
                    link.line,
                    f"broken link '{link.url}': {path} is not in the site",
                    "point it at a page that exists (check the Markdown link's file name)",
                    code="link-broken",
                )
            elif fragment and fragment != "top" and path in pages and fragment not in pages[path].ids:
                problems.add(
                    where,
                    link.line,
                    f"broken link '{link.url}': no id '{fragment}' on {served_url(path) or '/'}",
                    "link to a heading or anchor that exists on that page",
                    code="link-broken",
                )
    return problems


def check_sites(out: Path, validate: bool = False, docs_dir: Path | None = None) -> Problems:
    """Both versions under ``out``: each site's links and markup, and no public link into a restricted page.

    With ``validate``, every page also goes through the Nu Html Checker (see
    :mod:`selfeval.publish.htmlvalid`); ``docs_dir`` lets its findings name the chapter's file.
    """
    out = Path(out)
    problems = Problems()
    internal, public = out / "internal", out / "public"
    for site in (internal, public):
        if not (site / "index.html").is_file():
            problems.add(
                _display(site),
                0,
                "no built site here (index.html is missing)",
                "build first with `make site` or scripts/build.py --out",
                code="site-missing",
            )
    if problems:
        return problems
    check_site(internal, problems=problems)
    check_site(public, restricted_pages(internal, public), problems=problems)
    if validate:
        check_html({"internal": internal, "public": public}, _display, docs_dir, problems)
    return problems
