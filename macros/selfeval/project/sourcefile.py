"""Reading YAML and CSV sources while remembering where each value came from.

Mappings read from YAML are :class:`Node` dicts carrying ``line`` (where the mapping
starts) and ``key_line(key)`` (where a key sits), so a check can name the exact line
an author must change. CSV rows carry the line they were read from.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from selfeval.project.encoding import report_not_utf8
from selfeval.problems import Problems


class Node(dict):
    """A YAML mapping that knows the line of each of its keys."""

    line: int = 0
    key_lines: dict

    def key_line(self, key: str) -> int:
        return getattr(self, "key_lines", {}).get(key, self.line)


class Seq(list):
    """A YAML list that knows the line of each of its items."""

    line: int = 0
    item_lines: list

    def item_line(self, index: int) -> int:
        lines = getattr(self, "item_lines", [])
        return lines[index] if 0 <= index < len(lines) else self.line


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML, parsed by libyaml where PyYAML has it (several times faster), keeping lines."""


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    out = Node()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in out:
            loader.duplicates.append((key, line, out.key_lines[key]))
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
    return out


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    out = Seq(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    """A date as YAML reads it; one that looks like a date but is none (2025-02-30) stays
    text, so the check of its field says it is not a date instead of the reader failing."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def relpath(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)


_VALUE_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s#'"][^:#]*:\s+|-\s+)?(["'])(.*)$""")


def _unclosed_quote(text: str, upto: int) -> int | None:
    """0-based line of the first value, up to line ``upto``, that opens a quote and does not
    close it on the same line (a quoted value may run on, but in these files never does)."""
    for number, line in enumerate(text.split("\n")[: upto + 1]):
        m = _VALUE_QUOTE.match(line)
        if not m:
            continue
        quote, rest = m.group(1), m.group(2)
        rest = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote not in rest:
            return number
    return None


def yaml_error(exc: yaml.MarkedYAMLError, text: str = "") -> tuple[int, str, str]:
    """(0-based line, what, fix) for a YAML syntax error, at the line where the mistake is.

    PyYAML marks where it gave up: for a quote never closed, that is the end of the file,
    so the line is where the quoted text opened (its context). A tab, the commonest
    mistake, is named as one."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    opened = _unclosed_quote(text, mark.line if mark else 0) if text else None
    if opened is None and "quoted scalar" in context and exc.context_mark is not None:
        opened = exc.context_mark.line
    if opened is not None:
        return (opened, "a quotation mark opened here is never closed", "close the quote at the end of the value, or remove it")
    at = text.split("\n")[mark.line] if text and mark and mark.line < text.count("\n") + 1 else ""
    if "'\\t'" in problem or "\t" in problem or "tab character" in problem or "\t" in at[: mark.column + 1]:
        return (
            mark.line if mark else 0,
            "a tab character is used for indentation",
            "YAML indents with spaces only: replace the tab with spaces",
        )
    if "mapping values are not allowed" in problem:
        return (
            mark.line if mark else 0,
            "a colon followed by a space inside this value makes YAML read it as a second key",
            'put the value in quotes, e.g. title: "Theme one: people"',
        )
    what = f"YAML cannot be read: {problem or context}".rstrip()
    return mark.line if mark else 0, what, "check indentation, colons and quotes on this line or the one before"


def parse_yaml(text: str, where: str, problems: Problems, line_offset: int = 0, loader_class=None) -> Any:
    """Parse YAML text; report syntax errors and duplicate keys; return None on failure."""
    loader = (loader_class or _Loader)(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        line, what, fix = yaml_error(exc, text)
        problems.add(where, line + 1 + line_offset, what, fix, code="yaml-syntax")
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as a control character
        line = text.count("\n", 0, max(exc.position, 0)) + 1 + line_offset
        problems.add(
            where,
            line,
            f"the character #x{exc.character:04x} is not allowed in YAML"
            if isinstance(exc.character, int)
            else f"YAML cannot be read: {exc.reason}",
            "delete it (such characters often come in when text is pasted from another program)",
            code="yaml-syntax",
        )
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - other YAML errors carry no mark
        problems.add(where, line_offset, f"YAML cannot be read: {exc}", "check the file's syntax", code="yaml-syntax")
        return None
    finally:
        loader.dispose()
    for key, line, first in loader.duplicates:
        problems.add(
            where,
            line + line_offset,
            f"duplicate key '{key}' (first on line {first + line_offset})",
            "remove one of the two or rename it",
            code="duplicate-key",
        )
    return data


def empty_file(where: str, problems: Problems) -> None:
    """An empty source file is a mistake in itself (often a save gone wrong), named as one."""
    problems.add(
        where,
        1,
        "the file is empty",
        f"put its content back (git checkout -- {where} restores the last committed version) or delete it",
        code="file-empty",
    )


def read_yaml(path: Path, root: Path, problems: Problems) -> Any:
    """A YAML file's data; None, reported, when it cannot be read, is not YAML or is empty."""
    where = relpath(path, root)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        report_not_utf8(path, where, problems)
        return None
    before = len(problems)
    data = parse_yaml(text, where, problems)
    if data is None and len(problems) == before:
        empty_file(where, problems)
    return data


@dataclass
class Row:
    """One CSV data row: its values by column, and the line it sits on."""

    values: dict
    line: int

    def get(self, key: str, default: str = "") -> str:
        value = self.values.get(key)
        return default if value is None else value.strip()


def read_csv(path: Path, root: Path, problems: Problems, required: list[str] | None = None, lost_as: tuple[str, ...] = ()):
    """Read a CSV with a header row; returns (header, rows) or (None, []) on failure.

    A row left out for its shape is reported, and (with ``lost_as``) the names in it are
    marked lost, so what refers to them is not reported as well."""
    where = relpath(path, root)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        report_not_utf8(path, where, problems)
        return None, []
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        empty_file(where, problems)
        return None, []
    except csv.Error as exc:
        problems.add(where, 1, f"CSV cannot be read: {exc}", "check quoting on this line", code="csv-syntax")
        return None, []
    header = [h.strip() for h in header]
    missing = [c for c in (required or []) if c not in header]
    if missing:
        problems.add(
            where,
            1,
            f"missing column(s): {', '.join(missing)}",
            f"the header row must name: {', '.join(required)}",
            code="csv-syntax",
        )
        return None, []
    seen = set()
    for name in header:
        if name in seen:
            problems.add(where, 1, f"column '{name}' appears twice", "give each column a distinct name", code="duplicate-key")
        seen.add(name)
    rows = []
    start = reader.line_num + 1
    try:
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if reader.line_num >= len(text.splitlines()) and any("\n" in v for v in values) and text.count('"') % 2:
                problems.add(
                    where,
                    line,
                    "a quotation mark opened on this line is never closed, so every line after it is read as part of one value",
                    "close the quote, or remove it",
                    code="csv-syntax",
                )
                problems.lost(lost_as, re.findall(r"[\w./-]+", " ".join(values)))
                continue
            if len(values) != len(header):
                problems.add(
                    where,
                    line,
                    f"{len(values)} fields where the header has {len(header)}",
                    "check for a missing or extra comma; quote values that contain commas",
                    code="csv-syntax",
                )
                problems.lost(lost_as, re.findall(r"[\w./-]+", " ".join(values)))
                continue
            rows.append(Row(dict(zip(header, values)), line))
    except csv.Error as exc:
        problems.add(where, reader.line_num, f"CSV cannot be read: {exc}", "check quoting on this line", code="csv-syntax")
    return header, rows
