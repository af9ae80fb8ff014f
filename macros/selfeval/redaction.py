"""Two versions from one source: each page's internal and public text, and the redaction report.

- The **public** text has every restricted block and span replaced by ``[REDACTED]`` (or
  nothing, where the reason says ``public: remove``) before any Markdown is rendered; a
  restricted page has no public text at all and leaves the navigation.
- The **internal** text shows each restricted block as a ``restricted`` admonition titled
  with its reason, and each span highlighted with its reason.

Both keep every line where it was, so a line number in the source is the same line in
either version. :func:`plan` also lists every redaction and suppression (the redaction
report for information-governance sign-off) and what the leak scan must look for.
"""
from __future__ import annotations

import csv
import io
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import yaml

from . import formatting as fmt
from .citations import Page, calls_in
from .figures import FigureError, in_period, resolve
from .leakscan import Needle, drop_public, passage_needles, split_segments, vocabulary, words
from .markers import DEFAULT_REASONS, REDACTED, UNSPECIFIED, Marker, PageMarkers, Reason, parse
from .problems import Problems, close_match
from .sourcefile import _Loader
from .suppression import SYMBOL, WITHHELD, Disclosure, suppress_table

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
    public: str | None          # None: the page is restricted and has no public version


@dataclass
class Plan:
    """Everything the public build needs to know, computed from the sources alone."""

    pages: dict[str, PageVersions] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    needles: list[Needle] = field(default_factory=list)
    restricted_pages: set[str] = field(default_factory=set)


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


def _blank_lines(segment: str, keep: str | None, indent: str) -> str:
    """``segment`` as the same number of lines: blank, with ``keep`` on its second line."""
    n = segment.count("\n") + (0 if segment.endswith("\n") else 1)
    lines = [""] * n
    if keep is not None and n >= 3:
        lines[1] = indent + keep
    return "\n".join(lines) + ("\n" if segment.endswith("\n") else "")


def public_text(text: str, markers: PageMarkers) -> str | None:
    """The page as the public version sees it; None for a restricted page."""
    if markers.restricted:
        return None
    out, pos = [], 0
    for m in _outermost(markers.markers):
        out.append(text[pos:m.start])
        segment = text[m.start:m.end]
        keep = PUBLIC_REDACTED if m.reason.public == "redact" else None
        if m.kind == "block":
            out.append(_blank_lines(segment, keep, m.indent))
        else:
            out.append((keep or "") + "\n" * segment.count("\n"))
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def internal_label(reason: Reason) -> str:
    return "Restricted" if reason is UNSPECIFIED or reason.id == UNSPECIFIED.id else f"Restricted — {reason.label}"


def internal_text(text: str, markers: PageMarkers) -> str:
    """The page with each restricted passage visibly marked with its reason."""
    # Spans first (they do not change lines), from the end so offsets stay valid.
    for m in sorted(markers.spans, key=lambda m: m.start, reverse=True):
        label = escape(internal_label(m.reason))
        inner = text[m.inner_start:m.inner_end]
        html = (f'<span class="restricted" data-reason="{escape(m.reason.id)}">'
                f'<span class="restricted-reason">{label}:</span> {inner}</span>')
        text = text[:m.start] + html + text[m.end:]
    lines = text.split("\n")  # spans never add or remove lines
    opening = {b.line: b for b in markers.blocks}
    closing = {b.end_line: b for b in markers.blocks}
    out = []
    for number, line in enumerate(lines, start=1):
        if number in opening:
            b = opening[number]
            title = internal_label(b.reason).replace('"', "'")
            line = f'{b.indent}!!! restricted "{title}"'
        elif number in closing:
            line = ""
        # Indent content once per enclosing block, innermost first.
        for b in sorted((b for b in markers.blocks if b.line < number < b.end_line),
                        key=lambda b: len(b.indent), reverse=True):
            if line.strip():
                cut = len(b.indent) if line[:len(b.indent)].strip() == "" else 0
                line = line[:cut] + "    " + line[cut:]
        out.append(line)
    return "\n".join(out)


def restricted_page_notice(reason: Reason) -> str:
    """HTML put at the top of a restricted page in the internal version."""
    return (f'<div class="admonition restricted restricted-page"><p class="admonition-title">'
            f'{escape(internal_label(reason))}: this whole page</p><p>This page is not in the public '
            f'version: it is left out of its navigation, search and sitemap.</p></div>')


