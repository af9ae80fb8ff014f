"""Reading a PDF's text back, and proving the public PDF carries nothing restricted.

The public PDF is scanned the way a reader would copy its text: words extracted from
every page, normalised (ligatures, quotes, dashes, spacing), then searched for the same
needles the site's leak scan looks for (one set, from the redaction plan: restricted
passages, titles and hidden figures in their contexts). A passage split by a page break is
still found: a long passage counts as found when any run of :data:`WINDOW` of its words is.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import accumulate
from pathlib import Path
from collections.abc import Iterable

from selfeval.disclosure.leakscan import Needle, words
from selfeval.problems import Problem

WINDOW = 8  # words: a run this long from a restricted passage is a leak

_PUNCT = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "‑": "-",
        "−": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u00ad": None,
    }
)


def normalise(text: str) -> str:
    """Text as compared: NFKC (ligatures undone), plain quotes and dashes, one space, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    return " ".join(text.split()).lower()


def extract_text(pdf: Path) -> str:
    """All text of a PDF, page after page.

    Chromium draws each glyph with a text operator of its own, which makes a general
    extractor slow; its pages are read with :func:`glyph_text`, which knows that shape, and
    any page it cannot read (another font kind, text it cannot map) with pypdf's extractor.
    """
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    out, fonts = [], {}
    for page in reader.pages:
        text = glyph_text(page, fonts)
        out.append(text if text is not None else (page.extract_text() or ""))
    return "\n".join(out)


def glyph_text(page, fonts: dict | None = None) -> str | None:
    """A page's text read from its content stream, glyph by glyph: one line per baseline,
    and a space where a run of glyphs starts further along its line than the last one
    ended (another cell of a table row). Within a run Chromium draws spaces as glyphs.
    None when the page uses anything else. ``fonts``: the glyph maps already read from
    this file's fonts, by object number (pages share their fonts)."""
    resources = page.get("/Resources") or {}
    lines: list[str] = []
    if not _read_stream(page.get_contents(), resources, lines, [None, 0.0, 0.0, 0.0, "", 0.0], {} if fonts is None else fonts):
        return None
    return "\n".join(lines)


