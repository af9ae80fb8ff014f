"""Restricted markers in Markdown: where they are, what they hold, and why.

Three markers, each with an optional reason (an id configured in ``data/project.yaml``):

- a block: a line ``::: restricted`` (or ``::: restricted reason="personal-data"``), closed
  by a line ``:::`` at the same indentation; it may sit indented inside an admonition or a
  list, and may hold anything Markdown can;
- a span: ``[text]{.restricted}`` or ``[text]{.restricted reason="draft"}``;
- a page: front matter ``restricted: true`` or ``restricted: personal-data``.

:func:`parse` finds them with their lines and reports every malformed, unclosed or
mismatched marker, unknown reason, and marker inside a macro argument as a problem. It
knows nothing of HTML or of the two versions; :mod:`selfeval.redaction` turns the markers
into each version's text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .problems import Problems, close_match

ACTIONS = ("redact", "remove")
REDACTED = "[REDACTED]"


@dataclass(frozen=True)
class Reason:
    """Why a passage is restricted, and what the public version does with it."""

    id: str
    label: str
    public: str = "redact"  # "redact": shows [REDACTED]; "remove": disappears silently


UNSPECIFIED = Reason("restricted", "Restricted", "redact")

DEFAULT_REASONS = {r.id: r for r in (
    Reason("personal-data", "Personal data"),
    Reason("commercially-sensitive", "Commercially sensitive"),
    Reason("draft", "Draft", "remove"),
    Reason("legal-privilege", "Legal privilege"),
    Reason("security", "Security"),
)}


def parse_reasons(raw, where: str, line_of, problems: Problems) -> dict[str, Reason]:
    """Reasons from the ``redaction: reasons:`` section of the configuration.

    ``raw`` is the mapping under ``reasons:``; each entry is ``id: {label: ..., public:
    redact|remove}``. Missing section: the defaults.
    """
    if raw is None:
        return dict(DEFAULT_REASONS)
    if not isinstance(raw, dict) or not raw:
        problems.add(where, line_of("reasons"), "redaction reasons must be a mapping of reason ids",
                     "write e.g. 'personal-data: {label: Personal data, public: redact}'")
        return dict(DEFAULT_REASONS)
    reasons = {}
    for rid, entry in raw.items():
        line = getattr(raw, "key_line", lambda k: 0)(rid)
        if not isinstance(rid, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", rid):
            problems.add(where, line, f"reason id '{rid}' is not valid", "use lower-case words joined by hyphens, e.g. personal-data")
            continue
        entry = entry if isinstance(entry, dict) else {}
        label = str(entry.get("label") or rid.replace("-", " ").capitalize())
        action = entry.get("public", "redact")
        if action not in ACTIONS:
            problems.add(where, getattr(entry, "key_line", lambda k: line)("public"),
                         f"reason '{rid}' has public: '{action}'",
                         "write 'public: redact' (shows [REDACTED]) or 'public: remove' (disappears)")
            action = "redact"
        reasons[rid] = Reason(rid, label, action)
    return reasons


@dataclass
class Marker:
    """One restricted block or span: where it is in the page text and why."""

    kind: str            # "block" or "span"
    reason: Reason
    start: int           # offset of the marker's first character in the page text
    end: int             # offset just after the marker
    inner_start: int     # offset of the restricted content
    inner_end: int
    line: int            # line of the marker's start (1-based)
    end_line: int
    indent: str = ""     # blocks: the indentation of the ::: lines
    depth: int = 0       # blocks: how many restricted blocks enclose this one

    def content(self, text: str) -> str:
        return text[self.inner_start:self.inner_end]


@dataclass
class PageMarkers:
    """The markers of one page."""

    page_reason: Reason | None = None
    page_reason_line: int = 0
    blocks: list[Marker] = field(default_factory=list)
    spans: list[Marker] = field(default_factory=list)

    @property
    def restricted(self) -> bool:
        return self.page_reason is not None

    @property
    def markers(self) -> list[Marker]:
        return sorted(self.blocks + self.spans, key=lambda m: m.start)


_BLOCK = re.compile(r"^(?P<indent>[ \t]*):::(?P<rest>.*)$")
_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
_ATTR = re.compile(r"""\s*(?P<key>[A-Za-z_-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+))""")
_SPAN_END = re.compile(r"\]\{\s*\.restricted\b(?P<attrs>[^}\n]*)\}")
_SPAN_LIKE = re.compile(r"\{[^{}\n]*\.restricted")
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _attrs(text: str) -> dict | None:
    """``reason="x"`` attributes; None if the text is not a list of key=value pairs."""
    out, pos = {}, 0
    text = text.rstrip()
    while pos < len(text):
        m = _ATTR.match(text, pos)
        if not m:
            return None
        out[m.group("key")] = next(v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None)
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str, where: str, reasons: dict[str, Reason], problems: Problems):
        self.text, self.where, self.reasons, self.problems = text, where, reasons, problems

    def reason(self, value, line: int, what: str) -> Reason:
        if value in (None, True, ""):
            return UNSPECIFIED
        value = str(value)
        if value not in self.reasons:
            hint = close_match(value, self.reasons)
            self.problems.add(self.where, line, f"unknown reason '{value}' on {what}",
                              f"{hint + ' ' if hint else ''}reasons are: {', '.join(self.reasons)} "
                              "(set them under redaction: reasons: in data/project.yaml)")
            return UNSPECIFIED
        return self.reasons[value]

    def attrs_reason(self, raw: str, line: int, what: str) -> Reason | None:
        attrs = _attrs(raw)
        if attrs is None or set(attrs) - {"reason"}:
            self.problems.add(self.where, line, f"malformed {what}: '{raw.strip()}'",
                              'write it as reason="personal-data" (the only attribute a marker takes)')
            return None
        return self.reason(attrs.get("reason"), line, what)


def body_start(text: str) -> int:
    """Offset where the Markdown after front matter starts (0 without front matter)."""
    if text.startswith("---"):
        m = re.match(r"---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)", text, re.S)
        if m:
            return m.end()
    return 0


def parse(text: str, where: str, reasons: dict[str, Reason], problems: Problems, meta: dict | None = None,
          meta_line: int = 2, front_matter: bool = True) -> PageMarkers:
    """Every marker in a page's text, problems reported.

    ``text`` is the whole file (with its front matter) unless ``front_matter`` is False.
    """
    p = _Parser(text, where, reasons, problems)
    out = PageMarkers()
    start = body_start(text) if front_matter else 0
    if meta and meta.get("restricted") not in (None, False):
        value = meta.get("restricted")
        # Front matter lines are counted from its own start, one line below the opening '---'.
        line = getattr(meta, "key_line", lambda k: meta_line - 1)("restricted") + 1
        out.page_reason = p.reason(None if value is True else value, line, "the page's 'restricted:'")
        out.page_reason_line = line
    front = text[:start]
    if _SPAN_LIKE.search(front):
        problems.add(where, _line_at(text, _SPAN_LIKE.search(front).start()),
                     "a restricted span in front matter is not supported",
                     "restrict the whole page with 'restricted: <reason>' or move the text into the page")
    macros = [(m.start(), m.end()) for m in _MACRO.finditer(text, start)]

    def in_macro(offset: int) -> bool:
        return any(a <= offset < b for a, b in macros)

    # Blocks, line by line; fenced code outside any block is left alone.
    stack: list[Marker] = []
    fence = None
    offset = start
    fenced: list[tuple[int, int]] = []
    fence_start = 0
    lines = text[start:].split("\n")
    for i, line in enumerate(lines):
        lineno = _line_at(text, offset)
        line_end = offset + len(line)
        next_offset = line_end + 1
        f = _FENCE.match(line)
        if fence:
            if f and f.group("fence")[0] == fence[0] and len(f.group("fence")) >= len(fence) and not line[f.end():].strip():
                fence = None
                fenced.append((fence_start, line_end))
            offset = next_offset
            continue
        if f:
            fence, fence_start = f.group("fence"), offset
            offset = next_offset
            continue
        m = _BLOCK.match(line)
        if m:
            indent, rest = m.group("indent"), m.group("rest")
            if in_macro(offset + len(indent)):
                problems.add(where, lineno, "a restricted marker inside a macro argument",
                             "put the marker around the whole {{ ... }} call, not inside it")
            elif not rest.strip():
                if not stack:
                    problems.add(where, lineno, "':::' closes no restricted block",
                                 "remove it, or add '::: restricted' where the restricted passage starts")
                elif stack[-1].indent != indent:
                    top = stack[-1]
                    problems.add(where, lineno,
                                 f"':::' is indented {len(indent)} space(s) but the block it closes "
                                 f"(line {top.line}) is indented {len(top.indent)}",
                                 "indent the closing ':::' exactly as its '::: restricted' line")
                    stack.pop()
                else:
                    top = stack.pop()
                    top.inner_end = offset
                    top.end = min(next_offset, len(text))
                    top.end_line = lineno
            else:
                word = rest.strip().split()[0] if rest.strip() else ""
                if word.lstrip("{.") != "restricted" and not word.startswith("restricted"):
                    hint = close_match(word, ["restricted"])
                    problems.add(where, lineno, f"'::: {word}' is not a known block",
                                 f"{hint + ' ' if hint else ''}the only block is '::: restricted reason=\"...\"'".strip())
                else:
                    raw = rest.strip()[len("restricted"):] if rest.strip().startswith("restricted") else ""
                    reason = p.attrs_reason(raw, lineno, "'::: restricted'") or UNSPECIFIED
                    block = Marker("block", reason, offset, 0, next_offset, 0, lineno, 0, indent, len(stack))
                    stack.append(block)
                    out.blocks.append(block)
        offset = next_offset
    if fence:
        fenced.append((fence_start, len(text)))
    for block in stack:
        problems.add(where, block.line, "'::: restricted' is never closed",
                     f"add a line ':::' indented {len(block.indent)} space(s) where the restricted passage ends")
    out.blocks = [b for b in out.blocks if b.end]

    def in_fence(offset: int) -> bool:
        # Fenced code inside a restricted block is content of the block, handled with it.
        return any(a <= offset < b for a, b in fenced)

    # Spans: find each ']{.restricted ...}' and walk back to its '['.
    for m in _SPAN_END.finditer(text, start):
        if in_fence(m.start()):
            continue
        lineno = _line_at(text, m.start())
        opening = _opening_bracket(text, m.start(), start)
        if opening is None:
            problems.add(where, lineno, "']{.restricted}' has no opening '['",
                         "write the span as [restricted text]{.restricted}")
            continue
        if in_macro(m.start()) or in_macro(opening):
            problems.add(where, lineno, "a restricted marker inside a macro argument",
                         "put the marker around the whole {{ ... }} call, not inside it")
            continue
        reason = p.attrs_reason(m.group("attrs"), lineno, "'{.restricted}'")
        if reason is None:
            continue
        out.spans.append(Marker("span", reason, opening, m.end(), opening + 1, m.start(),
                                _line_at(text, opening), lineno))
    for m in _SPAN_LIKE.finditer(text, start):
        if in_fence(m.start()):
            continue
        if not any(s.inner_end <= m.start() < s.end for s in out.spans) and not _SPAN_END.match(text, m.start() - 1):
            if in_macro(m.start()):
                problems.add(where, _line_at(text, m.start()), "a restricted marker inside a macro argument",
                             "put the marker around the whole {{ ... }} call, not inside it")
            else:
                problems.add(where, _line_at(text, m.start()), "malformed restricted span",
                             'write it as [text]{.restricted} or [text]{.restricted reason="draft"}')
    return out


def _opening_bracket(text: str, close: int, floor: int) -> int | None:
    """Offset of the '[' matching the ']' at ``close``; None across a blank line or none."""
    depth = 0
    i = close - 1
    while i >= floor:
        ch = text[i]
        if ch == "\n" and not text[text.rfind("\n", floor, i) + 1:i].strip():
            return None  # a blank line ends the paragraph: no span crosses it
        if ch in "[]" and i > 0 and text[i - 1] == "\\":
            i -= 2
            continue
        if ch == "]":
            depth += 1
        elif ch == "[":
            if depth == 0:
                return i
            depth -= 1
        i -= 1
    return None
