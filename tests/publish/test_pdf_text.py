"""The PDF text scan: it looks for the site's own needles, read the way the site scan reads a file."""

import pytest
from conftest import replace_in

from selfeval.checks import check_project
from selfeval.disclosure.leakscan import Needle, words
from selfeval.publish.pdftext import find_leaks

PAGE = """\
# Safety

Open text that anyone may read.

::: restricted reason="draft"
Two providers were placed under **enhanced monitoring** after the autumn audit.
:::

Here is how a restricted block is written, shown as an example and not restricted itself:

```markdown
::: restricted
Example wording that is shown as code, not hidden.
:::
```

The officer on call was [Sam Example]{.restricted reason="personal-data"} that night.
"""


def needle(text: str) -> Needle:
    return Needle(tuple(words(text)), "x.md:1")


def test_the_pdf_is_scanned_for_the_sites_needles_and_not_for_code_examples(tiny):
    (tiny / "content" / "safety.md").write_text(PAGE, encoding="utf-8")
    report = check_project(tiny, lint=False)
    assert report.ok, [str(p) for p in report.problems]
    pdf_text = (
        "Safety\nOpen text that anyone may read.\nExample wording that is shown as code, not hidden.\n"
        "Tiny self-evaluation Public\n"
    )
    assert find_leaks(pdf_text, report.plan.needles) == []
    leaked = find_leaks(
        pdf_text + "Two providers were placed under enhanced\nmonitoring after the autumn audit.", report.plan.needles
    )
    assert [n.source for n in leaked] == ["content/safety.md:6"]


def test_a_passage_counts_as_found_across_line_breaks_page_furniture_and_typography():
    passage = needle("Two providers were placed under enhanced monitoring after the autumn audit of home care.")
    split = (
        "Two providers were placed under enhanced monitoring after the\n"
        "Tiny self-evaluation Public\nSafety Page 4 of 9\nautumn audit of home care."
    )
    assert find_leaks(split, [passage]) == [passage]
    assert find_leaks("The officer\u2019s re\ufb01ned note – Sam   Example", ["officer's refined note - sam example"])
    assert find_leaks("Sam Examples", [needle("Sam Example")]) == []  # whole words only
    assert find_leaks("Nothing to see here.", [passage]) == []


def test_a_suppressed_value_leaks_only_with_its_value_not_by_its_label_alone(tiny):
    replace_in(tiny / "data" / "observations" / "core.csv", "residents,,2021,2021-03-21,8579", "residents,,2021,2021-03-21,3")
    needles = check_project(tiny, lint=False).plan.needles
    # The summary's sentence, "Our 3 residents are served…", as the renderer writes it.
    assert find_leaks("Our\n3 residents are served on a budget", needles)
    assert find_leaks("Our [c] residents are served on a budget", needles) == []
    assert (
        find_leaks("Our 35 residents are served", needles) == [] and find_leaks("Our 3,412 residents are served", needles) == []
    )


def test_the_pdf_scan_reads_markers_with_the_site_parser(tiny):
    # A documented example in fenced code is public; a block in a blockquote and a page saved
    # with a byte-order mark are read as the site build reads them.
    page = (
        "# Safety\n\n````markdown\n::: restricted\nAn example of the syntax in code.\n:::\n```\n````\n\n"
        "> Quoted words.\n>\n> ::: restricted\n> The quoted secret about the copper kettle.\n> :::\n\n"
        "```x``` is inline code and [the pewter spoon]{.restricted} follows it.\n"
    )
    (tiny / "content" / "safety.md").write_bytes(("\ufeff" + page).encode("utf-8"))
    report = check_project(tiny, lint=False)
    assert report.ok, [str(p) for p in report.problems]
    text = "An example of the syntax in code. Quoted words."
    assert find_leaks(text, report.plan.needles) == []
    leaked = find_leaks(text + " The quoted secret about the copper kettle. The pewter spoon follows it.", report.plan.needles)
    assert {n.source for n in leaked} == {"content/safety.md:13", "content/safety.md:16"}


