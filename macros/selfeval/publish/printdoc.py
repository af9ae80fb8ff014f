"""The print document: one HTML file holding a whole built version, ready to paginate.

The content of every page is taken from the BUILT site of one version (the
``<article class="md-content__inner">`` of each page, in navigation order), so the print
document carries exactly what that site carries, with its redaction and suppression.
It adds a cover, the committee cover report, a contents list with page numbers and the
print stylesheet; links between pages become links within the document, and nothing
points at the network. Each chart prints its wide picture only, named by its caption and
summary sentence; the narrow picture drawn for phones is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from selfeval.render import formatting as fmt
from selfeval.disclosure.audience import AUDIENCES, INTERNAL, PUBLIC, audience
from selfeval.publish.committee import CommitteeReport, committee_html
from selfeval.render.edition_pages import CHANGES_PAGE, summary_in
from selfeval.disclosure.datatext import for_audience, plain
from selfeval.disclosure.datatext import html as html_text
from selfeval.project.config import Config
from selfeval.content.nav import NavPage, nav_pages
from selfeval.content.sourcetree import docs_dir_of, read_site_config
from selfeval.disclosure.redaction import reasons_of

PRINT_CSS = Path(__file__).with_name("print.css")

# What each version says it is, on the cover and at the top of every page.
MARKINGS = {a.name: a.marking for a in AUDIENCES}
MARKING_COLOURS = {INTERNAL.name: "#8a1c1c", PUBLIC.name: "#0b0c0c"}

_SITE = "http://site.invalid/"
_ARTICLE = re.compile(r'<article\b[^>]*class="[^"]*\bmd-content__inner\b[^"]*"[^>]*>(.*?)</article>', re.S)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements that mean nothing on paper: dropped with everything inside them.
_DROP_TAGS = {"script", "noscript", "form", "button", "input", "select", "textarea", "iframe", "template", "dialog"}
# (A chart's narrow picture is for phones: paper takes its wide one, so a figure prints one picture.)
_DROP_CLASSES = {"headerlink", "md-source-file", "md-content__button", "md-top", "md-feedback", "chart-narrow"}
_ID_LIST_ATTRS = {"for", "headers", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "list"}
# Details boxes that hold a chart's figures: on paper the table prints open, so the
# "show the figures" control above it means nothing.
_TABLE_DETAILS = {"chart-data"}
# Sentences that tell a web reader what to click or select: not true of paper.
_WEB_ONLY = re.compile(
    r"(?:(?<=[.!?])\s+|^\s*)(?:Select|Click|Tap|Hover over) (?:a|an|any|the|this|one)\b[^.!?]*[.!?]"
    r"(?=\s|$)"
)
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
        self.drop: list[str] = []  # the stack of a dropped element's tags
        self.raw = False  # inside <style>: text is CSS, emitted as it is
        self.headings: list[Heading] = []
        self.heading: list | None = None  # [level, id, text parts] while inside h1/h2
        self.sections: list[str] = []  # thead/tbody/tfoot open around the current cell
        self.details: list[bool] = []  # open <details>: True for a chart's data table
        self.values = 0  # open <button>s that show a figure's value: printed as its text

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
        if tag == "th" and not any(n == "scope" for n, _ in out):
            # Header cells say what they head, so a screen reader can name a cell's row and column.
            out.append(("scope", "col" if self.sections[-1:] == ["thead"] else "row"))
        if tag == "figure" and not any(n == "role" for n, _ in out):
            # The picture inside is the image, named by its own alternative text; the figure
            # around it (title, summary, notes, table) is a group, not an image without one.
            out.append(("role", "group"))
        if "chart-picture" in (dict(out).get("class") or "").split():
            out = [(n, v) for n, v in out if n not in ("role", "aria-label")]  # the SVG inside is the image
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
        if tag == "summary" and self.details[-1:] == [True]:  # "Show the figures…": the table prints anyway
            self.drop.append(tag)
            return
        if tag == "details" and not close:
            self.details.append(bool(classes & _TABLE_DETAILS))
            if self.details[-1]:  # on paper a plain block: no box to open, no control
                self.out.append(f'<div class="{escape(" ".join(sorted(classes)))}">')
                return
        if tag in ("thead", "tbody", "tfoot") and not close:
            self.sections.append(tag)
        if tag == "button" and "figure-value" in classes and not close:
            # A figure's value is a button on the web (it opens what the figure is); on
            # paper it is the value, as text.
            self.values += 1
            self.out.append('<span class="figure-value">')
            return
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
        if tag in ("thead", "tbody", "tfoot") and self.sections:
            self.sections.pop()
        if tag == "button" and self.values:
            self.values -= 1
            self.out.append("</span>")
            return
        if tag == "details" and self.details:
            if self.details.pop():
                self.out.append("</div>")
                return
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
        if not self.raw:
            data = _WEB_ONLY.sub("", data)
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
        path = unquote(target.path[len("/") :])
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
        cfg = read_site_config(mkdocs_yml) or {}
        out = []
        for entry in cfg.get("extra_css") or []:
            href = entry if isinstance(entry, str) else (entry or {}).get("path", "")
            path = (self.site / str(href)).resolve()
            if href and "://" not in str(href) and path.is_file() and self.site in path.parents:
                out.append(path)
        return out


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def groups(chapters: list[Chapter]) -> list[tuple[str, list[Chapter]]]:
    """Chapters in the parts paper gives them: a nav section's pages together, and each
    top-level page as a part of its own. Each part starts on a new page; its pages follow on."""
    out: list[tuple[str, list[Chapter]]] = []
    for chapter in chapters:
        section = chapter.page.section
        if section and out and out[-1][0] == section and out[-1][1][0].page.section == section:
            out[-1][1].append(chapter)
        else:
            out.append((section or chapter.title, [chapter]))
    return out


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _toc_item(level: int, anchor: str, text: str) -> str:
    return (
        f'<li class="toc-{level}"><a href="#{escape(anchor)}"><span class="toc-title">{escape(text)}</span>'
        '<span class="toc-leader" aria-hidden="true"></span></a></li>'
    )


def contents_html(chapters: list[Chapter], committee_anchor: str | None) -> str:
    """One entry per page of the site, at two levels: the parts, and the pages in each.

    A part whose first page carries the part's own name (a section's index page) is listed
    once, pointing at that page."""
    items = []
    if committee_anchor:
        items.append(_toc_item(1, committee_anchor, "Committee cover report"))
    for title, members in groups(chapters):
        first = members[0]
        if not first.page.section:
            items.append(_toc_item(1, first.anchor, first.title))
            continue
        items.append(_toc_item(1, first.anchor, title))
        rest = members[1:] if _same(first.title, title) else members
        items += [_toc_item(2, c.anchor, c.title) for c in rest]
    return (
        '<nav class="contents" id="contents" aria-labelledby="contents-title">'
        '<h1 id="contents-title">Contents</h1><ol>' + "".join(items) + "</ol></nav>"
    )


def cover_html(config: Config, version: str, committee: CommitteeReport | None, reasons: dict | None = None) -> str:
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
    note = (
        "This version holds restricted passages and true values. Do not publish it, forward it "
        "outside the council or attach it to a public agenda."
        if audience(version).banner
        else "This version is for publication: restricted passages are removed and small numbers are suppressed."
    )
    return (
        f'<section class="cover cover-{e(version)}">'
        f'<p class="cover-organisation">{e(config.organisation)}</p>'
        f'<h1 class="cover-title">{e(config.title)}</h1>'
        f'<p class="cover-version">{e(config.document_version or fmt.date(config.reporting_date))}</p>'
        f'<table class="cover-details"><tbody>{table}</tbody></table>'
        f'<div class="cover-marking"><p class="cover-marking-label">{e(MARKINGS[version])}</p>'
        f"<p>{e(note)}</p></div></section>"
    )


def print_html(
    config: Config,
    version: str,
    chapters: list[Chapter],
    committee: CommitteeReport | None,
    stylesheets: list[Path] = (),
    labels: dict[str, str] | None = None,
    changes: str = "",
) -> str:
    """The whole print document for one version as one HTML string.

    ``labels`` maps metric ids to their readers' names, so a page that shows an id (such
    as the Figures page's list of figures not cited) prints the name instead. ``changes``
    is the summary of what changed since the previous edition, for the cover report."""
    version = audience(version).name
    marking = MARKINGS[version]
    # Data text as this version may see it: the public copy holds no restricted span.
    reasons = reasons_of(config)
    config, committee, labels = for_audience((config, committee, dict(labels or {})), audience(version), reasons)
    labels = {k: plain(v, reasons) for k, v in labels.items()}
    title, organisation = plain(config.title, reasons), plain(config.organisation, reasons)
    links = "".join(f'<link rel="stylesheet" href="{p.as_uri()}">' for p in stylesheets)
    pages = [
        f"@page {{ @top-left {{ content: {_css_string(title)}; }}"
        f" @top-right {{ content: {_css_string(marking)}; color: {MARKING_COLOURS[version]}; }} }}"
    ]
    body = [cover_html(config, version, committee, reasons)]
    committee_anchor = None
    if committee is not None:
        committee_anchor = "committee-report"
        body.append(committee_html(committee, version, committee_anchor, reasons, changes=changes))
    body.append(contents_html(chapters, committee_anchor))
    for number, (part, members) in enumerate(groups(chapters), start=1):
        pages.append(f"@page part-{number} {{ @bottom-left {{ content: {_css_string(part)}; }} }}")
        sections = []
        for chapter in members:
            heading = ""
            if chapter is members[0] and chapter.page.section:
                heading = f'<p class="part-title">{escape(chapter.page.section)}</p>'
            kind = " in-section" if chapter.page.section else ""
            sections.append(
                f'<section class="chapter{kind}" id="{chapter.anchor}">{heading}'
                f'<div class="md-typeset">{chapter.html}</div></section>'
            )
        body.append(f'<div class="part" style="page: part-{number}">' + "\n".join(sections) + "</div>")
    text = _urls_once(_chart_alt_text(_metric_names("\n".join(body), labels)))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{LANGUAGE}" class="print-{escape(version)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)} – {escape(marking)}</title>"
        f'<meta name="author" content="{escape(organisation)}">'
        f'<meta name="description" content="{escape(title)}, {escape(plain(config.document_version, reasons))}">'
        f"{links}"
        f'<link rel="stylesheet" href="{PRINT_CSS.as_uri()}">'
        f"<style>{' '.join(pages)}</style></head>"
        f'<body class="print-document" data-version="{escape(version)}">' + text + "</body></html>"
    )


LANGUAGE = "en-GB"
_TEXT = re.compile(r"(?<=>)[^<>]+(?=<)")
_CODE_ID = re.compile(r"(\s*\()?<code>([A-Za-z0-9_.-]+)</code>(\))?")
_EXTERNAL = re.compile(r'<a\b([^>]*?)\shref="((?:https?|mailto):[^"]+)"([^>]*)>(.*?)</a>', re.S)


def _metric_names(html: str, labels: dict[str, str]) -> str:
    """Metric ids shown as code become the metric's name, or go where the name is beside them."""

    def name(match: re.Match) -> str:
        before, key, after = match.groups()
        if key not in labels:
            return match.group(0)
        if before and after:  # "Label (`id`)": the label is already there
            return ""
        return (before or "") + escape(labels[key]) + (after or "")

    html = _CODE_ID.sub(name, html)
    # An id written into prose (a definition that names another metric): its name instead.
    ids = sorted((k for k in labels if "_" in k), key=len, reverse=True)
    if not ids:
        return html
    word = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    return _TEXT.sub(lambda m: word.sub(lambda w: escape(labels[w.group(1)]), m.group(0)), html)


