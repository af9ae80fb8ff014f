"""Small-number suppression: what the public version hides, and that nothing hidden can be worked out."""

import re

import pytest
from conftest import replace_in, shown_text
from selfeval.render.figures import Renderer
from selfeval.project.model import Table, load_project
from selfeval.disclosure.suppression import is_small, suppress_table


def text(html):
    return shown_text(html)


def table(rows, header, units=None, **kw):
    return Table(
        id="t", caption="T", source="", unit="people", header=header, rows=rows, row_units=units or ["people"] * len(rows), **kw
    )


def test_small_counts_of_people_and_percentages_of_small_groups():
    assert [is_small(v, "people") for v in (0, 1, 4, 5, 12)] == [False, True, True, False, False]
    assert not is_small(3, "count")  # a count of things is not a count of people
    assert is_small(50, "percent", denominator=4) and not is_small(50, "percent", denominator=8)
    assert is_small(7, "people", threshold=10)


def test_secondary_suppression_leaves_nothing_recoverable_from_totals():
    t = table(
        [["A", "3", "10", "13"], ["B", "20", "30", "50"], ["Total", "23", "40", "63"]],
        ["Group", "Men", "Women", "Total"],
        total_row="Total",
        total_column="Total",
    )
    hidden = suppress_table(t, 5)
    assert hidden[(0, 1)] == "primary"
    # Row A: 3 + ? = 13 would give it away, so another cell of row A goes; column Men: 3 + ? = 23 likewise.
    assert sum(1 for c in range(1, 4) if (0, c) in hidden) >= 2
    assert sum(1 for r in range(3) if (r, 1) in hidden) >= 2
    # Every line (row or column, with its total) hides none or at least two cells.
    for r in range(3):
        assert sum((r, c) in hidden for c in range(1, 4)) != 1
    for c in range(1, 4):
        assert sum((r, c) in hidden for r in range(3)) != 1


def test_no_totals_no_secondary_suppression_and_zero_is_not_small():
    t = table([["A", "3", "0", "12"]], ["Group", "x", "y", "z"])
    assert suppress_table(t, 5) == {(0, 1): "primary"}


def test_a_percentage_row_is_hidden_with_its_parts():
    t = table(
        [["Asked", "7", "15"], ["Met", "4", "12"], ["Share met", "57", "80"]],
        ["Measure", "2024/25", "2023/24"],
        units=["people", "people", "percent"],
        percentages=[{"row": "Share met", "numerator": "Met", "denominator": "Asked"}],
    )
    hidden = suppress_table(t, 5)
    assert hidden == {(1, 1): "primary", (2, 1): "percentage"}
    t.rows[0][2] = "3"
    assert suppress_table(t, 5)[(2, 2)] == "percentage"  # denominator below the threshold


def test_threshold_is_configurable(tiny):
    project = load_project(tiny)
    assert project.config.suppression_threshold == 5
    (tiny / "data/project.yaml").write_text((tiny / "data/project.yaml").read_text() + "suppression:\n  threshold: 10\n")
    assert load_project(tiny).config.suppression_threshold == 10
    replace_in(tiny / "data/project.yaml", "threshold: 10", "threshold: ten")
    msgs = [str(p) for p in load_project(tiny).problems]
    assert any(m.startswith("data/project.yaml:7: suppression threshold 'ten' is not a whole number") for m in msgs), msgs


@pytest.fixture
def small(tiny):
    """Tiny with a count of people that is small now and was small before."""
    core = tiny / "data/metrics/core.yaml"
    core.write_text(
        core.read_text()
        + (
            "  - id: carers_small\n    label: Young carers supported\n    definition: Young carers with a plan.\n"
            "    unit: people\n    polarity: higher_is_better\n    source: ev-census-2021\n    target: 10\n"
            "  - id: secret_spend\n    label: Spend on one placement\n    definition: Cost of a named placement.\n"
            "    unit: gbp\n    polarity: neutral\n    source: ev-census-2021\n    disclosure: restricted\n"
            "    reason: commercially-sensitive\n"
        )
    )
    obs = tiny / "data/observations/core.csv"
    obs.write_text(
        obs.read_text() + "carers_small,,2023/24,2024-03-31,3,,,2024-05-01,\n"
        "carers_small,,2024/25,2025-01-31,4,,,2025-02-01,\n"
        "secret_spend,,2024/25,2025-01-31,98765,,,2025-02-01,\n"
    )
    return tiny


def test_public_figures_tiles_and_change_phrases_hide_small_and_restricted_values(small):
    project = load_project(small)
    public, internal = Renderer(project, version="public"), Renderer(project, version="internal")
    assert text(internal.figure("carers_small", show="change")) == "4, up from 3 in 2023/24"
    assert text(public.figure("carers_small", show="change")) == "[c], compared with [c] in 2023/24"
    assert text(public.change("carers_small")) == "compared with [c] in 2023/24"
    tile = text(public.kpi_tiles(["carers_small"]))
    assert tile == "Young carers supported[c]2024/25Compared with [c] in 2023/24"  # no target verdict either
    assert "Up from 3 in 2023/24 (worse)" not in tile and "Up from 3" in text(internal.kpi_tiles(["carers_small"]))
    assert text(public.figure("secret_spend")) == "[withheld]" and "98,765" not in public.figure("secret_spend")
    assert "href" not in public.figure("secret_spend")  # no public Figures entry to link to
    assert text(internal.figure("secret_spend")) == "£98,765"
    assert 'title="Shown as [c] in the public version"' in internal.figure("carers_small")


def test_public_tables_hide_small_cells_and_name_internal_sources_as_withheld(small):
    project = load_project(small)
    public = Renderer(project, version="public").data_table("msp")
    internal = Renderer(project, version="internal").data_table("msp")
    assert (
        '<th scope="row">Outcomes fully achieved</th> <td class="num"><span class="suppressed">[c]</span></td> '
        '<td class="num"><span class="suppressed">[c]</span></td>' in public
    )
    assert ">4</span></td>" in internal and "Source: [withheld]" in public and "Source: Case management records" in internal


def test_table_totals_and_percentage_rows_declared_in_yaml(tiny):
    (tiny / "data/tables/msp.csv").write_text(
        "Measure,2024/25 to date,2023/24,All years,unit\n"
        "Asked about outcomes,7,15,22,people\nOutcomes fully achieved,4,12,16,people\n"
        "Share fully achieved,57,80,73,percent\n"
    )
    meta = tiny / "data/tables/msp.yaml"
    meta.write_text(
        meta.read_text() + "totals: {column: All years}\npercentages:\n"
        "  - {row: Share fully achieved, numerator: Outcomes fully achieved, denominator: Asked about outcomes}\n"
    )
    project = load_project(tiny)
    assert [str(p) for p in project.problems] == []
    cells = re.findall(r"<td class=\"num\">(.*?)</td>", Renderer(project, version="public").data_table("msp"))
    shown = [text(c) for c in cells]
    # 4 is small; 12 goes too, or 4 = 16 - 12; both shares go, or 57% of 7 gives 4 back.
    assert shown == ["7", "15", "22", "[c]", "[c]", "16", "[c]", "[c]", "73%"]
    replace_in(meta, "totals: {column: All years}", "totals: {column: All year}")
    msgs = [str(p) for p in load_project(tiny).problems]
    assert any(
        m.startswith("data/tables/msp.yaml:6: totals column 'All year' is not a column of the table — did you mean All years?")
        for m in msgs
    ), msgs
