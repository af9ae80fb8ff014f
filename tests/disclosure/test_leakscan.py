"""The leak scan: normalisation, what it looks for, and that every restricted construct is findable."""

import gzip
import json

import markdown
from hypothesis import given, settings

from selfeval.disclosure.leakscan import Needle, passage_needles, scan, words
from selfeval.disclosure.markers import DEFAULT_REASONS, parse
from selfeval.problems import Problems
from selfeval.disclosure.redaction import marker_needles
from test_redaction_properties import pages

NEEDLE = Needle(("mrs", "hollis", "example", "of", "fictional", "court"), "content/a.md:7")


def write(site, name, text, gz=False):
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)


def test_found_through_entities_json_escapes_markup_case_and_smart_quotes(tmp_path):
    site = tmp_path / "public"
    write(site, "a/index.html", "<p>MRS <em>Hollis</em>&nbsp;Example, of <strong>Fictional</strong>\nCourt</p>")
    write(site, "search/search_index.json", json.dumps({"docs": [{"text": "<p>Mrs Hollis Example of Fictional Court</p>"}]}))
    write(site, "sitemap.xml.gz", "<loc>mrs-hollis-example-of-fictional-court</loc>", gz=True)
    write(site, "x.svg", "<svg><title>Mrs\\u0020Hollis Example of &#70;ictional Court</title></svg>")
    write(site, "b/index.html", '<img alt="Mrs Hollis Example of Fictional Court" src="x.png">')
    write(site, "clean.html", "<p>Mrs Hollis visited the Example Court.</p>")
    hits = scan(site, [NEEDLE], label="site/public")
    assert len(hits) == 1 and hits[0].files == 5
    assert str(hits[0]).startswith(
        "content/a.md:7: leak: restricted text 'mrs hollis example of fictional court' "
        "appears in public output site/public/a/index.html (and 4 other file(s)) — "
    )


def test_markdown_passages_become_line_sized_needles_without_ids_or_bare_numbers():
    text = (
        "Mr Example's “plan” for **Fictional Court** residents\n\n| 3 | Yes |\n\n"
        '{{ figure("reviews_within_12m") }} and {{ literal("an exact wording kept private") }}\n'
        "[link words here](https://example.org/private-place)\n"
    )
    found = {" ".join(n.words): n.source for n in passage_needles(text, "content/p.md", 10)}
    assert found["mr example s plan for fictional court residents"] == "content/p.md:10"
    assert found["an exact wording kept private"] == "content/p.md:10"
    assert found["https example org private place"] == "content/p.md:15"
    assert not any("reviews" in key for key in found)  # an id is not a secret
    assert not any(key in ("3", "yes") for key in found)  # too short to mean a leak
    assert words("Don’t “quote” me &amp; Co") == ["don", "t", "quote", "me", "co"]


EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "pymdownx.superfences"]


def unmarked(text, markers):
    """The page as a careless redaction would leave it: markers gone, restricted text kept."""
    for m in sorted(markers.markers, key=lambda m: m.start, reverse=True):
        if m.kind == "span":
            text = text[: m.start] + m.content(text) + text[m.end :]
        else:
            closing = text.rfind(":::", m.inner_end, m.end)
            text = text[:closing] + "   " + text[closing + 3 :]
            text = text[: m.start] + "\n" + text[m.inner_start :]
    return text


@settings(max_examples=25, deadline=None)
@given(pages())
def test_every_canary_construct_leaked_unredacted_is_caught(tmp_path_factory, page):
    """If redaction were skipped, the scan would name every restricted passage."""
    text, canaries, _ = page
    markers = parse(text, "content/canary.md", DEFAULT_REASONS, Problems())
    needles = marker_needles(text, markers, "content/canary.md")
    site = tmp_path_factory.mktemp("leaky")
    write(site, "canary/index.html", markdown.markdown(unmarked(text, markers).split("---", 2)[2], extensions=EXTENSIONS))
    hits = scan(site, needles)
    caught = " ".join(" ".join(h.needle.words) for h in hits)
    assert [c for c in canaries if c.lower() not in caught] == []