# -- links from public pages to restricted ones ---------------------------------------------
_LINK = re.compile(r"\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+[\"'][^)]*)?\)|^\s*\[[^\]\n]+\]:\s*<?(?P<ref>\S+?)>?(?:\s|$)"
                   r"|href=[\"'](?P<href>[^\"']+)[\"']", re.M)


def link_targets(text: str, src: str):
    """(line, target src) for each relative link to a Markdown page in ``text``."""
    for m in _LINK.finditer(text):
        target = m.group("target") or m.group("ref") or m.group("href")
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target, re.I):
            continue
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not path.endswith(".md"):
            continue
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
        yield text.count("\n", 0, m.start()) + 1, resolved


# -- mkdocs.yml navigation -------------------------------------------------------------------
class _ConfigLoader(_Loader):
    pass


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_nav(root: Path):
    """The ``nav:`` of the project's mkdocs.yml (with lines), or None."""
    path = Path(root) / "mkdocs.yml"
    if not path.exists():
        return None
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError:
        return None
    return data.get("nav") if isinstance(data, dict) else None


def nav_entries(nav, parents=()):
    """(title, src, line) for each page in a nav; sections recurse."""
    for item in nav or []:
        if isinstance(item, str):
            yield None, item, getattr(nav, "line", 0)
        elif isinstance(item, dict):
            for title, value in item.items():
                line = item.key_line(title) if hasattr(item, "key_line") else 0
                if isinstance(value, list):
                    yield from nav_entries(value, (*parents, title))
                elif isinstance(value, str):
                    yield title, value, line


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
def plan(root: Path, pages: list[Page], project, problems: Problems) -> Plan:
    """Markers, public texts, the redaction report and the leak scan's needles."""
    config = project.config if project is not None else None
    reasons = reasons_of(config)
    result = Plan()
    for page in pages:
        markers = parse(page.text, page.path, reasons, problems, page.meta)
        result.pages[page.src] = PageVersions(page, markers, public_text(page.text, markers))
        if markers.restricted:
            result.restricted_pages.add(page.src)
            result.entries.append(Entry(page.path, markers.page_reason_line, "page", markers.page_reason.id,
                                        f"whole page '{page.title}' left out of the public version"))
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
    for title, src, line in nav_entries(read_nav(root)):
        if title and src in result.restricted_pages:
            result.needles += passage_needles(title, "mkdocs.yml", line)
    # Short passages that the public source itself says are not secrets (see drop_public).
    result.needles = drop_public(result.needles, vocabulary(_public_sources(root, result)))
    for versions in result.pages.values():
        if versions.public is None:
            continue
        for line, target in link_targets(versions.public, versions.page.src):
            if target in result.restricted_pages:
                problems.add(versions.page.path, line,
                             f"links to '{target}', a restricted page that is not in the public version",
                             "remove the link, or put it inside a restricted block or span")
    for metric in (project.metrics.values() if project is not None else []):
        if metric.reason and metric.reason not in reasons:
            hint = close_match(metric.reason, reasons)
            problems.add(metric.path, metric.line, f"metric '{metric.id}' has unknown reason '{metric.reason}'",
                         f"{hint + ' ' if hint else ''}reasons are: {', '.join(reasons)}")
    if project is not None and config is not None:
        from .audit import decide
        decision = decide(project, problems)
        _suppressions(project, result, Disclosure("public", config.suppression_threshold, decision))
    result.entries.sort(key=lambda e: (e.page.endswith("(generated)"), e.page, e.line))
    return result


def _public_sources(root: Path, result: Plan):
    """Every text the public build reads: public pages, the site configuration, the data."""
    for versions in result.pages.values():
        if versions.public is not None:
            yield versions.public
    root = Path(root)
    files = [root / "mkdocs.yml", root / "evidence_register.yaml"]
    files += sorted(p for p in (root / "data").rglob("*") if p.suffix in (".yaml", ".yml", ".csv"))
    for path in files:
        try:
            yield path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue


def marker_needles(text: str, markers: PageMarkers, path: str) -> list[Needle]:
    """What the leak scan looks for, for each restricted block and span of a page."""
    needles = []
    for m in _outermost(markers.markers):
        needles += passage_needles(m.content(text), path, m.line if m.kind == "span" else m.line + 1)
        if m.kind == "span":
            needles += _span_context_needles(text, m, path)
    return needles


