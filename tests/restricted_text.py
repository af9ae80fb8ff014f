"""The restricted passages of a project's chapters, read straight from the Markdown.

Deliberately independent of the build's own redaction, so the tests compare what was
published against what the author marked, not against what the redaction code thinks:

- a block: a line ``::: restricted`` (with an optional ``reason="..."``) up to the line
  ``:::`` at the same indentation;
- a span: ``[text]{.restricted}`` or ``[text]{.restricted reason="draft"}``;
- a page: front matter ``restricted: true``, ``restricted:`` (empty) or ``restricted: <reason id>``,
  in a file that may start with a byte-order mark.

Blocks behind ``>`` in a blockquote count, with the quote's ``>`` taken off their text.

Each passage is cut into probes: runs of at least ``MIN_WORDS`` plain words with no
macro call, link target or markup inside, normalised by :func:`normalise`. A probe found
in the public site means restricted text was published.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

MIN_WORDS = 4
QUOTE = re.compile(r"^(?:[ \t]*>[ ]?)*")
BLOCK_OPEN = re.compile(r"^(?P<indent>[ \t]*):::[ \t]*restricted\b")
FENCE_OPEN = re.compile(r"^[ \t]*:::[ \t]*\S")
SPAN = re.compile(r"\[(?P<text>[^\]]+)\]\{[ \t]*\.restricted\b[^}]*\}")
MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Passage:
    path: str
    line: int
    text: str

    def probes(self) -> list[str]:
        """Word runs of the passage long enough to be told apart from ordinary public text."""
        text = LINK.sub(r"\1", self.text)
        out = []
        for piece in MACRO.split(text):
            words = normalise(piece).split()
            if len(words) >= MIN_WORDS:
                out.append(" ".join(words[:8]))
        return out


def normalise(text: str) -> str:
    """Lower case words only: markup, entities and punctuation dropped."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(re.sub(r"[^0-9a-z£%]+", " ", text.lower()).split())


def _front_matter(lines: list[str]) -> tuple[dict, int]:
    if lines and lines[0].strip() == "---":
        for i, line in enumerate(lines[1:], start=1):
            if line.strip() in ("---", "..."):
                try:
                    return yaml.safe_load("\n".join(lines[1:i])) or {}, i + 1
                except yaml.YAMLError:
                    return {}, i + 1
    return {}, 0


def _paragraphs(lines: list[str], start: int, path: str) -> list[Passage]:
    out, buf, first = [], [], 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.strip():
            if not buf:
                first = number
            buf.append(line.strip())
        elif buf:
            out.append(Passage(path, first, " ".join(buf)))
            buf = []
    if buf:
        out.append(Passage(path, first, " ".join(buf)))
    return out


def restricted_passages(content: Path) -> list[Passage]:
    """Every restricted passage under a content folder, in file and line order."""
    content = Path(content)
    found: list[Passage] = []
    for md in sorted(content.rglob("*.md")):
        path = md.relative_to(content.parent).as_posix()
        lines = md.read_text(encoding="utf-8-sig").split("\n")
        meta, body = _front_matter(lines)
        if isinstance(meta, dict) and "restricted" in meta and meta["restricted"] is not False:
            found.extend(_paragraphs(lines, body, path))
            continue
        i = body
        lines = [QUOTE.sub("", line) for line in lines]  # blockquotes: the text inside the quote
        while i < len(lines):
            opened = BLOCK_OPEN.match(lines[i])
            if opened:
                indent, depth, inner, start = opened["indent"], 1, [], i + 1
                i += 1
                while i < len(lines):
                    line = lines[i]
                    if FENCE_OPEN.match(line):
                        depth += 1
                    elif line.rstrip() == f"{indent}:::" or (depth > 1 and line.strip() == ":::"):
                        depth -= 1
                        if depth == 0:
                            break
                    inner.append(line)
                    i += 1
                found.extend(Passage(path, start + p.line, p.text) for p in _paragraphs(inner, 0, path))
            else:
                found.extend(Passage(path, i + 1, m["text"]) for m in SPAN.finditer(lines[i]))
            i += 1
    return found
