"""Text that comes from data: placed as text, never as markup or a template, and redacted.

Strings from ``data/`` and ``evidence_register.yaml`` (labels, captions, notes, cells, chart
titles, evidence fields, the committee report) reach the pages after the chapters' own
marker pass, so they need their own rules:

- **Restricted spans.** A ``[text]{.restricted reason="..."}`` span may sit in any data
  string. The public version never holds its text: :func:`for_audience` gives the public
  build a copy of the loaded data in which every span is already ``[REDACTED]`` (or
  nothing, where the reason says ``public: remove``), so no placement, however it is
  written, can print it. The internal version shows it highlighted with its reason where
  the text is HTML (:func:`html`) and as its bare text in chart pictures (:func:`plain`).
  A ``::: restricted`` block, or anything else marker-like that is not a well-formed span,
  is an error at the data file's line (:func:`check_files`).
- **Escaping.** :func:`html` escapes text for HTML; :func:`markdown` also neutralises every
  character Markdown would read as syntax (``|`` in a table, a leading ``#``, ``[x](y)``,
  ``{: .class}``), so generated pages show data exactly as written.
"""

from __future__ import annotations

import copy
import csv
import io
import dataclasses
import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from selfeval.disclosure.audience import Audience
from selfeval.disclosure.markers import DEFAULT_REASONS, REDACTED, Reason, parse
from selfeval.problems import Problems, close_match

# Every file whose strings end up in the documents.
DATA_GLOBS = ("data/**/*.yaml", "data/**/*.yml", "data/**/*.csv")
REGISTER_FILE = "evidence_register.yaml"

_MARKER_HINT = re.compile(r"\.restricted|^\s*:::", re.M)
_ATTR_LIST = re.compile(r"\]\{\s*\.(?P<word>[\w-]+)")
_LINE_HINT = re.compile(r"\.restricted|\]\{\s*\.|:::")
# Characters Markdown (with attr_list, tables, footnotes, abbreviations and raw HTML) may
# read as syntax anywhere in a line, and what makes a line a list, quote or definition.
_MARKDOWN_ACTIVE = set("\\`*_{}[]<>&|#")
_LINE_START = re.compile(r"^(\s*)(?:([-+>:=])|(\d+)([.)]))")


@dataclass(frozen=True)
class DataSpan:
    """One restricted span in a data file: where it is, what it hides and why."""

    path: str
    line: int
    text: str
    reason: Reason


def reasons_in(config) -> dict[str, Reason]:
    """The project's redaction reasons (the defaults when it sets none)."""
    return (getattr(config, "reasons", None) or None) or dict(DEFAULT_REASONS)


def as_paragraph(text: str) -> str:
    """Data text as the marker parser should read it: one run of words, never code.

    Data is not Markdown: an indented line or a backtick in a label is not code, so leading
    blanks and backticks are swapped, character for character, for ones the parser passes
    over. Offsets into the result are offsets into ``text``.
    """
    text = re.sub(r"(?m)^[ \t]+", lambda m: "\u00a0" * len(m.group(0)), str(text))
    return text.replace("`", "'")


def _markers(text: str, reasons: dict[str, Reason]):
    return parse(as_paragraph(text), "data", reasons, Problems(), front_matter=False)


def _replace_spans(text: str, reasons: dict[str, Reason], replace) -> str:
    if not _MARKER_HINT.search(text):
        return replace(text, None)
    markers = _markers(text, reasons)
    out, pos = [], 0
    for m in sorted(markers.spans + markers.blocks, key=lambda m: m.start):
        if m.start < pos:
            continue  # inside a marker already replaced
        out.append(replace(text[pos : m.start], None))
        out.append(replace(text[m.inner_start : m.inner_end], m))
        pos = m.end
    out.append(replace(text[pos:], None))
    return "".join(out)


def redacted(text: str, reasons: dict[str, Reason]) -> str:
    """``text`` as the public version holds it: each span ``[REDACTED]`` or gone."""

    def one(part: str, marker) -> str:
        if marker is None:
            return part
        return REDACTED if marker.reason.public == "redact" else ""

    return _replace_spans(text, reasons, one)


