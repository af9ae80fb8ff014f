"""Non-interference: proof that nothing restricted changes the public version.

The leak scan looks for restricted text it knows about. This check needs no list of
channels: it copies the project, replaces every restricted input with different text and
numbers of the same shape, builds the public version again from the copy, and compares
the two public outputs byte for byte. If any channel carries restricted input — a slug, a
title in the search index, a file name, a count, a hash, SVG, the print document — the
outputs differ, and the first file that differs is named with the restricted source that
changed it.

What is replaced (:func:`mutate_project`):

- the text of every restricted block and span, and the whole of every restricted page
  (its title and description too), and the navigation titles of restricted pages;
- the label, definition and values of every restricted metric;
- every free-text field of evidence items classified ``internal``;
- every count the public version hides (table cells and observations), with the value
  the suppression audit's alternative world gives it: one that publishes exactly the same
  totals, rounded percentages and parts, and hides the same cells (a hidden share keeps
  its value, since that world holds counts small, not shares);
- the bytes of every file under ``content/`` that no public page references.

Replacement keeps the shape: letters become other letters (ROT13, case kept), digits other
digits, and everything that is syntax — macro calls, attribute lists, HTML tags, link
targets, marker lines, YAML keys and escapes — is left as it was, so the copy is a valid
project that differs from the original only in what the public must not depend on.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from selfeval.problems import place
from selfeval.project.sourcefile import Node, Seq

# Never copied into the mutated project: outputs, caches, tooling.
SKIP_TOP = {"site", ".git", ".venv", ".cache", ".pytest_cache", ".hypothesis", "__pycache__", "node_modules"}
# Evidence fields that are free text (the rest are ids, dates and controlled values).
EVIDENCE_TEXT = ("title", "short", "owner", "link", "location", "summary", "reason")
METRIC_TEXT = ("label", "definition")

_PROTECTED = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"  # macro calls and template comments
    r"|\{[^{}\n]*\}"  # attribute lists, {.restricted reason="…"}
    r"|<[^<>\n]*>"  # HTML tags with their attributes
    r"|\]\([^)\n]*\)|\]\[[^\]\n]*\]"  # link targets and reference labels
    r"|^[ \t>]*:::.*$"  # marker lines
    r"|^[ \t>]*(?:!!!|\?\?\?\+?|===)[^\n]*$"  # admonition, details and tab lines (their types)
    r"|\\.",  # escapes
    re.S | re.M,
)
_ROT = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "NOPQRSTUVWXYZABCDEFGHIJKLMnopqrstuvwxyzabcdefghijklm5678901234",
)


@dataclass(frozen=True)
class Mutation:
    """One restricted input that was replaced: where it is, and what it became."""

    source: str  # path:line
    what: str  # "restricted block", "internal evidence title", …
    replaced: str  # the text as it is in the mutated copy
    number: int = -1  # its place in the fixed order of replacements

    def marks(self) -> list[str]:
        """Distinctive pieces of the replacement, to recognise it in an output file."""
        words = re.findall(r"[^\W_]{4,}", self.replaced)
        if words:
            return sorted(set(words), key=lambda w: (-len(w), w))[:6]
        numbers = re.findall(r"\d+(?:\.\d+)?", self.replaced)
        return numbers[:3]


def scramble(text: str) -> str:
    """``text`` with every letter and digit outside syntax replaced by another."""
    out, pos = [], 0
    for m in _PROTECTED.finditer(text):
        out.append(text[pos : m.start()].translate(_ROT))
        out.append(m.group(0))
        pos = m.end()
    out.append(text[pos:].translate(_ROT))
    return "".join(out)


def scramble_number(raw: str) -> str:
    """A different number with the same digits' shape (``67.3`` becomes ``12.8``)."""
    return re.sub(r"\d", lambda m: str((int(m.group(0)) + 5) % 10), raw)


def copy_project(root: Path, dest: Path, skip: set[Path] = frozenset()) -> Path:
    """Copy what a build reads from ``root`` into ``dest`` (not outputs, caches or tooling)."""
    root, dest = Path(root), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    skip = {Path(p).resolve() for p in skip}
    for entry in sorted(root.iterdir()):
        if entry.name in SKIP_TOP or entry.resolve() in skip or entry.name.startswith(".build-"):
            continue
        target = dest / entry.name
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(
                entry,
                target,
                symlinks=True,
                ignore=lambda d, names: [n for n in names if n in SKIP_TOP or (Path(d) / n).resolve() in skip],
            )
        else:
            shutil.copy2(entry, target, follow_symlinks=False)
    return dest


