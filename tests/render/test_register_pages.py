"""What readers see of the register: citations, macros and the generated pages, in both versions."""

import re

import pytest
from conftest import replace_in

from selfeval.publish.build import main as build_main
from selfeval.project.model import load_project
from selfeval.render.register import RegisterRenderer


def read(path):
    return path.read_text(encoding="utf-8")


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def renderers(tiny):
    project = load_project(tiny)
    return (
        RegisterRenderer(project, "internal", href=lambda t: "../" + t),
        RegisterRenderer(project, "public", href=lambda t: "../" + t),
    )


def test_cite_links_to_the_evidence_index(renderers):
    internal, public = renderers
    assert internal.cite("ev-peer-review-2023") == (
        '<a class="cite" href="../evidence/#ev-peer-review-2023" title="Peer review, 30 June 2023">Peer review 2023</a>'
    )
    assert public.cite("ev-peer-review-2023") == internal.cite("ev-peer-review-2023")


def test_internal_evidence_is_marked_internally_and_unnamed_in_public(renderers):
    internal, public = renderers
    assert 'Case management records</a> <span class="tag tag-internal">internal</span>' in internal.cite("ev-case-records")
    assert public.cite("ev-case-records") == '<span class="cite cite-withheld">internal evidence</span>'


def test_areas_progress_and_action_status_macros(renderers):
    internal, _ = renderers
    areas = internal.areas_for_development("2025/26")
    assert "<caption>Areas for development 2025/26</caption>" in areas
    assert '<a href="../areas-for-development-2025-26/#A25-01">Faster reviews</a>' in areas
    assert "Nearly every review is on time." in areas and "Quicker DoLS sign-off" in areas
    progress = internal.progress_table("2023/24")
    assert '<a href="../progress-2023-24/#A23-01">Improve the timeliness of reviews</a>' in progress
    assert "Complete</span>" in progress and "Reviews are now flagged on the case management system." in progress
    status = internal.action_status("A25-01.1")
    assert 'href="../areas-for-development-2025-26/#A25-01.1"' in status
    assert text_of(status).strip() == "● On track"


def test_action_status_flags_overdue_in_words(tiny):
    replace_in(tiny / "evidence_register.yaml", "    due: 2025-09-30", "    due: 2025-01-31")
    renderer = RegisterRenderer(load_project(tiny), "internal")
    assert text_of(renderer.action_status("A25-01.1")).strip() == "● On track ⚠ Overdue"
    assert "1 overdue action" in text_of(renderer.areas_for_development("2025/26"))


def test_generated_pages_in_both_versions(tiny):
    replace_in(tiny / "evidence_register.yaml", "    due: 2025-09-30", "    due: 2025-01-31")
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    for version in ("internal", "public"):
        site = out / version
        plan = read(site / "areas-for-development-2025-26/index.html")
        assert '<h2 id="A25-01">1. Faster reviews' in plan
        row = re.search(r'<tr>\s*<td><span id="A25-01.1"></span>(.*?)</tr>', plan, re.S).group(1)
        assert "Team Manager" in row and "31 January 2025" in text_of(row) and "Overdue" in row
        assert "Overdue actions" in plan  # the summary at the top of the page
        measures = text_of(plan)
        # reviews_within_12m: 81% now, 67% before, target 90 → amber; dols_days 11 (from 14), target 12 → green.
        assert (
            "Reviews completed within 12 months 81% (April to December 2024) 90% or higher ▲ Amber: target not met yet, improving"
            in measures
        )
        assert "11 days (2024/25 year to date) 12 days or lower ● Green: target met" in measures
        assert "Illustrative entries" in plan and "tag-illustrative" in plan and "illustrative" not in row
        assert "Not taken forward: The current system is being improved instead." in plan
        progress = read(site / "progress-2023-24/index.html")
        assert "Flag switched on for all teams." in progress and "1 February 2024" in progress


def test_public_evidence_index_lists_public_items_only(tiny):
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    internal = read(out / "internal/evidence/index.html")
    public = read(out / "public/evidence/index.html")
    assert 'id="ev-case-records"' in internal and "Case management records" in internal
    assert 'id="ev-census-2021"' in public and 'id="ev-peer-review-2023"' in public
    assert 'id="ev-case-records"' not in public and "Published evidence only" in public
    # The internal item is not named anywhere in the public site (pages, search index, sitemap).
    for path in (out / "public").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js"):
            assert "Case management records" not in read(path), path
    assert "internal evidence" in read(out / "public/improvement/index.html")


def test_coverage_matrix_counts_links_and_gaps(tiny):
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    html = read(out / "internal/cqc-coverage/index.html")
    row = re.search(
        r'<tr><th scope="row"><a href="../evidence/#qs-assessing-needs">Assessing needs</a></th>(.*?)</tr>', html
    ).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    # People's experience, Staff and leaders' feedback, Partners' feedback, Processes, Outcomes, total
    assert [text_of(c).strip() for c in cells] == ["✕ Gap", "✕ Gap", "1", "1", "✕ Gap", "2"]
    assert '<a href="../evidence/#assessing-needs--processes"' in cells[3]
    assert "Assessing needs: no evidence from people's experience" in html.replace("&#x27;", "'")
    # In public the internal-only cell is not called a gap.
    public = read(out / "public/cqc-coverage/index.html")
    prow = re.search(r'#qs-assessing-needs">Assessing needs</a></th>(.*?)</tr>', public).group(1)
    assert [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", prow)][3] == "Internal only"


def test_not_stated_entries_say_so_and_are_never_overdue_or_rated(tiny):
    reg = tiny / "evidence_register.yaml"
    replace_in(
        reg,
        "    owner: Team Manager\n    due: 2025-09-30\n    status: on track",
        "    owner: not stated\n    due: not stated\n    status: not stated",
    )
    replace_in(reg, "        direction: increase\n        target: 90", "        direction: increase\n        target: not stated")
    replace_in(
        tiny / "data/project.yaml", "title: Tiny self-evaluation\n", "title: Tiny self-evaluation\ndocument_version: March 2025\n"
    )
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    for version in ("internal", "public"):
        plan = read(out / version / "areas-for-development-2025-26/index.html")
        row = text_of(re.search(r'<tr>\s*<td><span id="A25-01.1"></span>(.*?)</tr>', plan, re.S).group(1))
        # Owner, due date, status and progress each say "Not stated"; nothing is judged overdue.
        assert row.count("Not stated") == 4 and "Overdue" not in plan, row
        assert "not stated in" not in row
        page = text_of(plan)
        assert "Not stated means that the March 2025 tiny self-evaluation does not give" in page
        assert (
            "Reviews completed within 12 months 81% (April to December 2024) Not stated – No rating: no target stated"
        ) in page
        summary = re.search(r"<caption>Areas for development 2025/26</caption>(.*?)</table>", plan, re.S).group(1)
        first = re.search(r'<tr><td class="num">1</td>(.*?)</tr>', summary, re.S).group(1)
        assert "Not stated" in text_of(first) and "On track" not in text_of(first)
        # The second area has example values: the summary's status column says so too.
        second = re.search(r'<tr><td class="num">2</td>(.*?)</tr>', summary, re.S).group(1)
        assert "illustrative" in text_of(second)
