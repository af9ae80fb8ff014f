"""The evidence register, ``evidence_register.yaml``: the evidence items figures cite."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .problems import Problems
from .sourcefile import Node, read_yaml, relpath

REGISTER_FILE = Path("evidence_register.yaml")
EVIDENCE_ID = re.compile(r"^ev-[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class Evidence:
    id: str
    title: str
    kind: str = ""
    date: dt.date | None = None
    owner: str = ""
    link: str = ""
    classification: str = "public"
    path: str = ""
    line: int = 0


def load_evidence(root: Path, problems: Problems) -> dict[str, Evidence]:
    """Evidence items by id. Deeper checks of the register live with the register's own schema."""
    path = Path(root) / REGISTER_FILE
    where = relpath(path, root)
    if not path.exists():
        problems.add(where, 0, "the evidence register is missing", "create evidence_register.yaml with an 'evidence:' list")
        return {}
    data = read_yaml(path, root, problems)
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("evidence", []), list):
        problems.add(where, 1, "the register must be a mapping with an 'evidence:' list", "start the file with 'evidence:'")
        return {}
    items: dict[str, Evidence] = {}
    for entry in data.get("evidence") or []:
        if not isinstance(entry, Node):
            problems.add(where, getattr(data.get("evidence"), "line", 1), "an evidence entry is not a mapping",
                         "write each item as '- id: ev-...' followed by its fields")
            continue
        eid = entry.get("id")
        if not isinstance(eid, str) or not EVIDENCE_ID.match(eid):
            problems.add(where, entry.key_line("id"), f"evidence id '{eid}' is not valid",
                         "use 'ev-' then lower-case words joined by hyphens, e.g. ev-asc-survey-2023-24")
            continue
        if eid in items:
            problems.add(where, entry.key_line("id"), f"evidence id '{eid}' is used twice (first on line {items[eid].line})",
                         "give each item its own id")
            continue
        if not entry.get("title"):
            problems.add(where, entry.line, f"evidence '{eid}' has no title", "add 'title: ...'")
        items[eid] = Evidence(
            id=eid,
            title=str(entry.get("title") or eid),
            kind=str(entry.get("kind") or ""),
            date=entry.get("date") if isinstance(entry.get("date"), dt.date) else None,
            owner=str(entry.get("owner") or ""),
            link=str(entry.get("link") or ""),
            classification=str(entry.get("classification") or "public"),
            path=where,
            line=entry.line,
        )
    return items
