"""The committee PDFs: both versions, their cover, contents, headers and the public leak scan."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import FIXTURES, REPO, read_pdf, replace_in

from selfeval.publish.build import main as build_main
from selfeval.cli import check as check_main
from selfeval.cli import pdf as pdf_main
from selfeval.project.model import load_project
from selfeval.publish.pdftext import glyph_text, normalise
from restricted_text import normalise as plain, restricted_passages
from selfeval.publish.printdoc import MARKINGS, Version
from selfeval.content.nav import nav_pages

INTERNAL, PUBLIC = MARKINGS["internal"], MARKINGS["public"]


def contents_entries(pages: list[str]) -> dict[str, int]:
    """'Title ........ 7' lines of the Contents page(s), as {title: page number}."""
    start = next(i for i, text in enumerate(pages) if re.search(r"^(?:Page \d+ of \d+)?Contents$", text, re.M))
    entries = {}
    for text in pages[start:]:
        found = re.findall(r"^(.+?)\s*(?:\.\s?){4,}\s*(\d+)\s*$", text, re.M)
        if not found:  # the contents have ended
            break
        for title, number in found:
            entries.setdefault(normalise(title), int(number))
    return entries


def chapter_titles(site) -> list[str]:
    return [c.title for c in Version(site, nav_pages(REPO / "mkdocs.yml", REPO / "content")).chapters()]


# -- the project's own content, built once (conftest.default_pdfs) ------------------------
@pytest.fixture
def built(default_pdfs):
    return default_pdfs


def test_both_pdfs_exist_with_a_page_count_that_fits_the_content(built):
    out, texts = built
    for version in ("internal", "public"):
        assert (out / "pdf" / f"self-evaluation-{version}.pdf").stat().st_size > 10_000
        chapters = len(chapter_titles(out / version))
        # cover + committee report + contents, then at least a page per chapter; never runaway.
        assert chapters + 4 <= len(texts[version]) <= 20 * chapters + 10


def test_contents_lists_every_chapter_with_the_page_it_starts_on(built):
    out, texts = built
    for version, pages in texts.items():
        entries = contents_entries(pages)
        assert entries.get("committee cover report") == 2
        for title in chapter_titles(out / version):
            number = entries.get(normalise(title))
            assert number, f"{title} missing from the contents of the {version} PDF"
            assert normalise(title) in normalise(pages[number - 1]), f"{title} is not on page {number}"


def test_every_page_carries_its_classification_and_page_number(built):
    _, texts = built
    title = load_project(REPO).config.title
    for version, pages in texts.items():
        for number, text in enumerate(pages, start=1):
            # The running header: the document's title on the left, the classification on the right.
            assert re.search(rf"^{re.escape(title)}\s+{re.escape(MARKINGS[version])}$", text, re.M), (
                f"{version} page {number} has no classification in its header"
            )
            assert f"Page {number} of {len(pages)}" in text
    assert not any(INTERNAL in text for text in texts["public"])


def test_public_pdf_holds_no_restricted_passage(built):
    """Read with a parser of the tests' own, not the build's."""
    _, texts = built
    probes = [p for passage in restricted_passages(REPO / "content") for p in passage.probes()]
    public, internal = plain(" ".join(texts["public"])), plain(" ".join(texts["internal"]))
    assert [p for p in probes if p in public] == []
    if probes:  # the probes find what the internal version prints
        assert any(p in internal for p in probes)


def test_public_pdf_holds_no_suppressed_value(built):
    """Each count of 1 to 4 people never printed beside its label (the KPI tiles, the Figures page)."""
    _, texts = built
    project = load_project(REPO)
    public = plain(" ".join(texts["public"]))
    small = [
        (project.metrics[o.metric].label, o.value)
        for o in project.observations
        if not o.area and project.metrics[o.metric].unit == "people" and 0 < o.value < 5
    ]
    assert [s for s in small if f" {plain(s[0])} {s[1]} " in f" {public} "] == []


# -- a tiny project: charts, details, sections, missing pages, the leak scan -------------
COMMITTEE = """\
committee: Tiny Scrutiny Committee
date: 2025-03-12
subject: Tiny self-evaluation
report_of: Director of Adult Services
report_author: Performance Lead
for: decision
summary: The tiny self-evaluation for Members.
recommendations: [Approve the self-evaluation for publication.]
main_report:
  - heading: Background
    points: [The council keeps a self-evaluation., It is updated twice a year.]