_SVG_HEAD = re.compile(r'<svg\b([^>]*\brole="img"[^>]*)>', re.S)
_ARIA_LABEL = re.compile(r'\s+aria-label="[^"]*"')


def _chart_alt_text(html: str) -> str:
    """Each chart picture's alternative text: its title (the figure's caption) and its
    one-sentence summary (the paragraph under the caption, or the picture's own description).
    On the web the caption and the sentence are read as text; in a PDF a figure's
    alternative text is what a screen reader announces for it."""

    def text(fragment: str) -> str:
        return " ".join(re.sub(r"<[^>]+>", "", fragment).split())

    def figure(match: re.Match) -> str:
        block = match.group(0)
        caption = re.search(r"<figcaption\b[^>]*>(.*?)</figcaption>", block, re.S)
        summary = re.search(r'<p class="chart-summary">(.*?)</p>', block, re.S) or re.search(r"<desc>(.*?)</desc>", block, re.S)
        if caption is None or summary is None:
            return block
        label = f"{text(caption.group(1)).rstrip('.')}. {text(summary.group(1))}".replace('"', "&quot;")

        def named(svg: re.Match) -> str:
            attrs = _ARIA_LABEL.sub("", svg.group(1))
            return f'<svg{attrs} aria-label="{label}">'

        return _SVG_HEAD.sub(named, block, count=1)

    return re.sub(r"<figure\b.*?</figure>", figure, html, flags=re.S)


