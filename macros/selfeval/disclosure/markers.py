"""Restricted markers in Markdown: where they are, what they hold, and why.

Three markers, each with an optional reason (an id configured in ``data/project.yaml``):

- a block: a line ``::: restricted`` (or ``::: restricted reason="personal-data"``), closed
  by a line ``:::`` at the same indentation and inside the same blockquote; it may sit
  indented inside an admonition, a collapsible, a tab, a list item or a footnote, behind
  ``>`` in a blockquote, or in a ``<div markdown>`` block, and may hold anything Markdown can;
- a span: ``[text]{.restricted}`` or ``[text]{.restricted reason="draft"}``;
- a page: front matter ``restricted: true`` (or empty) or ``restricted: personal-data``.

The markers are ours, not Markdown's, so a marker Markdown would print is a leak. The
parser therefore reads code the way Python-Markdown and superfences do (fences of any
length with backticks or tildes, inline code, indented code): a marker there is text, and
everything else that looks like a marker but is not one (a misspelt class or block name,
``restricted`` inside ``{...}``, an admonition or HTML class called ``restricted``, a stray
``:::``) is a problem, never silently passed. Front matter is read as MkDocs reads it
(:mod:`selfeval.content.frontmatter`), so a page MkDocs sees as restricted is restricted here.

:func:`parse` knows nothing of HTML or of the two versions; :mod:`selfeval.disclosure.redaction`
turns the markers into each version's text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from selfeval.content import frontmatter
from selfeval.problems import Problems, close_match

ACTIONS = ("redact", "remove")
REDACTED = "[REDACTED]"
WORD = "restricted"


@dataclass(frozen=True)
class Reason:
    """Why a passage is restricted, and what the public version does with it."""

    id: str
    label: str
    public: str = "redact"  # "redact": shows [REDACTED]; "remove": disappears silently


UNSPECIFIED = Reason("restricted", "Restricted", "redact")

DEFAULT_REASONS = {
    r.id: r
    for r in (
        Reason("personal-data", "Personal data"),
        Reason("commercially-sensitive", "Commercially sensitive"),
        Reason("draft", "Draft", "remove"),
        Reason("legal-privilege", "Legal privilege"),
        Reason("security", "Security"),
    )
}


def parse_reasons(raw, where: str, line_of, problems: Problems) -> dict[str, Reason]:
    """Reasons from the ``redaction: reasons:`` section of the configuration.

    ``raw`` is the mapping under ``reasons:``; each entry is ``id: {label: ..., public:
    redact|remove}``. Missing section: the defaults.
    """
    if raw is None:
        return dict(DEFAULT_REASONS)
    if not isinstance(raw, dict) or not raw:
        problems.add(
            where,
            line_of("reasons"),
            "redaction reasons must be a mapping of reason ids",
            "write e.g. 'personal-data: {label: Personal data, public: redact}'",
            code="field-type",
        )
        return dict(DEFAULT_REASONS)
    reasons = {}
    for rid, entry in raw.items():
        line = getattr(raw, "key_line", lambda k: 0)(rid)
        if not isinstance(rid, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", rid):
            problems.add(
                where,
                line,
                f"reason id '{rid}' is not valid",
                "use lower-case words joined by hyphens, e.g. personal-data",
                code="field-value",
            )
            continue
        entry = entry if isinstance(entry, dict) else {}
        label = str(entry.get("label") or rid.replace("-", " ").capitalize())
        action = entry.get("public", "redact")
        if action not in ACTIONS:
            problems.add(
                where,
                getattr(entry, "key_line", lambda k, line=line: line)("public"),
                f"reason '{rid}' has public: '{action}'",
                "write 'public: redact' (shows [REDACTED]) or 'public: remove' (disappears)",
                code="field-value",
            )
            action = "redact"
        reasons[rid] = Reason(rid, label, action)
    return reasons


@dataclass
class Marker:
    """One restricted block or span: where it is in the page text and why."""

    kind: str  # "block" or "span"
    reason: Reason
    start: int  # offset of the marker's first character in the page text
    end: int  # offset just after the marker
    inner_start: int  # offset of the restricted content
    inner_end: int
    line: int  # line of the marker's start (1-based)
    end_line: int
    indent: str = ""  # blocks: the indentation of the ::: lines (inside any blockquote)
    depth: int = 0  # blocks: how many restricted blocks enclose this one
    quote: str = ""  # blocks: the blockquote prefix of the ::: lines, e.g. "> " or "> > "

    def content(self, text: str) -> str:
        return text[self.inner_start : self.inner_end]

    def body(self, text: str) -> str:
        """The content as Markdown inside its blockquote sees it: without the quote's ``>`` prefixes."""
        content = self.content(text)
        if not self.quote_depth:
            return content
        return re.sub(rf"^(?:[ \t]*>[ ]?){{0,{self.quote_depth}}}", "", content, flags=re.M)

    @property
    def quote_depth(self) -> int:
        return self.quote.count(">")


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