# -- editing text files in place, by line -----------------------------------------------
class _Edits:
    """Pending edits to the copy's files, applied together; paths relative to the root."""

    def __init__(self, root: Path, only: set[int] | None = None):
        self.root = Path(root)
        self.texts: dict[str, str] = {}
        self.mutations: list[Mutation] = []
        self.only, self.count = only, 0
        self.groups: dict[str, int] = {}
        self.last = -1

    def take(self, group: str | None = None) -> bool:
        """Whether the next replacement is made (all are, unless ``only`` picks some by number).

        Replacements of one ``group`` share a number and are made or not together: the
        audit's alternative values only keep the published figures as they are all at once.
        """
        if group is not None and group in self.groups:
            self.last = self.groups[group]
        else:
            self.last, self.count = self.count, self.count + 1
            if group is not None:
                self.groups[group] = self.last
        return self.only is None or self.last in self.only

    def text(self, rel: str) -> str:
        if rel not in self.texts:
            self.texts[rel] = (self.root / rel).read_text(encoding="utf-8-sig")
        return self.texts[rel]

    def set(self, rel: str, text: str) -> None:
        self.texts[rel] = text

    def record(self, source: str, what: str, replaced: str) -> None:
        self.mutations.append(Mutation(source, what, replaced, self.last))

    def write(self) -> None:
        for rel, text in self.texts.items():
            path = self.root / rel
            if path.is_symlink():
                raise OSError(f"{rel} is a symbolic link: the check never writes through one")
            path.write_text(text, encoding="utf-8")

    # YAML: a scalar's value at a key's line (and the lines of a block or folded scalar).
    def yaml_value(self, rel: str, line: int, key: str, what: str) -> None:
        lines = self.text(rel).split("\n")
        if not 0 < line <= len(lines):
            return
        m = re.match(rf"^(\s*(?:-\s+)?{re.escape(key)}\s*:\s*)(.*)$", lines[line - 1])
        if not m:
            return
        head, value = m.groups()
        if not self.take():
            return
        changed = []
        if value.strip() and not re.fullmatch(r"[|>][-+0-9]*\s*(#.*)?", value.strip()):
            lines[line - 1] = head + scramble(value)
            changed.append(lines[line - 1][len(head) :])
        indent = len(head) - len(head.lstrip())
        i = line
        while i < len(lines):  # continuation lines: block scalars and multi-line plain scalars
            nxt = lines[i]
            if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= indent:
                break
            if nxt.strip() and (value.strip() == "" or value.strip()[0] in "|>" or not re.match(r"^\s*[\w-]+\s*:", nxt)):
                lines[i] = scramble(nxt)
                changed.append(lines[i])
            i += 1
        if changed:
            self.set(rel, "\n".join(lines))
            self.record(f"{rel}:{line}", what, " ".join(changed))

    def csv_field(self, rel: str, line: int, column: str, value: str, what: str, group: str | None = None) -> None:
        if not rel.lower().endswith(".csv"):
            return  # a workbook's cells are not rewritten: it is binary
        lines = self.text(rel).split("\n")
        header = next(csv.reader([lines[0]]))
        if column not in header or not 0 < line <= len(lines):
            return
        row = next(csv.reader([lines[line - 1]]))
        col = header.index(column)
        if col >= len(row) or row[col] == value or not self.take(group):
            return
        row[col] = value
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(row)
        lines[line - 1] = buf.getvalue()
        self.set(rel, "\n".join(lines))
        self.record(f"{rel}:{line}", what, value)


