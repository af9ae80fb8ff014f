"""Two versions from one source: each page's internal and public text, and the redaction report.

- The **public** text has every restricted block and span replaced by ``[REDACTED]`` (or
  nothing, where the reason says ``public: remove``) before any Markdown is rendered; a
  restricted page has no public text at all and leaves the navigation.
- The **internal** text shows each restricted block as a ``restricted`` admonition titled
  with its reason, and each span highlighted with its reason.

Both keep every line where it was, so a line number in the source is the same line in
either version. The public source is an allowlist: public pages in their public text, and
only the other files that something public refers to (see :mod:`.references`). :func:`plan` also lists every redaction and suppression (the redaction
report for information-governance sign-off) and what the leak scan must look for.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from pathlib import Path

from selfeval.content.citations import Page, calls_in
from selfeval.content.nav import nav_entries
from selfeval.disclosure.datatext import check_files, redacted
from selfeval.disclosure.datatext import markdown as markdown_text
from selfeval.project.model import Observation, Table
from selfeval.render.charts.data import ChartDef
from selfeval.render.figures import FigureError
from selfeval.render.macros import MACROS
from selfeval.disclosure.leakscan import Needle, drop_public, passage_needles, split_segments, vocabulary, words
from selfeval.disclosure.markers import DEFAULT_REASONS, UNSPECIFIED, Marker, PageMarkers, Reason, parse
from selfeval.problems import Problems, close_match
from selfeval.content.references import config_references, css_references, markdown_references, page_candidates, resolutions
from selfeval.content.sourcetree import (
    docs_dir_of,
    is_page,
    miscased_pages,
    site_config,
    source_files,
    symlink_problems,
    use_directory_urls,
)
from selfeval.disclosure.suppression import SYMBOL, WITHHELD, Disclosure

REPORT_PAGE = "redaction-report.md"
GENERATED_FIGURES = "figures.md (generated)"
REPORT_CSV = "redaction-report.csv"
REPORT_COLUMNS = ["page", "line", "kind", "reason", "detail"]
PUBLIC_REDACTED = "\\[REDACTED\\]"  # Markdown for a literal [REDACTED]


@dataclass
class Entry:
    """One line of the redaction report."""

    page: str
    line: int
    kind: str
    reason: str
    detail: str = ""


@dataclass
class PageVersions:
    page: Page
    markers: PageMarkers
    public: str | None  # None: the page is restricted and has no public version

    @cached_property
    def public_calls(self) -> list:
        """The macro calls the public text keeps: none inside a restricted passage, none at
        all for a restricted page (the page's own calls where nothing was redacted)."""
        if self.public is None:
            return []
        if self.public == self.page.text:
            return self.page.calls
        return calls_in(self.public, self.page.path, Problems())


@dataclass
class Plan:
    """Everything the public build needs to know, computed from the sources alone."""

    pages: dict[str, PageVersions] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    needles: list[Needle] = field(default_factory=list)
    restricted_pages: set[str] = field(default_factory=set)
    # Files other than pages that the public version carries: src -> the file to copy.
    public_assets: dict[str, Path] = field(default_factory=dict)
    # Every text the public build reads, as words: what a short needle may honestly match.
    vocabulary: str = ""


def reasons_of(config) -> dict[str, Reason]:
    return (config.reasons if config is not None and config.reasons else None) or dict(DEFAULT_REASONS)


# -- the two texts -------------------------------------------------------------------------
def _outermost(markers: list[Marker]) -> list[Marker]:
    """Markers not inside another marker, in order."""
    out: list[Marker] = []
    for m in sorted(markers, key=lambda m: (m.start, -m.end)):
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def _blank_lines(segment: str, keep: str | None, indent: str, quote: str = "") -> str:
    """``segment`` as the same number of lines: blank, with ``keep`` on its second line.

    Inside a blockquote each line keeps the quote's ``>`` prefix, so the quote around the
    passage stays one quote.
    """
    n = segment.count("\n") + (0 if segment.endswith("\n") else 1)
    lines = [quote.rstrip()] * n
    if keep is not None and n >= 3:
        lines[1] = quote + indent + keep
    return "\n".join(lines) + ("\n" if segment.endswith("\n") else "")


def public_text(text: str, markers: PageMarkers) -> str | None:
    """The page as the public version sees it; None for a restricted page."""
    if markers.restricted:
        return None
    out, pos = [], 0
    for m in _outermost(markers.markers):
        out.append(text[pos : m.start])
        segment = text[m.start : m.end]
        keep = PUBLIC_REDACTED if m.reason.public == "redact" else None
        if m.kind == "block":
            out.append(_blank_lines(segment, keep, m.indent, m.quote))
        else:
            out.append((keep or "") + "\n" * segment.count("\n"))
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def _split_quote(line: str, depth: int) -> tuple[str, str]:
    """(the first ``depth`` blockquote levels of ``line``, the rest)."""
    m = re.match(rf"(?:[ \t]*>[ ]?){{{depth}}}", line) if depth else None
    return (m.group(0), line[m.end() :]) if m else ("", line)


def internal_label(reason: Reason) -> str:
    return "Restricted" if reason is UNSPECIFIED or reason.id == UNSPECIFIED.id else f"Restricted — {reason.label}"


def internal_text(text: str, markers: PageMarkers) -> str:
    """The page with each restricted passage visibly marked with its reason."""
    # Spans first (they do not change lines), from the end so offsets stay valid.
    for m in sorted(markers.spans, key=lambda m: m.start, reverse=True):
        label = escape(internal_label(m.reason))
        inner = text[m.inner_start : m.inner_end]
        html = (
            f'<span class="restricted" data-reason="{escape(m.reason.id)}">'
            f'<span class="restricted-reason">{label}:</span> {inner}</span>'
        )
        text = text[: m.start] + html + text[m.end :]
    lines = text.split("\n")  # spans never add or remove lines
    opening = {b.line: b for b in markers.blocks}
    closing = {b.end_line: b for b in markers.blocks}
    out = []
    for number, line in enumerate(lines, start=1):
        if number in opening:
            b = opening[number]
            title = internal_label(b.reason).replace('"', "'")
            line = f'{b.quote}{b.indent}!!! restricted "{title}"'
        elif number in closing:
            line = closing[number].quote.rstrip()
        # Indent content once per enclosing block, innermost first, inside its blockquote.
        for b in sorted(
            (b for b in markers.blocks if b.line < number < b.end_line), key=lambda b: (b.depth, len(b.indent)), reverse=True
        ):
            prefix, rest = _split_quote(line, b.quote_depth)
            if rest.strip():
                cut = len(b.indent) if rest[: len(b.indent)].strip() == "" else 0
                line = prefix + rest[:cut] + "    " + rest[cut:]
        out.append(line)
    return "\n".join(out)


def restricted_page_notice(reason: Reason) -> str:
    """HTML put at the top of a restricted page in the internal version."""
    return (
        f'<div class="admonition restricted restricted-page"><p class="admonition-title">'
        f"{escape(internal_label(reason))}: this whole page</p><p>This page is not in the public "
        f"version: it is left out of its navigation, search and sitemap.</p></div>"
    )


# -- links from public pages to restricted ones ---------------------------------------------
def link_targets(text: str, src: str, directory_urls: bool = True):
    """(line, target src) for each link in ``text`` that could reach a Markdown page: every
    form (relative or site-absolute, ``.md`` or folder URL or ``.html``, ``index.md`` or
    ``README.md``, encoded, with ``#anchor`` or ``?query``, inline or reference definition
    or raw HTML), each with every page that could serve it."""
    for ref in markdown_references(text):
        seen = set()
        for path in resolutions(ref, src, directory_urls):
            for candidate in page_candidates(path, directory_urls):
                if candidate not in seen and is_page(candidate):
                    seen.add(candidate)
                    yield ref.line, candidate


def _link_problems(result: Plan, directory_urls: bool, restricted_assets: set[str], problems: Problems) -> None:
    """A public page may not link to a restricted page, nor to a file only restricted content uses."""
    for versions in result.pages.values():
        if versions.public is None:
            continue
        src = versions.page.src
        for ref in markdown_references(versions.public):
            paths = resolutions(ref, src, directory_urls)
            pages = [c for path in paths for c in page_candidates(path, directory_urls) if c in result.pages]
            hit = next((c for c in pages if c in result.restricted_pages), None)
            if hit is not None:  # any page the link could reach: fail closed
                problems.add(
                    versions.page.path,
                    ref.line,
                    f"links to '{hit}', a restricted page that is not in the public version",
                    "remove the link, or put it inside a restricted block or span",
                    code="link-to-restricted",
                )
            elif not pages and not any(p in result.public_assets for p in paths):
                hidden = next((p for p in paths if p in restricted_assets), None)
                if hidden is not None:
                    problems.add(
                        versions.page.path,
                        ref.line,
                        f"links to '{hidden}', a file that only restricted content uses, so it is not in the public version",
                        "remove the link, or put it inside a restricted block or span",
                        code="link-to-restricted",
                    )


# -- mkdocs.yml navigation -------------------------------------------------------------------
def read_nav(root: Path):
    """The ``nav:`` of the project's mkdocs.yml (with lines), or None."""
    return site_config(root).get("nav")


def public_nav(nav, restricted: set[str]):
    """The navigation without restricted pages (and without sections left empty)."""
    if nav is None:
        return None
    out = []
    for item in nav:
        if isinstance(item, str):
            if item not in restricted:
                out.append(item)
        elif isinstance(item, dict):
            kept = {}
            for title, value in item.items():
                if isinstance(value, list):
                    value = public_nav(value, restricted)
                    if value:
                        kept[title] = value
                elif value not in restricted:
                    kept[title] = value
            if kept:
                out.append(dict(kept))
    return out


# -- the plan --------------------------------------------------------------------------------
def plan(root: Path, pages: list[Page], project, problems: Problems, charts: dict) -> Plan:
    """Markers, public texts, the redaction report and the leak scan's needles (``charts``: the
    project's chart definitions, as the checks loaded them)."""
    config = project.config if project is not None else None
    reasons = reasons_of(config)
    result = Plan()
    for page in pages:
        markers = parse(page.text, page.path, reasons, problems, page.meta)
        result.pages[page.src] = PageVersions(page, markers, public_text(page.text, markers))
        if markers.restricted:
            result.restricted_pages.add(page.src)
            result.entries.append(
                Entry(
                    page.path,
                    markers.page_reason_line,
                    "page",
                    markers.page_reason.id,
                    f"whole page '{page.title}' left out of the public version",
                )
            )
            result.needles += passage_needles(page.text, page.path, 1)
            for key in ("title", "description"):
                if page.meta.get(key):
                    line = page.meta.key_line(key) + 1 if hasattr(page.meta, "key_line") else 1
                    result.needles += passage_needles(str(page.meta[key]), page.path, line)
            continue
        for m in _outermost(markers.markers):
            content = m.content(page.text)
            action = "removed" if m.reason.public == "remove" else "replaced by [REDACTED]"
            excerpt = " ".join(content.split())
            excerpt = excerpt[:70] + ("…" if len(excerpt) > 70 else "")
            result.entries.append(Entry(page.path, m.line, m.kind, m.reason.id, f"{action}: {excerpt}"))
        result.needles += marker_needles(page.text, markers, page.path)
    for entry in nav_entries(read_nav(root)):
        if entry.title and entry.src in result.restricted_pages:
            result.needles += passage_needles(entry.title, "mkdocs.yml", entry.line)
    # Short passages that the public source itself says are not secrets (see drop_public).
    result.vocabulary = vocabulary(_public_sources(root, result, reasons))
    result.needles = drop_public(result.needles, result.vocabulary)
    _data_spans(root, reasons, problems, result)
    site = site_config(root)
    docs_dir = docs_dir_of(Path(root), site)
    symlink_problems(root, problems)
    miscased_pages(docs_dir, root, problems, site)
    restricted_assets = _assets(root, docs_dir, site, result)
    _link_problems(result, use_directory_urls(site), restricted_assets, problems)
    for metric in project.metrics.values() if project is not None else []:
        if metric.reason and metric.reason not in reasons:
            hint = close_match(metric.reason, reasons)
            problems.add(
                metric.path,
                metric.line,
                f"metric '{metric.id}' has unknown reason '{metric.reason}'",
                f"{hint + ' ' if hint else ''}reasons are: {', '.join(reasons)}",
                code="unknown-name",
            )
    if project is not None and config is not None:
        from selfeval.disclosure.audit import decide

        decision = decide(project, problems)
        _suppressions(project, result, Disclosure("public", config.suppression_threshold, decision), charts)
    result.entries.sort(key=lambda e: (e.page.endswith("(generated)"), e.page, e.line))
    return result


def _assets(root: Path, docs_dir: Path, site: dict, result: Plan) -> set[str]:
    """Fill in the files the public version carries, and report the ones it leaves out.

    A file other than a page is public only when something public refers to it: a public
    page's public text, the site configuration, or a stylesheet that is itself public.
    Returns the files that only restricted content refers to.
    """
    directory_urls = use_directory_urls(site)
    files = {f.src: f for f in source_files(docs_dir, root, site) if not is_page(f.src)}
    public: set[str] = set()

    def referred(refs, src: str, markdown_first_only: bool = False) -> set[str]:
        found = set()
        for ref in refs:
            paths = resolutions(ref, src, directory_urls)
            if markdown_first_only and ref.kind == "markdown":
                paths = paths[:1]  # MkDocs rewrites a Markdown link relative to the page's file
            found.update(p for p in paths if p in files)
        return found

    public |= referred(config_references(site), "")
    for src, versions in result.pages.items():
        if versions.public is not None:
            public |= referred(markdown_references(versions.public), src, markdown_first_only=True)
    stylesheets = sorted(p for p in public if p.endswith(".css"))
    while stylesheets:
        css = stylesheets.pop()
        try:
            text = files[css].real.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for found in referred(css_references(text), css) - public:
            public.add(found)
            if found.endswith(".css"):
                stylesheets.append(found)
    anywhere = set()
    for src, versions in result.pages.items():
        anywhere |= referred(markdown_references(versions.page.text), src)
    restricted = anywhere - public
    base = relpath_of(docs_dir, root)
    for src in sorted(set(files) - public):
        if src in restricted:
            why, detail = "restricted", "referred to only by restricted content: left out of the public version"
        else:
            why, detail = "not referenced", "not referenced by any public page: left out of the public version"
        result.entries.append(Entry(f"{base}/{src}", 0, "file", why, detail))
    result.public_assets = {src: files[src].real for src in sorted(public)}
    return restricted


def relpath_of(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def _data_spans(root: Path, reasons: dict[str, Reason], problems: Problems, result: Plan) -> None:
    """Restricted spans in data text: each one reported, and looked for by the leak scan."""
    for span in check_files(root, reasons, problems):
        action = "removed" if span.reason.public == "remove" else "replaced by [REDACTED]"
        excerpt = " ".join(span.text.split())
        excerpt = excerpt[:70] + ("…" if len(excerpt) > 70 else "")
        result.entries.append(Entry(span.path, span.line, "data span", span.reason.id, f"{action}: {excerpt}"))
        # Not dropped as public vocabulary: the data file itself holds the words.
        result.needles += passage_needles(span.text, span.path, span.line)


def _public_sources(root: Path, result: Plan, reasons: dict[str, Reason] | None = None):
    """Every text the public build reads: public pages, the site configuration, the data
    (with its restricted spans redacted, as the public build reads it)."""
    for versions in result.pages.values():
        if versions.public is not None:
            yield versions.public
    root = Path(root)
    files = [root / "mkdocs.yml", root / "evidence_register.yaml"]
    files += sorted(p for p in (root / "data").rglob("*") if p.suffix in (".yaml", ".yml", ".csv"))
    for path in files:
        try:
            yield redacted(path.read_text(encoding="utf-8"), reasons or dict(DEFAULT_REASONS))
        except (OSError, UnicodeDecodeError):
            continue


def marker_needles(text: str, markers: PageMarkers, path: str) -> list[Needle]:
    """What the leak scan looks for, for each restricted block and span of a page."""
    needles = []
    for m in _outermost(markers.markers):
        needles += passage_needles(m.body(text), path, m.line if m.kind == "span" else m.line + 1)
        if m.kind == "span":
            needles += _span_context_needles(text, m, path)
    return needles


def _span_context_needles(text: str, m: Marker, path: str) -> list[Needle]:
    """A span's text with the words around it: what a leak of it in place would read as."""
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end) % (len(text) + 1)
    # Only the words that run on from the span in the output: not across link targets etc.
    before = words(split_segments(text[line_start : m.start])[-1])[-3:]
    after = words(split_segments(text[m.end : line_end])[0])[:3]
    inner = words(m.content(text))
    if not inner or len(before) + len(after) < 2:
        return []
    return [Needle(tuple(before + inner + after), f"{path}:{m.line}", "restricted span in its sentence")]


def _suppressions(project, result: Plan, disclosure: Disclosure, charts: dict) -> None:
    """Report entries for every figure and table cell the public version hides.

    Each macro says which observations, tables and charts a call of it shows
    (:mod:`selfeval.render.macros`); what the leak scan looks for in their place is read
    off the renderer itself (:mod:`selfeval.disclosure.needles`), not written out here a
    second time.
    """
    withheld_sources = {}

    def hide(metric, obs, page, line):
        reason = disclosure.reason(metric, obs)
        if metric.source in project.evidence and project.evidence[metric.source].classification == "internal":
            withheld_sources.setdefault(metric.source, (page, line))
        if not reason:
            return
        shown = WITHHELD if reason == "restricted" else SYMBOL
        kind = "withheld metric" if reason == "restricted" else "small number"
        why = (metric.reason or "restricted") if reason == "restricted" else f"below {disclosure.threshold}"
        audited = (
            disclosure.decision.hidden.get(("obs", metric.id, obs.area or "", obs.period))
            if disclosure.decision is not None and reason != "restricted"
            else None
        )
        range_text = ""
        if audited is not None:
            kind, why = _kind_of(audited.why, disclosure.threshold)
            range_text = f"; {audited.range_text}"
        result.entries.append(Entry(page, line, kind, why, f"{metric.id} {obs.period}: shown as {shown}{range_text}"))

    for versions in result.pages.values():
        if versions.public is None:
            continue
        page = versions.page
        for call in versions.public_calls:
            macro = MACROS[call.macro]
            if macro.hides is None:
                continue
            try:
                for value in macro.hides(call, project, charts):
                    if isinstance(value, Observation):
                        hide(project.metrics[value.metric], value, page.path, call.line)
                    elif isinstance(value, Table):
                        _table_entries(value, page.path, call.line, disclosure, result)
                    elif isinstance(value, ChartDef):
                        _chart_entries(project, value, page.path, call.line, disclosure, result)
                    else:
                        raise TypeError(f"{type(value).__name__} is not an observation, a table or a chart")
            except (FigureError, KeyError, TypeError, ValueError) as exc:
                # A call the checks refuse (the build stops on it); the report says so rather than stay silent.
                result.entries.append(
                    Entry(
                        page.path,
                        call.line,
                        "not listed",
                        "call in error",
                        f"{call.macro}: what it hides could not be listed ({exc}) — run make check",
                    )
                )
    for metric in project.metrics.values():
        obs = project.latest(metric.id)
        if obs is None:
            continue
        if metric.disclosure == "restricted":
            result.entries.append(
                Entry(
                    GENERATED_FIGURES,
                    0,
                    "withheld metric",
                    metric.reason or "restricted",
                    f"{metric.id} left off the public Figures page",
                )
            )
        elif disclosure.small(metric, obs):
            hide(metric, obs, GENERATED_FIGURES, 0)
    for eid, (page, line) in sorted(withheld_sources.items()):
        result.entries.append(
            Entry(page, line, "withheld evidence", "internal", f"source '{eid}' named as {WITHHELD} wherever it is cited")
        )


def _chart_entries(project, chart, page: str, line: int, disclosure: Disclosure, result: Plan) -> None:
    """Report entries for what a chart leaves out of the public version: its hidden points
    (the same audited cells as its figures and tables) and its restricted measures."""
    from selfeval.render.charts.data import chart_data

    data = chart_data(project, chart, "public", disclosure.threshold)
    for point in data.points:
        if point.hidden:
            result.entries.append(
                Entry(
                    page,
                    line,
                    "small number",
                    f"below {disclosure.threshold} or protecting one",
                    f"chart '{chart.id}', {point.series}, {point.category}: shown as {SYMBOL}",
                )
            )
    if data.withheld:
        result.entries.append(
            Entry(
                page, line, "withheld metric", "restricted", f"chart '{chart.id}': {data.withheld} restricted measure(s) left out"
            )
        )


def _kind_of(why: str, threshold: int) -> tuple[str, str]:
    """(kind, reason) in the redaction report for why the audit hides a value."""
    return {
        "primary": ("small number", f"primary: below {threshold}"),
        "secondary": ("secondary suppression", "secondary: would let a hidden value be worked out"),
        "linked": ("secondary suppression", "linked: the same figure is hidden elsewhere"),
        "percentage": ("small number", "percentage of a hidden or small count"),
    }.get(why, ("small number", why))


def _table_entries(table, page: str, line: int, disclosure: Disclosure, result: Plan) -> None:
    hidden = disclosure.table_cells(table)
    audited = disclosure.decision.hidden if disclosure.decision is not None else {}
    for (r, c), why in sorted(hidden.items()):
        cells = table.rows[r]
        if cells[c].strip() == SYMBOL:
            continue  # already [c] in the data
        kind, reason = _kind_of(why, disclosure.threshold)
        entry = audited.get(("table", table.id, r, c))
        range_text = f"; {entry.range_text}" if entry is not None and entry.low is not None else ""
        result.entries.append(
            Entry(page, line, kind, reason, f"table {table.id}, '{cells[0]}', '{table.header[c]}': shown as {SYMBOL}{range_text}")
        )


# -- writing --------------------------------------------------------------------------------
def report_csv(entries: list[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for e in entries:
        writer.writerow([e.page, e.line or "", e.kind, e.reason, e.detail])
    return out.getvalue()


def report_page(entries: list[Entry], threshold: int) -> str:
    """Markdown for the internal-only redaction report page."""

    def cell(text) -> str:
        return markdown_text(str(text))

    counts: dict[str, int] = {}
    for e in entries:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    summary = "; ".join(f"{k}: {n}" for k, n in sorted(counts.items())) or "nothing"
    lines = [
        "---",
        "title: Redaction report",
        "render_macros: false",
        "---",
        "",
        "# Redaction report",
        "",
        "Everything the public version leaves out or hides, for information-governance sign-off. "
        "This page is in the internal version only; the same list is in "
        f"[{REPORT_CSV}]({REPORT_CSV}).",
        "",
        f"In this build ({summary}). Counts of people below {threshold} are shown as {SYMBOL} in public.",
        "",
    ]
    if entries:
        lines += ["| Where | Kind | Reason | What the public version does |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {cell(e.page)}{':' + str(e.line) if e.line else ''} | {cell(e.kind)} | {cell(e.reason)} | "
            f"{cell(e.detail).replace('&#95;', '_<wbr>')} |"
            for e in entries
        ]
    else:
        lines.append("Nothing is redacted or suppressed.")
    lines.append("")
    return "\n".join(lines)


def write_public_source(root: Path, result: Plan, dest: Path, docs_dir: Path | None = None) -> Path:
    """Write ``dest/content``: every public page in its public text and every file a public
    page, a public stylesheet or mkdocs.yml refers to; nothing else, and never through a link."""
    target = Path(dest) / "content"
    if target.is_symlink():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for src, versions in sorted(result.pages.items()):
        if versions.public is not None:
            _write_new(target, src, versions.public.encode("utf-8"))
    for src, real in result.public_assets.items():
        if src not in result.pages:
            _write_new(target, src, Path(real).read_bytes())
    return target


def _write_new(target: Path, src: str, data: bytes) -> None:
    """Create ``target/src`` as a new file, refusing any link on the way."""
    path = target
    for part in Path(src).parts[:-1]:
        path = path / part
        if path.is_symlink():
            raise OSError(f"{path} is a symbolic link; the public source is never written through one")
        path.mkdir(exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target / src, flags, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