_QUOTE = re.compile(r"(?:[ \t]*>[ ]?)*")
_BLOCK = re.compile(r"^(?P<indent>[ \t]*)(?P<colons>:{3,})(?P<rest>.*)$")
_ATTR = re.compile(r"""\s*(?P<key>[A-Za-z_-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+))""")
_SPAN_END = re.compile(r"\]\{[ \t]*\.restricted(?=[\s}])(?P<attrs>[^}\n]*)\}")
_BRACES = re.compile(r"(?<!\{)\{(?![{%])(?P<inside>[^{}\n]*)\}")
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_ADMONITION = re.compile(r"^[ \t]*(?P<mark>!!!|\?\?\?\+?)[ \t]*(?P<type>[^\s\"]+)")
_TAB = re.compile(r"^[ \t]*===\+?[ \t]+\"(?P<title>[^\"]*)\"")
_HTML_CLASS = re.compile(r"<[A-Za-z][\w-]*\b[^>]*?\bclass\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))", re.I)
_RAW_HTML = re.compile(
    r"^[ ]{0,3}<(?P<tag>address|article|aside|blockquote|details|dialog|div|dl|fieldset|figcaption"
    r"|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|ul)\b"
    r"(?![^>]*\bmarkdown\b)",
    re.I,
)
_OPENER = re.compile(r"^(?:!!!|\?\?\?\+?|===\+?)[ \t]|^(?:[-*+]|\d+\.)[ \t]|^\[\^[^\]]+\]:|^:[ \t]")


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


def looks_restricted(word: str) -> bool:
    """True for a word an author may have meant as ``restricted``: any case, a typo, a suffix."""
    word = word.strip(".:#{}\"' ").lower()
    return bool(word) and ("restrict" in word or difflib.SequenceMatcher(None, word, WORD).ratio() >= 0.85)


def body_start(text: str) -> int:
    """Offset where the Markdown after front matter starts (0 without front matter)."""
    return frontmatter.read(text).body


