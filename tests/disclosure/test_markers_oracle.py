"""The marker parser agrees with Python-Markdown: checked against Markdown itself.

Each example is a page of random pieces: restricted blocks and spans holding a canary (at
the top level, in blockquotes one or two deep, list items, admonitions, collapsibles, tabs,
table cells, footnotes and ``<div markdown>``), and marker-like text holding another canary
inside code (fences of three to five backticks or tildes with mismatched would-be closers
inside, fences in blockquotes and lists, code spans, lines that start with triple-backtick
inline code, indented code). The public text is rendered with Python-Markdown and the
extensions this project uses, exactly as MkDocs would (front matter taken off by MkDocs'
own reader). The oracle is the HTML: no restricted canary may appear in it, and every code
canary must appear inside ``<code>``, so the parser took as code exactly what Markdown did.
"""

from __future__ import annotations

import html
import re

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from selfeval.content import frontmatter
from selfeval.disclosure.markers import DEFAULT_REASONS, parse
from selfeval.problems import Problems
from selfeval.disclosure.redaction import internal_text, public_text

EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tabbed",
]


def render(text: str) -> str:
    body, _ = get_data(text)
    return markdown.markdown(body, extensions=EXTENSIONS)


def code_text(rendered: str) -> str:
    """Everything Markdown put inside <code>, tags inside it (highlighting) removed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<code[^>]*>(.*?)</code>", rendered, re.S))


def quoted(lines, depth):
    return [("> " * depth + line).rstrip() for line in lines]


def indented(lines, prefix="    "):
    return [prefix + line if line else "" for line in lines]


# Restricted pieces: each takes a canary and returns lines.
def r_block(c, reason):
    return [f"::: restricted{reason}", f"Restricted block words {c}.", ":::"]


RESTRICTED = {
    "block": lambda c, r: r_block(c, r),
    "quote": lambda c, r: ["> Public quoted words.", ">", *quoted(r_block(c, r), 1), ">", "> More public quoted words."],
    "quote2": lambda c, r: ["> > Public.", "> >", *quoted(r_block(c, r), 2), "> >", "> > After."],
    "span": lambda c, r: [f"A public sentence with [span {c}]{{.restricted{r}}} in it."],
    "quoted span": lambda c, r: [f"> Quoted [span {c}]{{.restricted{r}}} words."],
    "list": lambda c, r: ["- A public item", "", *indented(r_block(c, r)), "", "- Another item"],
    "list span": lambda c, r: [f"- Item with [{c}]{{.restricted{r}}} inside"],
    "admonition": lambda c, r: ['!!! note "Public note"', "    Public words.", "", *indented(r_block(c, r))],
    "details": lambda c, r: ['??? note "More"', "    Public words.", "", *indented(r_block(c, r))],
    "tab": lambda c, r: ['=== "First"', "", "    Public words.", "", *indented(r_block(c, r))],
    "table": lambda c, r: ["| Name | Count |", "| --- | --- |", f"| [cell {c}]{{.restricted{r}}} | `12` |"],
    "footnote": lambda c, r: [f"A claim[^n{c[-4:]}].", "", f"[^n{c[-4:]}]: The note [{c}]{{.restricted{r}}} here."],
    "div": lambda c, r: ["<div markdown>", "", *r_block(c, r), "", "</div>"],
}


# Code pieces: marker-like text with a canary that Markdown must show as code.
def fenced(c, char, n, fake, lang):
    fence = char * n
    closers = {
        "shorter": char * (n - 1) if n > 3 else char * n + char,
        "other": ("~" if char == "`" else "`") * n,
        "longer": char * (n + 1),
        "none": None,
    }
    inner = ["::: restricted", f"[marker {c}]{{.restricted}}", ":::"]
    if closers[fake]:
        inner.insert(1, closers[fake])
    return [fence + lang, *inner, fence]


@st.composite
def code_piece(draw, c):
    kind = draw(st.sampled_from(["fence", "quoted fence", "list fence", "code span", "triple line", "indented"]))
    if kind.endswith("fence"):
        lines = fenced(
            c,
            draw(st.sampled_from("`~")),
            draw(st.integers(3, 5)),
            draw(st.sampled_from(["shorter", "other", "longer", "none"])),
            draw(st.sampled_from(["", "text"])),
        )
        if kind == "quoted fence":
            return quoted(lines, 1)
        if kind == "list fence":
            return ["- A list item", "", *indented(lines)]
        return lines
    if kind == "code span":
        ticks = "`" * draw(st.integers(1, 3))
        return [f"Write {ticks}[marker {c}]{{.restricted}}{ticks} for a span."]
    if kind == "triple line":
        return [f"```[marker {c}]{{.restricted}}``` starts this line."]
    return ["A paragraph before the code.", "", "    ::: restricted", f"    [marker {c}]{{.restricted}}", "    :::"]


@st.composite
def pages(draw):
    count = draw(st.integers(2, 6))
    names = draw(
        st.lists(st.text("bcdfghjklmnpqrstvwxz", min_size=8, max_size=8), min_size=2 * count, max_size=2 * count, unique=True)
    )
    secret, shown = ["zr" + n for n in names[:count]], ["zc" + n for n in names[count:]]
    pieces = []
    for i in range(count):
        reason = draw(st.sampled_from(["", ' reason="personal-data"', ' reason="draft"']))
        pieces.append(RESTRICTED[draw(st.sampled_from(sorted(RESTRICTED)))](secret[i], reason))
        pieces.append(draw(code_piece(shown[i])))
    order = draw(st.permutations(range(len(pieces))))
    lines = ["---", "title: Oracle page", "---", "", "# Oracle page", ""]
    for i in order:
        lines += [*pieces[i], "", "Public words between pieces.", ""]
    return "\n".join(lines), secret, shown


@settings(max_examples=150, deadline=None)
@given(pages())
def test_markdown_sees_no_restricted_canary_and_every_code_canary_as_code(page):
    text, secret, shown = page
    problems = Problems()
    markers = parse(text, "content/oracle.md", DEFAULT_REASONS, problems)
    assert [str(p) for p in problems] == []
    public = public_text(text, markers)
    assert public.count("\n") == text.count("\n")
    rendered = render(public)
    assert [c for c in secret if c in rendered] == []
    in_code = code_text(rendered)
    assert [c for c in shown if c not in in_code] == [], "the parser and Markdown disagree about what is code"
    internal = render(internal_text(text, markers))
    assert [c for c in secret if c not in internal] == []


def test_a_blockquote_stays_one_quote_around_a_redacted_block():
    text = "> Before.\n>\n> ::: restricted\n> Secret zrquote.\n> :::\n>\n> After.\n"
    rendered = render(public_text(text, parse(text, "p.md", DEFAULT_REASONS, Problems())))
    assert rendered.count("<blockquote>") == 1 and "[REDACTED]" in rendered and "zrquote" not in rendered


# -- front matter: what MkDocs takes as meta, we take ---------------------------------------------
KEYS = st.sampled_from(["title", "description", "restricted", "Restricted", "author"])
VALUES = st.sampled_from(["", "true", "false", "personal-data", "draft", "Notes on a page", "yes"])


@st.composite
def front_matters(draw):
    items = draw(st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=4, unique_by=lambda kv: kv[0]))
    style = draw(st.sampled_from(["yaml", "multimarkdown"]))
    lines = [f"{k}: {v}".rstrip() for k, v in items]
    head = ["---", *lines, "---"] if style == "yaml" else lines
    text = "\n".join([*head, "", "# Heading", "", "Body words.", ""])
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.booleans())
    return (("\ufeff" if bom else "") + text.replace("\n", newline)).encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(front_matters())
def test_front_matter_is_read_as_mkdocs_reads_it(data):
    # MkDocs: open(encoding="utf-8-sig") with universal newlines, then get_data.
    mkdocs_text = data.decode("utf-8-sig").replace("\r\n", "\n")
    body, mkdocs_meta = get_data(mkdocs_text)
    text = frontmatter.decode(data)
    read = frontmatter.read(text)
    assert dict(read.meta) == mkdocs_meta
    assert text[read.body :].lstrip("\n") == body
    found = parse(text, "content/p.md", DEFAULT_REASONS, Problems())
    sees_restricted = any(
        k.lower() == "restricted"
        for k, v in mkdocs_meta.items()
        if v not in (False,) and str(v).lower() not in ("false", "no", "off")
    )
    if sees_restricted:
        assert found.restricted
