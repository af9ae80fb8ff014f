"""The leak scan: proof that a built public site carries nothing restricted, in any file.

Every file under the public output (HTML, the search index, the sitemap and its ``.gz``,
JavaScript, JSON, SVG, any text) is read and reduced to words: JSON escapes and HTML
entities decoded, tags dropped (and, separately, kept, and their attribute values read on
their own), Unicode normalised, case folded, and everything that is not a letter or a digit
treated as a gap. The same reduction of a restricted passage is therefore found whatever
Markdown, smart quotes, emphasis, escaping or markup the build put around it.

What is looked for (:class:`Needle`): each line-sized run of text in every restricted
block, span and page, each restricted page's titles, and each hidden figure in the contexts
the renderer puts figures in ("label 3", "3 2023/24", "from 3 in 2023/24", the words around
its macro call, a table row up to the cell). A span is also looked for with the words
around it. What is too common to mean a leak is not looked for: a bare number, a single
ordinary word, and a short phrase that the public source itself uses ("adult social
care"); a long passage is looked for whatever, so one pasted unmarked elsewhere still fails.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from selfeval.publish.caches import write_entry

# A word is a run of letters and digits; a point or comma between two digits is part of it,
# so "3" is not found in "3,412" or "3.5".
_WORD = re.compile(r"(?:[^\W_]|(?<=\d)[.,](?=\d))+")
_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nrtbf\"/\\])")
_TAG = re.compile(r"<[^>]*>")
_ATTR_VALUE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_SPLIT = re.compile(r"[\[\]()\"<>{}`]|\s:\s|^\s*(?:[-*+>#]+|\d+\.|!!!|\?\?\?\+?)\s")
_MARKER_SYNTAX = re.compile(r"^[ \t]*:::.*$|\{[^{}\n]*\.restricted[^{}\n]*\}", re.M)
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass(frozen=True)
class Needle:
    """A sequence of words that must not appear in the public output."""

    words: tuple[str, ...]
    source: str  # path:line of what it protects
    what: str = "restricted text"

    @property
    def key(self) -> str:
        return " " + " ".join(self.words) + " "


@dataclass(frozen=True)
class Hit:
    """A needle found in the output: the first file it is in, and how many files in all."""

    file: str
    needle: Needle
    files: int = 1

    def __str__(self) -> str:
        shown = " ".join(self.needle.words)
        shown = shown[:60] + ("…" if len(shown) > 60 else "")
        more = f" (and {self.files - 1} other file(s))" if self.files > 1 else ""
        return (
            f"{self.needle.source}: leak: {self.needle.what} '{shown}' appears in public output {self.file}{more}"
            " — the public site was not replaced; find how this text reaches the page and restrict it there"
        )


def _unescape_json(text: str) -> str:
    def one(m):
        code = m.group(1)
        if code[0] == "u":
            return chr(int(code[1:], 16))
        return {"n": " ", "r": " ", "t": " ", "b": " ", "f": " "}.get(code, code)

    return _JSON_ESCAPE.sub(one, text)


def normalise(text: str) -> str:
    """Decode escapes and entities (twice, for escaped HTML inside JSON), fold case and forms."""
    for _ in range(2):
        text = html.unescape(_unescape_json(text))
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(str(text)))


def distinctive(tokens: list[str]) -> bool:
    """Long enough that finding it in the output means it leaked, not that it is common.

    A single word is distinctive only with a digit in it and 8 characters or more (a case
    or phone number), never an ordinary word that the theme or another page may use.
    """
    if len(tokens) == 1:
        return len(tokens[0]) >= 8 and any(ch.isdigit() for ch in tokens[0])
    return sum(len(t) for t in tokens) >= 12


def short(needle: Needle) -> bool:
    """Short enough that the same words may honestly be public (see :func:`drop_public`)."""
    return len(needle.words) < 5 and sum(len(w) for w in needle.words) < 30


def vocabulary(texts) -> str:
    """Texts reduced to words as one searchable string (for :func:`drop_public`)."""
    return "|".join(" " + " ".join(words(t)) + " " for t in texts)


def drop_public(needles: list[Needle], public_vocabulary: str) -> list[Needle]:
    """Needles without the short ones that the public source itself says.

    A short phrase in a restricted passage that an unrestricted page, the navigation or
    the data also uses ("adult social care") is not a secret; a long one is kept whatever,
    so a restricted sentence pasted unmarked elsewhere still fails the build.
    """
    return [n for n in needles if not (short(n) and n.key in public_vocabulary)]


def _macro_strings(text: str) -> list[str]:
    """String arguments of macro calls that are text (not ids of metrics or tables)."""
    from selfeval.content.citations import calls_in
    from selfeval.problems import Problems
    from selfeval.render.macros import references

    out = []
    for call in calls_in(text, "", Problems()):
        refs = references(call.macro)
        for param, value in call.args.items():
            if param in refs or param == "show":
                continue
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, str):
                    out.append(v)
    return out


def split_segments(line: str) -> list[str]:
    """A line of Markdown cut where its pieces go to different places in the output."""
    return _SPLIT.split(line) or [""]


def passage_needles(text: str, path: str, first_line: int) -> list[Needle]:
    """Needles for a restricted passage of Markdown starting at ``first_line`` of ``path``.

    Each line is split where Markdown puts text in different places of the output (link
    text, link target, title, image alt, attribute values); a table row stays whole, as
    its cells run on in the output. Marker syntax is not text, and macro calls give only
    their text arguments, not the ids they cite.
    """
    needles: list[Needle] = []
    seen = set()

    def add(segment, line: int):
        tokens = words(segment) if isinstance(segment, str) else list(segment)
        if tokens and distinctive(tokens) and tuple(tokens) not in seen:
            seen.add(tuple(tokens))
            needles.append(Needle(tuple(tokens), f"{path}:{line}"))

    for value in _macro_strings(text):
        add(value, first_line)
    blanked = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731 - keeps lines in place
    without_macros = _MARKER_SYNTAX.sub(blanked, _MACRO.sub(blanked, text))
    for i, line in enumerate(without_macros.split("\n")):
        for label in _FOOTNOTE.findall(line):
            # A footnote's label shows only in the ids of its reference and its note.
            if len(label) >= 6:
                add(["fnref", *words(label)], first_line + i)
                add(["fn", *words(label)], first_line + i)
        for value in _ATTR_VALUE.findall(line):
            add(value[0] or value[1], first_line + i)
        line = _TAG.sub(" < ", line)
        for segment in split_segments(line):
            if segment:
                add(segment, first_line + i)
    return needles


def file_text(path: Path, data: bytes | None = None) -> str | None:
    """A file's text for scanning (gunzipped); None for binary files such as images."""
    data = path.read_bytes() if data is None else data
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except OSError:
            pass
    if b"\x00" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


