"""The assessment framework evidence maps to (``data/framework.yaml``): themes, quality
statements and evidence categories. It is configuration, so a council can map its
evidence to CQC's framework or to another one without changing code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selfeval.problems import Problems
from selfeval.project.records import Field, ListOf, Record, Say, read_file

FRAMEWORK_FILE = Path("data") / "framework.yaml"
FRAMEWORK_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"


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


_ID = Field(
    "id",
    required=True,
    pattern=FRAMEWORK_ID,
    says={"pattern": Say(fix="use lower-case words joined by hyphens, e.g. assessing-needs")},
)
# A list of records the framework cannot do without: missing, empty or not a list, one line.
_NEEDED = Say("the framework needs a list under '{key}:'", "add '{key}:' with entries like '- {example}'")


def _needed(name: str, record: Record) -> Field:
    return Field(name, ListOf(record), required=True, example=record.example, says={"*": _NEEDED})


# An entry of such a list that is not a mapping.
_ENTRY = Say("an entry under '{key}:' is not a mapping", "write each as '- {example}' with its fields below")


def _entry(kind: str, example: str, *fields: Field) -> Record:
    """A record the framework lists: an id unique in the file, a title, and ``fields``."""
    return Record(
        kind,
        (_ID, Field("title", required=True), *fields),
        key="id",
        ids="framework",
        example=example,
        says={"not_mapping": _ENTRY},
    )


STATEMENT = _entry("quality statement", "id: assessing-needs", Field("summary", default=""))
THEME = _entry("theme", "id: working-with-people", _needed("quality_statements", STATEMENT))
CATEGORY = _entry("evidence category", "id: peoples-experience")
FRAMEWORK = Record(
    "framework",
    (
        Field("name", default="Assessment framework"),
        _needed("themes", THEME),
        _needed("evidence_categories", CATEGORY),
    ),
    label="the framework",
    file=str(FRAMEWORK_FILE),
    says={"not_mapping": Say("the framework must be a mapping", "start with 'name:', 'themes:' and 'evidence_categories:'")},
)


def load_framework(root: Path, problems: Problems) -> Framework | None:
    missing = Say(
        "the assessment framework is missing",
        "create data/framework.yaml with 'themes:' (each with quality_statements) and 'evidence_categories:'",
    )
    where, _, values = read_file(Path(root) / FRAMEWORK_FILE, root, FRAMEWORK, problems, missing)
    if values is None:
        return None
    themes = [
        Theme(
            id=theme["id"],
            title=str(theme["title"] or theme["id"]),
            statements=[
                QualityStatement(qs["id"], str(qs["title"] or qs["id"]), theme["id"], qs["summary"])
                for qs in theme["quality_statements"]
            ],
        )
        for theme in values["themes"]
    ]
    categories = {c["id"]: Category(c["id"], str(c["title"] or c["id"])) for c in values["evidence_categories"]}
    return Framework(name=values["name"], themes=themes, categories=categories, path=where)
