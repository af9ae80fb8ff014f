"""Restricted markers: found with their lines; every malformed marker is one line with file and line."""

from selfeval.disclosure.markers import DEFAULT_REASONS, parse
from selfeval.problems import Problems


def markers_of(text, meta=None):
    problems = Problems()
    found = parse(text, "content/page.md", DEFAULT_REASONS, problems, meta)
    return found, [str(p) for p in problems]


def test_block_span_and_page_markers_with_lines_and_reasons():
    text = (
        '---\ntitle: T\n---\n\n# T\n\nPublic [secret name]{.restricted reason="personal-data"} here.\n\n'
        '::: restricted reason="draft"\nA draft paragraph.\n\n- a list\n:::\n\nAfter.\n'
    )
    found, problems = markers_of(text)
    assert problems == []
    [span] = found.spans
    assert (span.line, span.reason.id, span.content(text)) == (7, "personal-data", "secret name")
    [block] = found.blocks
    assert (block.line, block.end_line, block.reason.id) == (9, 13, "draft")
    assert block.content(text) == "A draft paragraph.\n\n- a list\n"
    assert not found.restricted
    page, _ = markers_of(text, {"restricted": "personal-data"})
    assert page.restricted and page.page_reason.label == "Personal data"
    assert markers_of(text, {"restricted": True})[0].page_reason.label == "Restricted"


def test_indented_and_nested_blocks_and_fenced_code_inside():
    text = (
        '!!! note "Public"\n    Public text.\n\n    ::: restricted\n    Secret.\n\n    ```\n    :::\n    ```\n'
        "    ::: restricted reason='security'\n    Deeper.\n    :::\n    :::\n"
    )
    found, problems = markers_of(text)
    assert problems == []
    outer, inner = found.blocks
    assert (outer.line, outer.end_line, outer.indent, outer.depth) == (4, 13, "    ", 0)
    assert (inner.line, inner.end_line, inner.depth, inner.reason.id) == (10, 12, 1, "security")


def test_span_with_a_link_inside_and_fenced_examples_left_alone():
    text = "See [the [report](secret.md) by J Bloggs]{.restricted}.\n\n```\n[example]{.restricted}\n::: restricted\n```\n"
    found, problems = markers_of(text)
    assert problems == []
    assert [s.content(text) for s in found.spans] == ["the [report](secret.md) by J Bloggs"]
    assert found.blocks == []


def test_unclosed_mismatched_and_stray_closing_markers():
    _, problems = markers_of("# T\n\n::: restricted\nSecret.\n")
    assert problems == [
        "content/page.md:3: '::: restricted' is never closed — add a line ':::' indented 0 space(s) "
        "where the restricted passage ends [marker-malformed]"
    ]
    _, problems = markers_of("# T\n\n::: restricted\nSecret.\n  :::\n")
    assert problems[0].startswith(
        "content/page.md:5: ':::' is indented 2 space(s) but the block it closes (line 3) is indented 0"
    )
    _, problems = markers_of("# T\n\nText.\n:::\n")
    assert problems == [
        "content/page.md:4: ':::' closes no restricted block — remove it, or add '::: restricted' "
        "where the restricted passage starts [marker-malformed]"
    ]
    _, problems = markers_of("# T\n\n::: restrcted\nx\n:::\n")
    assert problems[0].startswith("content/page.md:3: '::: restrcted' is not a restricted block — did you mean '::: restricted'?")


def test_unknown_reason_names_a_close_match():
    _, problems = markers_of('# T\n\n[x]{.restricted reason="personal_data"}\n')
    assert len(problems) == 1
    assert problems[0].startswith(
        "content/page.md:3: unknown reason 'personal_data' on '{.restricted}' — "
        "did you mean personal-data? reasons are: personal-data,"
    )
    _, problems = markers_of("# T\n", {"restricted": "drafts"})
    assert "unknown reason 'drafts'" in problems[0] and "did you mean draft?" in problems[0]


def test_marker_inside_a_macro_argument_is_an_error_but_a_macro_inside_a_marker_is_fine():
    _, problems = markers_of('# T\n\n{{ literal("[secret]{.restricted}") }}\n')
    assert problems == [
        "content/page.md:3: a restricted marker inside a macro argument — "
        "put the marker around the whole {{ ... }} call, not inside it [marker-unsupported]"
    ]
    _, problems = markers_of('# T\n\n{{ literal("a\n::: restricted\nb\n:::\n") }}\n')
    assert len(problems) == 2 and all(":4:" in p or ":6:" in p for p in problems)
    found, problems = markers_of('# T\n\n[{{ literal("x") }}]{.restricted}\n\n::: restricted\n{{ literal("y") }}\n:::\n')
    assert problems == [] and len(found.spans) == 1 and len(found.blocks) == 1