implications:
  strategic: Supports the corporate plan.
  financial: None identified.
  resource: None identified.
  legal: None identified.
  risk: None identified.
  equalities: None identified.
  climate: None identified.
  security: None identified.
conclusion: [Members are asked to approve it.]
appendices: [Appendix 1 – the self-evaluation]
"""

CHART = """
<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120" role="img" aria-labelledby="t1"><title id="t1">Reviews chart</title><defs><clipPath id="clip"><rect width="300" height="120"/></clipPath></defs><g clip-path="url(#clip)"><rect x="10" y="20" width="120" height="60" fill="#1d4470"/><text x="10" y="110">Axis label reviews</text></g></svg><figcaption>Reviews over time</figcaption></figure>

<details class="data"><summary>The data behind the chart</summary><p>Hidden table words printed</p></details>

Read the [national survey](https://example.org/survey) and see the [summary](index.md).

<img src="https://example.org/logo.png" alt="Council logo">
"""


@pytest.fixture
def tiny_built(tiny):
    (tiny / "data" / "committee.yaml").write_text(COMMITTEE, encoding="utf-8")
    (tiny / "content" / "safety.md").write_text((tiny / "content" / "safety.md").read_text() + CHART)
    (tiny / "content" / "later.md").write_text("# Later page\n\nOnly in the internal version.\n")
    replace_in(tiny / "mkdocs.yml", "  - Safety: safety.md", "  - Practice:\n      - Safety: safety.md\n      - Later: later.md")
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    shutil.rmtree(out / "public" / "later")  # as a restricted page is absent from the public site
    return tiny, out


def test_tiny_pdfs_draw_charts_as_vectors_and_print_details_open(tiny_built, capsys):
    tiny, out = tiny_built
    assert pdf_main(["--root", str(tiny), "--out", str(out)]) == 0
    assert "not fetched" not in capsys.readouterr().err  # the external image was dropped, not fetched
    from pypdf import PdfReader

    for version in ("internal", "public"):
        reader = PdfReader(str(out / "pdf" / f"self-evaluation-{version}.pdf"))
        text = "\n".join(p.extract_text() for p in reader.pages)
        assert "Axis label reviews" in text and "Reviews over time" in text  # SVG text stays text
        assert "Hidden table words printed" in text
        assert "national survey (https://example.org/survey)" in text
        assert "[Council logo]" in text
        for page in reader.pages:  # no bitmap anywhere: the chart is vector drawing
            xobjects = page.get("/Resources", {}).get("/XObject", {}) or {}
            assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.values())
        entries = contents_entries([p.extract_text() for p in reader.pages])
        assert "practice" in text.lower() and entries["safety"] > entries["summary"]
        assert ("later page" in entries) == (version == "internal")
        assert "For Decision" in text and "Approve the self-evaluation for publication." in text


def test_public_pdf_that_leaks_a_restricted_passage_fails_and_keeps_the_last_good_pdf(tiny_built, capsys):
    tiny, out = tiny_built
    assert pdf_main(["--root", str(tiny), "--out", str(out)]) == 0
    public = out / "pdf" / "self-evaluation-public.pdf"
    before = public.read_bytes()
    passage = "The provider at Example House was placed under a quality improvement plan in December"
    replace_in(
        tiny / "content" / "safety.md",
        "# Safety\n",
        f'# Safety\n\n::: restricted reason="commercially-sensitive"\n{passage}.\n:::\n\n'
        'The named worker is [Alex Example]{.restricted reason="personal-data"}.\n',
    )
    # A public page that carries the passage, as a broken redaction would leave it.
    page = out / "public" / "safety" / "index.html"
    replace_in(page, "<h1", f"<p>{passage[:40]}\n{passage[40:]}.</p><h1")
    capsys.readouterr()
    assert pdf_main(["--root", str(tiny), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(
        r"self-evaluation-public\.pdf: restricted text \(content/safety\.md:4\) found in the "
        r"PDF's text: \"the provider at example house.*\" — the public PDF was not written",
        err,
    )
    assert "Alex Example" not in err and "Traceback" not in err
    assert public.read_bytes() == before
    assert sorted(p.name for p in (out / "pdf").iterdir()) == ["self-evaluation-internal.pdf", "self-evaluation-public.pdf"]


def test_committee_config_problems_are_one_line_each(tiny_built, capsys):
    tiny, out = tiny_built
    text = COMMITTEE.replace("  climate: None identified.\n", "  climat: None identified.\n").replace(
        "for: decision", "for: noting"
    )
    (tiny / "data" / "committee.yaml").write_text(text, encoding="utf-8")
    assert pdf_main(["--root", str(tiny), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert (
        "data/committee.yaml:6: 'for' must be information or decision, not 'noting' — write 'for: information' or 'for: decision' [field-value]"
        in err
    )
    assert "data/committee.yaml:19: unknown implication 'climat' — did you mean climate?" in err
    assert "data/committee.yaml:13: the climate implications are not stated" in err
    assert "Traceback" not in err and not (out / "pdf").exists()
    assert check_main(["--root", str(tiny)]) == 1  # make check (and so make site) reports them too
    assert "data/committee.yaml:19: unknown implication 'climat'" in capsys.readouterr().err


def test_page_references_are_written_in_from_the_finished_layout(tmp_path):
    """The contents shows the page each target is finally on, even over a stale number."""
    from selfeval.publish.pdfbuild import render_pdf

    rows = "".join(f'<tr><td><a href="#end">to the end</a> row {i}</td></tr>' for i in range(120))
    html = (
        '<html><head><style>.contents a[data-page]::after { content: " " attr(data-page); }'
        "section { break-before: page; }</style></head><body>"
        '<nav class="contents"><a href="#table">Table</a> <a href="#end" data-page="1">End</a></nav>'
        f'<section id="table"><table>{rows}</table></section><section id="end"><h1>End</h1></section>'
        "</body></html>"
    )
    pdf = tmp_path / "refs.pdf"
    render_pdf(html, pdf, tmp_path, [tmp_path])
    pages = [page.text for page in read_pdf(pdf)]
    end = next(number for number, text in enumerate(pages, start=1) if re.search(r"^End$", text, re.M))
    assert re.search(rf"End {end}\b", pages[0]), (pages[0], end)


def test_a_public_pdf_that_fails_its_scan_leaves_sites_and_pdfs_as_they_were(tiny, capsys):
    """build.py --pdf (make site): a failure at the last step replaces nothing at all."""
    from test_publication import all_text

    passage = "The provider at Example House was placed under a quality improvement plan in December"
    replace_in(
        tiny / "content" / "safety.md",
        "# Safety\n",
        f'# Safety\n\n::: restricted reason="commercially-sensitive"\n{passage}.\n:::\n',
    )
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out), "--pdf"]) == 0
    before = {name: all_text(out / name) for name in ("internal", "public")}
    pdfs = {p.name: p.read_bytes() for p in (out / "pdf").iterdir()}
    assert sorted(pdfs) == ["self-evaluation-internal.pdf", "self-evaluation-public.pdf"]
    # The cover report is only in the PDFs: the site's scan and its rebuild cannot see it.
    (tiny / "data" / "committee.yaml").write_text(
        (FIXTURES / "committee.yaml").read_text(encoding="utf-8").replace("summary: >\n", f"summary: >\n  {passage}.\n", 1),
        encoding="utf-8",
    )
    replace_in(tiny / "content" / "index.md", "# ", "# Our ")
    capsys.readouterr()
    assert build_main(["--root", str(tiny), "--out", str(out), "--pdf"]) == 1
    err = capsys.readouterr().err
    assert "site/pdf/self-evaluation-public.pdf: restricted text (content/safety.md:4) found in the PDF's text" in err
    assert "build: nothing replaced" in err and "Traceback" not in err
    assert {name: all_text(out / name) for name in ("internal", "public")} == before
    assert {p.name: p.read_bytes() for p in (out / "pdf").iterdir()} == pdfs
    assert sorted(p.name for p in out.iterdir()) == ["internal", "pdf", "public"]


def test_a_council_sets_its_own_committee_headings_and_the_rest_stay_as_usual(tiny):
    from selfeval.publish.committee import committee_html, load_committee
    from selfeval.problems import Problems

    text = COMMITTEE + "headings:\n  main_report: Background and context\n  implications: Implications\n"
    (tiny / "data" / "committee.yaml").write_text(text, encoding="utf-8")
    problems = Problems()
    html = committee_html(load_committee(tiny, problems), "public")
    assert not problems.errors, [str(p) for p in problems]
    assert "<h2>Background and context</h2>" in html and "<h2>Implications</h2>" in html
    assert "Main Report" not in html and "Corporate" not in html
    # One recommendation: the usual heading is singular; the others are as the committee's papers set them.
    assert "<h2>Recommendation</h2>" in html and "<h2>Summary</h2>" in html and "<h2>Conclusion</h2>" in html
    (tiny / "data" / "committee.yaml").write_text(
        COMMITTEE + "headings:\n  main_reprt: Background\n  summary: ''\n", encoding="utf-8"
    )
    problems = Problems()
    assert load_committee(tiny, problems) is None
    lines = [str(p) for p in problems.errors]
    assert any(
        line.startswith("data/committee.yaml:24: unknown heading 'main_reprt' — did you mean main_report? [field-unknown]")
        for line in lines
    ), lines
    assert any(line.startswith("data/committee.yaml:25: heading 'summary' must be text") for line in lines), lines


def test_committee_mistakes_are_one_line_each_at_the_key_that_is_wrong(tiny):
    from selfeval.publish.committee import load_committee
    from selfeval.problems import Problems

    text = COMMITTEE.replace("main_report:", "main_reprt:").replace("for: decision\n", "")
    text += "classification:\n  internal: Non-public\n  draft: Draft\n"
    (tiny / "data" / "committee.yaml").write_text(text, encoding="utf-8")
    lines = text.split("\n")
    problems = Problems()
    assert load_committee(tiny, problems) is None
    assert sorted(map(str, problems), key=lambda line: int(line.split(":")[1])) == [
        # Missing, said as missing (it was "'for' must be information or decision, not ''").
        "data/committee.yaml:1: 'for' is missing — write 'for: information' or 'for: decision' [field-missing]",
        # A misspelt setting is the one line (it was also "'main_report' is missing or not a list of sections").
        f"data/committee.yaml:{lines.index('main_reprt:') + 1}: unknown setting 'main_reprt' — did you mean main_report? [field-unknown]",
        # At the key that is not a version (it was the line of 'classification:').
        f"data/committee.yaml:{lines.index('  draft: Draft') + 1}: 'classification' must give the marking of each "
        "version — write e.g. classification: {internal: Non-public, public: Public} [field-unknown]",
    ]


def test_words_in_table_cells_stay_whole_and_pages_keep_their_size(built):
    """The evidence register's dates print as '31 March 2024', not 'Marc' and 'h' on two
    lines, and no page is shrunk to fit a table (every page's running header keeps its size)."""
    out, texts = built
    months = ("January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December")
    for version, pages in texts.items():
        text = "\n".join(pages)
        named = "|".join(months)
        assert re.search(rf"\b\d{{1,2}} (?:{named}) \d{{4}}\b", text), version
        split = [m for m in months for k in range(1, len(m)) if re.search(rf"\b{m[:k]}\n{m[k:]}\b", text)]
        assert not split, f"{version}: month names broken across lines in a cell: {split}"
        # The body text's size (the size most characters are printed at) is about 10 pt,
        # and no page's is under 8 pt: Chromium shrinks every page's content to fit a table
        # wider than the page (to about 8 pt here when the register's words were kept whole).
        overall: dict[float, int] = {}
        for number, page in enumerate(read_pdf(out / "pdf" / f"self-evaluation-{version}.pdf"), 1):
            sizes: dict[float, int] = {}
            for text, cm, tm, size in page.pieces:
                key = round(abs(size * tm[0] * cm[0]), 1)
                sizes[key] = sizes.get(key, 0) + len(text.strip())
            body = max(sizes, key=sizes.get)
            assert body >= 8.0, f"{version} page {number}: most text is {body} pt: the page was shrunk to fit"
            for key, count in sizes.items():
                overall[key] = overall.get(key, 0) + count
        body = max(overall, key=overall.get)
        assert body >= 9.5, f"{version}: body text is {body} pt, not about 10: the pages were shrunk to fit"


def test_no_part_ends_on_a_nearly_empty_page(built):
    """Each part starts on a new page; the page before one never holds just a few lines
    (a part, or the contents, set a little tighter instead). Read with pypdf's text positions: a page's fill
    is how far down its text area (A4 less 22 mm at the top, 20 mm at the foot) its lowest
    line is; a part ends where the footer's part name changes."""
    out, _ = built
    mm = 72 / 25.4
    top, foot = 297 * mm - 22 * mm, 20 * mm
    for version in ("internal", "public"):
        fills, footers = [], []
        for page in read_pdf(out / "pdf" / f"self-evaluation-{version}.pdf"):
            ys, low = [], []
            for text, cm, tm, _ in page.pieces:
                if text.strip():
                    x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    if foot < y < top:
                        ys.append((y, text.strip()))
                    elif y <= foot:
                        low.append((x, text.strip()))  # the footer, read left to right
            fills.append((top - min(y for y, _ in ys)) / (top - foot) if ys else 0.0)
            footers.append(" ".join(t for _, t in sorted(low)).split("Page")[0].strip())
        checked = 0
        for number in range(1, len(fills)):
            ends_part = footers[number - 1] != footers[number]
            body = footers[number - 1] not in ("", "Committee cover report")
            if ends_part and body:
                checked += 1
                assert fills[number - 1] >= 0.2, (
                    f"{version} page {number} ({footers[number - 1]}) is {fills[number - 1]:.0%} full before the next part"
                )
        # The default content has a part per theme and more: the footers were read.
        assert checked >= 6, f"{version}: only {checked} part ends found from the footers {sorted(set(footers))}"


def test_every_figure_in_the_text_prints_its_value(built):
    """A figure in a sentence is a button on the site (it opens what the figure is); on
    paper its value must still be there, in its sentence. Each value the site's pages show
    is looked for in the PDF's text (pypdf's extraction) with the word before it."""
    from html.parser import HTMLParser

    class Values(HTMLParser):
        def __init__(self):
            super().__init__()
            self.pairs, self.inside, self.before = [], False, ""

        def handle_starttag(self, tag, attrs):
            if tag == "button" and "figure-value" in (dict(attrs).get("class") or "").split():
                words = self.before.split()
                self.inside, self.pairs = True, [*self.pairs, [words[-1] if words else "", ""]]
            elif tag in ("p", "li", "td", "th", "div", "h1", "h2", "h3"):
                self.before = ""

        def handle_endtag(self, tag):
            if tag == "button":
                self.inside = False

        def handle_data(self, data):
            if self.inside:
                self.pairs[-1][1] += data
            else:
                self.before = (self.before + data)[-80:]

    out, texts = built
    for version, pages in texts.items():
        reader = Values()
        for page in nav_pages(REPO / "mkdocs.yml", REPO / "content"):
            if (out / version / page.html).is_file():
                reader.feed((out / version / page.html).read_text(encoding="utf-8"))
        pairs = [(before, " ".join(value.split())) for before, value in reader.pairs if value.strip() and before]
        assert len(pairs) > 50, f"{version}: the site shows too few figures in sentences to test ({len(pairs)})"
        text = " ".join(" ".join(pages).split())
        missing = [f"{before} {value}" for before, value in pairs if f"{before} {value}" not in text]
        # A page break can fall between a word and its figure (the running header between).
        assert len(missing) <= len(pairs) // 50, f"{version}: figures not printed in their sentences: {missing[:10]}"


def lines_of(pdf) -> list[str]:
    """Each page's lines of text, as the build's own reader of Chromium's PDFs reads them
    (pypdf's extractor, ten times slower, for a page it cannot read). Only for comparing two
    PDFs with each other: the same reader on both sides."""
    from pypdf import PdfReader

    fonts: dict = {}
    return [glyph_text(page, fonts) or page.extract_text() for page in PdfReader(str(pdf)).pages]


def test_an_edited_part_is_set_as_a_first_build_would_set_it(default_pdfs, tmp_path, monkeypatch):
    """make site after an edit starts from where the last build left each part's setting
    and each page number, so that it usually prints once; what it prints must still be what
    a first build of the edited sources prints. The edit goes into a part the last build set
    tighter (so that its last page was not nearly empty), where it counts most: that part
    is decided again, as a first build would decide it."""
    import json

    from selfeval.publish.caches import cache_dir
    from selfeval.disclosure.noninterference import copy_project
    from selfeval.publish.printdoc import anchor_for

    project = copy_project(REPO, tmp_path / "project")
    cache = tmp_path / "cache"
    # The caches the repository's own build (default_pdfs) left: drawn charts, files found
    # clean, and where each part and page landed in its PDFs.
    shutil.copytree(cache_dir(REPO, ""), cache, ignore=shutil.ignore_patterns("pycache"))
    memory = json.loads((cache / "pdf" / "pages-public.json").read_text(encoding="utf-8"))
    tight = [key.split(":")[1] for key, value in memory.items() if key.startswith("part:") and value]
    pages = {anchor_for(page.url): page.src for page in nav_pages(project / "mkdocs.yml", project / "content")}
    edited = project / "content" / pages[tight[-1]] if tight else next(iter(sorted((project / "content").rglob("*.md"))))
    text = edited.read_text(encoding="utf-8")
    sentence = re.search(r"^[A-Z][^<>|#{}\n]*\.$", text, re.M)
    assert sentence, f"no plain sentence to edit in {edited}"
    edited.write_text(text[: sentence.end()] + " This sentence was added after the last build." + text[sentence.end() :])

    out = tmp_path / "site"
    monkeypatch.setenv("SELFEVAL_CACHE", str(cache))
    assert build_main(["--root", str(project), "--out", str(out), "--pdf"]) == 0
    after_edit = {v: lines_of(out / "pdf" / f"self-evaluation-{v}.pdf") for v in ("internal", "public")}
    assert "this sentence was added after the last build." in normalise(" ".join(after_edit["internal"]))

    # The same sites printed as a first build prints them: nothing remembered.
    monkeypatch.setenv("SELFEVAL_CACHE", "")
    assert pdf_main(["--root", str(project), "--out", str(out)]) == 0
    first = {v: lines_of(out / "pdf" / f"self-evaluation-{v}.pdf") for v in ("internal", "public")}
    for version in ("internal", "public"):
        assert len(after_edit[version]) == len(first[version]), version
        for number, (a, b) in enumerate(zip(after_edit[version], first[version]), start=1):
            assert a == b, f"{version} page {number} differs from a first build's"


def test_an_edit_that_moves_pages_prints_each_pdf_once_with_a_first_builds_numbers(tiny, tmp_path, monkeypatch):
    """A chapter that grows by pages moves every page after it, and the page numbers in the
    contents and the links with them. The build works that out from a draft of the edited
    part alone, so each PDF is printed once (quick drafts aside), not printed, read back and
    printed again; and its numbers are the ones a first build finds."""
    import selfeval.publish.pdfprint as pdfprint

    out = tmp_path / "site"
    monkeypatch.setenv("SELFEVAL_CACHE", str(tmp_path / "cache"))
    assert build_main(["--root", str(tiny), "--out", str(out), "--pdf"]) == 0
    before = {v: lines_of(out / "pdf" / f"self-evaluation-{v}.pdf") for v in ("internal", "public")}
    grown = "\n\n".join(
        f"Paragraph {n} was added to this chapter after the last build, to move every page after it." for n in range(60)
    )
    (tiny / "content" / "index.md").write_text(
        (tiny / "content" / "index.md").read_text(encoding="utf-8") + "\n\n" + grown + "\n"
    )

    prints = []
    draft_or_print = pdfprint._pdf

    async def counted(page, final=True):
        prints.append(final)
        return await draft_or_print(page, final)

    monkeypatch.setattr(pdfprint, "_pdf", counted)
    assert build_main(["--root", str(tiny), "--out", str(out), "--pdf"]) == 0
    after_edit = {v: lines_of(out / "pdf" / f"self-evaluation-{v}.pdf") for v in ("internal", "public")}
    assert prints.count(True) == 2, f"{prints.count(True)} full prints for the two PDFs"
    for version in ("internal", "public"):
        assert len(after_edit[version]) > len(before[version]), f"{version}: the edit did not add a page"

    monkeypatch.setenv("SELFEVAL_CACHE", "")
    assert pdf_main(["--root", str(tiny), "--out", str(out)]) == 0
    for version in ("internal", "public"):
        first = lines_of(out / "pdf" / f"self-evaluation-{version}.pdf")
        assert after_edit[version] == first, f"{version}: the edited build's pages differ from a first build's"


def test_where_links_will_land_follows_from_the_parts_that_changed():
    from selfeval.publish.pdfprint import Alone, predicted_pages

    pages = {"a": 1, "a-2": 2, "b": 4, "b-2": 5, "c": 6, "part:a:1": 0}
    parts = [("a:2", False), ("b:1", False), ("c:1", True)]
    # Part a grows from 3 pages to 5: b and c move on by 2; a's section lands where a's draft puts it.
    grown = {"a:2": Alone(5, {"a": 1, "a-2": 4}, False)}
    assert predicted_pages(pages, parts, grown) == {"a": 1, "a-2": 4, "b": 6, "b-2": 7, "c": 8, "part:a:1": 0}
    # Part b shrinks from 2 pages to 1, and a grows by 1: c moves by 0, b by 1.
    both = {**{"a:2": Alone(4, {"a": 1, "a-2": 2}, False)}, "b:1": Alone(1, {"b": 1, "b-2": 1}, False)}
    assert predicted_pages(pages, parts, both) == {"a": 1, "a-2": 2, "b": 5, "b-2": 5, "c": 6, "part:a:1": 0}
    # The last part: nothing after it moves; its own ids land where its draft puts them.
    assert predicted_pages(pages, parts, {"c:1": Alone(3, {"c": 1}, False)}) == pages
    # A part never printed before (its first id has no page): no guess; the print after the first puts them right.
    assert predicted_pages(pages, [("new:1", False), *parts], {"new:1": Alone(2, {"new": 1}, False)}) == pages


def test_the_contents_is_set_tight_where_its_print_shows_that_spares_a_nearly_empty_page(browser, tmp_path):
    """Contents of many lengths, decided before printing; each is then printed both ways by
    Chromium and the prints read back: tight is chosen exactly when the loose contents ends
    on a nearly empty page and tight takes fewer pages or fills its last page enough.
    Lengths include those just under a whole number of pages, where the entries' page
    breaks (each entry kept whole) push the last lines onto a page of their own."""
    import io

    from pypdf import PdfReader

    from selfeval.publish.pdfprint import (
        _CONTENTS_FIT,
        _PLACEHOLDERS,
        SPARSE,
        TEXT_HEIGHT_PX,
        TEXT_WIDTH_PX,
        anchor_pages,
        page_fill,
    )
    from selfeval.publish.printdoc import PRINT_CSS, _toc_item

    page = browser.new_page(viewport={"width": TEXT_WIDTH_PX, "height": 1000})
    page.emulate_media(media="print")
    chosen, best = {}, {}
    try:
        for entries in (40, 60, 103, 150, 156, 264, 314, 324):
            items = "".join(_toc_item(1 if i % 8 == 0 else 2, f"c{i}", f"Entry {i} of the contents") for i in range(entries))
            html = tmp_path / f"contents-{entries}.html"
            html.write_text(
                f'<!DOCTYPE html><html><head><link rel="stylesheet" href="{PRINT_CSS.as_uri()}"></head><body>'
                f'<nav class="contents" id="contents"><h1>Contents</h1><ol>{items}</ol></nav>'
                '<div class="part"><section class="chapter" id="c0"><p>The first part.</p></section></div></body></html>',
                encoding="utf-8",
            )
            page.goto(html.as_uri())
            page.evaluate("document.fonts.ready.then(() => true)")
            page.evaluate(_PLACEHOLDERS)
            chosen[entries] = page.evaluate(_CONTENTS_FIT, [TEXT_HEIGHT_PX, SPARSE])
            printed = {}
            for tight in (False, True):
                page.evaluate("t => document.querySelector('nav.contents').classList.toggle('tight', t)", tight)
                reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
                pages = anchor_pages(reader)["c0"] - 1  # the part starts on the page after the contents
                printed[tight] = (pages, page_fill(reader.pages[pages - 1]))
            (loose, loose_fill), (tight, tight_fill) = printed[False], printed[True]
            best[entries] = loose > 1 and loose_fill < SPARSE and (tight < loose or tight_fill >= SPARSE)
    finally:
        page.close()
    assert chosen == best
    assert any(best.values()) and not all(best.values())


def test_parts_laid_out_alone_one_after_another_give_back_every_page_number(browser):
    """Deciding two edited parts one after the other lays each out alone with placeholder
    page numbers; afterwards every link has its own number (and repeat mark) back, so the
    first full print carries the numbers the last build found, not placeholders."""
    from selfeval.publish.pdfprint import _ISOLATE, _PARTS

    html = (
        '<div class="part"><section class="chapter" id="a"><a href="#b" data-page="7" class="page-repeat">b</a></section></div>'
        '<div class="part"><section class="chapter" id="b"><a href="#a" data-page="12">a</a></section></div>'
    )
    page = browser.new_page()
    try:
        page.set_content(html)
        parts = [name for name, _ in page.evaluate(_PARTS, None)]
        assert len(parts) == 2
        state = "() => [...document.querySelectorAll('div.part a')].map(a => [a.getAttribute('data-page'), a.classList.contains('page-repeat')])"
        page.evaluate(_ISOLATE, [parts[0]])
        assert page.evaluate(state) == [["00", False], ["00", False]]
        page.evaluate(_ISOLATE, [parts[1]])
        page.evaluate(_ISOLATE, None)
        assert page.evaluate(state) == [["7", True], ["12", False]]
        assert page.evaluate("() => document.querySelectorAll('.left-out').length") == 0
        assert page.evaluate("() => document.querySelectorAll('a').length") == 2  # the links laid out for the drafts are gone
    finally:
        page.close()
