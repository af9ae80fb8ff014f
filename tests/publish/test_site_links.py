"""Links and markup of both built sites of the repository's content, and the check_site command."""

from selfeval.cli import check_site as check_site_main
from selfeval.publish.sitecheck import check_sites, html_files

from selfeval.publish.build import main as build_main
from conftest import replace_in


def test_repository_sites_have_sound_links_and_markup(default_sites):
    assert html_files(default_sites / "public"), "the public site has no pages"
    problems = [str(p) for p in check_sites(default_sites)]
    assert problems == [], "\n".join(problems)


def test_check_site_command_reports_a_raw_html_link_mkdocs_does_not_validate(tiny, capsys):
    out = tiny / "site"
    replace_in(tiny / "content/safety.md", "# Safety\n", '# Safety\n\nRead the <a href="../policy/">policy</a> first.\n')
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    capsys.readouterr()
    assert check_site_main(["--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "public/safety/index.html:" in err
    assert "broken link '../policy/': policy/index.html is not in the site — point it at a page that exists" in err
    assert "Traceback" not in err


def test_check_site_command_passes_a_sound_build(tiny, capsys):
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    assert check_site_main(["--out", str(out)]) == 0
    assert "links and markup sound" in capsys.readouterr().err
