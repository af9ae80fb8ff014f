"""The disclosure audit: no hidden value can be worked out from what the public version publishes.

The property tests check the audit against an independent oracle written here: every small
whole-number assignment of the hidden cells that reproduces what the table publishes (its
shown cells, its totals and its rounded percentages), found by brute force. No hidden count
may be pinned below the threshold or narrowed to fewer than ``threshold`` values.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import replace_in

from selfeval.publish.build import main as build_main
from selfeval.disclosure.audit import alternative_values, decide
from selfeval.checks import check_project
from selfeval.project.config import Config
from selfeval.render.figures import Renderer
from selfeval.project.model import Project, Table, load_project
from selfeval.problems import Problems


def rounded(num: int, den: int) -> Decimal:
    return (Decimal(100 * num) / den).quantize(Decimal(1), ROUND_HALF_UP)


def project_with(table: Table, threshold: int) -> Project:
    config = Config(organisation="Test", title="Test", reporting_date=dt.date(2025, 1, 1), suppression_threshold=threshold)
    return Project(
        root=".", config=config, metrics={}, observations=[], tables={table.id: table}, evidence={}, problems=Problems()
    )


def make_table(body: list[list[int]], total_row: bool, total_column: bool, share: bool) -> Table:
    """A table of people: ``body`` rows, optional totals, optional share of row 0 in row 1."""
    rows = [row[:] for row in body]
    header = ["Measure"] + [f"Y{c}" for c in range(len(body[0]))]
    if total_column:
        header.append("All")
        rows = [row + [sum(row)] for row in rows]
    labels = [f"R{r}" for r in range(len(rows))]
    if total_row:
        rows.append([sum(col) for col in zip(*rows)])
        labels.append("Total")
    cells = [[labels[r]] + [str(v) for v in row] for r, row in enumerate(rows)]
    units = ["people"] * len(cells)
    percentages = []
    if share:
        cells.append(["Share"] + [str(rounded(a, b)) if b else "-" for a, b in zip(rows[0], rows[1])])
        units.append("percent")
        percentages = [{"row": "Share", "numerator": "R0", "denominator": "R1", "line": 1}]
    return Table(
        id="t",
        caption="T",
        source="",
        unit="people",
        header=header,
        rows=cells,
        row_units=units,
        path="data/tables/t.csv",
        meta_path="data/tables/t.yaml",
        row_lines=list(range(2, 2 + len(cells))),
        total_row="Total" if total_row else None,
        total_column="All" if total_column else None,
        percentages=percentages,
        meta={},
    )


def published_worlds(table: Table, hidden: set, cap: int):
    """{hidden cell: the values it takes} over every assignment of the hidden count cells from
    0 to ``cap - 1`` that publishes the same table (numpy, so that every assignment is tried)."""
    import numpy as np

    count_rows = [r for r, u in enumerate(table.row_units) if u == "people"]
    width = len(table.header)
    labels = [row[0] for row in table.rows]
    unknown = sorted(cell for cell in hidden if cell[0] in count_rows)
    grid = np.stack(np.meshgrid(*[np.arange(cap)] * len(unknown), indexing="ij"), -1).reshape(-1, len(unknown))
    world = {(r, c): np.full(len(grid), int(table.rows[r][c])) for r in count_rows for c in range(1, width)}
    for k, cell in enumerate(unknown):
        world[cell] = grid[:, k]
    ok = np.ones(len(grid), dtype=bool)
    if table.total_row:
        tr = labels.index(table.total_row)
        for c in range(1, width):
            ok &= sum(world[(r, c)] for r in count_rows if r != tr) == world[(tr, c)]
    if table.total_column:
        tc = table.header.index(table.total_column)
        for r in count_rows:
            ok &= sum(world[(r, c)] for c in range(1, width) if c != tc) == world[(r, tc)]
    for p in table.percentages:
        r, n, d = labels.index(p["row"]), labels.index(p["numerator"]), labels.index(p["denominator"])
        for c in range(1, width):
            num, den = world[(n, c)], world[(d, c)]
            ok &= num <= den  # a share is never more than its whole
            shown = table.rows[r][c]
            if (r, c) in hidden or shown == "-":
                continue
            value = int(shown)  # whole percentages: [value - 0.5, value + 0.5) of the whole
            ok &= (den > 0) & ((2 * value - 1) * den <= 200 * num) & (200 * num < (2 * value + 1) * den)
    return {cell: set(grid[ok, k].tolist()) for k, cell in enumerate(unknown)}


def _consistent(table, world, hidden, labels, count_rows, width) -> bool:
    if table.total_row:
        tr = labels.index(table.total_row)
        for c in range(1, width):
            if sum(world[(r, c)] for r in count_rows if r != tr) != world[(tr, c)]:
                return False
    if table.total_column:
        tc = table.header.index(table.total_column)
        for r in count_rows:
            if sum(world[(r, c)] for c in range(1, width) if c != tc) != world[(r, tc)]:
                return False
    for p in table.percentages:
        r, n, d = labels.index(p["row"]), labels.index(p["numerator"]), labels.index(p["denominator"])
        for c in range(1, width):
            num, den = world[(n, c)], world[(d, c)]
            if num > den:
                return False
            shown = table.rows[r][c]
            if (r, c) in hidden or shown == "-":
                continue
            if den == 0 or not (Decimal(shown) - Decimal("0.5") <= Decimal(100 * num) / den < Decimal(shown) + Decimal("0.5")):
                return False
    return True


tables = st.builds(
    lambda body, tr, tc, share: (body, tr, tc, share),
    st.integers(2, 3).flatmap(lambda w: st.lists(st.lists(st.integers(0, 6), min_size=w, max_size=w), min_size=2, max_size=3)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
@example(([[0, 1], [0, 0]], True, False, True))  # a hidden total and share over a column of 1s
@example(([[5, 1], [6, 0]], False, True, True))  # a share met again further up: 1, 7, 13, …
def test_no_hidden_cell_is_pinned_down_by_what_is_published(case):
    body, total_row, total_column, share = case
    if share:
        body[1] = [max(a, b) for a, b in zip(body[0], body[1])]  # the share's whole is at least its part
    table = make_table(body, total_row, total_column, share)
    threshold = 3
    decision = decide(project_with(table, threshold), Problems())
    hidden = set(decision.table_cells(table))
    count_rows = {r for r, u in enumerate(table.row_units) if u == "people"}
    unknown = [cell for cell in hidden if cell[0] in count_rows]
    # The oracle tries every value below a cap. A cell whose values change when the cap is
    # doubled is cut off by it (a hidden total, or a share met again further up), so the
    # enumeration cannot judge it; every other cell's values are all it can take.
    largest = max(int(table.rows[r][c]) for r in count_rows for c in range(1, len(table.header)))
    cap = (largest + threshold) * len(count_rows) + 1
    assume(unknown and (2 * cap) ** len(unknown) <= 3_000_000)
    seen, wider = published_worlds(table, hidden, cap), published_worlds(table, hidden, 2 * cap)
    for cell, values in seen.items():
        if wider[cell] != values:
            continue
        truth = int(table.rows[cell[0]][cell[1]])
        assert truth in values, (cell, values)  # the true table is one of the worlds
        assert max(values) >= threshold, f"{cell} is provably below {threshold}: {sorted(values)}\n{table.rows}"
        assert len(values) >= threshold, f"{cell} narrowed to {sorted(values)}\n{table.rows}"
        entry = decision.hidden[("table", "t", *cell)]
        if entry.high is not None and entry.high < cap:  # the oracle saw the whole range
            assert (entry.low, entry.high) == (min(values), max(values)), (cell, entry.range_text, sorted(values))


@settings(max_examples=40, deadline=None)
@given(tables)
def test_the_alternative_world_publishes_the_same_table(case):
    body, total_row, total_column, share = case
    if share:
        body[1] = [max(a, b) for a, b in zip(body[0], body[1])]
    table = make_table(body, total_row, total_column, share)
    threshold = 3
    project = project_with(table, threshold)
    decision = decide(project, Problems())
    hidden = decision.table_cells(table)
    assume(hidden)
    other = alternative_values(project, decision)
    count_rows = [r for r, u in enumerate(table.row_units) if u == "people"]
    world = {(r, c): int(table.rows[r][c]) for r in count_rows for c in range(1, len(table.header))}
    for (_, _, r, c), value in other.items():
        if r in count_rows:
            assert value == int(value) and value >= 0
            world[(r, c)] = int(value)
    labels = [row[0] for row in table.rows]
    assert _consistent(table, world, set(hidden), labels, count_rows, len(table.header))
    for (r, c), why in hidden.items():
        if r in count_rows and why == "primary":
            assert 0 < world[(r, c)] < threshold  # still hidden for itself
        elif r in count_rows:
            assert world[(r, c)] == 0 or world[(r, c)] >= threshold


# -- the cases the audit exists for ------------------------------------------------------
MSP_CSV = (
    "Measure,2023/24,unit\nCases where outcomes were expressed,10,people\n"
    "Outcomes fully achieved,3,people\nOutcomes partially achieved,6,people\n"
    "Outcomes fully or partially met,90,percent\n"
)
MSP_YAML = (
    "percentages:\n  - row: Outcomes fully or partially met\n"
    "    numerator: [Outcomes fully achieved, Outcomes partially achieved]\n"
    "    denominator: Cases where outcomes were expressed\n"
)


def msp(tiny):
    (tiny / "data/tables/msp.csv").write_text(MSP_CSV)
    meta = tiny / "data/tables/msp.yaml"
    meta.write_text(meta.read_text().replace("denominator_safe:", "# was:") + MSP_YAML)
    return tiny


def shown_cells(html: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r'<td class="num">(.*?)</td>', html)]


def test_msp_fully_achieved_cannot_be_worked_out_from_the_share_met(tiny):
    project = load_project(msp(tiny))
    assert [str(p) for p in project.problems] == []
    shown = shown_cells(Renderer(project, version="public").data_table("msp"))
    assert shown[1] == "[c]"
    # 90% of 10 minus 6 partially achieved gives 3 back unless more is hidden.
    assert not (shown[0] == "10" and shown[2] == "6" and shown[3] == "90%")
    values = set()
    for f, p, e in itertools.product(range(16), repeat=3):
        if (shown[0] != "[c]" and e != 10) or (shown[2] != "[c]" and p != 6) or f + p > e:
            continue
        if shown[3] != "[c]" and not (Decimal("89.5") <= (Decimal(100 * (f + p)) / e if e else -1) < Decimal("90.5")):
            continue
        values.add(f)
    assert max(values) >= 5 and len(values) >= 5, sorted(values)
    entry = decide(project).hidden[("table", "msp", 1, 1)]
    assert entry.why == "primary" and entry.low == min(values)


def test_redaction_report_gives_why_and_the_range(tiny):
    report = check_project(msp(tiny), lint=False)
    lines = [f"{e.kind} | {e.reason} | {e.detail}" for e in report.plan.entries if "table msp" in e.detail]
    assert any("primary: below 5" in line and "'Outcomes fully achieved'" in line and "could be 0–" in line for line in lines), (
        lines
    )
    assert any(line.startswith("secondary suppression | secondary:") for line in lines), lines


def test_a_declared_total_that_does_not_add_up_is_an_error_naming_it(tiny):
    (tiny / "data/tables/msp.csv").write_text(
        "Measure,2023/24,2024/25,unit\nWomen,10,12,people\nMen,8,9,people\nTotal,18,20,people\n"
    )
    meta = tiny / "data/tables/msp.yaml"
    meta.write_text(meta.read_text() + "totals: {row: Total}\n")
    msgs = [str(p) for p in check_project(tiny, lint=False).problems]
    assert (
        "data/tables/msp.csv:4: table 'msp': total row 'Total' does not add up in column '2024/25': the cells "
        "sum to 21 but the total is 20 (difference -1)"
    ) in " ".join(msgs), msgs
    assert not any("'2023/24'" in m for m in msgs)


def test_a_total_that_is_not_declared_is_a_warning_saying_how(tiny):
    (tiny / "data/tables/msp.csv").write_text("Measure,2023/24,unit\nWomen,10,people\nMen,8,people\nAll people,18,people\n")
    msgs = [str(p) for p in check_project(tiny, lint=False).problems]
    assert any(
        m.startswith("data/tables/msp.csv:4: warning: table 'msp': row 'All people' looks like a total")
        and "add 'totals: {row: All people}' to data/tables/msp.yaml" in m
        for m in msgs
    ), msgs


def test_shares_of_people_need_a_denominator_or_a_reason(tiny):
    (tiny / "data/tables/msp.csv").write_text("Group,Share of staff\nAsian,4\nBlack,16\nWhite,80\n")
    meta = tiny / "data/tables/msp.yaml"
    base = meta.read_text().replace("denominator_safe:", "# was:").replace("unit: people", "unit: percent")
    meta.write_text(base)
    msgs = [str(p) for p in check_project(tiny, lint=False).problems]
    assert any(
        m.startswith("data/tables/msp.csv:2: table 'msp': row 'Asian' is a percentage with no known denominator")
        and "denominator_safe" in m
        for m in msgs
    ), msgs
    # 4% and 16% of 25 people are 1 and 4 people: both hidden once the denominator is known.
    meta.write_text(base + "denominator: 25\nexclusive: true\n")
    project = load_project(tiny)
    assert [str(p) for p in project.problems] == []
    assert shown_cells(Renderer(project, version="public").data_table("msp")) == ["[c]", "[c]", "80%"]
    meta.write_text(base + "denominator_safe: shares of thousands of staff\n")
    assert [str(p) for p in check_project(tiny, lint=False).problems if str(p).startswith("data/tables/msp")] == []
    # A percentage metric with no denominator at all says how to give one.
    replace_in(tiny / "data/observations/core.csv", "2022/23,2023-03-31,58,58,100,", "2022/23,2023-03-31,58,,,")
    replace_in(tiny / "data/observations/core.csv", "2023/24,2024-03-31,67,67,100,", "2023/24,2024-03-31,67,,,")
    msgs = [str(p) for p in check_project(tiny, lint=False).problems]
    assert any(
        m.startswith("data/observations/core.csv:2: 'reviews_within_12m' 2022/23 is a percentage with no denominator")
        and "denominator_safe: <why>" in m
        for m in msgs
    ), msgs


def test_metric_links_are_checked_with_did_you_mean(tiny):
    replace_in(
        tiny / "data/metrics/core.yaml", "    stale_after_months: 72\n", "    stale_after_months: 72\n    part_of: residnts\n"
    )
    msgs = [str(p) for p in check_project(tiny, lint=False).problems]
    assert any("has part_of 'residnts', which is not a metric — did you mean residents?" in m for m in msgs), msgs


def test_parts_of_a_metric_protect_each_other(tiny):
    metrics = tiny / "data/metrics/core.yaml"
    metrics.write_text(
        metrics.read_text()
        + (
            "  - id: staff\n    label: Staff\n    definition: All staff.\n    unit: people\n    polarity: neutral\n"
            "    source: ev-case-records\n"
            "  - id: agency\n    label: Agency staff\n    definition: Agency staff.\n    unit: people\n"
            "    polarity: neutral\n    source: ev-case-records\n    part_of: staff\n"
            "  - id: permanent\n    label: Permanent staff\n    definition: Permanent staff.\n    unit: people\n"
            "    polarity: neutral\n    source: ev-case-records\n    part_of: staff\n"
        )
    )
    obs = tiny / "data/observations/core.csv"
    obs.write_text(
        obs.read_text().rstrip("\n") + "\nstaff,,2024,2024-12-31,25,,,2025-02-01,\n"
        "agency,,2024,2024-12-31,3,,,2025-02-01,\npermanent,,2024,2024-12-31,22,,,2025-02-01,\n"
    )
    project = load_project(tiny)
    decision = decide(project)
    # 3 agency staff is small; 22 permanent staff is hidden too, or 25 - 22 gives it away.
    assert decision.why(("obs", "agency", "", "2024")) == "primary"
    assert decision.hides(("obs", "permanent", "", "2024")) or decision.hides(("obs", "staff", "", "2024"))
    public = Renderer(project, version="public")
    assert "[c]" in public.figure("agency") and "3" not in re.sub(r"<[^>]+>", "", public.figure("agency"))


def test_a_table_drawn_as_a_chart_hides_the_same_cells_in_the_built_pages(tiny, tmp_path):
    msp(tiny)
    charts = tiny / "data/charts.yaml"
    charts.write_text(
        charts.read_text()
        + (
            "  - id: msp_outcomes\n    kind: composition\n    title: Outcomes\n    table: msp\n"
            "    rows: [Cases where outcomes were expressed, Outcomes fully achieved, Outcomes partially achieved]\n"
        )
    )
    charts.write_text(
        charts.read_text().replace(
            "    rows: [Asked about outcomes, Outcomes fully achieved]\n",
            "    rows: [Cases where outcomes were expressed, Outcomes fully achieved]\n",
        )
    )
    replace_in(tiny / "content/safety.md", '{{ data_table("msp") }}', '{{ data_table("msp") }}\n\n{{ chart("msp_outcomes") }}')
    out = tmp_path / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    html = (out / "public/safety/index.html").read_text()
    table = re.search(
        r'<div class="data-table"><table><caption>Making Safeguarding Personal</caption>.*?</table>', html, re.S
    ).group(0)
    table_cells = dict(zip(["expressed", "fully", "partially", "met"], shown_cells(table)))
    figure = re.search(r'<figure class="chart" id="chart-msp_outcomes">.*?</figure>', html, re.S).group(0)
    chart_table = re.search(r'<details class="chart-data">.*?</details>', figure, re.S).group(0)
    chart_cells = dict(zip(["expressed", "fully", "partially"], shown_cells(chart_table)))
    assert {k: table_cells[k] for k in chart_cells} == chart_cells, (table_cells, chart_cells)
    assert table_cells["fully"] == "[c]" and list(table_cells.values()).count("[c]") >= 2
    # The sentence under the title does not carry the hidden values either.
    sentence = re.search(r'<p class="chart-summary">(.*?)</p>', figure).group(1)
    for hidden, value in (("fully", "3"), ("partially", "6")):
        if table_cells[hidden] == "[c]":
            assert not re.search(rf"\b{value}\b", sentence), sentence
