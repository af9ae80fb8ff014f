"""Building a tiny project: both versions, the Figures page, and a failed build left safe."""

import re

from conftest import replace_in

from selfeval.publish.build import main as build_main


def read(path):
    return path.read_text(encoding="utf-8")


def test_builds_both_versions_with_banner_only_internal(tiny, capsys):
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    internal, public = read(out / "internal/index.html"), read(out / "public/index.html")
    assert "Internal: not for publication" in internal and "Internal: not for publication" not in public
    assert '<meta name="robots" content="noindex, nofollow">' in internal and "noindex" not in public
    for html in (internal, public):
        assert re.search(
            r'<button type="button" class="figure-value"[^>]*>81%</button><span class="figure-about" hidden data-search-exclude>'
            r'[^<]*April to December 2024[^<]*<a href="figures/#reviews_within_12m">',
            html,
        )
        assert 'class="kpi-tiles"' in html
    assert "<caption>Making Safeguarding Personal</caption>" in read(out / "public/safety/index.html")


def test_figures_page_lists_values_citing_pages_and_unused_metrics(tiny):
    # A figure cited nowhere, and not marked 'shown: false', is listed as not cited.
    replace_in(tiny / "data/metrics/core.yaml", "    shown: false\n", "")
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    html = read(out / "internal/figures/index.html")
    assert re.search(r'<h2 id="core-measures">Core measures', html)  # grouped under the file's title
    row = re.search(r'<tr>\s*<td><span id="reviews_within_12m"></span>(.*?)</tr>', html, re.S).group(1)
    assert "81%" in row and "April to December 2024" in row and "1 February 2025" in row and "Case management records" in row
    assert '<a href="../">Summary</a>' in row
    unused = html[html.index('id="figures-not-cited-on-any-page"') :]
    assert "An old measure" in unused and "Reviews completed" not in unused
    # Readers see the figure's label, never its id.
    assert "old_measure" not in re.sub(r"<[^>]+>", " ", unused)


def test_a_figure_kept_in_the_data_on_purpose_is_left_off_the_figures_page(tiny):
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    for version in ("internal", "public"):
        html = read(out / version / "figures/index.html")
        assert "An old measure" not in html and 'id="old_measure"' not in html
        assert "Every figure is cited at least once." in html


def test_failed_build_exits_non_zero_and_keeps_the_last_good_site(tiny, capsys):
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    before = read(out / "public/index.html")
    replace_in(tiny / "content/index.md", 'figure("residents")', 'figure("residentz")')
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "content/index.md:8: unknown metric 'residentz' — did you mean residents?" in err
    assert "Traceback" not in err
    assert read(out / "public/index.html") == before
    assert sorted(p.name for p in out.iterdir()) == ["internal", "public"]


def test_mkdocs_failure_keeps_the_last_good_site(tiny, capsys):
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    before = read(out / "internal/index.html")
    # A method the macro's value does not have: only MkDocs' rendering finds it (make check finds
    # nav entries to missing pages, unknown filters and unknown names first).
    replace_in(tiny / "content/index.md", '{{ figure("residents") }}', '{{ figure("residents").nosuch() }}')
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 1
    assert "build: nothing replaced" in capsys.readouterr().err
    assert read(out / "internal/index.html") == before
    assert sorted(p.name for p in out.iterdir()) == ["internal", "public"]


def test_a_figure_drawn_only_in_a_chart_is_cited_by_the_page_that_places_the_chart(tiny):
    replace_in(tiny / "data/metrics/core.yaml", "    shown: false\n", "")
    with open(tiny / "data/charts.yaml", "a", encoding="utf-8") as f:
        f.write("  - id: old_trend\n    kind: trend\n    title: The old measure\n    metrics: [old_measure]\n")
    replace_in(
        tiny / "content/safety.md", '{{ chart("reviews_target") }}', '{{ chart("reviews_target") }}\n\n{{ chart("old_trend") }}'
    )
    from selfeval.checks import check_project

    assert not any("old_measure" in str(w) for w in check_project(tiny).problems.warnings)
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    html = read(out / "internal/figures/index.html")
    row = re.search(r'<tr>\s*<td><span id="old_measure"></span>(.*?)</tr>', html, re.S).group(1)
    assert '<a href="../safety/">Safety</a>' in row
    assert "An old measure" not in html[html.index('id="figures-not-cited-on-any-page"') :]


def test_a_docs_folder_named_in_mkdocs_yml_is_checked_built_and_named_in_problems(tiny, capsys):
    """docs_dir in mkdocs.yml moves the chapters: the check reads them there, both versions
    are built from there, and a problem names the file where it is."""
    from selfeval.checks import check_project

    (tiny / "content").rename(tiny / "chapters")
    (tiny / "mkdocs.yml").write_text("docs_dir: chapters\n" + (tiny / "mkdocs.yml").read_text(encoding="utf-8"))
    report = check_project(tiny)
    assert report.ok, [str(p) for p in report.problems]
    assert sorted(p.path for p in report.pages) == ["chapters/improvement.md", "chapters/index.md", "chapters/safety.md"]
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    assert (out / "internal" / "safety" / "index.html").is_file() and (out / "public" / "safety" / "index.html").is_file()
    replace_in(tiny / "chapters/safety.md", "# Safety", '# Safety\n\n{{ figure("reviews_within_12") }}')
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 1
    assert "chapters/safety.md:3: unknown metric 'reviews_within_12'" in capsys.readouterr().err