def test_malformed_spans():
    _, problems = markers_of("# T\n\ntext]{.restricted} more\n")
    assert problems == [
        "content/page.md:3: ']{.restricted}' has no opening '[' — write the span as [restricted text]{.restricted} [marker-malformed]"
    ]
    _, problems = markers_of('# T\n\n[x]{.restricted why="x"}\n')
    assert problems[0].startswith("content/page.md:3: malformed '{.restricted}'")
    _, problems = markers_of("---\ntitle: A [b]{.restricted}\n---\n# A\n")
    assert problems[0].startswith("content/page.md:2: a restricted span in front matter is not supported")


# -- code is code, as superfences and Python-Markdown see it ------------------------------------
def spans_and_blocks(text):
    found, problems = markers_of(text)
    return [m.content(text).strip() for m in found.markers], problems


def test_a_line_starting_with_triple_backtick_inline_code_is_not_a_fence():
    text = "```x``` is a code span.\n\n[secret]{.restricted}\n\n::: restricted\nblock\n:::\n"
    assert spans_and_blocks(text) == (["secret", "block"], [])


def test_a_fence_closes_only_with_the_same_character_and_length():
    # Opened with four backticks: three backticks and four tildes are content, not closers.
    text = "````\n```\n~~~~\n[example]{.restricted}\n````\n\n[secret]{.restricted}\n"
    assert spans_and_blocks(text) == (["secret"], [])
    # Never closed: superfences abandons it, so Markdown shows its lines as text, markers included...
    assert spans_and_blocks("````\n[secret]{.restricted}\n\nMore.\n") == (["secret"], [])
    # ...unless its backticks pair up as a code span, as four and three do (Markdown's fallback).
    assert spans_and_blocks("````\n[example]{.restricted}\n```\n") == ([], [])
    for fence in ("~~~", "~~~~~", "`````"):
        text = f"{fence} text\n::: restricted\n[example]{{.restricted}}\n{fence}\n\n[secret]{{.restricted}}\n"
        assert spans_and_blocks(text) == (["secret"], []), fence


def test_code_spans_and_indented_code_hide_markers_but_not_what_follows():
    text = (
        "Use `[x]{.restricted}` or ``::: restricted`` and then [secret]{.restricted}.\n\n"
        "Para.\n\n    ::: restricted\n    [y]{.restricted}\n\nAfter [two]{.restricted}.\n"
    )
    assert spans_and_blocks(text) == (["secret", "two"], [])


def test_fences_inside_blockquotes_lists_and_admonitions():
    text = (
        "> ```\n> ::: restricted\n> ```\n\n- item\n\n    ~~~\n    [x]{.restricted}\n    ~~~\n\n"
        "!!! note\n    ```\n    :::\n    ```\n\n[secret]{.restricted}\n"
    )
    assert spans_and_blocks(text) == (["secret"], [])


# -- containers --------------------------------------------------------------------------------
def test_blocks_inside_blockquotes_keep_the_quote_in_both_texts():
    from selfeval.disclosure.redaction import internal_text, public_text

    text = "> Public words.\n>\n> ::: restricted\n> Secret words.\n> :::\n>\n> More public words.\n"
    found, problems = markers_of(text)
    assert problems == [] and [b.quote for b in found.blocks] == ["> "]
    public = public_text(text, found)
    assert public.split("\n") == ["> Public words.", ">", ">", "> \\[REDACTED\\]", ">", ">", "> More public words.", ""]
    assert internal_text(text, found).split("\n")[2:5] == ['> !!! restricted "Restricted"', ">     Secret words.", ">"]
    nested = '> > ::: restricted reason="draft"\n> > Secret.\n> > :::\n'
    found, problems = markers_of(nested)
    assert problems == [] and found.blocks[0].quote_depth == 2
    assert public_text(nested, found) == "> >\n> >\n> >\n"


def test_blocks_and_spans_in_every_container():
    text = (
        "- item [a]{.restricted}\n\n    ::: restricted\n    b\n    :::\n\n"
        '??? note "More"\n    ::: restricted\n    c\n    :::\n\n'
        '=== "Tab"\n\n    ::: restricted\n    d\n    :::\n\n'
        "| x | y |\n| --- | --- |\n| [e]{.restricted} | `f` |\n\n"
        "Claim[^1].\n\n[^1]: Note [g]{.restricted}.\n\n"
        "<div markdown>\n::: restricted\nh\n:::\n</div>\n"
    )
    assert spans_and_blocks(text) == (["a", "b", "c", "d", "e", "g", "h"], [])
    _, problems = markers_of("> ::: restricted\n> x\n:::\n")
    assert problems[0].startswith("content/page.md:3: ':::' is inside 0 blockquote level(s) but the block it closes")