_GAP = re.compile(r"(?:[^\w.,]|(?<!\d)[.,]|[.,](?!\d))+")  # with "_" made a space first, all between two words


# Where a file may be cut into blocks: before a line that starts an element the theme
# repeats on every page (navigation items and lists, layout boxes). Any line break would
# do for the result; these make the blocks that repeat from page to page.
_BLOCK_START = re.compile(r"\n(?=[ \t]*<(?:li|ul|nav|div)[ >])")
# A tag, or a quoted attribute value, that a block opens and does not close.
_OPEN_AT_END = re.compile(r"""<[^>]*\Z|=\s*\Z|=\s*"[^"]*\Z|=\s*'[^']*\Z""")


@dataclass(frozen=True)
class _Block:
    """The words of some text (a file, or a block of its lines): without tags, with tags, in attribute values."""

    text: str
    raw: str
    values: tuple[str, ...]
    open: bool  # a tag or attribute value may run on past its end
    marks: frozenset[str]  # the words it has that start or end a needle


def _block(block: str, marks: frozenset[str] = frozenset()) -> _Block:
    norm = normalise(block).replace("_", " ")

    def run(t: str) -> str:
        return _GAP.sub(" ", t).strip()

    raw = run(norm)  # every word of the block: those without tags and in values are among them
    return _Block(
        run(_TAG.sub(" ", norm)),
        raw,
        tuple(run(a or b) for a, b in _ATTR_VALUE.findall(norm)),
        _OPEN_AT_END.search(norm) is not None,
        marks.intersection(raw.split()),
    )