# -- what counts as restricted input ------------------------------------------------------
def _mutate_pages(edits: _Edits, report) -> None:
    from selfeval.content.nav import nav_entries
    from selfeval.disclosure.redaction import _outermost, read_nav

    for versions in report.plan.pages.values():
        page = versions.page
        rel = page.path
        text = page.text
        if versions.markers.restricted:
            if not edits.take():
                continue
            lines = text.split("\n")
            body = page.body_line - 1
            for i in range(body):
                m = re.match(r"^(\s*(?:title|description|summary)\s*:\s*)(.+)$", lines[i])
                if m:
                    lines[i] = m.group(1) + scramble(m.group(2))
            lines[body:] = [scramble(line) for line in lines[body:]]
            edits.set(rel, "\n".join(lines))
            edits.record(f"{rel}:1", "restricted page", "\n".join(lines))
            continue
        out, pos = [], 0
        for m in _outermost(versions.markers.markers):
            if not edits.take():
                continue
            out.append(text[pos : m.inner_start])
            inner = text[m.inner_start : m.inner_end]
            out.append(scramble(inner))
            edits.record(f"{rel}:{m.line}", f"restricted {m.kind}", scramble(inner))
            out.append(text[m.inner_end : m.end])
            pos = m.end
        out.append(text[pos:])
        if pos:
            edits.set(rel, "".join(out))
    restricted = report.plan.restricted_pages
    nav = read_nav(edits.root)
    for entry in nav_entries(nav):
        title, line = entry.title, entry.line
        if title and entry.src in restricted and line:
            lines = edits.text("mkdocs.yml").split("\n")
            old = lines[line - 1]
            quoted = re.escape(title)
            new = re.sub(
                rf"(-\s*[\"']?){quoted}([\"']?\s*:)",
                lambda m, title=title: m.group(1) + scramble(title) + m.group(2),
                old,
                count=1,
            )
            if new != old and edits.take():
                lines[line - 1] = new
                edits.set("mkdocs.yml", "\n".join(lines))
                edits.record(f"mkdocs.yml:{line}", "navigation title of a restricted page", scramble(title))


def _raw_entries(path: Path, key: str):
    """The list under ``key`` in a YAML file, read with lines."""
    from selfeval.problems import Problems
    from selfeval.project.sourcefile import read_yaml

    data = read_yaml(path, path.parent, Problems())
    if isinstance(data, Node):
        data = data.get(key)
    return data if isinstance(data, Seq) else []


def _mutate_register(edits: _Edits, report) -> None:
    project = report.project
    internal = {eid for eid, ev in project.evidence.items() if not ev.public}
    if not internal:
        return
    rel = "evidence_register.yaml"
    for entry in _raw_entries(edits.root / rel, "evidence"):
        if isinstance(entry, Node) and entry.get("id") in internal:
            for key in EVIDENCE_TEXT:
                if isinstance(entry.get(key), str):
                    edits.yaml_value(rel, entry.key_line(key), key, f"internal evidence {key} ({entry['id']})")


def _mutate_metrics(edits: _Edits, report, alternatives: dict) -> None:
    project = report.project
    restricted = {mid for mid, m in project.metrics.items() if m.disclosure == "restricted"}
    for metric in project.metrics.values():
        if metric.id not in restricted:
            continue
        rel = metric.path
        for entry in _raw_entries(edits.root / rel, "metrics"):
            if isinstance(entry, Node) and entry.get("id") == metric.id:
                for key in METRIC_TEXT:
                    if isinstance(entry.get(key), str):
                        edits.yaml_value(rel, entry.key_line(key), key, f"restricted metric {key} ({metric.id})")
    from selfeval.disclosure.suppression import is_small

    threshold = getattr(project.config, "suppression_threshold", None) or 5
    for obs in project.observations:
        metric = project.metrics.get(obs.metric)
        if metric is None or obs.value is None:
            continue
        key = ("obs", obs.metric, obs.area or "", obs.period)
        if key in alternatives and metric.unit == "percent":
            continue  # the audit's world holds counts small, not shares: a share keeps its value
        if key in alternatives:
            value = str(alternatives[key])
        elif metric.id in restricted:
            value = scramble_number(format(obs.value, "f"))
        elif (
            is_small(obs.value, metric.unit, obs.denominator, threshold)
            and metric.unit == "people"
            and not _linked(metric)
            and threshold > 2
        ):
            value = str(int(obs.value) % (threshold - 1) + 1)
        else:
            continue
        edits.csv_field(
            obs.path,
            obs.line,
            "value",
            value,
            f"hidden value of {obs.metric} ({obs.period})",
            "alternatives" if key in alternatives else None,
        )


def _linked(metric) -> bool:
    """Whether other published figures are declared to depend on this metric's values."""
    return bool(getattr(metric, "part_of", None) or getattr(metric, "denominator", None))