# -- what is code ---------------------------------------------------------------------------
def _width(ws: str) -> int:
    return len(ws.expandtabs(4))


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines superfences takes as fenced code (fence lines included).

    A port of ``SuperFencesBlockPreprocessor.search_nested``: a fence opens after any run of
    spaces, tabs and ``>``, closes only with the same run of the same character at the same
    indentation, and is abandoned (its lines are not code) when a line breaks those rules or
    the page ends first.
    """
    from pymdownx.superfences import RE_NESTED_FENCE_START

    code: set[int] = set()
    fence = None
    for i, raw in enumerate(lines):
        line = raw.rstrip("\r")
        if fence is None:
            ws_len = len(line) - len(line.lstrip(" \t>"))
            m = RE_NESTED_FENCE_START.match(line, ws_len)
            if m is not None and not m.group("unrecognized"):
                ws = line[:ws_len].expandtabs(4)
                fence = {
                    "start": i,
                    "fence": m.group("fence"),
                    "ws_len": ws_len,
                    "virtual": len(ws),
                    "quote": ws.count(">"),
                    "empty": 0,
                    "end": re.compile(re.escape(m.group("fence")) + r"[ \t]*$"),
                }
            continue
        ws, content = _fence_line(line, fence["virtual"])
        level = ws.count(">")
        done = None  # True: closed here; False: abandoned
        if fence["quote"]:
            if level > fence["quote"]:
                done = False
            elif content == "":
                fence["empty"] += 1
            elif len(ws) < fence["ws_len"]:
                done = False
            elif fence["empty"] and level < fence["quote"]:
                done = False
            elif fence["end"].match(content):
                done = True
            else:
                fence["empty"] = 0
        elif level:
            done = False
        elif (ws + content).strip() == "":
            fence["empty"] += 1
        elif len(ws) != fence["virtual"] and content != "":
            done = False
        elif fence["end"].match(content) and not content.startswith((" ", "\t")):
            done = True
        if done is True:
            code.update(range(fence["start"], i + 1))
        if done is not None:
            fence = None
    return code


def _fence_line(line: str, virtual: int) -> tuple[str, str]:
    ws, width, used = [], 0, 0
    for c in line:
        if width >= virtual or c not in "> \t":
            break
        used += 1
        step = 4 - (width % 4) if c == "\t" else 1
        ws.append(" " * step if c == "\t" else c)
        width += step
    return "".join(ws), line[used:]


def _split_quote(line: str) -> tuple[str, str]:
    """(blockquote prefix, the rest) of a line."""
    prefix = _QUOTE.match(line).group(0)
    return prefix, line[len(prefix) :]


def _indented_code_lines(lines: list[str], fenced: set[int]) -> set[int]:
    """Indexes of the lines Python-Markdown takes as indented code blocks.

    An indented code block starts after a blank line, four spaces deeper than the content of
    the container the line is in (a list item, admonition, collapsible, tab, footnote or
    definition, each of whose content sits four spaces in), and runs while lines stay that
    deep or are blank.
    """
    code: set[int] = set()
    containers: list[tuple[int, int]] = []  # (quote depth, content indent)
    blank_before, in_code, code_base = True, False, 0
    raw_html = None  # the closing tag of a raw HTML block being read: its lines are HTML, not code
    for i, line in enumerate(lines):
        if i in fenced:
            blank_before, in_code = False, False
            continue
        if raw_html is not None:
            if raw_html in line.lower():
                raw_html = None
            continue
        prefix, inner = _split_quote(line)
        html = _RAW_HTML.match(inner)
        if html and not in_code:
            if f"</{html.group('tag').lower()}>" not in line.lower()[html.end() :]:
                raw_html = f"</{html.group('tag').lower()}>"
            blank_before = False
            continue
        depth = prefix.count(">")
        if not inner.strip():
            blank_before = True
            continue
        indent = _width(inner[: len(inner) - len(inner.lstrip(" \t"))])
        containers = [c for c in containers if c[0] <= depth]
        if blank_before:
            while containers and containers[-1][0] == depth and indent < containers[-1][1]:
                containers.pop()
        base = next((c[1] for c in reversed(containers) if c[0] == depth), 0)
        if in_code and indent >= code_base + 4:
            code.add(i)
        elif blank_before and indent >= base + 4:
            in_code, code_base = True, base
            code.add(i)
        else:
            in_code = False
            if _OPENER.match(inner.lstrip(" \t")):
                containers.append((depth, indent + 4))
        blank_before = False
    return code


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each inline code span in ``text[start:end]``, as Python-Markdown pairs backticks."""
    spans, i = [], start
    while i < end:
        if text[i] != "`":
            i += 1
            continue
        slashes = 0
        while i - slashes - 1 >= start and text[i - slashes - 1] == "\\":
            slashes += 1
        opening = i
        while i < end and text[i] == "`":
            i += 1
        if slashes % 2:
            continue  # an escaped backtick
        ticks, j, longest, longest_end = i - opening, i, 0, 0
        found = None
        while j < end:
            if text[j] != "`":
                j += 1
                continue
            run = j
            while j < end and text[j] == "`":
                j += 1
            if j - run == ticks:
                found = (opening, j)
                break
            if j - run > longest:
                longest, longest_end = j - run, j
        if found is None and 0 < longest < ticks:
            found = (opening + ticks - longest, longest_end)
        if found:
            spans.append(found)
            i = found[1]
    return spans


