"""One reader of mkdocs.yml, one walk of its nav and one rule for page URLs, shared by the
checks, the redaction, the non-interference check, the print document and the site checks."""

from conftest import replace_in

from selfeval.checks import check_project
from selfeval.content.mkdocs_yml import nav_sources
from selfeval.content.nav import NavEntry, nav_entries, nav_pages
from selfeval.content.sourcetree import built_path, page_url, read_site_config, served_url, site_config
from selfeval.problems import Problems

MKDOCS = """\
site_name: x
use_directory_urls: true
theme:
  name: material
  custom_dir: !ENV [OVERRIDES, overrides]
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
nav:
  - index.md
  - Part one:
      - Page A: one/a.md
      - Deeper:
          - Page B: one/b.md
  - External: https://example.org/
  - Last: last.md
"""


def test_the_reader_keeps_lines_and_reads_mkdocs_tags_as_nothing(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    config = read_site_config(tmp_path / "mkdocs.yml")
    assert config["site_name"] == "x" and config.key_line("nav") == 9
    assert config["theme"]["custom_dir"] is None
    assert config["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"] is None
    assert site_config(tmp_path) == config


def test_the_checked_reader_reports_what_the_plain_one_passes_over(tmp_path):
    assert site_config(tmp_path) == {} and read_site_config(tmp_path / "mkdocs.yml", Problems()) is None
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nnav:\n\t- index.md\n", encoding="utf-8")
    problems = Problems()
    assert read_site_config(tmp_path / "mkdocs.yml", problems) is None
    assert [(p.path, p.line) for p in problems] == [("mkdocs.yml", 3)] and "tab" in problems.items[0].what
    assert site_config(tmp_path) == {}
    (tmp_path / "mkdocs.yml").write_text("- just a list\n", encoding="utf-8")
    problems = Problems()
    assert read_site_config(tmp_path / "mkdocs.yml", problems) is None
    assert [p.what for p in problems] == ["mkdocs.yml must be 'key: value' settings"]


def test_one_walk_gives_every_page_entry_with_its_title_sections_and_line(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    nav = site_config(tmp_path)["nav"]
    assert list(nav_entries(nav)) == [
        NavEntry("index.md", None, (), 10),
        NavEntry("one/a.md", "Page A", ("Part one",), 12),
        NavEntry("one/b.md", "Page B", ("Part one", "Deeper"), 14),
        NavEntry("https://example.org/", "External", (), 15),
        NavEntry("last.md", "Last", (), 16),
    ]
    assert nav_sources(nav) == [(e.src, e.line) for e in nav_entries(nav)]
    assert list(nav_entries({"not": "a list"})) == [] and list(nav_entries(None)) == []
    # Plain data (no lines) walks the same, at line 0.
    assert [(e.src, e.line) for e in nav_entries([{"A": "a.md"}, "b.md"])] == [("a.md", 0), ("b.md", 0)]


def test_the_reading_order_comes_from_the_same_walk(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    pages = nav_pages(tmp_path / "mkdocs.yml")
    assert [(p.src, p.title, p.section, p.url, p.html) for p in pages] == [
        ("index.md", "", "", "", "index.html"),
        ("one/a.md", "Page A", "Part one", "one/a/", "one/a/index.html"),
        ("one/b.md", "Page B", "Part one", "one/b/", "one/b/index.html"),
        ("last.md", "Last", "", "last/", "last/index.html"),
    ]
    replace_in(tmp_path / "mkdocs.yml", "use_directory_urls: true", "use_directory_urls: false")
    assert [(p.url, p.html) for p in nav_pages(tmp_path / "mkdocs.yml")][:2] == [("", "index.html"), ("one/a.html", "one/a.html")]


def test_a_page_url_is_the_url_its_built_file_is_served_at():
    cases = {
        "index.md": ("index.html", ""),
        "README.md": ("index.html", ""),
        "one/index.md": ("one/index.html", "one/"),
        "one/README.md": ("one/index.html", "one/"),
        "one/a.md": ("one/a/index.html", "one/a/"),
        "evidence.md": ("evidence/index.html", "evidence/"),
        "one/a.markdown": ("one/a/index.html", "one/a/"),
    }
    for src, (built, url) in cases.items():
        assert (built_path(src), page_url(src)) == (built, url), src
        assert served_url(built) == url
    assert (built_path("one/a.md", False), page_url("one/a.md", False)) == ("one/a.html", "one/a.html")
    assert page_url("one/index.md", False) == "one/"
    assert served_url("img/x.png") == "img/x.png"


def test_the_non_interference_copy_replaces_a_restricted_pages_nav_title_in_a_section(tiny, tmp_path):
    from selfeval.disclosure.noninterference import mutate_project
    from selfeval.publish.build import alternatives_for

    replace_in(
        tiny / "mkdocs.yml",
        "  - Safety: safety.md\n",
        "  - Keeping safe:\n      - Safety: safety.md\n      - Quillfeather case notes: secret.md\n",
    )
    (tiny / "content/secret.md").write_text("---\nrestricted: personal-data\n---\n# Case notes\n\nHidden.\n", encoding="utf-8")
    report = check_project(tiny, lint=False)
    assert report.ok, [str(p) for p in report.problems]
    mutations, _ = mutate_project(tiny, report, tmp_path / "copy", alternatives=alternatives_for(report))
    before = (tiny / "mkdocs.yml").read_text().split("\n")
    after = (tmp_path / "copy/mkdocs.yml").read_text().split("\n")
    changed = [n for n, (a, b) in enumerate(zip(before, after), 1) if a != b]
    line = next(n for n, text in enumerate(before, 1) if "secret.md" in text)
    assert changed == [line] and "Quillfeather" not in after[line - 1] and after[line - 1].endswith(": secret.md")
