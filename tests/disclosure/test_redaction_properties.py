"""Property-based: canary strings in every Markdown construct inside restricted markers are in
no file of the public site and all in the internal one.

Each example writes one page with a canary in every construct (and a restricted page with
canaries in its title, description and nav title), in randomly chosen places: blocks at the
top level, inside an admonition, a list item or another restricted block; spans in paragraphs, headings, table
cells, link text and list items; reasons that redact or remove. A first test checks the two
texts of the page for many examples; a second builds the sites for a few.
"""

from __future__ import annotations

import gzip
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import replace_in

from selfeval.publish.build import main as build_main
from selfeval.checks import check_project
from selfeval.disclosure.markers import DEFAULT_REASONS, parse
from selfeval.problems import Problems
from selfeval.disclosure.redaction import internal_text, public_text

EXTENSIONS = """markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
"""

# Constructs for a restricted block: each takes canaries and returns Markdown lines.
BLOCK_CONSTRUCTS = {
    "heading": lambda c: [f"## Heading {c[0]}", ""],
    "table": lambda c: [f"| Name {c[0]} | Count |", "| --- | --- |", f"| {c[1]} | 12 |", ""],
    "lists": lambda c: [f"- item {c[0]}", "- second item", "", f"1. numbered {c[1]}", ""],
    "admonition": lambda c: [f'!!! note "Admonition title {c[0]}"', f"    Admonition body {c[1]}.", ""],
    "footnote": lambda c: [f"A claim with a note[^{c[0]}].", "", f"[^{c[0]}]: Footnote text {c[1]}.", ""],
    "link": lambda c: [f"See [link text {c[0]}](https://example.org/{c[1]}/page).", ""],
    "image": lambda c: [f'![alt text {c[0]}](https://example.org/{c[1]}.png "image title {c[2]}")', ""],
    "abbreviation": lambda c: [f"The {c[0].upper()} scheme.", "", f"*[{c[0].upper()}]: Expansion {c[1]}", ""],
    "code": lambda c: [f"Run `code span {c[0]}` now.", "", "```text", f"code block {c[1]}", "```", ""],
    "fences": lambda c: ["````text", f"four {c[0]}", "```", "````", "", "~~~~~", f"tildes {c[1]}", "~~~~", "~~~~~", ""],
    "quote": lambda c: [f"> Quoted words {c[0]}", ""],
    "emphasis": lambda c: [f"Plain, **strong {c[0]}** and _emphasised {c[1]}_ words.", ""],
    "macros": lambda c: [
        f'Literal {{{{ literal("macro argument {c[0]}") }}}}.',
        "",
        f'{{{{ data_table("msp", caption="Table caption {c[1]}") }}}}',
        "",
    ],
}
# Lines that start with inline code written with three backticks: code, not a fence.
CODE_LINES = {"code line": lambda c: [f"```{c[0]}``` starts this line.", "", f"``{c[1]} ` ``", ""]}
CANARIES_PER = 3
CONTEXTS = ("top", "admonition", "list", "nested", "quote", "quote2")


def indent(lines, prefix):
    return [prefix + line if line else "" for line in lines]


def block(lines, reason, context):
    marker = "::: restricted" + (f' reason="{reason}"' if reason else "")
    body = [marker, *lines, ":::"]
    if context == "admonition":
        return ['!!! note "A public note"', "    Public words in the note.", "", *indent(body, "    "), ""]
    if context == "nested":
        return ["::: restricted", "Outer restricted words.", "", *body, ":::", ""]
    if context.startswith("quote"):
        prefix = "> " * (2 if context == "quote2" else 1)
        return [
            prefix + "Public quoted words.",
            prefix.rstrip(),
            *[(prefix + line).rstrip() for line in body],
            prefix.rstrip(),
            prefix + "More public quoted words.",
            "",
        ]
    if context == "list":
        return ["- A public list item", "", *indent(body, "    "), "", "- Another public item", ""]
    return [*body, ""]


def spans(c, reason):
    r = f' reason="{reason}"' if reason else ""
    return [
        f"## Public heading [span heading {c[0]}]{{.restricted{r}}}",
        "",
        f"A public sentence with [span text {c[1]}]{{.restricted{r}}} inside it.",
        "",
        "| Column | Value |",
        "| --- | --- |",
        f"| [cell {c[2]}]{{.restricted{r}}} | 1 |",
        "",
        f"- a list item with [{c[3]} words]{{.restricted{r}}}",
        "",
        f"A [public link with [{c[4]}]{{.restricted{r}}} in it](index.md).",
        "",
    ]


