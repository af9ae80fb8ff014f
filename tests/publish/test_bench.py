"""The benchmark's larger projects are valid projects: the copies check clean and build."""

import os
import subprocess
import sys

from selfeval.adapters.mkdocs.plain import plain_config
from selfeval.publish.bench import rename_in_page, scaled_project
from selfeval.checks import check_project


def test_scaled_project_replicates_pages_and_data_with_renamed_ids(tiny, tmp_path):
    big = scaled_project(tiny, tmp_path / "big", 3)
    report = check_project(big)
    assert report.ok, [str(p) for p in report.problems.errors]
    small = check_project(tiny)
    assert len(report.pages) == 3 * len(small.pages)
    assert len(report.project.metrics) == 3 * len(small.project.metrics)
    assert len(report.project.tables) == 3 * len(small.project.tables)
    assert "residents_c2" in report.project.metrics and "msp_c1" in report.project.tables
    nav = (big / "mkdocs.yml").read_text(encoding="utf-8")
    assert "copy-2/safety.md" in nav and "copy-1/figures.md" not in nav


def test_renaming_touches_only_ids_cited_by_macros_and_figure_links():
    text = (
        'Appeals fell: {{ figure("appeals", period="2023/24") }} and {{ kpi_tiles(["appeals", "x"]) }}; '
        '{{ literal("appeals") }} [see](../figures.md#appeals) {{ data_table("msp") }}'
    )
    out = rename_in_page(text, {"appeals", "msp"}, "_c1")
    assert out == (
        'Appeals fell: {{ figure("appeals_c1", period="2023/24") }} and {{ kpi_tiles(["appeals_c1", "x"]) }}; '
        '{{ literal("appeals") }} [see](../figures.md#appeals_c1) {{ data_table("msp_c1") }}'
    )


def test_the_plain_baseline_builds_for_a_project_with_its_own_british_theme_strings(tiny, tmp_path):
    # The project's en-GB strings live in its custom_dir, which the plain build leaves out.
    yml = tiny / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("  name: material\n", "  name: material\n  language: en-GB\n"))
    config = plain_config(tiny, tiny / "content", tmp_path / "plain-site", tmp_path / "plain.yml")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert (tmp_path / "plain-site" / "index.html").is_file()


def test_the_edit_between_two_benchmarked_builds_rewords_one_sentence_and_still_checks_clean(tiny):
    from selfeval.publish.bench import edit_a_sentence

    before = {p: p.read_text(encoding="utf-8") for p in (tiny / "content").rglob("*.md")}
    page = edit_a_sentence(tiny, "run 1")
    after = page.read_text(encoding="utf-8")
    changed = [p for p, text in before.items() if p.read_text(encoding="utf-8") != text]
    assert changed == [page]
    assert "reworded for the benchmark (run 1)." in after
    assert len(after.splitlines()) == len(before[page].splitlines())
    report = check_project(tiny)
    assert report.ok, [str(p) for p in report.problems.errors]
