"""The PDF text scan: which passages count as restricted, and when one counts as found."""
from conftest import replace_in

from selfeval.model import load_project
from selfeval.pdf_text import Needle, find_leaks, restricted_passages, suppressed_values

PAGE = '''\
# Safety

Open text that anyone may read.

::: restricted reason="draft"
Two providers were placed under **enhanced monitoring** after the autumn audit.

- A complaint about night staffing is still open
- See the [audit report](audit.md) for details
:::

!!! note "Inside a box"

    ::: restricted
    | Provider | Concern |
    | -------- | ------- |
    | Example Care Ltd | late visits |
    :::

    We checked {{ figure("residents") }} homes in the borough last year.

The officer on call was [Sam Example]{.restricted reason="personal-data"} that night.
'''


def test_restricted_passages_are_read_from_blocks_nested_blocks_and_spans(tiny):
    (tiny / "content" / "safety.md").write_text(PAGE, encoding="utf-8")
    needles = {n.text: n.source for n in restricted_passages(tiny)}
    assert needles["Two providers were placed under enhanced monitoring after the autumn audit."] == "content/safety.md:5"
    assert needles["A complaint about night staffing is still open"] == "content/safety.md:5"
    assert needles["See the audit report for details"] == "content/safety.md:5"
    assert needles["Example Care Ltd"] == "content/safety.md:14" and "late visits" in needles
    assert needles["Sam Example"] == "content/safety.md:22"
    assert not any("Open text" in n or "homes in the borough" in n or "Inside a box" in n for n in needles)


def test_a_passage_counts_as_found_across_line_breaks_page_furniture_and_typography():
    passage = "Two providers were placed under enhanced monitoring after the autumn audit of home care."
    split = ("Two providers were placed under enhanced monitoring after the\n"
             "Tiny self-evaluation Public\nSafety Page 4 of 9\nautumn audit of home care.")
    assert find_leaks(split, [passage]) == [Needle(passage)]
    assert find_leaks("The officer\u2019s re\ufb01ned note – Sam   Example", ["officer's refined note - sam example"])
    assert find_leaks("Sam Examples", ["Sam Example"]) == []          # whole words only
    assert find_leaks("Figure 2 of 3", ["of"]) == []                # too short to tell from ordinary words
    assert find_leaks("Nothing to see here.", [passage]) == []


def test_suppressed_values_count_as_found_beside_their_label_only(tiny):
    replace_in(tiny / "data" / "observations" / "core.csv", "residents,,2021,2021-03-21,8579", "residents,,2021,2021-03-21,3")
    needles = suppressed_values(load_project(tiny))
    assert [n.text for n in needles] == ["Residents 3"] and needles[0].kind == "suppressed value"
    assert needles[0].source == "data/observations/core.csv:6"
    assert find_leaks("Residents\n3\n2021", needles)                  # a KPI tile or the Figures page
    assert find_leaks("Residents\n[c]\n2021", needles) == []
    assert find_leaks("Residents 35", needles) == [] and find_leaks("Residents 3,412", needles) == []


def test_a_suppressed_value_leaks_only_with_its_value_not_by_its_label_alone():
    needle = Needle("People returning from a direct payment to arranged care 1", "x.csv:13", "suppressed value")
    assert find_leaks("People returning from a direct payment to arranged care [c]", [needle]) == []
    assert find_leaks("People returning from a direct payment to arranged care 1", [needle]) == [needle]


def test_the_pdf_scan_reads_markers_with_the_site_parser(tiny):
    # A documented example in fenced code is public; a block in a blockquote and a page saved
    # with a byte-order mark are read as the site build reads them.
    page = ("# Safety\n\n````markdown\n::: restricted\nAn example of the syntax in code.\n:::\n```\n````\n\n"
            "> Quoted words.\n>\n> ::: restricted\n> The quoted secret about the copper kettle.\n> :::\n\n"
            "```x``` is inline code and [the pewter spoon]{.restricted} follows it.\n")
    (tiny / "content" / "safety.md").write_bytes(("\ufeff" + page).encode("utf-8"))
    needles = {n.text: n.source for n in restricted_passages(tiny)}
    assert needles == {"The quoted secret about the copper kettle.": "content/safety.md:12",
                       "the pewter spoon": "content/safety.md:16"}
