"""The repository's own content: what a reader and an information-governance lead rely on."""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
QUALITY_STATEMENTS = {
    "assessing-needs", "supporting-healthier-lives", "equity-in-experience", "care-provision",
    "partnership-working", "safe-systems", "safeguarding", "governance", "learning-improvement",
}


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


def test_quality_statements_are_cqc_ids():
    for path in pages():
        statements = front_matter(path).get("quality_statements", [])
        unknown = set(statements) - QUALITY_STATEMENTS
        assert not unknown, f"{path.relative_to(ROOT)}: unknown quality statements {sorted(unknown)}"


def test_theme_one_and_city_pages_say_which_quality_statements_they_evidence():
    for folder in ("city", "working-with-people"):
        for path in sorted((CONTENT / folder).glob("*.md")):
            if path.name == "performance-overview.md":
                continue
            assert front_matter(path).get("quality_statements"), f"{path.relative_to(ROOT)} has no quality_statements"


def test_restricted_blocks_in_case_studies_hold_labelled_illustrations():
    for path in pages():
        lines = path.read_text().split("\n")
        for i, line in enumerate(lines):
            if line.strip().startswith("::: restricted"):
                body = " ".join(l.strip() for l in lines[i + 1:i + 4])
                assert "illustration" in body.lower(), \
                    f"{path.relative_to(ROOT)}:{i + 1}: restricted block is not labelled as an illustration"


def test_illustrations_of_real_cases_agree_with_the_cases_as_reported():
    # The April 2024 committee pack describes these two cases; what the internal version adds
    # must be those cases' details, not invented ones.
    def restricted(path):
        return " ".join(re.findall(r"::: restricted.*?\n(.*?):::", (CONTENT / path).read_text(), re.S))
    practitioner = " ".join(restricted("providing-support/strengths-based-practitioners.md").split())
    for detail in ("74", "persistent pain", "weight loss", "skin condition", "text message reminders"):
        assert detail in practitioner, detail
    carer = " ".join(restricted("providing-support/voluntary-sector.md").split())
    for detail in ("aged 40", "parent-in-law", "four other members of the family"):
        assert detail in carer, detail
    assert "Hollis" not in (CONTENT / "what-works-well.md").read_text()