_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def _inline_code(text: str, lines: list[str], offsets: list[int], code: set[int]) -> list[tuple[int, int]]:
    """Inline code spans, paired within each paragraph (within each row of a table)."""
    spans: list[tuple[int, int]] = []
    group: list[int] = []

    def flush():
        if not group:
            return
        rows = len(group) > 1 and _TABLE_RULE.match(_split_quote(lines[group[1]])[1])
        parts = [[g] for g in group] if rows else [group]
        for part in parts:
            a = offsets[part[0]]
            b = offsets[part[-1]] + len(lines[part[-1]])
            spans.extend(_code_spans(text, a, b))
        group.clear()

    for i, line in enumerate(lines):
        inner = _split_quote(line)[1]
        stripped = inner.strip()
        if i in code or not stripped:
            flush()
            continue
        if group and (
            stripped.startswith(("#", ":::", "!!!", "???", "===", "<"))
            or _OPENER.match(stripped)
            or _split_quote(lines[group[-1]])[0].count(">") != _split_quote(line)[0].count(">")
        ):
            flush()
        group.append(i)
        if stripped.startswith(("#", ":::")):
            flush()
    flush()
    return spans


def _masked(text: str, start: int) -> str:
    """The text with everything Markdown takes as code blanked (newlines kept), from ``start``."""
    body = text[start:]
    lines = body.split("\n")
    offsets, pos = [], start
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    code = _fenced_lines(lines)
    code |= _indented_code_lines(lines, code)
    chars = list(text)
    for i in range(start):
        if chars[i] != "\n":
            chars[i] = " "
    for i in code:
        for j in range(offsets[i], offsets[i] + len(lines[i])):
            chars[j] = " "
    for a, b in _inline_code(text, lines, offsets, code):
        for j in range(a, b):
            if chars[j] != "\n":
                chars[j] = " "
    return "".join(chars)