# -- near misses are errors --------------------------------------------------------------------
def test_misspelt_span_classes_are_errors_and_still_redacted():
    for written in (
        '{.restrcted reason="personal-data"}',
        "{.Restricted}",
        "{: .restricted}",
        "{.restricted-data}",
        "{.RESTRICTED}",
        '{reason="draft"}',
        "{.restricted.x}",
    ):
        found, problems = markers_of(f"# T\n\nSee [secret]{written} here.\n")
        assert len(problems) == 1 and problems[0].startswith("content/page.md:3: "), (written, problems)
        assert "did you mean [text]{.restricted}" in problems[0], written
        assert [s.content(f"# T\n\nSee [secret]{written} here.\n") for s in found.spans] == ["secret"], written
    _, problems = markers_of("## Heading {#restricted}\n\nA list {.restricted_words}\n")
    assert [p.split(":")[1] for p in problems] == ["1", "3"]
    found, problems = markers_of("[a]{ .restricted }\n")  # spaces inside the braces are fine
    assert problems == [] and len(found.spans) == 1


def test_misspelt_blocks_admonitions_and_html_classes_are_errors():
    found, problems = markers_of(":::restricted\nA\n:::\n")  # no space: accepted
    assert problems == [] and len(found.blocks) == 1
    for opening in ("::: Restricted", "::: restrict", "::: restrcted", ":::: restricted"):
        found, problems = markers_of(f"# T\n\n{opening}\nSecret.\n:::\n")
        assert len(problems) == 1 and problems[0].startswith(f"content/page.md:3: '{opening.split()[0]} "), problems
        assert "did you mean '::: restricted'?" in problems[0]
        assert [b.content(f"# T\n\n{opening}\nSecret.\n:::\n") for b in found.blocks] == ["Secret.\n"]
    for line in (
        "!!! restricted",
        '??? restricted "Notes"',
        "???+ Restricted",
        '<div class="note restricted">',
        "<span class='restricted'>x</span>",
        '=== "Restricted"',
    ):
        _, problems = markers_of(f"# T\n\n{line}\n    Secret.\n")
        assert len(problems) == 1 and problems[0].startswith("content/page.md:3: "), (line, problems)
        assert "'::: restricted'" in problems[0], line
    _, problems = markers_of('# T\n\n```\n!!! restricted\n<div class="restricted">\n{.restrcted}\n```\n')
    assert problems == []  # in code: text, not markers


# -- page-level restriction, read as MkDocs reads it ---------------------------------------------
def page_of(text):
    found, problems = markers_of(text)
    return (found.page_reason.id if found.restricted else None), problems


def test_page_restriction_in_every_form_mkdocs_reads():
    assert page_of("---\nrestricted:\n---\n# T\n") == ("restricted", [])
    assert page_of("---\nrestricted: false\n---\n# T\n") == (None, [])
    assert page_of("\ufeff---\nrestricted: security\n---\n# T\n") == ("security", [])
    assert page_of("---\r\nrestricted: true\r\n---\r\n# T\r\n") == ("restricted", [])
    assert page_of("Title: T\nRestricted: personal-data\n\n# T\n") == ("personal-data", [])
    assert page_of("title: T\nrestricted: no\n\n# T\n") == (None, [])
    assert page_of("title: T\nrestricted:\n\n# T\n") == ("restricted", [])


def test_unreadable_front_matter_and_near_miss_keys_restrict_the_page_with_an_error():
    reason, problems = page_of("---\ntitle: [unclosed\nrestricted: false\n---\n# T\n")
    assert reason == "restricted" and problems[0].startswith("content/page.md:3: front matter cannot be read")
    reason, problems = page_of("---\n- a list\n---\n# T\n")
    assert reason == "restricted" and "treated as restricted" in problems[0]
    reason, problems = page_of("---\nRestricted: true\n---\n# T\n")
    assert reason == "restricted" and problems[0].startswith("content/page.md:2: front matter key 'Restricted'")
    reason, problems = page_of("---\nrestricted: [a, b]\n---\n# T\n")
    assert reason == "restricted" and "is not a reason" in problems[0]


def test_read_page_reads_as_mkdocs_does(tmp_path):
    from selfeval.content.citations import read_page

    docs = tmp_path / "content"
    docs.mkdir()
    (docs / "bom.md").write_bytes("\ufeff---\r\ntitle: Notes\r\nrestricted: true\r\n---\r\n# Notes\r\n".encode())
    (docs / "latin.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    problems = Problems()
    page = read_page(docs / "bom.md", tmp_path, docs, problems)
    assert page.meta == {"title": "Notes", "restricted": True} and "\r" not in page.text and page.body_line == 5
    assert read_page(docs / "latin.md", tmp_path, docs, problems) is None
    assert [str(p) for p in problems] == [
        "content/latin.md: is not UTF-8 text (byte 0xe9 at offset 5), so MkDocs cannot read it — save it as UTF-8 "
        "(in Notepad: File, Save as, Encoding: UTF-8; in VS Code: Reopen with Encoding, then Save with Encoding, UTF-8) [file-unreadable]"
    ]


def test_indented_lines_in_raw_html_are_not_code_so_markers_there_are_found():
    # Python-Markdown prints a raw HTML block as it stands, indented lines included.
    text = "<div>\n\n    [secret]{.restricted}\n\n</div>\n\n<div markdown>\n\n    [code]{.restricted}\n\n</div>\n"
    assert spans_and_blocks(text) == (["secret"], [])
