"""Reading YAML and CSV sources while remembering where each value came from.

Mappings read from YAML are :class:`Node` dicts carrying ``line`` (where the mapping
starts) and ``key_line(key)`` (where a key sits), so a check can name the exact line
an author must change. CSV rows carry the line they were read from.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .encoding import report_not_utf8
from .problems import Problems


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


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def relpath(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)


def parse_yaml(text: str, where: str, problems: Problems, line_offset: int = 0) -> Any:
    """Parse YAML text; report syntax errors and duplicate keys; return None on failure."""
    loader = _Loader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 0) + line_offset
        what = f"YAML cannot be read: {exc.problem or exc.context}"
        problems.add(where, line, what, "check indentation, colons and quotes on this line or the one before")
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - other YAML errors carry no mark
        problems.add(where, line_offset, f"YAML cannot be read: {exc}", "check the file's syntax")
        return None
    finally:
        loader.dispose()
    for key, line, first in loader.duplicates:
        problems.add(where, line + line_offset, f"duplicate key '{key}' (first on line {first + line_offset})",
                     "remove one of the two or rename it")
    return data


def read_yaml(path: Path, root: Path, problems: Problems) -> Any:
    where = relpath(path, root)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        report_not_utf8(path, where, problems)
        return None
    return parse_yaml(text, where, problems)


@dataclass
class Row:
    """One CSV data row: its values by column, and the line it sits on."""

    values: dict
    line: int

    def get(self, key: str, default: str = "") -> str:
        value = self.values.get(key)
        return default if value is None else value.strip()


def read_csv(path: Path, root: Path, problems: Problems, required: list[str] | None = None):
    """Read a CSV with a header row; returns (header, rows) or (None, []) on failure."""
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
        problems.add(where, 1, "the file is empty", "add a header row")
        return None, []
    except csv.Error as exc:
        problems.add(where, 1, f"CSV cannot be read: {exc}", "check quoting on this line")
        return None, []
    header = [h.strip() for h in header]
    missing = [c for c in (required or []) if c not in header]
    if missing:
        problems.add(where, 1, f"missing column(s): {', '.join(missing)}",
                     f"the header row must name: {', '.join(required)}")
        return None, []
    seen = set()
    for name in header:
        if name in seen:
            problems.add(where, 1, f"column '{name}' appears twice", "give each column a distinct name")
        seen.add(name)
    rows = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.add(where, line, f"{len(values)} fields where the header has {len(header)}",
                             "check for a missing or extra comma; quote values that contain commas")
                continue
            rows.append(Row(dict(zip(header, values)), line))
    except csv.Error as exc:
        problems.add(where, reader.line_num, f"CSV cannot be read: {exc}", "check quoting on this line")
    return header, rows