# -- the parser -----------------------------------------------------------------------------
class _Parser:
    def __init__(self, text: str, where: str, reasons: dict[str, Reason], problems: Problems):
        self.text, self.where, self.reasons, self.problems = text, where, reasons, problems
        self.handled: set[int] = set()  # offsets of the '{' of spans already dealt with

    def reason(self, value, line: int, what: str) -> Reason:
        if value in (None, True, ""):
            return UNSPECIFIED
        value = str(value)
        if value not in self.reasons:
            hint = close_match(value, self.reasons)
            self.problems.add(
                self.where,
                line,
                f"unknown reason '{value}' on {what}",
                f"{hint + ' ' if hint else ''}reasons are: {', '.join(self.reasons)} "
                "(set them under redaction: reasons: in data/project.yaml)",
                code="unknown-name",
            )
            return UNSPECIFIED
        return self.reasons[value]

    def attrs_reason(self, raw: str, line: int, what: str) -> Reason | None:
        attrs = _attrs(raw)
        if attrs is None or set(attrs) - {"reason"}:
            self.problems.add(
                self.where,
                line,
                f"malformed {what}: '{raw.strip()}'",
                'write it as reason="personal-data" (the only attribute a marker takes)',
                code="marker-malformed",
            )
            return None
        return self.reason(attrs.get("reason"), line, what)

    def page(
        self, out: PageMarkers, meta: dict | None, meta_line: int, read: frontmatter.FrontMatter, report_reading: bool
    ) -> None:
        """The page-level restriction, failing closed on anything MkDocs might read otherwise."""
        if read.error is not None:
            if report_reading:
                line, what, fix = read.error
                self.problems.add(self.where, line, what, fix, code="yaml-syntax")
            out.page_reason, out.page_reason_line = UNSPECIFIED, read.error[0] or 1
            return
        meta = read.meta if meta is None else meta
        line_of = getattr(meta, "key_line", None)

        def line(key) -> int:
            # Front matter lines are counted from its own start, one line below the opening '---'.
            return line_of(key) + 1 if line_of else meta_line

        for key in meta:
            if isinstance(key, str) and key != "restricted" and looks_restricted(key) and "_" not in key:
                self.problems.add(
                    self.where,
                    line(key),
                    f"front matter key '{key}' is not 'restricted'",
                    "did you mean restricted? write 'restricted: <reason>' in lower case "
                    "(the page is treated as restricted until then)",
                    code="marker-malformed",
                )
                out.page_reason, out.page_reason_line = UNSPECIFIED, line(key)
        if "restricted" not in meta:
            return
        value = meta["restricted"]
        if "restricted" in getattr(meta, "repeated", ()):
            self.problems.add(
                self.where,
                line("restricted"),
                "'restricted:' is given more than once",
                "keep one 'restricted:' line (the page is treated as restricted until then)",
                code="marker-malformed",
            )
            value = None
        elif isinstance(value, str) and read.style == "multimarkdown":
            value = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}.get(
                value.strip().lower(), value.strip()
            )
        if value is False:
            return
        where = line("restricted")
        if not (value is None or value is True or isinstance(value, str)):
            self.problems.add(
                self.where,
                where,
                f"'restricted: {value}' is not a reason",
                f"write 'restricted: true' or one of: {', '.join(self.reasons)}",
                code="unknown-name",
            )
            value = None
        out.page_reason = self.reason(value, where, "the page's 'restricted:'")
        out.page_reason_line = where


def parse(
    text: str,
    where: str,
    reasons: dict[str, Reason],
    problems: Problems,
    meta: dict | None = None,
    meta_line: int = 2,
    front_matter: bool = True,
) -> PageMarkers:
    """Every marker in a page's text, problems reported.

    ``text`` is the whole file (with its front matter) unless ``front_matter`` is False.
    ``meta`` is the front matter already read (its reading problems already reported); without
    it the front matter is read from ``text``.
    """
    p = _Parser(text, where, reasons, problems)
    out = PageMarkers()
    start = 0
    if front_matter:
        read = frontmatter.read(text)
        start = read.body
        p.page(out, meta, meta_line, read, report_reading=meta is None)
    elif meta:
        p.page(out, meta, meta_line, frontmatter.FrontMatter(meta, 0, 1, "yaml"), report_reading=False)
    front = text[:start]
    for m in _SPAN_END.finditer(front):
        problems.add(
            where,
            _line_at(text, m.start()),
            "a restricted span in front matter is not supported",
            "restrict the whole page with 'restricted: <reason>' or move the text into the page",
            code="marker-unsupported",
        )
        break
    masked = _masked(text, start)
    macros = [(m.start(), m.end()) for m in _MACRO.finditer(text, start)]

    def in_macro(offset: int) -> bool:
        return any(a <= offset < b for a, b in macros)

    _blocks(p, text, masked, start, out, in_macro)
    _spans(p, text, masked, start, out, in_macro)
    _near_misses(p, text, masked, start, out, in_macro)
    return out


