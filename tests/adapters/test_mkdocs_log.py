"""What MkDocs and mkdocs-macros log during a real build comes out as one line on the source.

A small MkDocs project (the plain theme, the macros plugin with a module of its own) is
built with the log adapter listening, as the build and the live preview listen, so these
tests read the records the installed MkDocs and mkdocs-macros really write.
"""

import logging
from pathlib import Path

import pytest

from selfeval.adapters.mkdocs.build import run_mkdocs_build
from selfeval.adapters.mkdocs.log import ProblemLog, SourceProblem, build_failed, build_stopped
from selfeval.problems import Problem

MACROS = """
from selfeval.adapters.mkdocs.macros import MacroError


def define_env(env):
    @env.macro
    def boom():
        raise ValueError("no such thing")

    @env.macro
    def figure(name):
        raise MacroError("figure", f"unknown metric '{name}'", "content/page.md", "did you mean residents?")
"""

MKDOCS_YML = """site_name: Log test
docs_dir: content
strict: true
nav:
  - Home: index.md
  - Page: page.md
plugins:
  - macros:
      module_name: macromod
      on_error_fail: true
      on_undefined: strict
"""


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "macromod.py").write_text(MACROS, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML + f"site_dir: {tmp_path / 'site'}\n", encoding="utf-8")
    (tmp_path / "content/index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    (tmp_path / "content/page.md").write_text("# Page\n\nText.\n", encoding="utf-8")
    return tmp_path


def build(root: Path) -> list[Problem]:
    """Build with MkDocs in this process; the problems the adapter makes of what it logged."""
    collected = ProblemLog(root, root / "content")
    log = logging.getLogger("mkdocs")
    log.addHandler(collected)
    try:
        run_mkdocs_build(root / "mkdocs.yml")
    except SystemExit as exc:
        return build_stopped(exc, collected.problems, "internal")
    except Exception as exc:  # noqa: BLE001 - as the build reports it
        return build_failed(exc, collected.problems, "internal", "set SELFEVAL_DEBUG=1 to see where")
    finally:
        log.removeHandler(collected)
    return list(collected.problems)


def lines(problems) -> list[str]:
    return [str(p) for p in problems]


def test_a_clean_build_logs_no_problem(project):
    assert build(project) == []


def test_a_macro_syntax_error_is_on_its_file_line_below_front_matter(project):
    page = project / "content/page.md"
    page.write_text('---\ntitle: Page\n---\n\n\n# Page\n\nText {{ figure("x" }}.\n', encoding="utf-8")
    assert lines(build(project)) == [
        "content/page.md:8: macro syntax: unexpected '}', expected ')' — fix the {{ … }} call on this line "
        "(see the README for the macros you can use) [macro-call]"
    ]


def test_a_macro_that_fails_while_rendering_is_on_its_file_line(project):
    page = project / "content/page.md"
    page.write_text("Title: Page\nAuthor: someone\n\n# Page\n\nText.\n\nHere {{ boom() }}.\n", encoding="utf-8")
    assert lines(build(project)) == [
        "content/page.md:8: macro failed: ValueError: no such thing — check the {{ … }} call on this line: its name and arguments [macro-failed]"
    ]


def test_the_tools_own_macro_error_names_the_macro_not_the_exception(project):
    (project / "content/page.md").write_text('# Page\n\n{{ figure("nope") }}\n', encoding="utf-8")
    (found,) = build(project)
    assert (found.path, found.line) == ("content/page.md", 3)
    assert found.what == "macro failed: figure(): unknown metric 'nope'"
    assert found.fix == "did you mean residents?"


def test_a_broken_link_and_a_missing_nav_page_name_their_lines(project):
    (project / "content/index.md").write_text("# Home\n\nWelcome.\n\nSee [the plan](plan.md).\n", encoding="utf-8")
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("  - Page: page.md\n", "  - Page: page.md\n  - Gone: gone.md\n"))
    assert sorted(lines(build(project))) == [
        "content/index.md:5: link 'plan.md': the target is not found among documentation files "
        "— point it at a Markdown file under the content folder, relative to this page [link-broken]",
        "mkdocs.yml:7: nav lists 'gone.md', which is not in the content folder "
        "— create the page or correct its path in nav (relative to the content folder) [nav-entry]",
    ]


def test_a_generated_year_page_missing_from_nav_says_so(project):
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("  - Page: page.md\n", "  - Page: page.md\n  - Old: progress-2019-20.md\n"))
    (found,) = build(project)
    assert found.line == 7 and "generated page" in found.fix


def test_a_source_problem_a_hook_stops_for_is_reported_as_it_stands():
    problem = Problem("content/a.md", 4, "a restricted marker reached the public build", "redact first")
    assert build_stopped(SourceProblem(problem), [], "public") == [problem]


def test_a_stopped_build_with_nothing_logged_says_why_in_one_line():
    from mkdocs.exceptions import Abort

    (found,) = build_stopped(Abort("Aborted with a configuration error!"), [], "public", "see the lines above")
    assert str(found) == "public: build stopped: Aborted with a configuration error! — see the lines above [build-failed]"
    logged = Problem("mkdocs.yml", 3, "something", "fix it")
    assert build_stopped(Abort("Aborted with 1 warnings in strict mode!"), [logged], "public") == [logged]


def test_a_public_build_of_unredacted_sources_stops_on_the_markers_line(tiny, tmp_path):
    from conftest import replace_in

    from selfeval.adapters.mkdocs.build import derived_config, write_config
    from selfeval.adapters.mkdocs.state import remember
    from selfeval.checks import check_project

    replace_in(
        tiny / "content/safety.md", "# Safety\n", '# Safety\n\nWe met [the Jones family]{.restricted reason="personal-data"}.\n'
    )
    report = check_project(tiny)
    remember(report, tiny, "public")
    # The hooks refuse a restricted marker in the public build: here the build is pointed
    # at content/ itself rather than at the redacted copy the build script writes.
    cfg = derived_config(tiny, tiny / "content", tmp_path / "site", "public")
    write_config(cfg, tiny / "mkdocs.yml")
    problems = build(tiny)
    assert lines(problems) == [
        "content/safety.md:3: a restricted marker reached the public build "
        "— build the public version with scripts/build.py, which redacts first [leak]"
    ]