class _Font:
    def __init__(self, font):
        self.map: dict[int, str] = {}
        self.widths: dict[int, float] = {}
        self.default = 1000.0
        cmap = font.get("/ToUnicode")
        descendants = font.get("/DescendantFonts")
        if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H" or cmap is None or not descendants:
            raise ValueError("not a glyph-indexed font")
        self._read_cmap(cmap.get_object().get_data())
        cid = descendants[0].get_object()
        self.default = float(cid.get("/DW", 1000))
        widths, i = list(cid.get("/W", [])), 0
        while i < len(widths):
            first = int(widths[i])
            if isinstance(widths[i + 1], list):
                for k, w in enumerate(widths[i + 1]):
                    self.widths[first + k] = float(w)
                i += 2
            else:
                for code in range(first, int(widths[i + 1]) + 1):
                    self.widths[code] = float(widths[i + 2])
                i += 3

    def _read_cmap(self, data: bytes) -> None:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
                self.map[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
            for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
                lo, hi = int(lo, 16), int(hi, 16)
                if dst.startswith(b"["):
                    for k, item in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", dst)):
                        self.map[lo + k] = bytes.fromhex(item.decode()).decode("utf-16-be", "replace")
                    continue
                start = bytes.fromhex(dst[1:-1].decode())
                base = int.from_bytes(start, "big")
                for code in range(lo, hi + 1):
                    value = (base + code - lo).to_bytes(len(start), "big")
                    self.map[code] = value.decode("utf-16-be", "replace")


# A number in a content stream (PDF writes no exponents).
NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
# The text operators read here, with their operands, in stream order; and anything that
# means the page is not in Chromium's shape (literal strings, TJ arrays, inline images,
# a Tj whose operand is not a hex string), which sends the page to pypdf's extractor.
# Chromium draws a line's glyphs as a run of "dx 0 Td <glyph> Tj", read as one.
# A page's content: its text objects, the forms it draws (which may hold text), and inline
# images (which are not Chromium's). Paths and the rest are skipped over.
_BLOCK = re.compile(
    rb"(?<![^\s\]>])(?:BT(?P<text>\s.*?)ET(?![^\s\[(<])"
    rb"|/(?P<do>[^\s/\[\]<>()]+)\s+Do(?![^\s\[(<])|(?P<bad>BI|T[Jj*]|'|\")(?![^\s\[(<]))",
    re.S,
)
_OPERATION = re.compile(
    rb"(?<![^\s\]>])(?:"
    rb"(?P<run>(?:" + NUMBER + rb"\s+0(?:\.0*)?\s+Td\s+<[0-9A-Fa-f]*>\s*Tj(?:\s+|$))+)"
    rb"|<(?P<tj>[0-9A-Fa-f]*)>\s*Tj(?![^\s\[(<])"
    rb"|(?P<td>" + NUMBER + rb")\s+(?P<ty>" + NUMBER + rb")\s+Td(?![^\s\[(<])"
    rb"|(?:" + NUMBER + rb"\s+){4}(?P<tmx>" + NUMBER + rb")\s+(?P<tmy>" + NUMBER + rb")\s+Tm(?![^\s\[(<])"
    rb"|/(?P<tf>[^\s/\[\]<>()]+)\s+(?P<size>" + NUMBER + rb")\s+Tf(?![^\s\[(<])"
    rb"|(?P<bad>\(|(?:Tj|TJ|BI|'|\")(?![^\s\[(<])))"
)


# Every operator that shows text, chooses a font or moves to a line, found anywhere in a
# stream (letters around it are another word, and after "/" it is a name, such as the
# structure tag /TD of a table cell). The readers above must account for each
# one they count, or the page goes to pypdf: nothing is skipped unseen.
_TEXT_OPS = re.compile(rb"(?<![A-Za-z*'\"/])(Tj|TJ|Tf|Td|TD|Tm|T\*|Do|BI|'|\")(?![A-Za-z*'\"])")
_REFUSED = {b"TJ", b"TD", b"T*", b"BI", b"'", b'"'}  # not Chromium's: pypdf reads the page


def _read_stream(contents, resources, lines: list[str], state: list, known: dict) -> bool:
    """Append the text of one content stream to ``lines``; False if it cannot be read here.

    The stream is read operator by operator, with a regular expression over the bytes
    (the pages of a 100-page report hold about a million tokens). ``state``: [font, x, y,
    size, current line, where the last glyph ended]; ``known``: fonts read so far."""
    if contents is None:
        return True
    data = contents.get_data() if hasattr(contents, "get_data") else contents
    if b"(" in data:
        return False  # literal strings: not Chromium's; pypdf reads the page
    expected = Counter(_TEXT_OPS.findall(data))
    if any(op in expected for op in _REFUSED):
        return False
    seen: Counter = Counter()
    fonts_dict = resources.get("/Font") or {}
    xobjects = resources.get("/XObject") or {}
    fonts: dict[str, _Font] = {}
    for part in _BLOCK.finditer(data):
        if part.lastgroup == "do":
            seen[b"Do"] += 1
            xobject = xobjects.get("/" + part["do"].decode("latin-1"))
            if xobject is None:
                return False  # a form the page names but does not hold
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                font, size = state[0], state[3]
                if not _read_stream(xobject, xobject.get("/Resources") or resources, lines, state, known):
                    return False
                state[0], state[3] = font, size
        elif part.lastgroup != "text" or not _read_text(part["text"], fonts_dict, fonts, known, lines, state, seen):
            return False
    if seen != expected:
        return False  # an operator the readers did not take in (run together, or outside BT … ET)
    _new_line(lines, state, state[2])
    return True


def _read_text(data: bytes, fonts_dict, fonts: dict, known: dict, lines: list[str], state: list, seen: Counter) -> bool:
    """One text object (between BT and ET), operator by operator; ``seen`` counts them.
    Each text object must choose its font (Chromium's do): none is carried over."""
    state[0] = None
    for match in _OPERATION.finditer(data):
        kind = match.lastgroup
        if kind == "run":
            pairs = match["run"].count(b"Tj")
            seen[b"Tj"] += pairs
            seen[b"Td"] += pairs
            if not _show_run(match["run"], state):
                return False
        elif kind == "tj":
            seen[b"Tj"] += 1
            if not _show(match["tj"], state):
                return False
        elif kind == "ty":
            seen[b"Td"] += 1
            state[1] += float(match["td"])
            if abs(float(match["ty"])) > 1e-6:
                _new_line(lines, state, state[2] + float(match["ty"]))
        elif kind == "tmy":
            seen[b"Tm"] += 1
            _move(lines, state, float(match["tmx"]), float(match["tmy"]))
        elif kind == "size":
            seen[b"Tf"] += 1
            key = "/" + match["tf"].decode("latin-1")
            if key not in fonts:
                if key not in fonts_dict:
                    return False
                try:
                    fonts[key] = _font(fonts_dict.raw_get(key), known)
                except (ValueError, KeyError, TypeError, IndexError):
                    return False
            state[0], state[3] = fonts[key], float(match["size"])
        else:
            return False
    return True


def _font(entry, known: dict) -> _Font:
    """A font's glyph map, read once per font object of the file."""
    if getattr(entry, "idnum", None) is None:  # a font written directly in the page
        return _Font(entry.get_object())
    key = (entry.idnum, entry.generation)
    if key not in known:
        known[key] = _Font(entry.get_object())
    return known[key]


def _glyphs(font, hexa: bytes) -> str | None:
    """The characters of a hex string of two-byte glyph codes; None if any cannot be read."""
    if font is None or len(hexa) % 4:
        return None
    try:
        return "".join([font.map[int(hexa[k : k + 4], 16)] for k in range(0, len(hexa), 4)])
    except KeyError:
        return None


def _show(hexa: bytes, state: list) -> bool:
    font, text = state[0], _glyphs(state[0], hexa)
    if text is None:
        return False
    state[4] += text
    if hexa:
        state[5] = state[1] + font.widths.get(int(hexa[-4:], 16), font.default) * state[3] / 1000
    return True


_RUN_MOVES = re.compile(rb"(\S+)\s+\S+\s+Td")
_RUN_GLYPHS = re.compile(rb"<([0-9A-Fa-f]*)>")


def _show_run(run: bytes, state: list) -> bool:
    """A run of glyphs each moved along the line from the last (``dx 0 Td <glyph> Tj``)."""
    font = state[0]
    glyphs = _RUN_GLYPHS.findall(run)
    text = _glyphs(font, b"".join(glyphs))
    if text is None or any(len(glyph) % 4 for glyph in glyphs):
        return False
    state[4] += text
    # Where each glyph starts, added up in order as the stream moves along the line.
    starts = list(accumulate(map(float, _RUN_MOVES.findall(run)), initial=state[1]))
    state[1] = starts[-1]
    last = next((i for i in range(len(glyphs) - 1, -1, -1) if glyphs[i]), None)
    if last is not None:
        state[5] = starts[last + 1] + font.widths.get(int(glyphs[last][-4:], 16), font.default) * state[3] / 1000
    return True


def _move(lines: list[str], state: list, x: float, y: float) -> None:
    """A new run of glyphs at (x, y): on a new line, or further along this one."""
    size = max(state[3], 1.0)
    if abs(y - state[2]) > 0.4 * size or x < state[5] - 0.5 * size:
        _new_line(lines, state, y)
    elif abs(x - state[5]) > 0.1 * size and state[4] and not state[4].endswith(" "):
        state[4] += " "  # a run that does not start where the last ended: another cell or label
    state[1] = x


def _new_line(lines: list[str], state: list, y: float) -> None:
    if state[4].strip():
        lines.append(state[4].rstrip())
    state[4], state[2], state[5] = "", y, float("-inf")


def find_leaks(text: str, needles: Iterable[Needle | str]) -> list[Needle]:
    """The needles found in ``text``, read as the site's leak scan reads a file.

    ``text`` is reduced to words exactly as :mod:`selfeval.disclosure.leakscan` reduces an output
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
        if needle.key in haystack or (
            len(tokens) > WINDOW
            and any(" " + " ".join(tokens[i : i + WINDOW]) + " " in haystack for i in range(len(tokens) - WINDOW + 1))
        ):
            found.append(needle)
    return found


def leak_problems(pdf_name: str, leaks: Iterable[Needle]) -> list[Problem]:
    """One problem per leak, on the PDF that carries it."""
    problems = []
    for leak in leaks:
        shown = " ".join(leak.words)
        quoted = shown if len(shown) <= 60 else shown[:57].rstrip() + "…"
        origin = f" ({leak.source})" if leak.source else ""
        problems.append(
            Problem(
                pdf_name,
                0,
                f'{leak.what}{origin} found in the PDF\'s text: "{quoted}"',
                "the public PDF was not written; make the public build redact or suppress it, then rebuild",
                code="leak",
            )
        )
    return problems