def _blocks(p: _Parser, text: str, masked: str, start: int, out: PageMarkers, in_macro) -> None:
    where, problems = p.where, p.problems
    stack: list[Marker] = []
    offset = start
    for line in masked[start:].split("\n"):
        lineno = _line_at(text, offset)
        next_offset = offset + len(line) + 1
        quote, inner = _split_quote(line)
        m = _BLOCK.match(inner)
        if not m:
            offset = next_offset
            continue
        indent, colons, rest = m.group("indent"), m.group("colons"), m.group("rest")
        col = offset + len(quote) + len(indent)
        if in_macro(col):
            problems.add(
                where,
                lineno,
                "a restricted marker inside a macro argument",
                "put the marker around the whole {{ ... }} call, not inside it",
                code="marker-unsupported",
            )
        elif not rest.strip():
            if colons != ":::":
                problems.add(
                    where,
                    lineno,
                    f"'{colons}' is not a restricted block's closing line",
                    "close a restricted block with exactly three colons, ':::'",
                    code="marker-malformed",
                )
            if not stack:
                problems.add(
                    where,
                    lineno,
                    "':::' closes no restricted block",
                    "remove it, or add '::: restricted' where the restricted passage starts",
                    code="marker-malformed",
                )
            elif stack[-1].indent != indent or stack[-1].quote_depth != quote.count(">"):
                top = stack[-1]
                if top.quote_depth != quote.count(">"):
                    problems.add(
                        where,
                        lineno,
                        f"':::' is inside {quote.count('>')} blockquote level(s) but the block it closes "
                        f"(line {top.line}) is inside {top.quote_depth}",
                        "start the closing ':::' with the same '>' as its '::: restricted' line",
                        code="marker-malformed",
                    )
                else:
                    problems.add(
                        where,
                        lineno,
                        f"':::' is indented {len(indent)} space(s) but the block it closes "
                        f"(line {top.line}) is indented {len(top.indent)}",
                        "indent the closing ':::' exactly as its '::: restricted' line",
                        code="marker-malformed",
                    )
                _close(stack.pop(), offset, next_offset, lineno, text)
            else:
                _close(stack.pop(), offset, next_offset, lineno, text)
        else:
            raw = _block_opening(p, colons, rest, lineno)
            reason = p.attrs_reason(raw, lineno, "'::: restricted'") if raw is not None else None
            block = Marker(
                "block", reason or UNSPECIFIED, offset, 0, min(next_offset, len(text)), 0, lineno, 0, indent, len(stack), quote
            )
            stack.append(block)
            out.blocks.append(block)
        offset = next_offset
    for block in stack:
        problems.add(
            where,
            block.line,
            "'::: restricted' is never closed",
            f"add a line ':::' indented {len(block.indent)} space(s) where the restricted passage ends",
            code="marker-malformed",
        )
        # Fail closed: an unclosed block runs to the end of the page.
        block.inner_end = block.end = len(text)
        block.end_line = _line_at(text, len(text))


def _close(block: Marker, offset: int, next_offset: int, lineno: int, text: str) -> None:
    block.inner_end = offset
    block.end = min(next_offset, len(text))
    block.end_line = lineno


def _block_opening(p: _Parser, colons: str, rest: str, lineno: int) -> str | None:
    """The attributes of a ``::: restricted`` line; None (and a problem) for any other block.

    ``:::restricted`` without the space is accepted. Any other ``:::`` line is an error, and
    is still taken as a restricted block so that nothing in it can be published.
    """
    words = rest.strip().split(None, 1)
    word = words[0] if words else ""
    attrs = words[1] if len(words) > 1 else ""
    if colons == ":::" and word == WORD:
        return attrs
    if word.startswith(WORD + "{") or word.startswith("{"):
        shown = rest.strip()
    else:
        shown = word
    hint = "did you mean '::: restricted'? " if looks_restricted(word) else ""
    p.problems.add(
        p.where,
        lineno,
        f"'{colons} {shown}' is not a restricted block",
        f"{hint}the only block is '::: restricted' or '::: restricted reason=\"...\"', closed by ':::'",
        code="marker-malformed",
    )
    return None