def plain(text: str, reasons: dict[str, Reason]) -> str:
    """``text`` without marker syntax (for chart pictures and other plain-text places)."""
    return _replace_spans(str(text), reasons, lambda part, marker: part)


def html(text, reasons: dict[str, Reason] | None = None) -> str:
    """``text`` escaped for HTML, each restricted span highlighted with its reason."""
    from selfeval.disclosure.redaction import internal_label  # redaction imports the figures, which import this

    text = "" if text is None else str(text)
    if reasons is None:
        return escape(text)

    def one(part: str, marker) -> str:
        if marker is None:
            return escape(part)
        return (
            f'<span class="restricted" data-reason="{escape(marker.reason.id)}">'
            f'<span class="restricted-reason">{escape(internal_label(marker.reason))}:</span> '
            f"{escape(part)}</span>"
        )

    return _replace_spans(text, reasons, one)


def _neutral(text: str) -> str:
    """Plain text with every Markdown-active character written as a character reference."""
    text = "".join(f"&#{ord(c)};" if c in _MARKDOWN_ACTIVE else c for c in re.sub(r"\s+", " ", text))
    m = _LINE_START.match(text)
    if m:
        mark = m.group(2) or m.group(4)
        at = m.start(2) if m.group(2) else m.start(4)
        text = f"{text[:at]}&#{ord(mark)};{text[at + 1 :]}"
    return text


def table_cell(fragment) -> str:
    """A Markdown or HTML fragment (already made safe) as one cell of a Markdown table."""
    return str(fragment).replace("|", "&#124;").replace("\n", " ")


def generated_front(title: str) -> list[str]:
    """The opening lines of a generated page: its title quoted (JSON is YAML), macros off."""
    return ["---", f"title: {json.dumps(title)}", "render_macros: false", "---", "", f"# {markdown(title)}", ""]


def markdown(text, reasons: dict[str, Reason] | None = None) -> str:
    """``text`` for a Markdown page (a table cell or a line): shown as written, on one line."""
    text = "" if text is None else str(text)
    if reasons is None:
        return _neutral(text)
    rendered = html(text, reasons)
    if rendered == escape(text):
        return _neutral(text)
    # Highlighted spans: neutralise the text between the tags, keep the tags themselves.
    return "".join(
        part if part.startswith("<") else _neutral(_unescape(part)) for part in re.split(r"(<[^>]*>)", " ".join(rendered.split()))
    )


def _unescape(text: str) -> str:
    from html import unescape

    return unescape(text)


# -- the public copy of the data ---------------------------------------------------------------
def for_audience(value, audience: Audience, reasons: dict[str, Reason]):
    """``value`` (the loaded project, charts, committee report…) as ``audience`` may see it.

    The internal version gets ``value`` itself; any other version gets a copy in which every
    string has its restricted spans redacted, however deep it sits.
    """
    if not audience.redacts:
        return value
    return _walk(value, lambda text: redacted(text, reasons), {})


def report_as(report, reader: Audience):
    """A checked report with its data as ``reader`` may see it: for a reader who gets the
    redacted text, every restricted span in the data is redacted."""
    if not reader.redacts:
        return report
    import dataclasses

    reasons = reasons_in(report.project.config)
    return dataclasses.replace(
        report, project=for_audience(report.project, reader, reasons), charts=for_audience(report.charts, reader, reasons)
    )


def unmarked(value, reasons: dict[str, Reason]):
    """``value`` with every string's marker syntax taken out, its words kept (for places
    that show plain text, such as a chart picture, in the internal version)."""
    return _walk(value, lambda text: plain(text, reasons), {})


def _walk(value, change, seen: dict):
    """``value`` with ``change`` applied to every string that may hold a marker; objects
    that hold none are shared, not copied."""
    if isinstance(value, str):
        return change(value) if _MARKER_HINT.search(value) else value
    key = id(value)
    if key in seen:
        return seen[key]
    seen[key] = value  # a cycle meets the original, which is then replaced below
    out = _walk_container(value, change, seen)
    seen[key] = out
    return out


