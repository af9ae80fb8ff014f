"""Restricted markers: found with their lines; every malformed marker is one line with file and line."""
from selfeval.markers import DEFAULT_REASONS, parse
from selfeval.problems import Problems


def markers_of(text, meta=None):
    problems = Problems()
    found = parse(text, "content/page.md", DEFAULT_REASONS, problems, meta)
    return found, [str(p) for p in problems]


def test_block_span_and_page_markers_with_lines_and_reasons():
    text = ("---\ntitle: T\n---\n\n# T\n\nPublic [secret name]{.restricted reason=\"personal-data\"} here.\n\n"
            "::: restricted reason=\"draft\"\nA draft paragraph.\n\n- a list\n:::\n\nAfter.\n")
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
    text = ("!!! note \"Public\"\n    Public text.\n\n    ::: restricted\n    Secret.\n\n    ```\n    :::\n    ```\n"
            "    ::: restricted reason='security'\n    Deeper.\n    :::\n    :::\n")
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
    assert problems == ["content/page.md:3: '::: restricted' is never closed — add a line ':::' indented 0 space(s) "
                        "where the restricted passage ends"]
    _, problems = markers_of("# T\n\n::: restricted\nSecret.\n  :::\n")
    assert problems[0].startswith("content/page.md:5: ':::' is indented 2 space(s) but the block it closes (line 3) is indented 0")
    _, problems = markers_of("# T\n\nText.\n:::\n")
    assert problems == ["content/page.md:4: ':::' closes no restricted block — remove it, or add '::: restricted' "
                        "where the restricted passage starts"]
    _, problems = markers_of("# T\n\n::: restrcted\nx\n:::\n")
    assert problems[0].startswith("content/page.md:3: '::: restrcted' is not a restricted block — "
                                  "did you mean '::: restricted'?")


def test_unknown_reason_names_a_close_match():
    _, problems = markers_of('# T\n\n[x]{.restricted reason="personal_data"}\n')
    assert len(problems) == 1
    assert problems[0].startswith("content/page.md:3: unknown reason 'personal_data' on '{.restricted}' — "
                                  "did you mean personal-data? reasons are: personal-data,")
    _, problems = markers_of("# T\n", {"restricted": "drafts"})
    assert "unknown reason 'drafts'" in problems[0] and "did you mean draft?" in problems[0]


def test_marker_inside_a_macro_argument_is_an_error_but_a_macro_inside_a_marker_is_fine():
    _, problems = markers_of('# T\n\n{{ literal("[secret]{.restricted}") }}\n')
    assert problems == ["content/page.md:3: a restricted marker inside a macro argument — "
                        "put the marker around the whole {{ ... }} call, not inside it"]
    _, problems = markers_of('# T\n\n{{ literal("a\n::: restricted\nb\n:::\n") }}\n')
    assert len(problems) == 2 and all(":4:" in p or ":6:" in p for p in problems)
    found, problems = markers_of('# T\n\n[{{ literal("x") }}]{.restricted}\n\n::: restricted\n{{ literal("y") }}\n:::\n')
    assert problems == [] and len(found.spans) == 1 and len(found.blocks) == 1


def test_malformed_spans():
    _, problems = markers_of("# T\n\ntext]{.restricted} more\n")
    assert problems == ["content/page.md:3: ']{.restricted}' has no opening '[' — write the span as [restricted text]{.restricted}"]
    _, problems = markers_of('# T\n\n[x]{.restricted why="x"}\n')
    assert problems[0].startswith("content/page.md:3: malformed '{.restricted}'")
    _, problems = markers_of("---\ntitle: A [b]{.restricted}\n---\n# A\n")
    assert problems[0].startswith("content/page.md:2: a restricted span in front matter is not supported")
