"""Valid HTML by the Nu Html Checker: both built sites have none of its errors or warnings,
and a fault is reported on the built page's line, traced to the template or chapter that
wrote it.

The checker is the W3C's own validator (an independent oracle: nothing of ours decides what
is valid). It needs Java; without it these tests skip, and with CI=true they fail.
"""

import os

import pytest
from selfeval.cli import check_site as check_site_main
from conftest import replace_in
from selfeval.publish.htmlvalid import check_html, missing_tools
from selfeval.publish.sitecheck import check_sites

from selfeval.publish.build import main as build_main


@pytest.fixture(autouse=True)
def checker():
    why = missing_tools()
    if why:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the HTML validator is required when CI=true, but {why}", pytrace=False)
        pytest.skip(f"HTML validator tests skipped: {why}")


def test_every_page_of_both_repository_sites_is_valid_html(default_sites):
    problems = check_html({v: default_sites / v for v in ("internal", "public")}, str)
    found = [str(p) for p in problems]
    assert found == [], "\n".join(found)


PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>A page</title>
<meta name="description" content="x" autocorrect="off">
</head>
<body>
<header class="md-header">
<input type="checkbox" id="__drawer" autocomplete="off">
</header>
<div class="md-sidebar md-sidebar--primary">
<nav><label class="md-nav__link" for="__drawer" tabindex="">Menu</label></nav>
</div>
<main>
<article class="md-content__inner md-typeset">
<h1 id="a">A page</h1>
<p>Text <span tabindex="">here</span>.</p>
</article>
</main>
</body>
</html>
"""


def test_each_fault_is_reported_on_its_line_with_the_template_or_chapter_that_wrote_it(tmp_path):
    site = tmp_path / "site/public"
    (site / "city/strategy").mkdir(parents=True)
    (site / "city/strategy/index.html").write_text(PAGE, encoding="utf-8")
    docs = tmp_path / "content"
    (docs / "city").mkdir(parents=True)
    (docs / "city/strategy.md").write_text("# A page\n", encoding="utf-8")
    problems = check_html({"public": site}, lambda p: p.relative_to(tmp_path).as_posix(), docs)
    found = {p.line: str(p) for p in problems.errors}
    where = "site/public/city/strategy/index.html"
    assert set(found) == {6, 10, 13, 18}, found
    assert found[6].startswith(f"{where}:6: invalid HTML") and "autocorrect" in found[6]
    assert "[from the theme's base.html]" in found[6]
    assert "autocomplete" in found[10] and "[from the theme's partials/header.html]" in found[10]
    assert "macros/selfeval/adapters/mkdocs/overrides/partials/header.html" in found[10]
    assert "tabindex" in found[13] and "partials/nav-item.html" in found[13]
    assert "[from content/city/strategy.md]" in found[18] and " — correct the raw HTML" in found[18]


def test_check_site_command_reports_invalid_html_in_a_chapter(tiny, capsys):
    out = tiny / "site"
    replace_in(tiny / "content/safety.md", "# Safety\n", '# Safety\n\n<p tabindex="">Read this first.</p>\n')
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    capsys.readouterr()
    assert check_site_main(["--out", str(out), "--root", str(tiny)]) == 1
    err = capsys.readouterr().err.splitlines()
    lines = [e for e in err if "invalid HTML" in e]
    assert {e.split(":")[0].rsplit("site/", 1)[-1] for e in lines} == {
        "internal/safety/index.html",
        "public/safety/index.html",
    }, err
    assert all("tabindex" in e and "[from content/safety.md]" in e for e in lines), lines
    built = (out / "public/safety/index.html").read_text(encoding="utf-8").splitlines()
    line = int(next(e for e in lines if "public/" in e).split(":")[1])
    assert 'tabindex=""' in built[line - 1]
    assert "Traceback" not in "\n".join(err)


def test_the_check_can_be_skipped(tiny, capsys):
    out = tiny / "site"
    replace_in(tiny / "content/safety.md", "# Safety\n", '# Safety\n\n<p tabindex="">Read this first.</p>\n')
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    assert check_site_main(["--out", str(out), "--no-validator"]) == 0
    assert not [p for p in check_sites(out) if "invalid HTML" in p.what]