def _walk_container(value, change, seen):
    if isinstance(value, dict):
        items = {k: _walk(v, change, seen) for k, v in value.items()}
        if all(items[k] is v for k, v in value.items()):
            return value
        out = copy.copy(value)
        out.update(items)
        return out
    if isinstance(value, list):
        items = [_walk(v, change, seen) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        out = copy.copy(value)
        out[:] = items
        return out
    if isinstance(value, (tuple, set, frozenset)) and not hasattr(value, "_fields"):
        items = [_walk(v, change, seen) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        return type(value)(items)
    if dataclasses.is_dataclass(value) and not isinstance(value, (type, Reason)):
        fields = {f.name: _walk(getattr(value, f.name), change, seen) for f in dataclasses.fields(value)}
        if all(fields[name] is getattr(value, name) for name in fields):
            return value
        out = copy.copy(value)
        for name, item in fields.items():
            object.__setattr__(out, name, item)
        return out
    return value


# -- the data files themselves ---------------------------------------------------------------
def data_files(root: Path) -> list[Path]:
    root = Path(root)
    files = {p for pattern in DATA_GLOBS for p in root.glob(pattern) if p.is_file()}
    if (root / REGISTER_FILE).is_file():
        files.add(root / REGISTER_FILE)
    return sorted(files)


def check_files(root: Path, reasons: dict[str, Reason], problems: Problems) -> list[DataSpan]:
    """Every restricted span in the data files, with its line; every other marker an error.

    Each line is read on its own: a data value is one line of its file, and nothing in a
    data file (a line of backticks, say) can hide a marker on a later line.
    """
    spans: list[DataSpan] = []
    for path in data_files(root):
        where = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # the loaders report a file they cannot read
        for number, line in _texts(path, text):
            if _LINE_HINT.search(line):
                spans += _check_line(line, where, number, reasons, problems)
    return spans


def _texts(path: Path, text: str):
    """(line, text) for each piece of a data file: a CSV cell, or a YAML line with its
    quotes' escapes undone (so reason="x" reads the same in any YAML quoting)."""
    if path.suffix == ".csv":
        reader = csv.reader(io.StringIO(text))
        try:
            for row in reader:
                for cell in row:
                    yield reader.line_num - cell.count("\n"), cell
        except csv.Error:
            return  # the loader reports a broken CSV file
        return
    for number, line in enumerate(text.splitlines(), start=1):
        yield number, line.replace('\\"', '"').replace("''", "'")


def _check_line(line: str, where: str, number: int, reasons, problems: Problems) -> list[DataSpan]:
    if re.match(r"^\s*(?:-\s*)?(?:[\w-]+:\s*)?[\"']?:::", line):
        problems.add(
            where,
            number,
            "a restricted block in data text is not supported",
            'restrict the words with a span, [text]{.restricted reason="..."}, or leave the item out',
            code="marker-unsupported",
        )
        return []
    found = Problems()
    # A line of its own, so the marker parser's view of code fences cannot reach other lines.
    markers = parse(as_paragraph(line), where, reasons, found, front_matter=False)
    for problem in found:
        problems.add(where, number, problem.what, problem.fix, code=problem.code)
    if markers.blocks:
        problems.add(
            where,
            number,
            "a restricted block in data text is not supported",
            'restrict the words with a span, [text]{.restricted reason="..."}, or leave the item out',
            code="marker-unsupported",
        )
    spans = [DataSpan(where, number, line[m.inner_start : m.inner_end], m.reason) for m in markers.spans]
    rest = line
    for m in sorted(markers.spans, key=lambda m: -m.start):
        rest = rest[: m.start] + rest[m.end :]
    if found:
        return spans
    if ".restricted" in rest:
        problems.add(
            where,
            number,
            "'.restricted' here is not a well-formed restricted span",
            'write the span as [restricted text]{.restricted reason="..."}',
            code="marker-malformed",
        )
    for m in _ATTR_LIST.finditer(rest):
        word = m.group("word")
        hint = close_match(word, ["restricted"])
        if hint or word.startswith("restr"):
            problems.add(
                where,
                number,
                f"'{{.{word}}}' is not a known span class",
                f'{hint + " " if hint else ""}a restricted span is written [text]{{.restricted reason="..."}}',
                code="marker-malformed",
            )
    return spans


def restricted_spans(root: Path, reasons: dict[str, Reason]) -> list[DataSpan]:
    """Every restricted span in the data text, with its ``path:line`` and text."""
    return check_files(root, reasons, Problems())
