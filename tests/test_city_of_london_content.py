"""The City of London Corporation's self-evaluation, February 2025: what its document holds.

These tests are about this repository's own content, not the tool: its chapters, charts,
cover report, register and suppressed cells. Every other test file holds for any council;
this one is left out of the projects ``make new`` writes (scripts/new.py), so a new
council's tests pass before it has written a word. When the City's content changes,
change this file with it.
"""

import re
from decimal import Decimal

from conftest import REPO
from restricted_text import restricted_passages
from selfeval.checks import check_project
from selfeval.disclosure.audit import alternative_values, decide
from selfeval.render.charts.data import chart_data, load_charts
from selfeval.render.figures import Renderer
from selfeval.project.model import load_project
from selfeval.publish.pdftext import normalise
from selfeval.publish.printdoc import MARKINGS
from selfeval.problems import Problems
from test_audit import shown_cells
from test_content import CONTENT, front_matter
from test_content import pages as content_pages

INTERNAL = MARKINGS["internal"]
ROOT = REPO


# -- the chapters ----------------------------------------------------------------------------
def test_theme_one_and_city_pages_say_which_quality_statements_they_evidence():
    for folder in ("city", "working-with-people"):
        for path in sorted((CONTENT / folder).glob("*.md")):
            if path.name == "performance-overview.md":
                continue
            assert front_matter(path).get("quality_statements"), f"{path.relative_to(ROOT)} has no quality_statements"


def test_restricted_blocks_in_case_studies_hold_labelled_illustrations():
    for path in content_pages():
        lines = path.read_text().split("\n")
        for i, line in enumerate(lines):
            if line.strip().startswith("::: restricted"):
                body = " ".join(text.strip() for text in lines[i + 1 : i + 4])
                assert "illustration" in body.lower(), (
                    f"{path.relative_to(ROOT)}:{i + 1}: restricted block is not labelled as an illustration"
                )


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


def test_default_content_protects_msp_and_workforce_shares():
    project = load_project(REPO)
    public = Renderer(project, version="public")
    msp_cells = shown_cells(public.data_table("msp"))
    width = 4  # four periods per row
    fully_2324 = msp_cells[3 * width + 2]
    assert fully_2324 == "[c]"
    workforce = shown_cells(public.data_table("workforce_ethnicity"))
    assert workforce[2:] == ["[c]", "[c]"], workforce
    decision = decide(project)
    assert all(entry.passes for entry in decision.hidden.values()), [e.label for e in decision.hidden.values() if not e.passes]
    other = alternative_values(project, decision)
    assert other[("table", "msp", 3, 3)] != Decimal(3) and 0 < other[("table", "msp", 3, 3)] < 5


# -- charts -----------------------------------------------------------------------------------
def test_default_charts_load_and_draw_from_the_repository_data():
    project = load_project(REPO)
    problems = Problems()
    charts = load_charts(project, problems)
    assert not problems.errors, [str(p) for p in problems]
    assert {
        "reviews_trend",
        "msp_outcomes",
        "dols_by_year",
        "discharge_pathways",
        "service_users_ethnicity",
        "life_expectancy_london",
    } <= set(charts)
    data = chart_data(project, charts["dols_by_year"], "public")
    assert [p.text for p in data.in_series("Applications received")][-2:] == ["34", "25"]
    msp = chart_data(project, charts["msp_outcomes"], "public")
    assert {p.text for p in msp.in_series("Fully achieved")} == {"[c]"}


def test_default_register_carries_the_self_evaluation():
    project = load_project(REPO)
    register = project.register
    assert [p for p in project.problems if "register" in p.path] == []
    assert len(register.areas_in("2023/24")) == 9 and len(register.areas_in("2025/26")) == 10
    assert all(register.actions_of(a) for a in register.areas if register.areas[a].actions_stated)
    peer = [r for r in register.recommendations.values() if r.source == "ev-lga-peer-challenge-2023"]
    assert len(peer) >= 15 and all(register.answered_by(r.id) or r.not_taken_forward for r in peer)
    for eid in (
        "ev-strengths-based-audit-2024",
        "ev-mental-capacity-audit-2024",
        "ev-management-oversight-audit-2024",
        "ev-decision-making-audit-2024",
        "ev-ot-review-2024",
        "ev-chsab-annual-report-2023-24",
        "ev-quality-assurance-framework-2024",
        "ev-carers-strategy-2023",
        "ev-staff-survey-2024",
    ):
        assert eid in register.evidence
    # Owners are roles: no action or evidence item names a person.
    owners = {a.owner for a in register.actions.values()} | {e.owner for e in register.evidence.values()}
    for name in ("Judith", "Finlay", "Pelham", "Cribbens", "Tweedie", "Ellie", "Goldup"):
        assert not any(name in owner for owner in owners)
    # The self-evaluation gives no owners, due dates, targets or 2025/26 actions: none is invented.
    assert all(not a.owner_stated and not a.due_stated and not a.progress for a in register.actions.values())
    assert not any(a.illustrative for a in register.actions.values())
    assert not any(a.measures or a.illustrative for a in register.areas.values())
    assert not any(a.actions_stated for a in register.areas_in("2025/26"))


def test_cover_then_committee_report_then_contents(default_pdfs):
    _, texts = default_pdfs
    for version, pages in texts.items():
        cover = normalise(pages[0])
        assert "adult social care self-evaluation" in cover and "city of london corporation" in cover
        assert "april 2024 to december 2024" in cover and "february 2025" in cover
        assert normalise(INTERNAL if version == "internal" else "This version is for publication") in cover
        report = normalise(pages[1] + pages[2])
        for words in (
            "Committee: Community and Children's Services Committee",
            "Dated: 12 March 2025",
            "Report of: Executive Director of Community and Children's Services",
            "Report author: Head of Strategy and Performance",
            "For Information",
            "Summary",
            "Members are asked to:",
            "Main Report",
            "Corporate & Strategic Implications",
            "Financial implications - None identified.",
            "Security implications",
            "Conclusion",
            "Appendices",
        ):
            assert normalise(words) in report, words
        marking = re.search(r"adult social care self-evaluation, february 2025 (\S+) report of:", report).group(1)
        assert marking == ("non-public" if version == "internal" else "public")


def test_the_pdf_leak_tests_have_restricted_passages_and_small_counts_to_look_for():
    """tests/publish/test_pdf.py holds for any council, so it passes when there is nothing to hide;
    the City's document has both, so its PDFs' tests have something to find."""
    probes = [p for passage in restricted_passages(REPO / "content") for p in passage.probes()]
    assert probes, "the City's chapters have restricted passages"
    project = load_project(REPO)
    small = [o for o in project.observations if not o.area and project.metrics[o.metric].unit == "people" and 0 < o.value < 5]
    assert small, "the City's figures have small counts to hide"


# -- before publication ------------------------------------------------------------------------
def test_the_repository_content_has_no_example_address_and_no_figure_left_out_by_accident():
    warnings = [str(w) for w in check_project(REPO).problems.warnings]
    assert not [w for w in warnings if "example address" in w or "shown on no page" in w], warnings
