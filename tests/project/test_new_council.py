"""make new: another council's blank project checks, builds and passes its own tests.

The new project is made in a temporary folder and used there, in a subprocess, as its
council would use it: check, build both sites and both PDFs, and run the content tests
that hold for any council. (The whole suite of a new project is the same tool suite this
repository runs, on the same fixtures, so it is not run a second time here.)
"""

import datetime as dt
import subprocess
import sys

import openpyxl
import pytest
import yaml
from conftest import REPO
from selfeval.project.new import main as new_main

NAME = "London Borough of Example"
CITY_WORDS = ("City of London", "Corporation", "Square Mile", "Barbican", "Portsoken", "Guildhall")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    dest = tmp_path_factory.mktemp("new") / "lbe"
    code = new_main(
        [
            "--name",
            NAME,
            "--dir",
            str(dest),
            "--reporting-date",
            "2025-02-28",
            "--contact-email",
            "asc.performance@example.gov.uk",
        ]
    )
    assert code == 0
    return dest


def run(args, cwd, timeout=900):
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(cwd)},
    )


def test_the_new_project_is_the_tool_and_a_blank_document(project):
    for name in (
        "Makefile",
        "requirements.txt",
        "README.md",
        ".github/workflows/site.yml",
        ".ci/run",
        "macros/selfeval/project/model.py",
        "scripts/build.py",
        "scripts/new.py",
        "template/mkdocs.yml",
        "tests/conftest.py",
        "tests/fixtures/tiny/mkdocs.yml",
        "data/framework.yaml",
        "data/committee.yaml",
        "data/charts.yaml",
        "evidence_register.yaml",
        "content/about/accessibility.md",
        "content/assets/selfeval.css",
    ):
        assert (project / name).is_file(), name
    assert not (project / "tests/test_city_of_london_content.py").exists()
    themes = {p.stem for p in (project / "content").glob("*.md")}
    assert {"working-with-people", "providing-support", "ensuring-safety", "leadership"} <= themes
    config = yaml.safe_load((project / "data/project.yaml").read_text(encoding="utf-8"))
    assert config["organisation"] == NAME and config["reporting_date"] == dt.date(2025, 2, 28)
    assert yaml.safe_load((project / "data/framework.yaml").read_text(encoding="utf-8")) == yaml.safe_load(
        (REPO / "data/framework.yaml").read_text(encoding="utf-8")
    )


def test_nothing_of_the_city_of_london_is_copied(project):
    # The README is the tool's manual and describes this repository's example, and this test
    # file names the words it looks for; everything else is checked.
    found = []
    for path in sorted(project.rglob("*")):
        if not path.is_file() or path.name in ("README.md", "test_new_council.py") or path.suffix in (".xlsx", ".pyc"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(project)}: {w}" for w in CITY_WORDS if w in text]
    assert found == []
    if not (REPO / "tests/test_city_of_london_content.py").exists():
        return  # run in a council's own project, whose pages the template's rightly share
    city_pages = {p.relative_to(REPO / "content").as_posix() for p in (REPO / "content").rglob("*.md")}
    new_pages = {p.relative_to(project / "content").as_posix() for p in (project / "content").rglob("*.md")}
    assert new_pages & city_pages <= {"index.md", "about/accessibility.md"}
    assert (project / "content/index.md").read_text(encoding="utf-8") != (REPO / "content/index.md").read_text(encoding="utf-8")


def test_the_accessibility_statement_is_filled_from_the_project(project):
    text = (project / "content/about/accessibility.md").read_text(encoding="utf-8")
    assert f"{NAME}'s adult social care" in text
    assert "asc.performance@example.gov.uk" in text
    assert '{{ literal("28 February 2025") }}' in text
    assert "@@" not in text


def test_the_example_workbook_has_both_layouts(project):
    book = openpyxl.load_workbook(project / "data/observations/example-workbook.xlsx")
    assert book.sheetnames == ["Carers", "Safeguarding", "_Notes"]
    long, wide = book["Carers"], book["Safeguarding"]
    assert [c.value for c in long[1]][:5] == ["metric", "area", "period", "period_end", "value"]
    assert isinstance(long["D2"].value, dt.datetime)
    assert [long["A2"].value, wide["A1"].value, wide["A2"].value, wide["A3"].value] == [
        "carers_assessed",
        "metric",
        "period_end",
        "as_of",
    ]
    assert wide["C1"].value == "2022/23" and wide["D1"].value == "2023/24"
    assert wide["D4"].value == 1315


def test_the_new_project_checks_builds_both_pdfs_and_passes_its_content_tests(project):
    checked = run(["scripts/check.py"], project)
    assert checked.returncode == 0, checked.stderr
    assert "warning" not in checked.stderr and "3 metric(s)" in checked.stderr
    built = run(["scripts/build.py", "--pdf"], project)
    assert built.returncode == 0, built.stderr
    for name in (
        "site/internal/index.html",
        "site/public/index.html",
        "site/public/figures/index.html",
        "site/pdf/self-evaluation-internal.pdf",
        "site/pdf/self-evaluation-public.pdf",
    ):
        assert (project / name).is_file(), name
    summary = (project / "site/public/index.html").read_text(encoding="utf-8")
    assert NAME in summary and "Guidance (never published)" not in summary
    figures = (project / "site/public/figures/index.html").read_text(encoding="utf-8")
    assert "1,315" in figures and "128" in figures and "71%" in figures
    tests = run(
        [
            "-m",
            "pytest",
            "tests/content/test_content.py",
            "tests/test_ci.py",
            "tests/publish/test_site_links.py",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        project,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout and "failed" not in tests.stdout


def test_a_folder_in_use_or_a_bad_name_is_refused_with_one_line(tmp_path, capsys):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("keep me")
    assert new_main(["--name", NAME, "--dir", str(tmp_path / "used")]) == 2
    assert new_main(["--name", "Example: Borough", "--dir", str(tmp_path / "other")]) == 2
    assert new_main(["--name", NAME, "--dir", str(tmp_path / "other"), "--reporting-date", "31/02/2025"]) == 2
    lines = capsys.readouterr().err.strip().split("\n")
    assert len(lines) == 3 and all(line.startswith("new: ") and " — " in line for line in lines), lines
    assert (tmp_path / "used" / "notes.txt").read_text() == "keep me"
    assert not (tmp_path / "other").exists()