def _span_context_needles(text: str, m: Marker, path: str) -> list[Needle]:
    """A span's text with the words around it: what a leak of it in place would read as."""
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end) % (len(text) + 1)
    # Only the words that run on from the span in the output: not across link targets etc.
    before = words(split_segments(text[line_start:m.start])[-1])[-3:]
    after = words(split_segments(text[m.end:line_end])[0])[:3]
    inner = words(m.content(text))
    if not inner or len(before) + len(after) < 2:
        return []
    return [Needle(tuple(before + inner + after), f"{path}:{m.line}", "restricted span in its sentence")]


def _value_needles(metric, obs, true: str, where: str, project=None) -> list[Needle]:
    """A hidden value in the contexts the renderer puts values in."""
    value = words(true)
    period = words(obs.period)
    # "Discharges on pathway 3: as reported ..." is a label, not the value 3 in its period.
    label_ends = {tuple(words(m.label)[-1:]) for m in (project.metrics.values() if project is not None else [])}
    forms = [words(metric.label) + value] + ([] if tuple(value) in label_ends else [value + period]) + [["from"] + value + words(in_period(obs.period)),
             ["with"] + value + words(in_period(obs.period)), words(metric.definition)[-3:] + value]
    what = f"{metric.id} = {true} ({obs.period})"
    return [Needle(tuple(f), where, what) for f in forms if len(f) > len(value)]


def _suppressions(project, result: Plan, disclosure: Disclosure) -> None:
    """Report entries and needles for every figure and table cell the public version hides."""
    seen_obs = set()
    withheld_sources = {}

    def hide(metric, obs, page, line, context_line: str | None, call_text: str | None):
        reason = disclosure.reason(metric, obs)
        if metric.source in project.evidence and project.evidence[metric.source].classification == "internal":
            withheld_sources.setdefault(metric.source, (page, line))
        if not reason:
            return
        true = fmt.with_unit(obs.value, metric.unit, metric.rate_per)
        shown = WITHHELD if reason == "restricted" else SYMBOL
        kind = "withheld metric" if reason == "restricted" else "small number"
        why = (metric.reason or "restricted") if reason == "restricted" else f"below {disclosure.threshold}"
        audited = disclosure.decision.hidden.get(("obs", metric.id, obs.area or "", obs.period)) \
            if disclosure.decision is not None and reason != "restricted" else None
        range_text = ""
        if audited is not None:
            kind, why = _kind_of(audited.why, disclosure.threshold)
            range_text = f"; {audited.range_text}"
        result.entries.append(Entry(page, line, kind, why, f"{metric.id} {obs.period}: shown as {shown}{range_text}"))
        where = f"{obs.path}:{obs.line}"
        if (metric.id, obs.period) not in seen_obs:
            seen_obs.add((metric.id, obs.period))
            result.needles += _value_needles(metric, obs, true, where, project)
        if context_line and call_text:
            before, _, after = context_line.partition(call_text)
            strip = lambda s: re.sub(r"\{\{.*?\}\}", " ", s)  # noqa: E731
            b, a = words(strip(before))[-3:], words(strip(after))[:3]
            if len(b) + len(a) >= 2:
                result.needles.append(Needle(tuple(b + words(true) + a), where, f"{metric.id} = {true} in {page}:{line}"))

    for src, versions in result.pages.items():
        if versions.public is None:
            continue
        page = versions.page
        lines = versions.public.split("\n")
        for call in calls_in(versions.public, page.path, Problems()):
            line_text = lines[call.line - 1] if call.line <= len(lines) else ""
            m = re.search(r"\{\{.*?\}\}", line_text)
            call_text = m.group(0) if m else None
            try:
                if call.macro in ("figure", "change"):
                    obs = resolve(project, call.args["id"], call.args.get("period"))
                    metric = project.metrics[obs.metric]
                    hide(metric, obs, page.path, call.line, line_text, call_text)
                    if call.macro == "change" or call.args.get("show") == "change":
                        before = project.previous(obs)
                        if before is not None:
                            hide(metric, before, page.path, call.line, None, None)
                elif call.macro == "kpi_tiles":
                    ids = call.args["ids"] if isinstance(call.args["ids"], list) else [call.args["ids"]]
                    for mid in ids:
                        obs = resolve(project, mid)
                        metric = project.metrics[mid]
                        hide(metric, obs, page.path, call.line, None, None)
                        before = project.previous(obs)
                        if before is not None:
                            hide(metric, before, page.path, call.line, None, None)
                elif call.macro == "data_table" and call.args["id"] in project.tables:
                    _table_entries(project.tables[call.args["id"]], page.path, call.line, disclosure, result)
            except (FigureError, KeyError, TypeError):
                continue  # reported by the checks
    for metric in project.metrics.values():
        obs = project.latest(metric.id)
        if obs is None:
            continue
        if metric.disclosure == "restricted":
            result.entries.append(Entry(GENERATED_FIGURES, 0, "withheld metric", metric.reason or "restricted",
                                        f"{metric.id} left off the public Figures page"))
            result.needles += _value_needles(metric, obs, fmt.with_unit(obs.value, metric.unit, metric.rate_per),
                                             f"{obs.path}:{obs.line}", project)
        elif disclosure.small(metric, obs):
            hide(metric, obs, GENERATED_FIGURES, 0, None, None)
    for eid, (page, line) in sorted(withheld_sources.items()):
        result.entries.append(Entry(page, line, "withheld evidence", "internal",
                                    f"source '{eid}' named as {WITHHELD} wherever it is cited"))


