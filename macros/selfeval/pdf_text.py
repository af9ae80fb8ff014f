"""Reading a PDF's text back, and proving the public PDF carries nothing restricted.

The public PDF is scanned the way a reader would copy its text: words extracted from
every page, normalised (ligatures, quotes, dashes, spacing), then searched for the same
needles the site's leak scan looks for (one set, from the redaction plan: restricted
passages, titles and hidden figures in their contexts). A passage split by a page break is
still found: a long passage counts as found when any run of :data:`WINDOW` of its words is.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Iterable

from .leakscan import Needle, words

WINDOW = 8          # words: a run this long from a restricted passage is a leak

_PUNCT = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-",
                        "‑": "-", "−": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u00ad": None})


def normalise(text: str) -> str:
    """Text as compared: NFKC (ligatures undone), plain quotes and dashes, one space, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    return " ".join(text.split()).lower()


def extract_text(pdf: Path) -> str:
    """All text of a PDF, page after page."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def page_texts(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]


def find_leaks(text: str, needles: Iterable[Needle | str]) -> list[Needle]:
    """The needles found in ``text``, read as the site's leak scan reads a file.

    ``text`` is reduced to words exactly as :mod:`selfeval.leakscan` reduces an output
    file, so a needle means the same here and there. A needle longer than :data:`WINDOW`
    words also counts as found when any run of that many of its words is, since a page
    break puts the running header and footer inside a sentence. A plain string is a
    needle of its words.
    """
    haystack = " " + " ".join(words(unicodedata.normalize("NFKC", text).translate(_PUNCT))) + " "
    found = []
    for needle in needles:
        if isinstance(needle, str):
            needle = Needle(tuple(words(needle)), "")
        tokens = needle.words
        if not tokens:
            continue
        if needle.key in haystack or (len(tokens) > WINDOW and any(
                " " + " ".join(tokens[i:i + WINDOW]) + " " in haystack for i in range(len(tokens) - WINDOW + 1))):
            found.append(needle)
    return found


def leak_lines(pdf_name: str, leaks: Iterable[Needle]) -> list[str]:
    """One ``file: what — fix`` line per leak."""
    lines = []
    for leak in leaks:
        shown = " ".join(leak.words)
        quoted = shown if len(shown) <= 60 else shown[:57].rstrip() + "…"
        origin = f" ({leak.source})" if leak.source else ""
        lines.append(f"{pdf_name}: {leak.what}{origin} found in the PDF's text: \"{quoted}\" — "
                     "the public PDF was not written; make the public build redact or suppress it, then rebuild")
    return lines
