"""Reading a PDF's text back, and proving the public PDF carries nothing restricted.

The public PDF is scanned the way a reader would copy its text: words extracted from
every page, normalised (ligatures, quotes, dashes, spacing), then searched for every
restricted passage and every suppressed value. A passage split by a page break is still
found: a long passage counts as found when any run of :data:`WINDOW` of its words is.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import formatting as fmt
from .suppression import is_small

WINDOW = 8          # words: a run this long from a restricted passage is a leak
MIN_CHARS = 4       # shorter needles cannot be told apart from ordinary words

_PUNCT = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-",
                        "‑": "-", "−": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u00ad": None})


@dataclass(frozen=True)
class Needle:
    """A string the public PDF must not contain, and where it comes from."""

    text: str
    source: str = ""   # path:line of the passage or value, for the error line
    kind: str = "restricted passage"


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


def _contains(haystack: str, needle: str) -> bool:
    # Whole words only; a number must not run on into a longer one ("3" is not in "3,412").
    before = r"(?<!\w)" if needle[0].isalnum() else ""
    after = r"(?![\w]|[.,]\d)" if needle[-1].isalnum() else ""
    pattern = before + re.escape(needle) + after
    return re.search(pattern, haystack) is not None


def find_leaks(text: str, needles: Iterable[Needle | str]) -> list[Needle]:
    """The needles found in ``text`` (a needle is a Needle or a plain string)."""
    haystack = normalise(text)
    found = []
    for needle in needles:
        if isinstance(needle, str):
            needle = Needle(needle)
        wanted = normalise(needle.text)
        if len(wanted) < MIN_CHARS:
            continue
        if _contains(haystack, wanted):
            found.append(needle)
            continue
        # A long restricted passage leaks if any run of WINDOW words from it is present. A
        # value in its context ("Label 3") only as a whole: its label alone is public.
        words = wanted.split()
        if needle.kind == "restricted passage" and len(words) > WINDOW and any(_contains(haystack, " ".join(words[i:i + WINDOW]))
                                       for i in range(len(words) - WINDOW + 1)):
            found.append(needle)
    return found


def leak_lines(pdf_name: str, leaks: Iterable[Needle]) -> list[str]:
    """One ``file: what — fix`` line per leak."""
    lines = []
    for leak in leaks:
        quoted = leak.text if len(leak.text) <= 60 else leak.text[:57].rstrip() + "…"
        origin = f" ({leak.source})" if leak.source else ""
        lines.append(f"{pdf_name}: {leak.kind}{origin} found in the PDF's text: \"{quoted}\" — "
                     "the public PDF was not written; make the public build redact or suppress it, then rebuild")
    return lines


# -- where the needles come from ---------------------------------------------------------
_BLOCK_OPEN = re.compile(r"^(\s*):::\s*restricted\b.*$")
_BLOCK_CLOSE = re.compile(r"^(\s*):::\s*$")
_SPAN = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\{[^}]*\.restricted\b[^}]*\}")
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ATTRS = re.compile(r"\{[:.#][^}]*\}")
_ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+[\w-]+)*\s*(?:"([^"]*)")?\s*$')
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _plain_fragments(markdown: str) -> list[str]:
    """The words of a Markdown passage as it would print, cut where a macro or table cell stands."""
    out = []
    for line in markdown.splitlines():
        admonition = _ADMONITION.match(line)
        if admonition:
            line = admonition.group(1) or ""
        line = _LIST_MARK.sub("", line.strip().lstrip(">").strip())
        line = re.sub(r"^#{1,6}\s+", "", line)
        line = _LINK.sub(r"\1", line)
        line = _ATTRS.sub("", line)
        for cell in line.split("|"):
            for piece in _MACRO.split(cell):
                piece = re.sub(r"(\*\*|__|\*|_|`)", "", piece).strip()
                if piece and not re.fullmatch(r"[-:\s]+", piece):
                    out.append(piece)
    return out


def _paragraphs(markdown: str) -> list[str]:
    """Paragraph-sized needles: consecutive lines joined, split at blank lines, cells and macros."""
    needles, current = [], []
    for block in re.split(r"\n\s*\n", markdown):
        if "|" in block or "{{" in block or "{%" in block or block.lstrip().startswith(("!!!", "???", "-", "*", "+")):
            needles.extend(_plain_fragments(block))
        else:
            current = " ".join(_plain_fragments(block))
            if current:
                needles.append(current)
    return needles


def restricted_passages(root: Path, content: str = "content") -> list[Needle]:
    """Every restricted block (``::: restricted`` … ``:::``) and span (``[text]{.restricted}``) in content/."""
    root = Path(root)
    needles: list[Needle] = []
    for path in sorted((root / content).rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            opened = _BLOCK_OPEN.match(lines[i])
            if opened:
                indent, start, body = opened.group(1), i + 1, []
                i += 1
                while i < len(lines):
                    closed = _BLOCK_CLOSE.match(lines[i])
                    if closed and closed.group(1) == indent:
                        break
                    body.append(lines[i])
                    i += 1
                for text in _paragraphs("\n".join(body)):
                    needles.append(Needle(text, f"{rel}:{start}"))
            i += 1
        for number, line in enumerate(lines, start=1):
            for span in _SPAN.finditer(line):
                for text in _plain_fragments(span.group(1)):
                    needles.append(Needle(text, f"{rel}:{number}"))
    return needles


def suppressed_values(project) -> list[Needle]:
    """Each suppressed (or restricted) figure as it prints beside its label: "Label 3".

    KPI tiles and the Figures page print a metric's label then its value; the public
    version must show ``[c]`` there instead.
    """
    from .audit import decide
    decision = decide(project)   # the same values every view hides, not just the small ones
    needles = []
    for obs in project.observations:
        metric = project.metrics.get(obs.metric)
        if metric is None or obs.area:
            continue
        if metric.disclosure == "restricted" or decision.obs_hidden(metric, obs) \
                or is_small(obs.value, metric.unit, obs.denominator):
            value = fmt.with_unit(obs.value, metric.unit, metric.rate_per)
            needles.append(Needle(f"{metric.label} {value}", f"{obs.path}:{obs.line}", "suppressed value"))
    return needles