def _kind_of(why: str, threshold: int) -> tuple[str, str]:
    """(kind, reason) in the redaction report for why the audit hides a value."""
    return {"primary": ("small number", f"primary: below {threshold}"),
            "secondary": ("secondary suppression", "secondary: would let a hidden value be worked out"),
            "linked": ("secondary suppression", "linked: the same figure is hidden elsewhere"),
            "percentage": ("small number", "percentage of a hidden or small count")}.get(why, ("small number", why))


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
        result.entries.append(Entry(page, line, kind, reason,
                                    f"table {table.id}, '{cells[0]}', '{table.header[c]}': shown as {SYMBOL}{range_text}"))
        unit = table.row_units[r]
        value = fmt.to_decimal(cells[c].replace(",", ""))
        true = fmt.with_unit(value, unit) if value is not None else cells[c]
        shown_before = []
        true_before = []
        for i in range(1, c):
            true_before += words(cells[i])
            shown_before += words(SYMBOL if (r, i) in hidden else cells[i])
        where = f"{table.path}:{table.row_lines[r]}"
        label = words(cells[0])
        for before in {tuple(shown_before), tuple(true_before)}:
            result.needles.append(Needle(tuple(label + list(before) + words(true)), where,
                                         f"table {table.id} '{cells[0]}' / '{table.header[c]}' = {true}"))


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
        return escape(str(text)).replace("|", "\\|").replace("\n", " ").replace("{", "&#123;").replace("[", "&#91;")

    counts: dict[str, int] = {}
    for e in entries:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    summary = "; ".join(f"{k}: {n}" for k, n in sorted(counts.items())) or "nothing"
    lines = ["---", "title: Redaction report", "---", "", "# Redaction report", "",
             "Everything the public version leaves out or hides, for information-governance sign-off. "
             "This page is in the internal version only; the same list is in "
             f"[{REPORT_CSV}]({REPORT_CSV}).", "",
             f"In this build ({summary}). Counts of people below {threshold} are shown as {SYMBOL} in public.", ""]
    if entries:
        lines += ["| Where | Kind | Reason | What the public version does |", "| --- | --- | --- | --- |"]
        lines += [f"| {cell(e.page)}{':' + str(e.line) if e.line else ''} | {cell(e.kind)} | {cell(e.reason)} | "
                  f"{cell(e.detail).replace('_', '_<wbr>')} |" for e in entries]
    else:
        lines.append("Nothing is redacted or suppressed.")
    lines.append("")
    return "\n".join(lines)


def write_public_source(root: Path, result: Plan, dest: Path, docs_dir: Path | None = None) -> Path:
    """Copy ``content/`` to ``dest/content`` with every page in its public text."""
    docs = Path(docs_dir or Path(root) / "content")
    target = Path(dest) / "content"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(docs, target, ignore=shutil.ignore_patterns("*.md"))
    for src, versions in result.pages.items():
        if versions.public is None:
            continue
        path = target / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(versions.public, encoding="utf-8")
    return target
