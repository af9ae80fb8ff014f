"""The print document: one HTML file holding a whole built version, ready to paginate.

The content of every page is taken from the BUILT site of one version (the
``<article class="md-content__inner">`` of each page, in navigation order), so the print
document carries exactly what that site carries, with its redaction and suppression.
It adds a cover, the committee cover report, a contents list with page numbers and the
print stylesheet; links between pages become links within the document, and nothing
points at the network.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from . import formatting as fmt
from .audience import AUDIENCES, INTERNAL, PUBLIC, audience
from .committee import CommitteeReport, committee_html
from .datatext import for_audience, plain
from .datatext import html as html_text
from .config import Config
from .navorder import NavPage, nav_pages, read_mkdocs_yml
from .redaction import reasons_of

PRINT_CSS = Path(__file__).with_name("print.css")

# What each version says it is, on the cover and at the top of every page.
MARKINGS = {a.name: a.marking for a in AUDIENCES}
MARKING_COLOURS = {INTERNAL.name: "#8a1c1c", PUBLIC.name: "#0b0c0c"}

_SITE = "http://site.invalid/"
_ARTICLE = re.compile(r'<article\b[^>]*class="[^"]*\bmd-content__inner\b[^"]*"[^>]*>(.*?)</article>', re.S)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements that mean nothing on paper: dropped with everything inside them.
_DROP_TAGS = {"script", "noscript", "form", "button", "input", "select", "textarea", "iframe", "template", "dialog"}
_DROP_CLASSES = {"headerlink", "md-source-file", "md-content__button", "md-top", "md-feedback"}
_ID_LIST_ATTRS = {"for", "headers", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "list"}
_URL_REF = re.compile(r"url\(\s*(['\"]?)#([^)'\"]+)\1\s*\)")


@dataclass
class Heading:
    level: int
    id: str
    text: str


@dataclass
class Chapter:
    page: NavPage
    anchor: str
    html: str
    headings: list[Heading] = field(default_factory=list)

    @property
    def title(self) -> str:
        first = next((h for h in self.headings if h.level == 1), None)
        return first.text if first else (self.page.title or self.page.src)


def anchor_for(url: str) -> str:
    """The id a page's section gets in the print document."""
    slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")
    return f"page-{slug or 'home'}"


class _Rewriter(HTMLParser):
    """Re-emits one page's article for print: ids made unique to the page, links made local."""

    def __init__(self, prefix: str, link: callable, asset: callable):
        super().__init__(convert_charrefs=True)
        self.prefix, self.link, self.asset = prefix, link, asset
        self.out: list[str] = []
        self.drop: list[str] = []          # the stack of a dropped element's tags
        self.raw = False                   # inside <style>: text is CSS, emitted as it is
        self.headings: list[Heading] = []
        self.heading: list | None = None   # [level, id, text parts] while inside h1/h2

    # -- helpers ----------------------------------------------------------------------
    def _id(self, value: str) -> str:
        return f"{self.prefix}--{value}"

    def _ref(self, value: str) -> str:
        return _URL_REF.sub(lambda m: f"url(#{self._id(m.group(2))})", value)

    def _attrs(self, tag: str, attrs: list) -> list | None:
        out = []
        for name, value in attrs:
            value = "" if value is None else value
            if name in ("id", "name") and value and tag not in ("meta", "input"):
                value = self._id(value)
            elif name in ("href", "xlink:href"):
                if value.startswith("#"):
                    value = "#" + self._id(unquote(value[1:])) if len(value) > 1 else ""
                else:
                    value = self.link(value)
                if not value:
                    continue
            elif name == "src":
                value = self.asset(value)
                if value is None:
                    return None
            elif name in ("srcset", "loading", "onclick", "tabindex") or name.startswith("on"):
                continue
            elif name in _ID_LIST_ATTRS:
                value = " ".join(self._id(v) for v in value.split())
            elif "url(#" in value:
                value = self._ref(value)
            out.append((name, value))
        if tag == "details" and not any(n == "open" for n, _ in out):
            out.append(("open", ""))
        return out

    @staticmethod
    def _tag(tag: str, attrs: list, close: bool = False) -> str:
        text = "".join(f' {n}="{escape(v)}"' if v != "" or n not in ("open",) else f" {n}" for n, v in attrs)
        return f"<{tag}{text}{' /' if close else ''}>"

    # -- parser callbacks -------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, close=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, close=True)

    def _start(self, tag, attrs, close):
        if self.drop:
            if not close and tag not in _VOID:
                self.drop.append(tag)
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in _DROP_TAGS or classes & _DROP_CLASSES:
            if not close and tag not in _VOID:
                self.drop.append(tag)
            return
        new = self._attrs(tag, attrs)
        if new is None:  # an image that would need the network: keep its words
            alt = dict(attrs).get("alt")
            if alt:
                self.out.append(f'<span class="image-not-printed">[{escape(alt)}]</span>')
            return
        self.out.append(self._tag(tag, new, close))
        if tag == "style":
            self.raw = True
        if tag in ("h1", "h2") and not close:
            self.heading = [int(tag[1]), dict(new).get("id", ""), []]

    def handle_endtag(self, tag):
        if self.drop:
            if tag == self.drop[-1]:
                self.drop.pop()
            return
        if tag in _VOID:
            return
        if tag == "style":
            self.raw = False
        if self.heading and tag == f"h{self.heading[0]}":
            level, hid, parts = self.heading
            self.headings.append(Heading(level, hid, " ".join("".join(parts).split())))
            self.heading = None
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.drop:
            return
        if self.heading:
            self.heading[2].append(data)
        self.out.append(data if self.raw else escape(data, quote=False))

    def unknown_decl(self, data):  # <![CDATA[ ... ]]> inside SVG
        if not self.drop and data.startswith("CDATA["):
            self.out.append(escape(data[6:], quote=False))


