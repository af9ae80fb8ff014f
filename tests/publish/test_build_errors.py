"""Errors MkDocs itself finds during a build come out as one line on the source file and line."""

from conftest import assert_problem, replace_in

from selfeval.publish.build import main as build_main


def build_errors(tiny, capsys) -> tuple[int, str, str]:
    code = build_main(["--root", str(tiny), "--out", str(tiny / "site")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_macro_syntax_error_is_one_line_on_the_file_line(tiny, capsys):
    replace_in(tiny / "content/index.md", "{{ kpi_tiles(", '{{ figure("residents") | nosuchfilter }}\n\n{{ kpi_tiles(')
    code, _, err = build_errors(tiny, capsys)
    assert code == 1
    line = next(n for n, text in enumerate((tiny / "content/index.md").read_text().split("\n"), 1) if "nosuchfilter" in text)
    # make check finds it first, so the build stops before MkDocs renders anything.
    assert_problem(err, "content/index.md", line, "unknown filter 'nosuchfilter'", only=True)
    assert "_File_" not in err and "Traceback" not in err
    assert sum("nosuchfilter" in line for line in err.splitlines()) == 1, "reported once, not once per version"


def test_a_rendering_error_only_mkdocs_finds_is_one_line_on_the_file_line(tiny, capsys):
    replace_in(tiny / "content/index.md", "{{ kpi_tiles(", '{{ figure("residents").nosuch() }}\n\n{{ kpi_tiles(')
    code, _, err = build_errors(tiny, capsys)
    assert code == 1
    line = next(n for n, text in enumerate((tiny / "content/index.md").read_text().split("\n"), 1) if ".nosuch()" in text)
    assert_problem(err, "content/index.md", line, "macro failed", "nosuch", "on this line", only=True)
    assert "_File_" not in err and "Traceback" not in err


def test_broken_markdown_link_and_nav_entry_name_their_source_line(tiny, capsys):
    replace_in(tiny / "content/safety.md", "# Safety\n", "# Safety\n\nSee [the plan](plan.md).\n")
    code, _, err = build_errors(tiny, capsys)
    assert code == 1
    assert_problem(err, "content/safety.md", 3, "link 'plan.md': the target is not found among documentation files", only=True)
    replace_in(tiny / "content/safety.md", "See [the plan](plan.md).", "")
    replace_in(tiny / "mkdocs.yml", "  - Safety: safety.md", "  - Safety: safety.md\n  - Missing: missing.md")
    code, _, err = build_errors(tiny, capsys)
    assert code == 1
    assert_problem(err, "mkdocs.yml", 5, "nav lists 'missing.md', which is not in the content folder", only=True)


def test_build_errors_are_github_annotations_in_actions(tiny, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    replace_in(tiny / "content/safety.md", "# Safety\n", "# Safety\n\nSee [the plan](plan.md).\n")
    code, out, _ = build_errors(tiny, capsys)
    assert code == 1
    assert "::error file=content/safety.md,line=3,title=link-broken::link 'plan.md': the target is not found" in out
    replace_in(tiny / "content/safety.md", "See [the plan](plan.md).", '{{ figure("nope") }}')
    code, out, _ = build_errors(tiny, capsys)
    assert code == 1
    assert "::error file=content/safety.md,line=3,title=unknown-name::unknown metric 'nope'" in out