def _haystack(blocks: list[_Block]) -> str:
    """The blocks' words as ' w1 w2 … ' runs separated by '|': text without tags, raw, each attribute value.

    Between two words of a run there is exactly one space, as in a :class:`Needle`'s key,
    and no key can span two runs.
    """
    runs = [" ".join(b.text for b in blocks if b.text), " ".join(b.raw for b in blocks if b.raw)]
    runs += [v for b in blocks for v in b.values]
    return " " + " | ".join(runs) + " "


def streams(text: str) -> str:
    """A whole file's words, as :func:`_haystack` sets them out."""
    return _haystack([_block(text)])


class BlockStreams:
    """:func:`streams`, reading each distinct block of lines once across many files.

    Pages of one site repeat most of their markup (the navigation, the header and
    footer), so a site is read in a fraction of the time. Decoding escapes, folding case
    and splitting words never join text across a line break, so a file's words are its
    blocks' words in order; where a tag or a quoted attribute value runs on from one
    block into the next, the file is read whole instead.

    Each call also gives which of ``marks`` (words that start or end a needle) the file
    has, so a needle with a word the file lacks needs no search.
    """

    def __init__(self, marks=()):
        self.marks = frozenset(marks)
        self._blocks: dict[str, _Block] = {}

    def __call__(self, text: str) -> tuple[str, set[str]]:
        memo, blocks, present = self._blocks, [], set()
        for raw in _BLOCK_START.split(text):
            block = memo.get(raw)
            if block is None:
                block = memo[raw] = _block(raw, self.marks)
            if block.open:
                whole = _block(text, self.marks)
                return _haystack([whole]), set(whole.marks)
            blocks.append(block)
            if block.marks:
                present |= block.marks
        return _haystack(blocks), present


def scan(site: Path, needles: list[Needle], label: str | None = None, cache_dir: Path | str | None = None) -> list[Hit]:
    """Every needle found in every file under ``site``; ``label`` names the folder in messages.

    With ``cache_dir``, the scan remembers the files it found clean, by a hash of their
    bytes, under a hash of the needles and of this module's code: a file with the same
    bytes is not read again while the restricted passages and the scan stay the same
    (the theme's scripts, unchanged pages). A file with a hit is never remembered.
    """
    site = Path(site)
    label = label or str(site)
    unique = {n.key: n for n in needles if n.words}
    found: dict[str, list[str]] = {}
    ledger = _clean_ledger(cache_dir, unique)
    clean = _read_ledger(ledger)
    now_clean: set[str] = set()
    words_of = BlockStreams(w for n in unique.values() for w in (n.words[0], n.words[-1]))
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        digest = hashlib.sha256(path.suffix.encode("utf-8") + b"\0" + data).hexdigest() if ledger else ""
        if digest in clean:
            now_clean.add(digest)
            continue
        text = file_text(path, data)
        if text is None:
            continue
        haystack, present = words_of(text)
        name = f"{label}/{path.relative_to(site).as_posix()}"
        hit_here = False
        for key, needle in unique.items():
            # Most needles have a word the file lacks; only the rest need the slower search.
            if needle.words[0] in present and needle.words[-1] in present and key in haystack:
                found.setdefault(key, []).append(name)
                hit_here = True
        if not hit_here:
            now_clean.add(digest)
    if ledger is not None:
        _write_ledger(ledger, now_clean)
    return [Hit(files[0], unique[key], len(files)) for key, files in found.items()]


def _clean_ledger(cache_dir: Path | str | None, unique: dict[str, Needle]) -> Path | None:
    """Where the clean files for this set of needles and this scanner are listed (None: no cache)."""
    if not cache_dir:
        return None
    stamp = hashlib.sha256(Path(__file__).read_bytes())
    for key in sorted(unique):
        stamp.update(key.encode("utf-8") + b"\0")
    return Path(cache_dir) / f"{stamp.hexdigest()}.txt"


def _read_ledger(ledger: Path | None) -> set[str]:
    try:
        return set(ledger.read_text(encoding="ascii").split()) if ledger else set()
    except (OSError, UnicodeDecodeError):
        return set()  # a missing or damaged ledger only costs time


def _write_ledger(ledger: Path, clean: set[str]) -> None:
    """Replace the ledger; earlier ones, for other needles, go."""
    for old in ledger.parent.glob("*.txt"):
        if old != ledger:
            try:
                old.unlink()
            except OSError:
                pass  # an old ledger left behind is never read
    write_entry(ledger, "\n".join(sorted(clean)) + "\n")