def article_of(html: str) -> str | None:
    match = _ARTICLE.search(html)
    return match.group(1) if match else None


@dataclass
class Version:
    """One built version of the site, as the print document sees it."""

    site: Path
    pages: list[NavPage]

    def __post_init__(self):
        self.site = Path(self.site).resolve()
        present = [p for p in self.pages if (self.site / p.html).is_file()]
        self.pages = present
        self.anchors = {p.url: anchor_for(p.url) for p in present}

    def link(self, page: NavPage, href: str) -> str:
        """Where a link in ``page`` should point in print: '#anchor', an external URL, or ''."""
        target = urlsplit(urljoin(_SITE + page.url, href))
        if f"{target.scheme}://{target.netloc}/" != _SITE:
            return href if target.scheme in ("http", "https", "mailto") else ""
        path = unquote(target.path[len("/"):])
        for suffix in ("index.html",):
            if path.endswith(suffix):
                path = path[: -len(suffix)]
        anchor = self.anchors.get(path)
        if anchor is None:
            return ""  # a page this version does not print, or a file: the words stay, the link goes
        return f"#{anchor}--{target.fragment}" if target.fragment else f"#{anchor}"

    def asset(self, page: NavPage, src: str) -> str | None:
        """A local file URL for an image or other asset inside the built site; None otherwise."""
        if src.startswith("data:"):
            return src
        target = urlsplit(urljoin(_SITE + page.url, src))
        if f"{target.scheme}://{target.netloc}/" != _SITE:
            return None
        path = (self.site / unquote(target.path.lstrip("/"))).resolve()
        if self.site not in path.parents or not path.is_file():
            return None
        return path.as_uri()

    def chapter(self, page: NavPage) -> Chapter | None:
        article = article_of((self.site / page.html).read_text(encoding="utf-8"))
        if article is None:
            return None
        anchor = self.anchors[page.url]
        rewriter = _Rewriter(anchor, lambda href: self.link(page, href), lambda src: self.asset(page, src))
        rewriter.feed(article)
        rewriter.close()
        return Chapter(page, anchor, "".join(rewriter.out).strip(), rewriter.headings)

    def chapters(self) -> list[Chapter]:
        return [c for c in (self.chapter(p) for p in self.pages) if c is not None]

    def stylesheets(self, mkdocs_yml: Path) -> list[Path]:
        """The project's own stylesheets (``extra_css``) as built into this version."""
        cfg = read_mkdocs_yml(mkdocs_yml) if Path(mkdocs_yml).exists() else {}
        out = []
        for entry in cfg.get("extra_css") or []:
            href = entry if isinstance(entry, str) else (entry or {}).get("path", "")
            path = (self.site / str(href)).resolve()
            if href and "://" not in str(href) and path.is_file() and self.site in path.parents:
                out.append(path)
        return out


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def contents_html(chapters: list[Chapter], committee_anchor: str | None) -> str:
    items = []
    if committee_anchor:
        items.append(f'<li class="toc-1"><a href="#{committee_anchor}">Committee cover report</a></li>')
    section = None
    for chapter in chapters:
        if chapter.page.section != section:
            section = chapter.page.section
            if section:
                items.append(f'<li class="toc-section"><a href="#{chapter.anchor}">{escape(section)}</a></li>')
        indent = " toc-in-section" if section else ""
        items.append(f'<li class="toc-1{indent}"><a href="#{chapter.anchor}">{escape(chapter.title)}</a></li>')
        for h in chapter.headings:
            if h.level == 2 and h.id:
                items.append(f'<li class="toc-2{indent}"><a href="#{escape(h.id)}">{escape(h.text)}</a></li>')
    return ('<nav class="contents" id="contents" aria-labelledby="contents-title">'
            '<h1 id="contents-title">Contents</h1><ol>' + "".join(items) + "</ol></nav>")