def _mutate_tables(edits: _Edits, report, alternatives: dict) -> None:
    for key, value in alternatives.items():
        if key[0] != "table":
            continue
        _, tid, row, col = key
        table = report.project.tables.get(tid)
        if table is None or table.row_units[row] == "percent":
            continue  # as for observations: a hidden share keeps its value
        if not table.path.lower().endswith(".csv"):
            continue  # a workbook's cells are not rewritten: it is binary
        line = table.row_lines[row]
        lines = edits.text(table.path).split("\n")
        cells = next(csv.reader([lines[line - 1]]))
        if col >= len(cells) or not edits.take("alternatives"):
            continue
        cells[col] = str(value)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(cells)
        lines[line - 1] = buf.getvalue()
        edits.set(table.path, "\n".join(lines))
        edits.record(f"{table.path}:{line}", f"hidden cell of table {tid}", str(value))


def _mutate_assets(edits: _Edits, report) -> None:
    """Files under content/ that the public version does not carry get other bytes."""
    public = getattr(report.plan, "public_assets", None)
    if public is None:
        return
    content = edits.root / "content"
    for path in sorted(p for p in content.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(content).as_posix()
        if rel in public or rel in report.plan.pages or not edits.take():
            continue
        data = path.read_bytes()
        path.write_bytes(bytes(b ^ 0x55 for b in data) or b"\x55")
        edits.record(f"content/{rel}:0", "file no public page references", rel)


def mutate_project(
    root: Path, report, dest: Path, alternatives: dict | None = None, skip: set[Path] = frozenset(), only: set[int] | None = None
) -> tuple[list[Mutation], int]:
    """Write into ``dest`` a copy of the project whose restricted inputs are all replaced.

    ``report`` is the checked original project; ``alternatives`` (from the suppression
    audit) gives other values for hidden table cells and observations that keep every
    published figure as it is. ``only`` makes just the replacements with those numbers
    (counted from 0, in a fixed order), to find which one a difference comes from.
    Returns what was replaced and how many replacements there are in all.
    """
    copy_project(root, dest, skip)
    edits = _Edits(dest, only)
    alternatives = alternatives or {}
    _mutate_pages(edits, report)
    _mutate_register(edits, report)
    _mutate_metrics(edits, report, alternatives)
    _mutate_tables(edits, report, alternatives)
    for extra in getattr(report.plan, "data_spans", []) or []:
        _mutate_data_span(edits, extra)
    edits.write()
    _mutate_assets(edits, report)
    return edits.mutations, edits.count


def _mutate_data_span(edits: _Edits, span) -> None:
    """A restricted span inside data text: its words replaced on its line."""
    rel, number = place(span.source)
    if not number:
        return
    lines = edits.text(rel).split("\n")
    if not 0 < number <= len(lines) or span.text not in lines[number - 1] or not edits.take():
        return
    lines[number - 1] = lines[number - 1].replace(span.text, scramble(span.text))
    edits.set(rel, "\n".join(lines))
    edits.record(span.source, "restricted span in data text", scramble(span.text))


# -- comparing the two outputs ----------------------------------------------------------
def files_of(tree: Path) -> dict[str, Path]:
    tree = Path(tree)
    return {p.relative_to(tree).as_posix(): p for p in sorted(tree.rglob("*")) if p.is_file() or p.is_symlink()}


def first_difference(a: Path, b: Path) -> tuple[str, str] | None:
    """(relative path, how it differs) for the first file that differs between two trees."""
    fa, fb = files_of(a), files_of(b)
    for rel in sorted(set(fa) | set(fb)):
        if rel not in fb:
            return rel, "is only in the public output built from the real sources"
        if rel not in fa:
            return rel, "is only in the public output built from the replaced sources"
        da, db = fa[rel].read_bytes(), fb[rel].read_bytes()
        if da != db:
            at = next((i for i, (x, y) in enumerate(zip(da, db)) if x != y), min(len(da), len(db)))
            return rel, f"differs from byte {at}"
    return None


def culprit(rel: str, a: Path, b: Path, mutations: list[Mutation]) -> Mutation | None:
    """The replaced input whose new text shows in the copy's version of the differing file."""
    pa, pb = Path(a) / rel, Path(b) / rel
    text_b = pb.read_bytes().decode("utf-8", "replace") if pb.is_file() else rel
    text_a = pa.read_bytes().decode("utf-8", "replace") if pa.is_file() else ""
    for mutation in mutations:
        marks = [m for m in mutation.marks() if m in text_b and m not in text_a]
        if marks and (len(marks[0]) >= 4 or mutation.what.startswith("hidden")):
            return mutation
    for mutation in mutations:  # a file name, or a file whose name is the difference
        if mutation.what.startswith("file") and mutation.replaced == rel:
            return mutation
    return None
