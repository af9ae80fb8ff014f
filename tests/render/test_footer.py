"""Every page's footer and the theme's language, as a reader sees them in the built HTML.

The footer says where the accessibility statement is, whom to contact, which edition this
is and when it last changed, all from the project's own data; what a project does not give
is left out. The built pages are read back with the standard library's HTML parser.
"""

import datetime as dt

from conftest import replace_in
from test_datatext import Parsed, yaml_str

from selfeval.publish.build import main as build_main

STATEMENT = "---\ntitle: Accessibility statement\n---\n\n# Accessibility statement\n\nWe test every page.\n"


class Footer(Parsed):
    @property
    def plain(self) -> str:
        # Text nodes are joined with spaces; a comma straight after a link has none before it.
        return super().plain.replace(" ,", ",")


def footer_of(html: str) -> Footer:
    start = html.index('<div class="selfeval-footer">')
    return Footer(html[start : html.index("</div>", start) + 6])


def build(root, *args):
    out = root / "site"
    assert build_main(["--root", str(root), "--out", str(out), *args]) == 0
    return out


def with_statement(root):
    (root / "content/about").mkdir()
    (root / "content/about/accessibility.md").write_text(STATEMENT, encoding="utf-8")
    replace_in(
        root / "mkdocs.yml",
        "  - Figures: figures.md\n",
        "  - Figures: figures.md\n  - Accessibility statement: about/accessibility.md\n",
    )


def test_footer_gives_the_statement_contact_edition_and_date_from_the_data(tiny):
    with_statement(tiny)
    replace_in(
        tiny / "data/project.yaml",
        "reporting_date: 2025-02-28\n",
        "reporting_date: 2025-02-28\ndocument_version: Second edition, March 2025\n"
        "contact:\n  name: Care performance team\n  email: care@tiny.example\n  phone: 020 7946 0000\n",
    )
    out = build(tiny)
    for version in ("internal", "public"):
        for page, to_statement in (("index.html", "about/accessibility/"), ("safety/index.html", "../about/accessibility/")):
            footer = footer_of((out / version / page).read_text(encoding="utf-8"))
            links = {attrs["href"]: None for tag, attrs in footer.elements if tag == "a"}
            assert to_statement in links, (version, page, links)
            assert (out / version / "about/accessibility/index.html").is_file()
            assert "mailto:care@tiny.example" in links and "tel:02079460000" in links
            assert "Contact: Care performance team, care@tiny.example, 020 7946 0000" in footer.plain
            assert "Edition: Second edition, March 2025" in footer.plain
            assert "Published by Tiny Borough Council" in footer.plain
            # Not a git checkout, so the build dates itself by the reporting date.
            times = [attrs for tag, attrs in footer.elements if tag == "time"]
            assert times == [{"datetime": "2025-02-28"}]
            day = dt.date(2025, 2, 28)
            assert f"Last updated: {day.day} {day:%B %Y}" in footer.plain


def test_footer_takes_the_contact_from_mkdocs_yml_and_leaves_out_what_is_missing(tiny):
    out = build(tiny, "--version", "public")
    footer = footer_of((out / "public/index.html").read_text(encoding="utf-8"))
    assert "Contact" not in footer.plain and "Accessibility statement" not in footer.plain
    assert "Edition" not in footer.plain and "Last updated:" in footer.plain
    replace_in(tiny / "mkdocs.yml", "theme:\n", "extra:\n  contact: help@tiny.example\ntheme:\n")
    out = build(tiny, "--version", "public")
    footer = footer_of((out / "public/index.html").read_text(encoding="utf-8"))
    assert "Contact: help@tiny.example" in footer.plain
    assert any(attrs.get("href") == "mailto:help@tiny.example" for _, attrs in footer.elements)


def test_footer_data_is_text(tiny):
    hostile = '<script>alert(1)</script> "><b>x</b> & {{ 6007*7 }}'
    replace_in(
        tiny / "data/project.yaml",
        "reporting_date: 2025-02-28\n",
        f"reporting_date: 2025-02-28\ndocument_version: {yaml_str(hostile)}\n"
        f"contact:\n  name: {yaml_str(hostile)}\n  url: 'javascript:alert(1)'\n",
    )
    out = build(tiny, "--version", "public")
    footer = footer_of((out / "public/index.html").read_text(encoding="utf-8"))
    assert f"Edition: {hostile}" in footer.plain and f"Contact: {hostile}" in footer.plain
    assert not any(tag in ("script", "b") for tag, _ in footer.elements)
    assert not any("javascript:" in attrs.get("href", "") for _, attrs in footer.elements)


def test_the_default_content_is_in_british_english(default_sites):
    for version in ("internal", "public"):
        home = (default_sites / version / "index.html").read_text(encoding="utf-8")
        page = Parsed(home)
        assert [attrs.get("lang") for tag, attrs in page.elements if tag == "html"] == ["en-GB"]
        assert "Initialising search" in page.plain and "Initializing" not in home
        footer = footer_of(home)
        assert any(attrs.get("href") == "about/accessibility/" for _, attrs in footer.elements), version