def cover_html(config: Config, version: str, committee: CommitteeReport | None,
               reasons: dict | None = None) -> str:
    version = audience(version).name

    def e(text) -> str:
        return html_text(text, reasons)
    rows = [("Organisation", config.organisation)]
    if config.reporting_period:
        rows.append(("Reporting period", config.reporting_period))
    if config.document_version:
        rows.append(("Version", f"{config.document_version} ({version} version)"))
    else:
        rows.append(("Version", f"{version.capitalize()} version"))
    rows.append(("Figures as at", fmt.date(config.reporting_date)))
    if committee:
        rows.append(("For", f"{committee.committee}, {fmt.date(committee.date)}"))
    table = "".join(f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in rows)
    note = ("This version holds restricted passages and true values. Do not publish it, forward it "
            "outside the council or attach it to a public agenda." if audience(version).banner else
            "This version is for publication: restricted passages are removed and small numbers are "
            "suppressed.")
    return (f'<section class="cover cover-{e(version)}">'
            f'<p class="cover-organisation">{e(config.organisation)}</p>'
            f'<h1 class="cover-title">{e(config.title)}</h1>'
            f'<p class="cover-version">{e(config.document_version or fmt.date(config.reporting_date))}</p>'
            f'<table class="cover-details"><tbody>{table}</tbody></table>'
            f'<div class="cover-marking"><p class="cover-marking-label">{e(MARKINGS[version])}</p>'
            f'<p>{e(note)}</p></div></section>')


def print_html(config: Config, version: str, chapters: list[Chapter], committee: CommitteeReport | None,
               stylesheets: list[Path] = ()) -> str:
    """The whole print document for one version as one HTML string."""
    version = audience(version).name
    marking = MARKINGS[version]
    # Data text as this version may see it: the public copy holds no restricted span.
    reasons = reasons_of(config)
    config, committee = for_audience((config, committee), audience(version), reasons)
    title, organisation = plain(config.title, reasons), plain(config.organisation, reasons)
    links = "".join(f'<link rel="stylesheet" href="{p.as_uri()}">' for p in stylesheets)
    page_css = (f"@page {{ @top-left {{ content: {_css_string(title)}; }}"
                f" @top-right {{ content: {_css_string(marking)}; color: {MARKING_COLOURS[version]}; }} }}")
    body = [cover_html(config, version, committee, reasons)]
    committee_anchor = None
    if committee is not None:
        committee_anchor = "committee-report"
        body.append(committee_html(committee, version, committee_anchor, reasons))
    body.append(contents_html(chapters, committee_anchor))
    section = None
    for chapter in chapters:
        part = ""
        if chapter.page.section != section:
            section = chapter.page.section
            if section:
                part = f'<p class="part-title">{escape(section)}</p>'
        kind = " in-section" if section else ""
        body.append(f'<section class="chapter{kind}" id="{chapter.anchor}">{part}'
                    f'<div class="md-typeset">{chapter.html}</div></section>')
    return ("<!DOCTYPE html>\n"
            f'<html lang="en" class="print-{escape(version)}"><head><meta charset="utf-8">'
            f"<title>{escape(title)} – {escape(marking)}</title>"
            f'<meta name="author" content="{escape(organisation)}">'
            f'<meta name="description" content="{escape(title)}, {escape(plain(config.document_version, reasons))}">'
            f"{links}"
            f'<link rel="stylesheet" href="{PRINT_CSS.as_uri()}">'
            f"<style>{page_css}</style></head>"
            f'<body class="print-document" data-version="{escape(version)}">' + "\n".join(body) + "</body></html>")


def assemble(root: Path, site: Path, version: str, config: Config, committee: CommitteeReport | None) -> str:
    """The print document for the version built in ``site`` (e.g. OUT/public) of project ``root``."""
    root = Path(root)
    mkdocs_yml = root / "mkdocs.yml"
    cfg = read_mkdocs_yml(mkdocs_yml) if mkdocs_yml.exists() else {}
    docs = root / cfg.get("docs_dir", "content")
    built = Version(site, nav_pages(mkdocs_yml, docs) if mkdocs_yml.exists() else [])
    return print_html(config, version, built.chapters(), committee, built.stylesheets(mkdocs_yml))