def _urls_once(html: str) -> str:
    """Print an external link's address after it only the first time, and never when the
    link's words are the address already."""
    seen: set[str] = set()

    def mark(match: re.Match) -> str:
        before, href, after, inner = match.groups()
        words = re.sub(r"<[^>]+>", "", inner).strip()
        bare = href.removeprefix("mailto:")
        if href in seen or words.rstrip("/") in (href.rstrip("/"), bare.rstrip("/")):
            seen.add(href)
            return match.group(0)
        seen.add(href)
        return f'<a{before} href="{href}" data-print-url=""{after}>{inner}</a>'

    return _EXTERNAL.sub(mark, html)


def document_metadata(config: Config, version: str) -> dict[str, str]:
    """The title, author and subject the PDF file carries (its XMP and document info)."""
    version = audience(version).name
    reasons = reasons_of(config)
    (config,) = for_audience((config,), audience(version), reasons)
    title = plain(config.title, reasons)
    edition = plain(config.document_version, reasons) or fmt.date(config.reporting_date)
    return {
        "title": f"{title}, {edition} ({MARKINGS[version]})",
        "author": plain(config.organisation, reasons),
        "subject": f"{title} of {plain(config.organisation, reasons)}, {version} version",
    }


def metric_labels(root: Path) -> dict[str, str]:
    """Each metric's id and the name readers know it by."""
    from selfeval.project.model import load_project

    return {key: metric.label for key, metric in load_project(Path(root)).metrics.items() if metric.label}


def assemble(
    root: Path, site: Path, version: str, config: Config, committee: CommitteeReport | None, labels: dict[str, str] | None = None
) -> str:
    """The print document for the version built in ``site`` (e.g. OUT/public) of project ``root``.

    ``labels``: the metrics' names by id (read from the project when not given)."""
    root = Path(root)
    if labels is None:
        labels = metric_labels(root)
    mkdocs_yml = root / "mkdocs.yml"
    cfg = read_site_config(mkdocs_yml) or {}
    docs = docs_dir_of(root, cfg)
    built = Version(site, nav_pages(mkdocs_yml, docs) if mkdocs_yml.exists() else [])
    # What changed since the last edition, as this version's own changes page says it.
    changes_page = Path(site) / CHANGES_PAGE.removesuffix(".md") / "index.html"
    changes = summary_in(changes_page.read_text(encoding="utf-8")) if changes_page.exists() else ""
    return print_html(config, version, built.chapters(), committee, built.stylesheets(mkdocs_yml), labels, changes)
