"""The committee PDFs as files and as papers: what a screen reader, a PDF checker and a
committee clerk find in them, read back with pypdf (veraPDF cannot be installed here, so
these structural checks stand in for it), and what an unchanged build does not redo."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import FIXTURES, replace_in

from selfeval.publish.build import main as build_main
from selfeval.cli import pdf as pdf_main
from selfeval.publish.pdftext import glyph_text, normalise
from test_pdf import COMMITTEE, contents_entries

CONTACT = """
contact:
  telephone: 020 7946 0001
  email: performance.team@example.gov.uk
exemption:
  paragraphs: [3]
"""

EXTRA = """

The [national survey](https://example.org/survey) asked carers; the
[same survey](https://example.org/survey) asked staff too. See <https://example.org/plain>.

The register counts `reviews_within_12m` for the quarter.
"""


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    root = tmp_path_factory.mktemp("structure") / "tiny"
    shutil.copytree(FIXTURES / "tiny", root)
    (root / "data" / "committee.yaml").write_text(COMMITTEE + CONTACT, encoding="utf-8")
    replace_in(root / "content" / "safety.md", '{{ chart("reviews_target") }}', '{{ chart("reviews_target") }}' + EXTRA)
    out = root / "site"
    assert build_main(["--root", str(root), "--out", str(out)]) == 0
    assert pdf_main(["--root", str(root), "--out", str(out)]) == 0
    from pypdf import PdfReader

    readers = {v: PdfReader(str(out / "pdf" / f"self-evaluation-{v}.pdf")) for v in ("internal", "public")}
    texts = {v: [p.extract_text() for p in r.pages] for v, r in readers.items()}
    return root, out, readers, texts


def struct_elements(reader):
    """Every element of the structure tree, depth first."""
    out, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop().get_object()
        if not isinstance(node, dict):
            continue
        if "/S" in node:
            out.append(node)
        kids = node.get("/K")
        stack += kids if isinstance(kids, list) else ([kids] if kids is not None and not isinstance(kids, int) else [])
    return out


def test_tagged_with_language_title_and_xmp(printed):
    _, _, readers, _ = printed
    for version, reader in readers.items():
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
        assert root["/Lang"] == "en-GB"
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        xmp = reader.xmp_metadata
        assert xmp is not None, f"{version}: no XMP metadata"
        title = xmp.dc_title["x-default"]
        assert title.startswith("Tiny self-evaluation") and ("Public" in title) == (version == "public")
        assert xmp.dc_language == ["en-GB"]
        assert reader.metadata.title == title


def test_bookmarks_follow_the_document(printed):
    _, _, readers, _ = printed
    for reader in readers.values():
        top = [item["/Title"] for item in reader.outline if not isinstance(item, list)]
        assert "Committee cover report" in top and "Contents" in top
        assert top.index("Committee cover report") < top.index("Contents") < top.index("Safety")


def test_table_headers_have_scope_and_charts_have_their_summary_as_alternative_text(printed):
    _, out, readers, _ = printed
    page = (out / "public" / "safety" / "index.html").read_text(encoding="utf-8")
    summary = re.search(r'<p class="chart-summary">(.*?)</p>', page).group(1)
    for version, reader in readers.items():
        elements = struct_elements(reader)
        headers = [e for e in elements if e["/S"] == "/TH"]
        assert headers
        for th in headers:
            attrs = th.get("/A") or []
            attrs = attrs if isinstance(attrs, list) else [attrs]
            assert any(a.get_object().get("/Scope") in ("/Column", "/Row") for a in attrs), th
        figures = [e for e in elements if e["/S"] == "/Figure"]
        assert figures and all(e.get("/Alt") for e in figures), "a figure without alternative text"
        # One picture a chart: the wide one (the narrow picture drawn for phones is not printed).
        charts = sum(p.read_text(encoding="utf-8").count('<figure class="chart"') for p in (out / version).rglob("*.html"))
        assert len(figures) == charts
        alts = [normalise(str(e["/Alt"])) for e in figures]
        assert normalise(f"Reviews against the target. {summary}".replace("&#x27;", "'")) in alts


def test_every_font_is_embedded(printed):
    _, _, readers, _ = printed
    for reader in readers.values():
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                font = font.get_object()
                descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
                assert any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


def test_no_web_controls_each_address_once_and_names_not_ids(printed):
    _, _, _, texts = printed
    for pages in texts.values():
        text = normalise(" ".join(pages))
        assert "show the figures in this chart as a table" not in text
        assert "select a figure" not in text
        assert text.count("(https://example.org/survey)") == 1
        assert "https://example.org/plain (https://example.org/plain)" not in text
        assert "reviews_within_12m" not in text
        assert "the register counts reviews completed within 12 months for the quarter" in text


def test_contents_has_one_entry_per_page(printed):
    _, _, _, texts = printed
    for pages in texts.values():
        entries = contents_entries(pages)
        titles = [normalise(t) for t in re.findall(r"^(.+?)\s*(?:\.\s?){4,}\s*\d+\s*$", "\n".join(pages), re.M)]
        assert len(titles) == len(set(titles)) == len(entries)
        assert {"committee cover report", "summary", "safety", "figures"} <= set(entries)
        assert "cqc coverage" in entries and entries["figures"] >= entries["cqc coverage"]


def test_a_page_reference_is_printed_once_per_table_row(printed):
    _, _, _, texts = printed
    text = "\n".join(texts["internal"])
    coverage = text[text.index("CQC coverage\nHow much") :]
    rows = [line for line in coverage.splitlines()[:40] if "(page" in line]
    assert rows
    for line in rows:
        numbers = re.findall(r"\(page (\d+)\)", line)
        assert len(numbers) == len(set(numbers)), line


def test_cover_report_ends_with_contact_block_and_the_internal_one_states_its_exemption(printed):
    _, _, _, texts = printed
    for version, pages in texts.items():
        report = normalise(" ".join(pages[1:3]))
        contact = "performance lead t: 020 7946 0001 e: performance.team@example.gov.uk"
        assert contact in report
        exempt = (
            "exempt information within paragraph 3 of part i of schedule 12a" in report
            and "section 100a of the local government act 1972" in report
        )
        assert exempt == (version == "internal")


def test_an_unchanged_site_gives_the_same_pdfs_without_printing(printed, monkeypatch, capsys):
    root, out, _, _ = printed
    before = {p.name: p.read_bytes() for p in (out / "pdf").iterdir()}
    import selfeval.publish.pdfprint as pdfprint

    def no_browser(self):
        raise AssertionError("the browser was started for an unchanged site")

    monkeypatch.setattr(pdfprint.Printer, "_start", no_browser)
    assert pdf_main(["--root", str(root), "--out", str(out)]) == 0
    assert {p.name: p.read_bytes() for p in (out / "pdf").iterdir()} == before


def test_without_chromium_the_pdfs_stop_with_one_line(printed, monkeypatch, tmp_path, capsys):
    root, out, _, _ = printed
    import selfeval.publish.pdfprint as pdfprint

    monkeypatch.setenv("SELFEVAL_CACHE", str(tmp_path / "cache"))  # nothing cached: it must print
    monkeypatch.setattr(pdfprint, "chromium_path", lambda: None)
    before = {p.name: p.read_bytes() for p in (out / "pdf").iterdir()}
    capsys.readouterr()
    assert pdf_main(["--root", str(root), "--out", str(out)]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if "Chromium" in line]
    assert err and all("apt-get install chromium" in line for line in err), err
    assert "Traceback" not in "\n".join(err)
    assert {p.name: p.read_bytes() for p in (out / "pdf").iterdir()} == before


def test_the_scans_reader_finds_the_words_pypdf_finds(printed):
    """The leak scan's fast reader, checked against pypdf's general text extraction."""
    _, _, readers, _ = printed

    def words(text):
        return re.findall(r"[a-z0-9]+", normalise(text))

    for reader in readers.values():
        for number, page in enumerate(reader.pages, start=1):
            fast = glyph_text(page)
            assert fast is not None, f"page {number} fell back to pypdf"
            # pypdf runs the page number into the next line's first word; compare the words
            # each reader sees with that junction taken out.
            ours, theirs = words(fast), words(page.extract_text())
            assert " ".join(ours).replace(" ", "") == " ".join(theirs).replace(" ", "")
            assert len(ours) >= len(theirs)


def test_the_printer_refuses_the_network_and_reports_it(tmp_path):
    """Also when called with an asyncio loop running, as under a test runner that keeps one."""
    import asyncio

    from selfeval.publish.pdfbuild import render_pdf

    html = (
        '<html><body><p>Offline</p><img src="https://example.org/logo.png" alt="logo">'
        '<link rel="stylesheet" href="http://example.org/x.css"></body></html>'
    )

    async def inside_a_loop():
        return render_pdf(html, tmp_path / "x.pdf", tmp_path, [tmp_path])

    # In a thread of its own: the browser tests' Playwright session may hold this thread's loop.
    import threading

    found = {}
    worker = threading.Thread(target=lambda: found.update(refused=asyncio.run(inside_a_loop())))
    worker.start()
    worker.join()
    refused = found["refused"]
    assert sorted(refused) == ["http://example.org/x.css", "https://example.org/logo.png"]
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")