def test_a_page_not_drawn_the_way_chromium_draws_is_read_by_pypdf_instead(tmp_path):
    """Literal strings and TJ arrays are not the glyph reader's shape: the page is not
    read as empty, but handed to pypdf's extractor, so its words are still scanned."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    from selfeval.publish.pdftext import extract_text, glyph_text

    writer = PdfWriter()
    for stream in (
        b"BT /F1 12 Tf 72 720 Td (Enhanced monitoring of Provider A) Tj ET",
        b"BT /F1 12 Tf 72 720 Td [(Second) -250 (page)] TJ ET",
    ):
        page = writer.add_blank_page(612, 792)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        content = DecodedStreamObject()
        content.set_data(stream)
        page[NameObject("/Contents")] = writer._add_object(content)
    path = tmp_path / "other.pdf"
    with path.open("wb") as f:
        writer.write(f)
    from pypdf import PdfReader

    assert [glyph_text(p) for p in PdfReader(str(path)).pages] == [None, None]
    text = extract_text(path)
    assert "Enhanced monitoring of Provider A" in text and "Second" in text
    assert find_leaks(text, [needle("enhanced monitoring of provider a")])


@pytest.mark.parametrize(
    "stream",
    [
        b"BT /F1 12 Tf 1 0 0 -1 0 0 Tm <0005> Tj/F1 12 Tf <0006> Tj ET",  # operators run together
        b"BT /F1 12 Tf 1 0 0 -1 0 0 Tm <0005> Tj%note\n ET",  # a comment straight after an operator
        b"/F1 12 Tf BT 1 0 0 -1 0 0 Tm <0005> Tj ET",  # the font chosen outside the text object
        b"BT 1 0 0 -1 0 0 Tm <0005> Tj ET",  # no font chosen in the text object
        b"BT /F1 12 Tf 1 0 0 -1 0 0 Tm <0005> Tj T* <0006> Tj ET",  # next line by T*
        b"BT /F1 12 Tf 1 0 0 -1 0 0 Tm <0005> Tj 0 -14 TD <0006> Tj ET",  # next line by TD
        b"BT /F1 12 Tf 1 0 0 -1 0 0 Tm [<0005> 3 <0006>] TJ ET",  # a TJ array
        b"BT /F1 12 Tf 1 0 0 -1 0 0 Tm <0005> ' ET",  # the ' operator
        b"BT /F1 12 Tf 1 0 0 -1 0 0 Tm <0005> Tj ET /X9 Do",  # a form the page does not hold
        b"BT /F1 12 Tf 1 0 0 -1 0 0 Tm <0005> Tj ET/X9 Do",
    ],
)
def test_a_stream_the_glyph_reader_cannot_account_for_goes_to_pypdf(stream, monkeypatch):
    """Every operator that shows text or chooses a font must be read, or the page is read
    by pypdf instead: a glyph the fast reader skipped would be a word the scan never sees."""
    from selfeval.publish import pdftext as pdf_text

    class Font:
        map, widths, default = {5: "e", 6: "f"}, {}, 500.0

    class Fonts(dict):
        def raw_get(self, key):
            return self[key]

    monkeypatch.setattr(pdf_text, "_font", lambda entry, known: Font())
    plain = b"BT /F1 12 Tf 1 0 0 -1 0 0 Tm <0005> Tj 6 0 Td <0006> Tj ET /TD <</MCID 4 >>BDC EMC"
    lines: list[str] = []
    assert pdf_text._read_stream(plain, {"/Font": Fonts({"/F1": 1})}, lines, [None, 0.0, 0.0, 0.0, "", 0.0], {})
    assert lines == ["ef"]
    assert not pdf_text._read_stream(stream, {"/Font": Fonts({"/F1": 1})}, [], [None, 0.0, 0.0, 0.0, "", 0.0], {})