@st.composite
def pages(draw, code_lines=False):
    constructs = {**BLOCK_CONSTRUCTS, **(CODE_LINES if code_lines else {})}
    names = sorted(constructs)
    count = len(names) * CANARIES_PER + 5 + 4
    raw = draw(
        st.lists(st.text("abcdefghijklmnopqrstuvwxyz", min_size=8, max_size=8), min_size=count, max_size=count, unique=True)
    )
    upper = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    canaries = [("ZQ" + c.upper()) if u else ("zq" + c) for c, u in zip(raw, upper)]
    order = draw(st.permutations(names))
    groups = draw(st.integers(1, 3))
    lines = [
        "---",
        "title: Canary page",
        "---",
        "",
        "# Canary page",
        "",
        "```x``` opens this line as code.",
        "",
        "Opening public words.",
        "",
    ]
    i = 0
    for g in range(groups):
        chunk = order[g::groups]
        content = []
        for name in chunk:
            content += constructs[name](canaries[i : i + CANARIES_PER])
            i += CANARIES_PER
        reason = draw(st.sampled_from(["", "personal-data", "draft"]))
        lines += block(content, reason, draw(st.sampled_from(CONTEXTS)))
        lines += ["A public paragraph between blocks.", ""]
    i = len(names) * CANARIES_PER
    lines += spans(canaries[i : i + 5], draw(st.sampled_from(["", "personal-data", "draft"])))
    page_canaries = canaries[i + 5 : i + 9]
    text = "\n".join(lines)
    used = [c for c in canaries[: i + 5] if c in text]  # some constructs take fewer than three
    return text, used, (page_canaries, draw(st.sampled_from(SECRET_FORMS)))


# How a restricted page may be saved: each must be read as restricted, as MkDocs reads it.
SECRET_FORMS = ("plain", "bom", "crlf", "bom crlf", "multimarkdown", "empty")


def secret_page(c, form="plain"):
    """A restricted page as bytes, saved in one of SECRET_FORMS, and its nav title."""
    value = "" if form == "empty" else "security"
    head = f"title: Secret title {c[0]}\ndescription: Secret description {c[1]}\nrestricted: {value}".rstrip() + "\n"
    head = head if form == "multimarkdown" else f"---\n{head}---\n"
    text = f"{head}\n# Secret heading {c[2]}\n\nSecret body.\n"
    if "crlf" in form:
        text = text.replace("\n", "\r\n")
    return (("\ufeff" if "bom" in form else "") + text).encode("utf-8"), f"Secret nav {c[3]}"


@settings(max_examples=60, deadline=None)
@given(pages(code_lines=True))
def test_public_text_has_no_canary_and_internal_text_has_all(page):
    text, canaries, _ = page
    problems = Problems()
    markers = parse(text, "content/canary.md", DEFAULT_REASONS, problems)
    assert [str(p) for p in problems] == []
    public, internal = public_text(text, markers), internal_text(text, markers)
    assert public.count("\n") == text.count("\n")
    for canary in canaries:
        assert canary.lower() not in public.lower()
        assert canary.lower() in internal.lower()


def site_files(site):
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        yield path, data.decode("utf-8", errors="replace").lower()


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(page=pages(code_lines=True))
def test_no_canary_in_any_public_file_and_all_in_the_internal_site(tiny, tmp_path_factory, page):
    text, canaries, (page_canaries, form) = page
    root = tmp_path_factory.mktemp("canary") / "project"
    shutil.copytree(tiny, root)
    (root / "content/canary.md").write_text(text, encoding="utf-8")
    secret, nav_title = secret_page(page_canaries, form)
    (root / "content/secret.md").write_bytes(secret)
    mk = root / "mkdocs.yml"
    mk.write_text(mk.read_text().split("markdown_extensions:")[0] + EXTENSIONS, encoding="utf-8")
    replace_in(mk, "  - Safety: safety.md\n", f"  - Safety: safety.md\n  - Canary: canary.md\n  - {nav_title}: secret.md\n")
    report = check_project(root)
    assert report.ok, [str(p) for p in report.problems.errors]
    out = root / "site"
    assert build_main(["--root", str(root), "--out", str(out)]) == 0
    everything = canaries + page_canaries
    for path, content in site_files(out / "public"):
        leaked = [c for c in everything if c.lower() in content]
        assert leaked == [], f"{path} carries {leaked}"
    internal = "\n".join(content for _, content in site_files(out / "internal"))
    missing = [c for c in everything if c.lower() not in internal]
    assert missing == []
