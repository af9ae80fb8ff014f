"""The declarative record reader: one line per mistake, at its line, in the same words in
every file; and every field a file's declaration holds is documented in the README."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from decimal import Decimal

import selfeval
from conftest import REPO

from selfeval.problems import Problems
from selfeval.project.records import (
    BOOLEAN,
    DATE,
    INTEGER,
    NUMBER,
    TEXT,
    Field,
    Ids,
    ListOf,
    Record,
    Say,
    fields_of,
    read,
)
from selfeval.project.sourcefile import parse_yaml

NOTE = Record("progress note", (Field("date", DATE, required=True), Field("note", required=True)), label="{parent} progress note")
TASK = Record(
    "task",
    (
        Field("id", required=True, pattern=r"^t-[a-z]+$", example="t-one", prefix="t-"),
        Field("title", required=True),
        Field("owner", role=True),
        Field("due", DATE, words=("not stated",)),
        Field("status", choices=("on track", "complete"), words=("not stated",)),
        Field("count", INTEGER, minimum=1, example="3"),
        Field("target", NUMBER),
        Field("tags", ListOf(TEXT)),
        Field("flag", BOOLEAN, default=False),
        Field("progress", ListOf(NOTE)),
        Field("source", refers="evidence"),
    ),
    key="id",
    lost_as=("task",),
)
PLAN = Record("plan", (Field("tasks", ListOf(TASK), required=True),), label="the plan", file="plan.yaml")


def lines_of(text: str, record: Record = PLAN, **kwargs) -> tuple[object, list[str]]:
    problems = Problems()
    data = parse_yaml(text, "plan.yaml", problems)
    values = read(data, record, "plan.yaml", problems, **kwargs)
    return values, [str(p) for p in problems]


def test_a_good_record_reads_into_typed_values_with_defaults():
    values, problems = lines_of(
        "tasks:\n"
        "  - id: t-one\n"
        "    title: First\n"
        "    due: 2025-03-31\n"
        "    target: 85.5\n"
        "    tags: solo\n"
        "    progress:\n"
        "      - {date: 2024-01-02, note: begun}\n"
        "  - id: t-two\n"
        "    title: 2024\n"
        "    due: Not Stated\n"
    )
    assert problems == []
    first, second = values["tasks"]
    assert first["due"] == dt.date(2025, 3, 31) and first["target"] == Decimal("85.5")
    assert first["tags"] == ["solo"] and first["flag"] is False and first["status"] is None
    assert first["progress"][0]["date"] == dt.date(2024, 1, 2) and first.ok
    assert second["title"] == "2024" and second["due"] == "not stated"
    assert second.line == 9 and second.key_line("due") == 11


def test_each_mistake_is_one_line_at_the_line_of_its_key():
    text = (
        "tasks:\n"  # 1
        "  - id: t-one\n"  # 2
        "    title: One\n"  # 3
        "    owner: Jane Smith\n"  # 4
        "    due: end of June\n"  # 5
        "    status: on-track\n"  # 6
        "    count: 0\n"  # 7
        "    tags: [a, {b: c}]\n"  # 8
        "    flag: yes please\n"  # 9
        "    progress:\n"  # 10
        "      - date: x\n"  # 11
        "        note: n\n"  # 12
        "      - just words\n"  # 13
        "    source: ev-a\n"  # 14
        "    colour: red\n"  # 15
        "  - id: t-one\n"  # 16
        "    title: Again\n"  # 17
        "  - id: bad id\n"  # 18
        "  - id: t-two\n"  # 19
        "    titel: Two\n"  # 20
        "    target: lots\n"  # 21
        "  - title: No id\n"  # 22
    )
    problems = Problems()
    read(parse_yaml(text, "plan.yaml", problems), PLAN, "plan.yaml", problems, known={"evidence": {"ev-b": 1}})
    assert sorted(map(str, problems), key=lambda line: int(line.split(":")[1])) == [
        "plan.yaml:4: warning: task 't-one' has owner 'Jane Smith', which looks like a person's name — write the role "
        "instead (e.g. 'Head of Adult Social Care'): owners are roles, never names [owner-is-a-name]",
        "plan.yaml:5: task 't-one' has due 'end of June', which is not a date — write it as YYYY-MM-DD, e.g. 2025-03-31 [date-invalid]",
        "plan.yaml:6: task 't-one' status 'on-track' is not known — did you mean on track? use one of: on track, "
        "complete, not stated [field-value]",
        "plan.yaml:7: task 't-one' has count '0', which is less than 1 — write 1 or more, e.g. count: 3 [field-value]",
        "plan.yaml:8: task 't-one' has tags that is not a list — write e.g. tags: [first, second] [field-type]",
        "plan.yaml:9: task 't-one' has flag 'yes please', which is not true or false — write 'flag: true' or 'flag: false' [field-type]",
        "plan.yaml:11: task 't-one' progress note has date 'x', which is not a date — write it as YYYY-MM-DD, e.g. 2025-03-31 [date-invalid]",
        "plan.yaml:13: an entry under 'progress:' is not a mapping — write each entry as '- id: ...' with its fields "
        "indented below [field-type]",
        "plan.yaml:14: task 't-one' cites unknown evidence 'ev-a' — did you mean ev-b? add it or correct the id [unknown-name]",
        "plan.yaml:15: task 't-one' has unknown field 'colour' — remove it; the fields are: count, due, flag, id, "
        "owner, progress, source, status, tags, target, title [field-unknown]",
        "plan.yaml:16: task id 't-one' is used twice (first on line 2) — give each its own id [id-duplicate]",
        "plan.yaml:18: task id 'bad id' is not valid — write it like t-one [field-value]",
        # A misspelt required field is one line at the misspelling, not also "has no title".
        "plan.yaml:20: task 't-two' has unknown field 'titel' — did you mean title? remove it or correct its name [field-unknown]",
        "plan.yaml:21: task 't-two' has target 'lots', which is not a number — write it as a plain number, e.g. 85 [field-type]",
        "plan.yaml:22: task has no id — add 'id: ...' to it [field-missing]",
    ]
    # A record left out for its id takes what cites it with it (as written, or as it should be).
    assert problems.causes[0][1:3] == (("task",), frozenset({"bad id", "t-bad id"}))


def test_a_missing_required_field_is_reported_at_the_record_and_marks_it():
    values, problems = lines_of("tasks:\n  - id: t-one\n    owner: Head of Care\n")
    assert problems == ["plan.yaml:2: task 't-one' has no title — add 'title: ...' to it [field-missing]"]
    task = values["tasks"][0]
    assert task.errors == {"title"} and not task.ok and task["title"] is None
    _, problems = lines_of("tasks: []\n")
    assert problems == ["plan.yaml:1: the plan has no tasks — add 'tasks: ...' to it [field-missing]"]


def test_the_same_mistake_said_twice_at_one_line_is_one_line():
    _, problems = lines_of(
        "tasks:\n  - id: t-one\n    title: T\n    progress:\n      - colour: x\n",
        PLAN,
    )
    assert problems == [
        "plan.yaml:5: task 't-one' progress note has unknown field 'colour' — remove it; the fields are: date, note [field-unknown]",
        "plan.yaml:5: task 't-one' progress note has no date — add 'date: ...' to it [field-missing]",
        "plan.yaml:5: task 't-one' progress note has no note — add 'note: ...' to it [field-missing]",
    ]
    said_once = Record(
        "note", NOTE.fields, label="{parent} note", says={"missing": Say("{parent} has a note without a date and a note")}
    )
    plan = Record("plan", (Field("tasks", ListOf(said_once)),), label="the plan")
    _, problems = lines_of("tasks:\n  - {colour: x}\n", plan)
    assert problems[1] == "plan.yaml:2: the plan has a note without a date and a note — add 'date: ...' to it [field-missing]"
    assert len(problems) == 2 and "unknown field 'colour'" in problems[0]


def test_a_declaration_may_say_a_mistake_in_its_own_words():
    metric = Record(
        "metric",
        (
            Field("id", required=True, pattern=r"^[a-z_]+$", says={"pattern": Say(fix="use lower-case letters")}),
            Field("unit", choices=("percent", "people"), says={"choice": Say("{label} has unknown unit '{value}'")}),
            Field(
                "shown",
                BOOLEAN,
                default=True,
                says={"wrong": Say("{label} has shown '{value}'", "write 'shown: false' or leave the line out")},
            ),
        ),
        key="id",
        says={"unknown": Say(otherwise="remove it or correct its name")},
    )
    problems = Problems()
    data = parse_yaml("- id: Residents\n- id: residents\n  unit: percentage\n  shown: no please\n  colour: red\n", "m", problems)
    assert [read(item, metric, "m.yaml", problems) for item in data][0] is None
    assert sorted(map(str, problems)) == [
        "m.yaml:1: metric id 'Residents' is not valid — use lower-case letters [field-value]",
        "m.yaml:3: metric 'residents' has unknown unit 'percentage' — did you mean percent? use one of: percent, people [field-value]",
        "m.yaml:4: metric 'residents' has shown 'no please' — write 'shown: false' or leave the line out [field-type]",
        "m.yaml:5: metric 'residents' has unknown field 'colour' — remove it or correct its name [field-unknown]",
    ]


def test_ids_are_unique_across_files_read_with_one_registry():
    record = Record(
        "metric",
        (Field("id", required=True),),
        key="id",
        says={"duplicate": Say("{label} {key} '{value}' is defined twice (also {first_place})")},
    )
    ids, problems = Ids(), Problems()
    for where, text in (("a.yaml", "id: one\n"), ("b.yaml", "\nid: one\n")):
        read(parse_yaml(text, where, problems), record, where, problems, ids=ids)
    assert [str(p) for p in problems] == [
        "b.yaml:2: metric id 'one' is defined twice (also a.yaml:1) — give each its own id [id-duplicate]"
    ]


def readme_sections() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.split(r"\n(?=#{2,4} )", text)


def declared_files() -> list[Record]:
    """Every record declared as the whole of a file, in every module of the package."""
    found = {}
    for info in pkgutil.walk_packages(selfeval.__path__, "selfeval."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, Record) and value.file:
                found[value.file] = value
    return list(found.values())


def undocumented(record: Record, sections: list[str]) -> list[str] | None:
    """The fields of a file's record that the README sections about that file never name
    (as `field` or field:); None when no section is about the file."""
    docs = "\n".join(s for s in sections if record.file in s)
    if not docs:
        return None
    named = lambda name: re.search(rf"(?<![\w.-]){re.escape(name)}(?=:|`)", docs)  # noqa: E731
    return [f"{inner.kind}: {f.name}" for inner, f in fields_of(record) if not named(f.name)]


def test_every_field_of_a_documented_file_is_in_the_readme():
    """Like Datasette's test of its settings: a field the code reads but the README never
    names is a field no one can find. A file the README does not document is left out."""
    sections = readme_sections()
    for record in declared_files():
        assert not undocumented(record, sections), f"fields of {record.file} the README does not document"


def test_the_documentation_test_finds_an_undocumented_field():
    sections = readme_sections()
    record = Record("settings", (Field("comparators"), Field("colour_scheme")), file="data/project.yaml")
    assert undocumented(record, sections) == ["settings: colour_scheme"]
    assert undocumented(PLAN, sections) is None  # plan.yaml is not a file the README documents
    assert [f.name for _, f in fields_of(PLAN)][:3] == ["tasks", "id", "title"]
