"""Assembling the print document from a built site: order, links, ids and what paper leaves out."""

import re

from selfeval.content.nav import nav_pages
from selfeval.publish.printdoc import Version

MKDOCS = """\
site_name: x
nav:
  - Home: index.md
  - Part one:
      - Page A: one/a.md
      - External: https://example.org/
  - Gone: gone.md
"""


def page(body: str) -> str:
    return (
        f'<html><head><script src="x.js"></script></head><body><nav>menu</nav>'
        f'<article class="md-content__inner md-typeset">{body}</article><footer>foot</footer></body></html>'
    )


def make_site(tmp_path):
    root, site = tmp_path / "project", tmp_path / "site"
    root.mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (site / "one" / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        page(
            '<h1 id="home">Home<a class="headerlink" href="#home">¶</a></h1>'
            '<p>See <a href="one/a/#detail">the detail</a>, <a href="gone/">a gone page</a> and '
            '<a href="assets/data.csv">the data</a>.</p>'
        ),
        encoding="utf-8",
    )
    (site / "one" / "a" / "index.html").write_text(
        page(
            '<h1 id="page-a">Page A</h1><h2 id="detail">Detail &amp; more</h2>'
            '<details class="data"><summary>Data</summary><p>1 &lt; 2</p></details>'
            '<svg viewBox="0 0 10 10"><defs><clipPath id="c"><rect width="5" height="5"/></clipPath></defs>'
            '<g clip-path="url(#c)"><text>Label</text></g></svg>'
            '<p><a href="../../">Home</a> <img src="https://example.org/x.png" alt="A logo"></p>'
            "<script>alert(1)</script><style>p > b { color: red }</style>"
        ),
        encoding="utf-8",
    )
    return root, site


def test_pages_come_in_nav_order_and_a_page_not_built_is_left_out(tmp_path):
    root, site = make_site(tmp_path)
    pages = nav_pages(root / "mkdocs.yml")
    assert [(p.src, p.section, p.html) for p in pages] == [
        ("index.md", "", "index.html"),
        ("one/a.md", "Part one", "one/a/index.html"),
        ("gone.md", "", "gone/index.html"),
    ]
    chapters = Version(site, pages).chapters()
    assert [c.title for c in chapters] == ["Home", "Page A"]
    assert [(h.level, h.id, h.text) for h in chapters[1].headings] == [
        (1, "page-one-a--page-a", "Page A"),
        (2, "page-one-a--detail", "Detail & more"),
    ]


def test_links_point_within_the_document_and_nothing_needs_the_network(tmp_path):
    root, site = make_site(tmp_path)
    home, a = Version(site, nav_pages(root / "mkdocs.yml")).chapters()
    assert '<a href="#page-one-a--detail">the detail</a>' in home.html
    assert "<a>a gone page</a>" in home.html and "<a>the data</a>" in home.html  # words kept, link dropped
    assert "headerlink" not in home.html and "¶" not in home.html
    assert "menu" not in home.html and "foot" not in home.html and "script" not in a.html and "alert" not in a.html
    assert '<a href="#page-home">Home</a>' in a.html
    assert '<details class="data" open>' in a.html and "1 &lt; 2" in a.html
    assert '<clipPath id="page-one-a--c">' in a.html.replace("clippath", "clipPath")
    assert 'clip-path="url(#page-one-a--c)"' in a.html
    assert "example.org" not in a.html and "[A logo]" in a.html
    assert "p > b { color: red }" in a.html


def test_a_chart_prints_its_wide_picture_only_named_by_its_caption_and_summary(tmp_path):
    from selfeval.render.charts.svg import accessible_svg
    from selfeval.publish.printdoc import _chart_alt_text

    root, site = make_site(tmp_path)
    drawn = '<svg width="{0}" height="10"><defs><clipPath id="clip1"><rect/></clipPath></defs><text>{1}</text></svg>'
    pictures = accessible_svg(drawn.format(600, "wide"), "reviews", "Line chart", "") + accessible_svg(
        drawn.format(320, "narrow"), "reviews", "Line chart", "", narrow=True
    )
    (site / "index.html").write_text(
        page(
            '<h1 id="home">Home</h1><figure class="chart" id="chart-reviews"><figcaption class="chart-title">Reviews'
            '</figcaption><p class="chart-summary">Reviews rose.</p>'
            f'<div class="chart-picture">{pictures}</div></figure><p>After the chart.</p>'
        ),
        encoding="utf-8",
    )
    home = Version(site, nav_pages(root / "mkdocs.yml")).chapters()[0]
    # The narrow picture drawn for phones is left out whole, and nothing after it is lost.
    assert home.html.count("<svg") == 1 and "chart-wide" in home.html and "narrow" not in home.html
    assert "After the chart." in home.html
    named = _chart_alt_text(home.html)
    assert re.findall(r'<svg\b[^>]*aria-label="([^"]*)"', named) == ["Reviews. Reviews rose."]
