"""Editions: a temporary git repository holds two tagged editions of a small project; the
changes page lists exactly what changed between them, in both versions, and nothing the
public version must not see; the editions page and every page's dates come from git."""

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, add_small_and_restricted, replace_in

from selfeval.publish.build import main as build_main
from selfeval.checks import check_project

SECRET_PAGE = """---
title: Inspection rehearsal notes
restricted: personal-data
---

# Inspection rehearsal notes

The panel interviewed the riverside placement team about pseudonymous casework.
"""

REWRITTEN = """---
title: Safety
---

# Safety

Safeguarding enquiries are now triaged within one working day by a single duty team,
which replaced the three area teams that handled them before. The board reviewed the new
arrangement in the summer and asked for a report on waiting times at every meeting from
now on. Families told us the single point of contact was easier to reach. We publish the
waiting times quarterly and compare them with the year before.

::: restricted reason="commercially-sensitive"
The provider's bid of £812,345 undercut the zebra-crossing consortium by a wide margin.
:::
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        text=True,
        env={
            "GIT_AUTHOR_NAME": "Strategy officer",
            "GIT_AUTHOR_EMAIL": "officer@example.org",
            "GIT_COMMITTER_NAME": "Strategy officer",
            "GIT_COMMITTER_EMAIL": "officer@example.org",
            "GIT_AUTHOR_DATE": DATE,
            "GIT_COMMITTER_DATE": DATE,
            "PATH": "/usr/bin:/bin",
        },
    ).stdout


DATE = "2025-04-10T12:00:00"


def commit(root: Path, message: str, when: str) -> None:
    global DATE
    DATE = when
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("editions") / "council"
    shutil.copytree(FIXTURES / "tiny", root)
    replace_in(
        root / "mkdocs.yml",
        "  - Figures: figures.md\n",
        "  - Figures: figures.md\n  - What changed: changes.md\n  - Editions: editions.md\n",
    )
    add_small_and_restricted(root, "2023/24", "2024-03-31", "2024-05-01")
    obs = root / "data/observations/core.csv"
    core = root / "data/metrics/core.yaml"
    project = root / "data/project.yaml"
    project.write_text(project.read_text() + "edition: edition-2025-04\ndocument_version: April 2025\n")
    from test_pdf import COMMITTEE

    (root / "data/committee.yaml").write_text(COMMITTEE, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "April 2025 edition", "2025-04-10T12:00:00")
    git(root, "tag", "edition-2025-04")

    # The next edition: new figures, one retired, a rewritten page, register changes.
    obs.write_text(
        obs.read_text().replace("old_measure,,2021/22,2022-03-31,40,40,100,2022-05-01,\n", "")
        + "reviews_within_12m,,2024/25,2025-03-31,88,88,100,2025-05-01,\n"
        "carers_small,,2024/25,2025-03-31,4,,,2025-05-01,\n"
        "secret_spend,,2024/25,2025-03-31,12345,,,2025-05-01,\n"
        "waiting_list,,2024/25,2025-03-31,41,,,2025-05-01,\n"
    )
    old_measure = (
        "  - id: old_measure\n    label: An old measure\n    definition: A figure nobody has updated.\n"
        "    unit: percent\n    polarity: higher_is_better\n    source: ev-case-records\n"
    )
    replace_in(core, old_measure, "")
    core.write_text(
        core.read_text()
        + (
            "  - id: waiting_list\n    label: People waiting for an assessment\n    definition: At the year end.\n"
            "    unit: people\n    polarity: lower_is_better\n    source: ev-census-2021\n"
        )
    )
    (root / "content/safety.md").write_text(REWRITTEN)
    (root / "content/secret.md").write_text(SECRET_PAGE)
    replace_in(root / "mkdocs.yml", "  - Safety: safety.md\n", "  - Safety: safety.md\n  - Rehearsal: secret.md\n")
    register = root / "evidence_register.yaml"
    replace_in(register, "    due: 2025-09-30\n    status: on track\n", "    due: 2025-12-31\n    status: complete\n")
    replace_in(
        register,
        "recommendations:\n",
        (
            "  - id: ev-board-minutes-2025\n    title: Safeguarding board minutes, summer 2025\n    kind: committee report\n"
            "    date: 2025-07-01\n    owner: Board manager\n    category: processes\n"
            "    quality_statements: [governance]\n    classification: public\n    link: https://example.org/minutes\n"
            "  - id: ev-tender-file\n    title: Zebra-crossing consortium tender file\n    kind: dataset\n"
            "    date: 2025-07-01\n    owner: Board manager\n    category: processes\n"
            "    quality_statements: [governance]\n    classification: internal\n    location: Procurement drive\n"
            "\nrecommendations:\n"
        ),
    )
    replace_in(project, "edition: edition-2025-04\n", "edition: edition-2025-10\nprevious_edition: edition-2025-04\n")
    replace_in(project, "document_version: April 2025\n", "document_version: October 2025\n")
    commit(root, "October 2025 edition", "2025-10-20T12:00:00")
    out = root / "site"
    assert build_main(["--root", str(root), "--out", str(out)]) == 0
    return out


def page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def rows(html: str) -> list[str]:
    import re
    from html import unescape

    return [unescape(" ".join(re.sub(r"<[^>]+>", " ", r).split())) for r in re.findall(r"<tr>(.*?)</tr>", html, re.S)]


def test_changes_page_lists_what_changed_in_figures_and_direction(editions):
    for version in ("internal", "public"):
        html = page(editions / version, "changes")
        assert "What changed since April 2025" in html
        figures = [r for r in rows(html) if "Reviews completed" in r]
        assert figures == ["Reviews completed within 12 months 81% (April to December 2024) 88% (2024/25) up (better)"]
        assert "People waiting for an assessment" in html  # added
        assert "An old measure" in html  # retired
        assert "Weekly review of cases coming due" in html and "on track → complete" in html
        assert "30 September 2025 → 31 December 2025" in html
        assert "Safeguarding board minutes, summer 2025" in html
        assert "Safety: about" in html  # substantially rewritten
    internal, public = page(editions / "internal", "changes"), page(editions / "public", "changes")
    assert "Young carers supported 3 (2023/24) 4 (2024/25) up (better)" in rows(internal)
    # Hidden in public in both editions: no values, no direction.
    assert "Young carers supported [c] (2023/24) [c] (2024/25) not shown" in rows(public)


def test_public_changes_carry_nothing_restricted(editions):
    public = page(editions / "public", "changes")
    for secret in ("Spend on one placement", "98765", "12345", "Zebra-crossing", "Inspection rehearsal", "812,345"):
        assert secret not in public
    internal = page(editions / "internal", "changes")
    assert "Spend on one placement" in internal and "Inspection rehearsal notes" in internal


def test_editions_page_and_page_dates_come_from_git(editions):
    html = page(editions / "public", "editions")
    assert "April 2025" in html and "10 April 2025" in html and "edition-2025-04" in html
    assert "October 2025 (this edition)" in html
    assert 'This page last changed: <time datetime="2025-10-20">20 October 2025</time>' in page(editions / "public", "safety")
    assert 'This page last changed: <time datetime="2025-04-10">10 April 2025</time>' in page(editions / "public", "improvement")
    assert "Edition: October 2025" in page(editions / "internal", "improvement")


def test_a_missing_previous_tag_is_one_warning_with_the_fetch_command(tiny):
    project = tiny / "data/project.yaml"
    project.write_text(project.read_text() + "previous_edition: edition-2024-04\n")
    git(tiny, "init", "-q", "-b", "main")
    commit(tiny, "first", "2025-04-10T12:00:00")
    report = check_project(tiny)
    found = [p for p in report.problems if "edition-2024-04" in str(p)]
    assert len(found) == 1 and found[0].severity == "warning"
    assert str(found[0]).startswith("data/project.yaml:") and "git fetch" in str(found[0])


def test_cover_report_says_what_changed_as_the_changes_page_does(editions):
    from selfeval.publish.committee import load_committee
    from selfeval.project.config import load_config
    from selfeval.publish.printdoc import assemble
    from selfeval.problems import Problems

    root, problems = editions.parent, Problems()
    config, committee = load_config(root, problems), load_committee(root, problems)
    assert committee is not None, problems
    for version in ("internal", "public"):
        document = assemble(root, editions / version, version, config, committee)
        cover = document[: document.index('class="toc"')] if 'class="toc"' in document else document
        assert "Changes since the last edition" in cover
        expected = {
            "internal": "Since April 2025: 3 figures changed (2 better, 0 worse), 1 figure added and 1 "
            "retired, 2 changes to the areas for development and actions, 2 evidence items added",
            # The restricted figure and the internal evidence are not counted in public.
            "public": "Since April 2025: 2 figures changed (1 better, 0 worse), 1 figure added and 1 "
            "retired, 2 changes to the areas for development and actions, 1 evidence item added",
        }
        assert expected[version] in " ".join(cover.split())
    assert "Spend on one placement" not in assemble(root, editions / "public", "public", config, committee)
