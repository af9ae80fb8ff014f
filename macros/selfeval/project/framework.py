"""The assessment framework evidence maps to (``data/framework.yaml``): themes, quality
statements and evidence categories. It is configuration, so a council can map its
evidence to CQC's framework or to another one without changing code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.problems import Problems
from selfeval.project.schema import check_fields
from selfeval.project.sourcefile import Node, read_yaml, relpath

FRAMEWORK_FILE = Path("data") / "framework.yaml"
FRAMEWORK_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class QualityStatement:
    id: str
    title: str
    theme: str
    summary: str = ""


@dataclass
class Theme:
    id: str
    title: str
    statements: list[QualityStatement] = field(default_factory=list)


@dataclass
class Category:
    id: str
    title: str


@dataclass
class Framework:
    name: str
    themes: list[Theme]
    categories: dict[str, Category]
    path: str = str(FRAMEWORK_FILE)

    @property
    def statements(self) -> dict[str, QualityStatement]:
        return {s.id: s for t in self.themes for s in t.statements}

    def category_id(self, text: str) -> str | None:
        """The category an author means: its id, or its title in any case."""
        wanted = str(text).strip().lower()
        for cat in self.categories.values():
            if wanted in (cat.id, cat.title.lower()):
                return cat.id
        return None


def _records(data: Node, key: str, where: str, problems: Problems, example: str) -> list[Node]:
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        problems.add(
            where,
            data.key_line(key) if isinstance(data, Node) else 1,
            f"the framework needs a list under '{key}:'",
            f"add '{key}:' with entries like '- {example}'",
        )
        return []
    out = []
    for item in items:
        if isinstance(item, Node):
            out.append(item)
        else:
            problems.add(
                where,
                getattr(items, "line", 1),
                f"an entry under '{key}:' is not a mapping",
                f"write each as '- {example}' with its fields below",
            )
    return out


def _valid_id(entry: Node, where: str, label: str, seen: dict, problems: Problems) -> str | None:
    ident = entry.get("id")
    if not isinstance(ident, str) or not FRAMEWORK_ID.match(ident):
        problems.add(
            where,
            entry.key_line("id"),
            f"{label} id '{ident}' is not valid",
            "use lower-case words joined by hyphens, e.g. assessing-needs",
        )
        return None
    if ident in seen:
        problems.add(
            where,
            entry.key_line("id"),
            f"{label} id '{ident}' is used twice (first on line {seen[ident]})",
            "give each its own id",
        )
        return None
    seen[ident] = entry.key_line("id")
    return ident


def load_framework(root: Path, problems: Problems) -> Framework | None:
    path = Path(root) / FRAMEWORK_FILE
    where = relpath(path, root)
    if not path.exists():
        problems.add(
            where,
            0,
            "the assessment framework is missing",
            "create data/framework.yaml with 'themes:' (each with quality_statements) and 'evidence_categories:'",
        )
        return None
    data = read_yaml(path, root, problems)
    if data is None:
        return None
    if not isinstance(data, Node):
        problems.add(where, 1, "the framework must be a mapping", "start with 'name:', 'themes:' and 'evidence_categories:'")
        return None
    check_fields(data, where, "the framework", ["themes", "evidence_categories"], ["name"], problems)
    seen: dict[str, int] = {}
    themes = []
    for entry in _records(data, "themes", where, problems, "id: working-with-people"):
        check_fields(entry, where, f"theme '{entry.get('id')}'", ["id", "title", "quality_statements"], [], problems)
        tid = _valid_id(entry, where, "theme", seen, problems)
        if tid is None:
            continue
        theme = Theme(id=tid, title=str(entry.get("title") or tid))
        for qs in _records(entry, "quality_statements", where, problems, "id: assessing-needs"):
            check_fields(qs, where, f"quality statement '{qs.get('id')}'", ["id", "title"], ["summary"], problems)
            qid = _valid_id(qs, where, "quality statement", seen, problems)
            if qid is not None:
                theme.statements.append(QualityStatement(qid, str(qs.get("title") or qid), tid, str(qs.get("summary") or "")))
        themes.append(theme)
    categories = {}
    for entry in _records(data, "evidence_categories", where, problems, "id: peoples-experience"):
        check_fields(entry, where, f"evidence category '{entry.get('id')}'", ["id", "title"], [], problems)
        cid = _valid_id(entry, where, "evidence category", seen, problems)
        if cid is not None:
            categories[cid] = Category(cid, str(entry.get("title") or cid))
    return Framework(name=str(data.get("name") or "Assessment framework"), themes=themes, categories=categories, path=where)
