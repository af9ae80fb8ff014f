"""The project's own content, by rules that hold for any council's self-evaluation.

What a reader and an information-governance lead rely on: every page has a title and a
description, names only quality statements the framework has, gives a known reason for
every restricted passage, and can be reached from the navigation (and so is in the PDFs).
These tests read the sources with their own small parsers, not the tool's. Expectations
about one council's document belong in a test file of its own (for this repository,
tests/test_city_of_london_content.py), which ``make new`` does not copy.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
# Pages the build writes from the register and the data, listed in the nav but not in content/.
GENERATED = re.compile(r"^(evidence|cqc-coverage|figures|changes|editions|areas-for-development-[\d-]+|progress-[\d-]+)\.md$")


def framework_statements():
    framework = yaml.safe_load((ROOT / "data/framework.yaml").read_text(encoding="utf-8"))
    return {qs["id"] for theme in framework["themes"] for qs in theme["quality_statements"]}


def reasons():
    project = yaml.safe_load((ROOT / "data/project.yaml").read_text(encoding="utf-8"))
    return set((project.get("redaction") or {}).get("reasons") or {})


def nav_files(entries):
    for entry in entries or []:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            yield from nav_files(value)
        elif isinstance(value, str) and not value.startswith(("http://", "https://")):
            yield value


def pages():
    return sorted(CONTENT.rglob("*.md"))


def front_matter(path):
    text = path.read_text()
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, f"{path.relative_to(ROOT)} has no front matter"
    return yaml.safe_load(match.group(1)) or {}


def test_every_page_has_a_title_and_a_description_for_search():
    for path in pages():
        meta = front_matter(path)
        assert meta.get("title"), f"{path.relative_to(ROOT)} has no title"
        assert meta.get("description"), f"{path.relative_to(ROOT)} has no description"


def test_quality_statements_are_ids_of_the_framework():
    known = framework_statements()
    assert known, "data/framework.yaml names no quality statements"
    for path in pages():
        statements = front_matter(path).get("quality_statements", [])
        unknown = set(statements) - known
        assert not unknown, f"{path.relative_to(ROOT)}: unknown quality statements {sorted(unknown)}"


def test_every_theme_has_a_page_that_evidences_its_quality_statements():
    cited = {qs for path in pages() for qs in front_matter(path).get("quality_statements", [])}
    assert framework_statements() - cited == set(), "quality statements no page gives evidence for"


def test_every_restricted_passage_gives_a_known_reason():
    known = reasons()
    for path in pages():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        meta = front_matter(path)
        if meta.get("restricted") not in (None, False, True):
            assert meta["restricted"] in known, f"{where}: restricted page gives unknown reason {meta['restricted']!r}"
        for number, line in enumerate(text.split("\n"), start=1):
            if re.match(r"^\s*:::\s*restricted\b", line):
                reason = re.search(r'reason="([^"]*)"', line)
                assert reason and reason.group(1) in known, f"{where}:{number}: restricted block without a known reason"
        for match in re.finditer(r"\]\{\s*\.restricted\b([^}]*)\}", text):
            reason = re.search(r'reason="([^"]*)"', match.group(1))
            number = text.count("\n", 0, match.start()) + 1
            assert reason and reason.group(1) in known, f"{where}:{number}: restricted span without a known reason"


def test_every_page_is_in_the_navigation():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    listed = list(nav_files(config.get("nav")))
    missing = [p.relative_to(CONTENT).as_posix() for p in pages() if p.relative_to(CONTENT).as_posix() not in listed]
    assert missing == [], f"pages in no nav entry (so missing from the menus and the PDFs): {missing}"
    absent = [f for f in listed if not (CONTENT / f).is_file() and not GENERATED.match(f)]
    assert absent == [], f"nav entries with no page: {absent}"