def _spans(p: _Parser, text: str, masked: str, start: int, out: PageMarkers, in_macro) -> None:
    for m in _SPAN_END.finditer(masked, start):
        p.handled.add(m.start() + 1)  # its '{': reported here if anything is wrong with it
        lineno = _line_at(text, m.start())
        opening = _opening_bracket(masked, m.start(), start)
        if opening is None:
            p.problems.add(
                p.where,
                lineno,
                "']{.restricted}' has no opening '['",
                "write the span as [restricted text]{.restricted}",
                code="marker-malformed",
            )
            continue
        if in_macro(m.start()) or in_macro(opening):
            p.problems.add(
                p.where,
                lineno,
                "a restricted marker inside a macro argument",
                "put the marker around the whole {{ ... }} call, not inside it",
                code="marker-unsupported",
            )
            continue
        reason = p.attrs_reason(m.group("attrs"), lineno, "'{.restricted}'")
        out.spans.append(
            Marker("span", reason or UNSPECIFIED, opening, m.end(), opening + 1, m.start(), _line_at(text, opening), lineno)
        )


def _near_misses(p: _Parser, text: str, masked: str, start: int, out: PageMarkers, in_macro) -> None:
    """Everything that looks like a marker and is not one: each a problem with a did-you-mean."""
    for m in _BRACES.finditer(masked, start):
        if m.start() in p.handled:
            continue
        inside = m.group("inside")
        tokens = re.findall(r"[^\s=\"']+", inside)
        if not ("reason=" in inside.replace(" ", "") or any(looks_restricted(t) for t in tokens)):
            continue
        lineno = _line_at(text, m.start())
        if in_macro(m.start()):
            p.problems.add(
                p.where,
                lineno,
                "a restricted marker inside a macro argument",
                "put the marker around the whole {{ ... }} call, not inside it",
                code="marker-unsupported",
            )
            continue
        p.problems.add(
            p.where,
            lineno,
            f"'{{{inside}}}' looks like a restricted marker but is not one",
            'did you mean [text]{.restricted} or [text]{.restricted reason="..."}? (lower case, a dot, no colon)',
            code="marker-malformed",
        )
        opening = _opening_bracket(masked, m.start() - 1, start) if masked[m.start() - 1 : m.start()] == "]" else None
        if opening is not None:  # fail closed: redact it as if it were written right
            out.spans.append(
                Marker("span", UNSPECIFIED, opening, m.end(), opening + 1, m.start() - 1, _line_at(text, opening), lineno)
            )
    offset = start
    for line in masked[start:].split("\n"):
        inner = _split_quote(line)[1]
        lineno = _line_at(text, offset)
        a = _ADMONITION.match(inner)
        t = _TAB.match(inner)
        if a and looks_restricted(a.group("type")):
            p.problems.add(
                p.where,
                lineno,
                f"'{a.group('mark')} {a.group('type')}' is an admonition, which the public version publishes",
                "did you mean '::: restricted'? write the passage between '::: restricted' and ':::'",
                code="marker-unsupported",
            )
        elif t and looks_restricted(t.group("title")):
            p.problems.add(
                p.where,
                lineno,
                f"a tab titled '{t.group('title')}' is published like any other",
                "did you mean '::: restricted'? put the restricted passage between '::: restricted' and ':::' inside the tab",
                code="marker-unsupported",
            )
        for h in _HTML_CLASS.finditer(line):
            classes = next(v for v in (h.group("dq"), h.group("sq"), h.group("bare")) if v is not None)
            if any(looks_restricted(c) for c in classes.split()) and not in_macro(offset + h.start()):
                p.problems.add(
                    p.where,
                    lineno,
                    f"HTML with class '{classes}' is published as it stands",
                    "did you mean '::: restricted'? use '::: restricted' … ':::' for a block or [text]{.restricted} for words",
                    code="marker-unsupported",
                )
        offset += len(line) + 1


def _opening_bracket(text: str, close: int, floor: int) -> int | None:
    """Offset of the '[' matching the ']' at ``close``; None across a blank line or none."""
    depth = 0
    i = close - 1
    while i >= floor:
        ch = text[i]
        if ch == "\n" and not _split_quote(text[text.rfind("\n", floor, i) + 1 : i])[1].strip():
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
