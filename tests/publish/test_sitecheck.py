"""The site checks on small hand-written sites: each kind of fault is found, on its line."""

from pathlib import Path

from selfeval.publish.sitecheck import check_site, check_sites, resolve

PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>t</title><link rel="stylesheet" href="{root}assets/site.css"></head>
<body>
<main>
<h1 id="top-heading">Heading</h1>
{body}
</main>
</body></html>
"""


def write_site(site: Path, pages: dict[str, str]) -> Path:
    (site / "assets").mkdir(parents=True, exist_ok=True)
    (site / "assets/site.css").write_text("body{}", encoding="utf-8")
    for rel, body in pages.items():
        root = "../" * rel.count("/")
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(root=root, body=body), encoding="utf-8")
    return site


def lines(problems):
    return [str(p) for p in problems]


def test_sound_site_has_no_problems(tmp_path):
    site = write_site(
        tmp_path / "s",
        {
            "index.html": '<p>See <a href="about/">about</a>, <a href="about/#team">the team</a> and '
            '<a href="#top-heading">the top</a>, or <a href="https://example.org/">elsewhere</a>.</p>',
            "about/index.html": '<h2 id="team">Team</h2><p><a href="..">Home</a> <img src="../assets/site.css" alt=""></p>'
            '<svg viewBox="0 0 1 1"><rect width="1" height="1"/><path d="M0 0"/></svg>',
        },
    )
    assert lines(check_site(site)) == []


def test_broken_page_and_fragment_links_are_reported_on_their_line(tmp_path):
    site = write_site(
        tmp_path / "s",
        {
            "index.html": '<p><a href="missing/">a</a></p>\n<p><a href="about/#nobody">b</a></p>\n<img src="img/x.png" alt="x">',
            "about/index.html": "<p>About</p>",
        },
    )
    found = lines(check_site(site))
    assert any(":6: broken link 'missing/': missing/index.html is not in the site" in p for p in found), found
    assert any(":7: broken link 'about/#nobody': no id 'nobody' on about/" in p for p in found), found
    assert any(":8: broken link 'img/x.png'" in p for p in found), found
    assert all(" — " in p for p in found)


def test_malformed_markup_is_reported(tmp_path):
    site = write_site(
        tmp_path / "s",
        {
            "index.html": "<p>Text <div>block</div> more</p>\n<section><span>open</section>\n"
            '<div/>\n<p id="a">x</p><p id="a" class="b" class="c">y</p>',
        },
    )
    found = "\n".join(lines(check_site(site)))
    assert "<div> inside the paragraph opened on line 6" in found
    assert "</p> with no open paragraph" in found
    assert "<span> opened on line 7 is not closed before </section>" in found
    assert "<div/> is not self-closing in HTML" in found
    assert "id 'a' is used twice" in found
    assert "has the attribute 'class' twice" in found


def test_missing_doctype_and_unclosed_element(tmp_path):
    site = tmp_path / "s"
    site.mkdir()
    (site / "index.html").write_text("<html><body><main><div>\n<p>x</p>\n</body></html>", encoding="utf-8")
    found = "\n".join(lines(check_site(site)))
    assert "does not start with <!DOCTYPE html>" in found
    assert "<div> opened on line 1 is not closed before </body>" in found


def test_public_link_into_a_page_only_the_internal_site_has(tmp_path):
    pages = {"index.html": '<p><a href="secret/">details</a></p>', "secret/index.html": "<p>Restricted</p>"}
    write_site(tmp_path / "internal", pages)
    write_site(tmp_path / "public", {"index.html": pages["index.html"]})
    found = lines(check_sites(tmp_path))
    assert len(found) == 1, found
    assert "public/index.html:6: links to the restricted page 'secret/' (secret/)" in found[0]


def test_resolving_links_like_a_browser():
    assert resolve("index.html", ".") == ("index.html", "")
    assert resolve("a/b/index.html", "../../c/#x") == ("c/index.html", "x")
    assert resolve("a/index.html", "#caf%C3%A9") == ("a/index.html", "café")
    assert resolve("a/index.html", "/assets/x.css") == ("assets/x.css", "")
    assert resolve("index.html", "mailto:someone@example.org") is None
    assert resolve("index.html", "//cdn.example.org/x.js") is None