def test_common_words_and_short_public_phrases_are_not_needles_but_long_passages_are():
    from selfeval.disclosure.leakscan import drop_public, vocabulary

    text = "## Safeguarding\n\nAdult social care\n\nCase 12345678 closed.\n\nWe paid the provider more than we said in public.\n"
    needles = passage_needles(text, "content/p.md", 1)
    keys = [" ".join(n.words) for n in needles]
    assert "safeguarding" not in keys  # a single ordinary word is too common…
    assert "case 12345678 closed" in keys and "adult social care" in keys
    public = vocabulary(["Our adult social care service.", "We paid the provider more than we said in public."])
    kept = [" ".join(n.words) for n in drop_public(needles, public)]
    assert "adult social care" not in kept  # …a short phrase the public pages say…
    assert "we paid the provider more than we said in public" in kept  # …but never a long restricted sentence


def test_the_clean_files_cache_skips_only_files_it_found_clean_with_the_same_needles(tmp_path, monkeypatch):
    site, cache = tmp_path / "public", tmp_path / "cache"
    write(site, "clean.html", "<p>Nothing to see.</p>")
    write(site, "leaky.html", "<p>Mrs Hollis Example of Fictional Court</p>")
    first = scan(site, [NEEDLE], cache_dir=cache)
    assert [h.file for h in first] == [f"{site}/leaky.html"]
    # The file with a hit is read again every time; the clean one is taken from the cache.
    import selfeval.disclosure.leakscan as leakscan

    read = []
    real = leakscan.file_text
    monkeypatch.setattr(leakscan, "file_text", lambda path, data=None: read.append(path.name) or real(path, data))
    assert [h.file for h in scan(site, [NEEDLE], cache_dir=cache)] == [f"{site}/leaky.html"]
    assert read == ["leaky.html"]
    # A clean file that changes is read again, and a leak written into it is found.
    write(site, "clean.html", "<p>MRS HOLLIS example of fictional court</p>")
    assert sorted(h.files for h in scan(site, [NEEDLE], cache_dir=cache)) == [2]
    # New needles: every file is read again.
    write(site, "clean.html", "<p>Nothing to see.</p>")
    other = Needle(("nothing", "to", "see", "here", "today"), "content/b.md:1")
    read.clear()
    scan(site, [other], cache_dir=cache)
    assert sorted(read) == ["clean.html", "leaky.html"]
    read.clear()
    hits = scan(site, [NEEDLE, Needle(("nothing", "to", "see"), "content/b.md:2")], cache_dir=cache)
    assert sorted(h.file for h in hits) == [f"{site}/clean.html", f"{site}/leaky.html"]


TRICKY = [
    # a tag and an attribute value that run over line breaks, between blocks
    '<ul>\n<li class="x"\n<div title="Mrs Hollis\n<li> Example">of</div>\n<li>Fictional Court</li></ul>',
    # a passage cut by the blocks the navigation is made of
    "<nav>\n  <li>Mrs Hollis</li>\n  <li>Example of</li>\n  <div>Fictional Court</div>\n</nav>",
    # escapes and entities next to the breaks, a JSON escape that makes a line break
    '{"t": "Mrs Hollis\\u000a<li>Example"}\n<div>of &amp;\n<li>Fictional&#10;Court',
    'a = "Mrs\n<li>Hollis" <ul>\n<li>x</li>\n',
    "<li data-x='Mrs Hollis\n<div>Example of Fictional Court'>",
]


def test_reading_by_blocks_gives_the_words_and_hits_of_reading_whole_files(tmp_path):
    from selfeval.disclosure.leakscan import BlockStreams, streams

    marks = {"mrs", "court", "hollis", "example"}
    blocks = BlockStreams(marks)
    for text in TRICKY * 2:  # the second time from the blocks remembered
        whole = streams(text)
        by_blocks, present = blocks(text)
        assert by_blocks.split() == whole.split(), text
        assert present == marks & set(whole.split()), text
    site = tmp_path / "public"
    for i, text in enumerate(TRICKY):
        write(site, f"p{i}.html", text)
    # Found across the navigation's blocks and through the escapes; where markup stands
    # between the words, as the browser would show it, neither way finds it.
    (hit,) = scan(site, [NEEDLE])
    assert (hit.file, hit.files) == (f"{site}/p1.html", 2)
