"""Charts: definitions checked with file and line, SVG and table that agree with the data,
no suppressed value in the public version, a narrow picture for phones whose labels fit,
and a cache that makes rebuilds identical."""

import html as htmllib
import re
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, replace_in

from selfeval.publish.build import main as build_main
from selfeval.render.charts import narrow
from selfeval.render.charts import theme
from selfeval.render.charts.figure import ChartRenderer
from selfeval.render.charts.narrow import build_narrow_spec
from selfeval.render.charts.svg import SvgRenderer, accessible_svg, build_spec, inputs_key
from selfeval.render.charts.data import load_charts, summary
from selfeval.checks import check_project
from selfeval.render.figures import FigureError
from selfeval.project.model import load_project
from selfeval.problems import Problems

SMALL_METRICS = """metrics:
  - id: msp_fully
    label: Outcomes fully achieved
    definition: Adults at risk whose desired outcomes were fully achieved.
    unit: people
    polarity: higher_is_better
    source: ev-case-records
  - id: msp_met_pct
    label: Outcomes fully or partly met
    definition: Share of adults at risk whose desired outcomes were fully or partly met.
    unit: percent
    polarity: higher_is_better
    source: ev-case-records
"""
# 3 people in 2023/24 (small); 67% of 4 people in 2024/25 (a small denominator).
SMALL_OBSERVATIONS = """metric,area,period,period_end,value,numerator,denominator,as_of,note
msp_fully,,2022/23,2023-03-31,12,,,2024-05-01,
msp_fully,,2023/24,2024-03-31,3,,,2024-05-01,
msp_fully,,2024/25 year to date,2024-12-31,40,,,2025-02-01,
msp_met_pct,,2022/23,2023-03-31,90,18,20,2024-05-01,
msp_met_pct,,2024/25 year to date,2024-12-31,67,,4,2025-02-01,
"""
SMALL_CHARTS = """
  - id: small_counts
    kind: trend
    mark: bar
    title: Outcomes fully achieved by year
    metrics: [msp_fully]
  - id: small_share
    kind: trend
    title: Outcomes met
    metrics: [msp_met_pct]
"""


@pytest.fixture
def small(tiny):
    """The tiny project with small numbers to suppress, and charts of them."""
    (tiny / "data/metrics/small.yaml").write_text(SMALL_METRICS, encoding="utf-8")
    (tiny / "data/observations/small.csv").write_text(SMALL_OBSERVATIONS, encoding="utf-8")
    with open(tiny / "data/charts.yaml", "a", encoding="utf-8") as f:
        f.write(SMALL_CHARTS)
    return tiny


def renderer(root, version="internal", cache=None):
    project = load_project(root)
    problems = Problems()
    charts = load_charts(project, problems)
    assert not problems.errors, [str(p) for p in problems]
    return ChartRenderer(project, charts, version=version, figures_href="../figures/", svg_renderer=SvgRenderer(cache))


def text_of(fragment):
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def table_rows(figure):
    """The data table as {row heading: [cell texts]}."""
    table = re.search(r"<details.*?<tbody>(.*?)</tbody>", figure, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table):
        cells = [text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        rows[cells[0]] = cells[1:]
    return rows


def svg_of(figure):
    """The wide picture (the first)."""
    return re.search(r"<svg.*?</svg>", figure, re.S).group(0)


def narrow_of(figure):
    return re.search(r'<svg[^>]*class="chart-svg chart-narrow".*?</svg>', figure, re.S).group(0)


def texts_of(svg):
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def readable_numbers(fragment):
    """Every number a person or a search could read: text, titles, labels, never coordinates."""
    texts = re.findall(r">([^<>]+)<", fragment)
    texts += re.findall(r'(?:aria-label|title|alt|content)="([^"]*)"', fragment)
    return {n for t in texts for n in re.findall(r"\d[\d,.]*", htmllib.unescape(t))}


# -- definitions and their errors -------------------------------------------------------------
def test_tiny_charts_load_and_check_clean(tiny):
    report = check_project(tiny)
    assert [str(p) for p in report.problems] == []
    assert list(report.charts) == ["reviews_trend", "reviews_target", "reviews_london", "msp_parts"]
    assert [p.src for p in report.cited_by["chart:reviews_target"]] == ["safety.md"]


def test_unknown_chart_in_a_page_names_page_line_and_close_match(tiny):
    replace_in(tiny / "content/safety.md", 'chart("reviews_target")', 'chart("reviews_targets")')
    messages = [str(p) for p in check_project(tiny).problems]
    assert "content/safety.md:7: unknown chart 'reviews_targets' — did you mean reviews_target? [unknown-name]" in messages


def test_chart_drawing_an_unknown_metric_names_the_charts_file_and_line(tiny):
    replace_in(tiny / "data/charts.yaml", "      - reviews_within_12m", "      - reviews_within_12")
    messages = [str(p) for p in check_project(tiny).problems]
    assert (
        "data/charts.yaml:10: chart 'reviews_target' draws unknown metric 'reviews_within_12' — did you mean reviews_within_12m? [unknown-name]"
    ) in messages
    # The page citing the broken chart is not blamed a second time.
    assert not any(m.startswith("content/safety.md") for m in messages), messages


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "kind: trend",
            "kind: trends",
            "data/charts.yaml:3: chart 'reviews_trend' has unknown kind 'trends' — did you mean trend?",
        ),
        ("table: msp", "table: mps", "data/charts.yaml:19: chart 'msp_parts' draws unknown table 'mps' — did you mean msp?"),
        (
            "rows: [Asked about outcomes,",
            "rows: [Asked about outcome,",
            "data/charts.yaml:20: chart 'msp_parts': table 'msp' has no row 'Asked about outcome' — did you mean Asked about outcomes?",
        ),
        (
            "    title: Reviews here and in London\n",
            "    title: Reviews here and in London\n    colour: red\n",
            "data/charts.yaml:14: chart 'reviews_london' has unknown field 'colour' — ",
        ),
        (
            "  - id: reviews_trend\n    kind: trend\n    title: Reviews completed within 12 months\n",
            "  - id: reviews_trend\n    kind: trend\n",
            "data/charts.yaml:2: chart 'reviews_trend' has no title",
        ),
        (
            "    metrics: [reviews_within_12m]\n    council",
            "    metrics: [dols_days]\n    council",
            "data/charts.yaml:14: chart 'reviews_london': metric 'dols_days' has no London or England figure",
        ),
    ],
)
def test_chart_definition_errors(tiny, old, new, expected):
    replace_in(tiny / "data/charts.yaml", old, new)
    messages = [str(p) for p in check_project(tiny).problems]
    assert any(m.startswith(expected) for m in messages), messages


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # A misspelt title is the misspelling, not also "has no title".
        (
            "    title: Reviews completed",
            "    titel: Reviews completed",
            "data/charts.yaml:4: chart 'reviews_trend' has unknown field 'titel' — did you mean title?",
        ),
        # A kind written as a list stopped every check with a traceback.
        ("kind: trend", "kind: [trend]", "data/charts.yaml:3: chart 'reviews_trend' has unknown kind"),
        # At the entry's line (it had none).
        ("  - id: msp_parts", "  - just a name\n  - id: msp_parts", "data/charts.yaml:16: a chart is not a mapping"),
    ],
)
def test_a_chart_definition_mistake_is_one_line(tiny, old, new, expected):
    replace_in(tiny / "data/charts.yaml", old, new)
    messages = [str(p) for p in check_project(tiny).problems]
    assert len(messages) == 1 and messages[0].startswith(expected), messages


def test_a_benchmark_names_the_comparators_the_project_sets(tiny):
    # Another council compares itself with its region: the chart and its error use those areas.
    replace_in(tiny / "data/project.yaml", "comparators: [London, England]", "comparators: [Inner London, England]")
    obs = tiny / "data/observations/core.csv"
    london = next(line for line in obs.read_text().splitlines(keepends=True) if line.startswith("reviews_within_12m,London,"))
    replace_in(obs, london, "")
    messages = [str(p) for p in check_project(tiny).problems]
    assert any(
        m.startswith(
            "data/charts.yaml:14: chart 'reviews_london': metric 'reviews_within_12m' has no Inner London or England figure"
        )
        and "add a row with area Inner London or England" in m
        for m in messages
    ), messages
    obs.write_text(obs.read_text() + london.replace("reviews_within_12m,London,", "reviews_within_12m,Inner London,"))
    report = check_project(tiny)
    assert report.ok, [str(p) for p in report.problems.errors]
    data = ChartRenderer(report.project, report.charts).data("reviews_london")
    assert "Inner London" in data.categories and "London" not in data.categories, data.categories


def test_target_chart_needs_a_metric_with_a_target_and_units_must_match(tiny):
    replace_in(tiny / "data/charts.yaml", "      - reviews_within_12m", "      - dols_days")
    replace_in(tiny / "data/charts.yaml", "metrics: [reviews_within_12m]", "metrics: [reviews_within_12m, dols_days]")
    messages = [str(p) for p in check_project(tiny).problems]
    assert any(
        m.startswith(
            "data/charts.yaml:9: chart 'reviews_target': metric 'dols_days' has no target — "
            "add 'target: ...' to it (data/metrics/core.yaml:"
        )
        for m in messages
    ), messages
    assert (
        "data/charts.yaml:5: chart 'reviews_trend' mixes units (days, percent) — draw measures of one unit in one chart [field-value]"
        in messages
    )


def test_unknown_chart_in_the_renderer_suggests_a_close_match(tiny):
    with pytest.raises(FigureError, match="unknown chart 'reviews_trnd' — did you mean reviews_trend?"):
        renderer(tiny).chart("reviews_trnd")


# -- what a chart shows -------------------------------------------------------------------------
def test_trend_figure_has_title_summary_svg_and_a_table_that_agree(tiny):
    figure = renderer(tiny).chart("reviews_trend")
    assert figure.startswith('<figure class="chart" id="chart-reviews_trend">')
    assert '<figcaption class="chart-title">Reviews completed within 12 months</figcaption>' in figure
    sentence = text_of(re.search(r'<p class="chart-summary">(.*?)</p>', figure).group(1))
    # Only the whole years are compared; the part year is named as one.
    assert sentence == (
        "Reviews completed within 12 months rose from 58% in 2022/23 to 67% in 2023/24, and 81% in "
        "April to December 2024 (part of a year, so not compared with whole years)."
    )
    assert table_rows(figure) == {"2022/23": ["58%"], "2023/24": ["67%"], "April to December 2024": ["81%"]}
    svg = svg_of(figure)
    assert 'role="img"' in svg
    # The title is announced once, by the caption: the picture's name says what kind it is.
    assert "<title>Line chart; its figures are in the table below it</title>" in svg and "<desc>" not in svg
    outside_table = figure.split('<details class="chart-data">')[0]
    assert outside_table.count("Reviews completed within 12 months") == 2  # the caption, and the sentence
    assert "aria-label" not in outside_table
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    for value in ("58%", "67%", "81%", "2022/23", "2023/24"):
        assert value in labels, labels
    assert "100%" in labels and "Per cent" in labels  # axis in GOV.UK percentages
    assert '<details class="chart-data"><summary>' in figure
    assert '<a href="../figures/#reviews_within_12m">Reviews completed within 12 months</a>' in figure


def test_svg_is_plain_text_and_shapes_without_script_or_embedded_specification(tiny):
    svg = svg_of(renderer(tiny).chart("reviews_london"))
    assert "<text" in svg and "\n" not in svg
    for absent in ("<script", "foreignObject", "$schema", "vega-lite", "datasets", "<metadata", "http://vega", "https://"):
        assert absent not in svg


def test_summaries_for_target_benchmark_and_composition(tiny):
    r = renderer(tiny)
    assert summary(r.data("reviews_target")) == (
        "Reviews completed within 12 months rose from 58% in 2022/23 to 67% "
        "in 2023/24, and 81% in April to December 2024 (part of a year, so not "
        "compared with whole years), short of its target of 85%."
    )
    target = r.chart("reviews_target")
    assert "Target 85%" in re.findall(r"<text[^>]*>([^<]*)</text>", svg_of(target))
    assert summary(r.data("reviews_london")) == (
        "Reviews completed within 12 months: 67% in Tiny Borough, compared with 72.5% in London (2023/24)."
    )
    assert table_rows(r.chart("reviews_london")) == {"Tiny Borough": ["67%"], "London": ["72.5%"]}
    parts = r.chart("msp_parts")
    assert table_rows(parts) == {"Asked about outcomes": ["7", "15"], "Outcomes fully achieved": ["4", "3"]}
    assert summary(r.data("msp_parts")) == (
        "In 2023/24, the largest part is Asked about outcomes at 15, followed by Outcomes fully achieved at 3."
    )


def test_money_is_labelled_in_pounds_with_commas(tiny):
    with open(tiny / "data/charts.yaml", "a", encoding="utf-8") as f:
        f.write("  - id: budget\n    kind: trend\n    mark: bar\n    title: Budget\n    metrics: [asc_budget]\n")
    svg = svg_of(renderer(tiny).chart("budget"))
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "£6,597,000" in labels
    ticks = [t for t in labels if t.startswith("£") and t != "£6,597,000"]
    assert ticks and all(re.fullmatch(r"£\d{1,3}(,\d{3})*", t) for t in ticks), ticks


# -- suppression --------------------------------------------------------------------------------
def test_public_chart_omits_and_notes_a_small_count(small):
    figure = renderer(small, "public").chart("small_counts")
    assert table_rows(figure) == {"2022/23": ["12"], "2023/24": ["[c]"], "2024/25 year to date": ["40"]}
    assert '<p class="chart-note">1 value is suppressed ([c]) because it counts fewer than 5 people.</p>' in figure
    assert "3" not in readable_numbers(figure)
    assert "[c]" in re.findall(r"<text[^>]*>([^<]*)</text>", svg_of(figure))  # marked where the bar would be
    assert summary(renderer(small, "public").data("small_counts")) == (
        "Outcomes fully achieved stood at 12 in 2022/23, and 40 in 2024/25 year to date (part of a year, so not "
        "compared with whole years)."
    )
    spec = build_spec(renderer(small, "public").data("small_counts"))
    assert 3 not in [row.get("value") for rows in spec.get("datasets", {}).values() for row in rows]


def test_public_chart_suppresses_a_percentage_of_few_people(small):
    figure = renderer(small, "public").chart("small_share")
    assert table_rows(figure) == {"2022/23": ["90%"], "2024/25 year to date": ["[c]"]}
    assert "is a percentage of fewer than 5 people" in figure
    assert "67" not in readable_numbers(figure)
    # The line stops where the value is suppressed rather than falling to zero.
    line = re.search(r'<g class="mark-line[^"]*"><path d="([^"]*)"', svg_of(figure)).group(1)
    assert "L" not in line, line


def test_internal_chart_shows_true_values_and_says_what_public_hides(small):
    figure = renderer(small, "internal").chart("small_counts")
    assert table_rows(figure)["2023/24"] == ["3"]
    assert "In the public version, 1 value is suppressed ([c]) because it counts fewer than 5 people." in figure


def test_threshold_is_a_parameter(small):
    r = renderer(small, "public")
    r.threshold = 13
    assert table_rows(r.chart("small_counts"))["2022/23"] == ["[c]"]
    assert "fewer than 13 people" in r.chart("small_counts")


def test_public_site_carries_no_suppressed_value_in_any_chart(small):
    (small / "content/charts.md").write_text(
        '# Charts\n\n{{ chart("small_counts") }}\n\n{{ chart("small_share") }}\n', encoding="utf-8"
    )
    replace_in(small / "mkdocs.yml", "  - Safety: safety.md", "  - Safety: safety.md\n  - Charts: charts.md")
    assert build_main(["--root", str(small), "--out", str(small / "site"), "--version", "public"]) == 0
    page = (small / "site/public/charts/index.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="chart".*?</figure>', page, re.S)
    assert len(figures) == 2
    numbers = set().union(*(readable_numbers(f) for f in figures))
    assert "3" not in numbers and "67" not in numbers and "12" in numbers
    index = (small / "site/public/search/search_index.json").read_text(encoding="utf-8")
    charts_entry = re.search(r'\{"location":"charts/".*?\}', index).group(0)
    assert not re.search(r"\b3\b|\b67\b", re.sub(r'"location":"[^"]*"', "", charts_entry))


# -- the look -----------------------------------------------------------------------------------
def test_palette_and_text_meet_wcag_contrast_on_white():
    assert all(theme.contrast_ratio(c) >= 3 for c in theme.PALETTE)
    assert theme.contrast_ratio(theme.TEXT) >= 4.5 and theme.contrast_ratio(theme.TARGET) >= 3
    assert theme.FONT_SIZE >= 12


def test_long_period_labels_wrap_rather_than_truncate():
    assert theme.wrap("April to December 2024", 14) == ["April to", "December 2024"]
    expr = theme.wrapped_label_expr(["2023/24", "April to December 2024"], 14)
    assert '["April to", "December 2024"]' in expr and "2023/24" not in expr


def test_many_periods_wrap_narrower_so_neighbouring_labels_do_not_touch(small):
    periods = [f"at 31 December {year}" for year in range(2019, 2025)]
    rows = "".join(f"msp_fully,,{p},{p[-4:]}-12-31,{10 + i},,,2025-02-01,\n" for i, p in enumerate(periods))
    (small / "data/observations/small.csv").write_text(SMALL_OBSERVATIONS.splitlines()[0] + "\n" + rows, encoding="utf-8")
    spec = build_spec(renderer(small).data("small_counts"))
    axis = spec["layer"][0]["encoding"]["x"]["axis"]["labelExpr"]
    # Six periods share 600 pixels: each label breaks into lines short enough to fit its 100.
    assert '["at 31", "December", "2024"]' in axis
    assert theme.WIDTH / len(periods) >= 8 * max(len(w) for w in ["at 31", "December", "2024"])


def test_ids_inside_an_svg_are_made_unique_per_chart():
    svg = '<svg width="10"><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"/></svg>'
    out = accessible_svg(svg, "dols", "Title", "A sentence.")
    assert 'id="chart-dols-clip1"' in out and "url(#chart-dols-clip1)" in out and 'id="clip1"' not in out
    assert out.startswith('<svg width="10" class="chart-svg chart-wide" role="img" focusable="false"><title>Title</title>')
    # The narrow picture of the same chart sits beside it on the page: its ids differ.
    small = accessible_svg(svg, "dols", "Title", "", narrow=True)
    assert 'id="chart-dols-narrow-clip1"' in small and "url(#chart-dols-narrow-clip1)" in small
    assert small.startswith('<svg width="10" class="chart-svg chart-narrow" role="img" focusable="false"><title>Title</title>')


# -- the narrow picture, for phones -------------------------------------------------------------
def drawn_texts(svg):
    """Each text of a drawn SVG: its words, its size and its corners in the picture's pixels
    (through every translation and rotation around it, with the font's letter widths)."""
    import math
    import xml.etree.ElementTree as ET

    def times(m, n):  # two affine maps (a, b, c, d, e, f), m after n
        a, b, c, d, e, f = m
        return (
            a * n[0] + c * n[1],
            b * n[0] + d * n[1],
            a * n[2] + c * n[3],
            b * n[2] + d * n[3],
            a * n[4] + c * n[5] + e,
            b * n[4] + d * n[5] + f,
        )

    def matrix(transform):
        m = (1, 0, 0, 1, 0, 0)
        for kind, args in re.findall(r"(translate|rotate)\(([^)]*)\)", transform):
            numbers = [float(n) for n in re.split(r"[\s,]+", args.strip())]
            if kind == "translate":
                m = times(m, (1, 0, 0, 1, numbers[0], numbers[1] if len(numbers) > 1 else 0))
            else:
                r = math.radians(numbers[0])
                m = times(m, (math.cos(r), math.sin(r), -math.sin(r), math.cos(r), 0, 0))
        return m

    out = []

    def walk(node, m):
        m = times(m, matrix(node.get("transform", "")))
        if node.tag.endswith("}text"):
            size = float((node.get("font-size") or "14px").removesuffix("px"))
            spans = node.findall("{http://www.w3.org/2000/svg}tspan")
            lines = [s.text or "" for s in spans] if spans else [node.text or ""]
            below = sum(float(s.get("dy", 0)) for s in spans[1:])
            wide = max(theme.text_width(line, size) for line in lines)
            left = {"start": 0, "middle": -wide / 2, "end": -wide}[node.get("text-anchor", "start")]
            box = [
                (left, -0.905 * size),
                (left + wide, -0.905 * size),
                (left + wide, below + 0.212 * size),
                (left, below + 0.212 * size),
            ]
            out.append((" ".join(lines), size, [(m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]) for x, y in box]))
        for child in node:
            walk(child, m)

    walk(ET.fromstring(svg), (1, 0, 0, 1, 0, 0))
    return out


def apart(a, b):
    """Whether two convex shapes (lists of corners) are apart: an edge of one separates them."""
    for shape in (a, b):
        for (x0, y0), (x1, y1) in zip(shape, shape[1:] + shape[:1]):
            nx, ny = y1 - y0, x0 - x1
            pa, pb = [x * nx + y * ny for x, y in a], [x * nx + y * ny for x, y in b]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return True
    return False


def overlaps(svg):
    texts = [t for t in drawn_texts(svg) if t[0].strip()]
    return [(a[0], b[0]) for i, a in enumerate(texts) for b in texts[i + 1 :] if not apart(a[2], b[2])]


def picture_width(svg):
    return float(re.search(r'<svg\b[^>]*\bwidth="([\d.]+)"', svg).group(1))


def test_a_chart_has_a_wide_and_a_narrow_picture_with_one_name(tiny):
    figure = renderer(tiny).chart("reviews_target")
    pictures = re.findall(r"<svg\b[^>]*>", figure)
    assert len(pictures) == 2
    assert 'class="chart-svg chart-wide"' in pictures[0] and 'class="chart-svg chart-narrow"' in pictures[1]
    names = re.findall(r"<svg\b[^>]*><title>([^<]*)</title>", figure)
    assert names == ["Line chart with its target; its figures are in the table below it"] * 2
    ids = re.findall(r'\bid="([^"]+)"', figure)
    assert len(ids) == len(set(ids))
    small = narrow_of(figure)
    assert picture_width(small) <= theme.NARROW_WIDTH < picture_width(svg_of(figure))
    # The same figures and target; the latest, just under the target line, is labelled below its point.
    assert {"58%", "67%", "81%", "Target 85%", "2022/23", "2023/24"} <= set(texts_of(small))
    assert not overlaps(small)


@pytest.mark.parametrize("version", ["internal", "public"])
def test_every_default_chart_has_a_narrow_picture_that_fits_a_phone_at_full_size(version):
    report = check_project(REPO)
    charts = ChartRenderer(report.project, report.charts, version=version)
    for chart_id in report.charts:
        if not charts.data(chart_id).series:
            continue
        small = narrow_of(charts.chart(chart_id))
        # Drawn at most 320 px wide, so on a 320 px phone its text is at least its design size.
        assert picture_width(small) <= theme.NARROW_WIDTH, chart_id
        sizes = [size for _, size, _ in drawn_texts(small)]
        assert min(sizes) >= theme.SMALL_FONT_SIZE, chart_id
        assert not overlaps(small), (chart_id, overlaps(small))


def test_narrow_periods_wrap_then_slant_then_thin_and_the_latest_is_always_named():
    three = ["2022/23", "2023/24", "April to December 2024"]
    assert narrow.periods_layout(three, 60).angle == 0
    assert narrow.periods_layout(three, 60).lines["April to December 2024"] == ["April to", "December", "2024"]
    six = [f"at 31 December {year}" for year in range(2019, 2025)]
    slanted = narrow.periods_layout(six, 60)
    assert slanted.angle == -45 and slanted.named == six
    # The first labels reach down to the left, past the value axis: the plot starts further in.
    assert slanted.left > 60 and slanted.left + slanted.width <= theme.NARROW_WIDTH - 2 * narrow.PADDING
    years = [f"{year}/{(year + 1) % 100:02d}" for year in range(2004, 2025)]
    thinned = narrow.periods_layout(years, 60)
    assert thinned.angle == -45 and thinned.named[-1] == years[-1] and len(thinned.named) < len(years)
    every = years.index(thinned.named[1]) - years.index(thinned.named[0])
    assert thinned.width / len(years) * every * narrow.SLANT >= theme.LINE_HEIGHT + narrow.GAP


def many_periods(small, values, metric="msp_fully"):
    rows = "".join(f"{metric},,{2000 + i}/{(i + 1) % 100:02d},{2001 + i}-03-31,{v},,,2025-02-01,\n" for i, v in enumerate(values))
    (small / "data/observations/small.csv").write_text(SMALL_OBSERVATIONS.splitlines()[0] + "\n" + rows, encoding="utf-8")


@pytest.mark.parametrize(
    "mark, values",
    [
        ("bar", [120, 135, 128, 160, 171, 149, 188, 176, 190, 205, 199, 230]),
        ("line", [120, 135, 128, 160, 171, 149, 188, 176, 190, 205, 199, 230]),
        ("line", [50, 90, 10, 95, 5, 99, 1, 97, 3, 92, 8, 60]),
        ("bar", [3, 40, 41, 2, 39, 1, 38, 37, 4, 36, 35, 34]),
    ],
)
def test_narrow_value_labels_never_meet_and_the_latest_is_labelled(small, mark, values):
    many_periods(small, values)
    if mark == "line":
        replace_in(
            small / "data/charts.yaml",
            "    kind: trend\n    mark: bar\n    title: Outcomes fully achieved",
            "    kind: trend\n    title: Outcomes fully achieved",
        )
    for version in ("internal", "public"):
        figure = renderer(small, version).chart("small_counts")
        small_svg = narrow_of(figure)
        assert not overlaps(small_svg), overlaps(small_svg)
        assert picture_width(small_svg) <= theme.NARROW_WIDTH
        latest = str(values[-1])
        assert latest in texts_of(small_svg)
        # Some figures are left unlabelled in the picture; the table has every one.
        assert len(table_rows(figure)) == len(values)


def test_narrow_horizontal_bars_have_their_names_above_them_and_room_for_their_labels(tiny):
    small = narrow_of(renderer(tiny).chart("msp_parts"))
    texts = {t: corners for t, _, corners in drawn_texts(small)}
    assert not overlaps(small) and picture_width(small) <= theme.NARROW_WIDTH
    # Each name starts at the plot's left edge (the axis's first label, 0, is centred on it),
    # above its bar's value label.
    assert texts["Asked about outcomes"][0][0] <= narrow.PADDING + theme.text_width("0") / 2 + 1
    assert texts["Asked about outcomes"][2][1] < texts["15"][0][1]
    # The longest bar's label ends inside the picture.
    assert max(x for x, _ in texts["15"]) <= picture_width(small) - narrow.PADDING


def test_a_narrow_legend_is_one_line_when_it_fits_and_one_series_a_line_when_not(small):
    many_periods(small, [10, 12, 14])
    data = renderer(small).data("small_counts")
    assert build_narrow_spec(data)["layer"][0]["encoding"]["color"]["legend"] is None  # one series

    def legend(names):
        for p, name in zip(data.points, names * len(data.points)):
            p.series = name
        data.series = list(names)
        return build_narrow_spec(data)["layer"][0]["encoding"]["color"]["legend"]

    assert legend(["Applications", "Authorisations"])["direction"] == "horizontal"
    long = legend(["Adults in residential care, as counted in 2018", "Adults living in residential care"])
    # From the picture's left edge, not the plot's, so the longest name fits.
    assert long["direction"] == "vertical" and long["columns"] == 1 and long["legendX"] < 0


def test_narrow_scale_and_ticks_are_round_and_labelled_as_drawn():
    assert narrow.nice_top(49.45) == 50 and narrow.nice_top(8.05) == 10 and narrow.nice_top(100) == 100
    assert narrow.ticks(50, 5) == [0, 10, 20, 30, 40, 50] and narrow.ticks(10, 5) == [0, 2, 4, 6, 8, 10]
    assert narrow.tick_text(6597000, "gbp") == "£6,597,000" and narrow.tick_text(0.5, "percent") == "0.5%"
    assert narrow.tick_text(1500, "count") == "1,500"
    # Arial's widths, which Liberation Sans shares: what a browser measures.
    assert round(theme.text_width("2014/15"), 1) == 50.6 and round(theme.text_width("December"), 1) == 64.6
    assert theme.wrap_to("April to December 2024", 70) == ["April to", "December", "2024"]


# -- cache and determinism ----------------------------------------------------------------------
def test_cache_serves_an_unchanged_chart_without_drawing_it_again(tiny, tmp_path):
    cache = tmp_path / "cache"
    first = renderer(tiny, cache=cache)
    svg_first = [first.chart(c) for c in ("reviews_trend", "reviews_london")]
    # Each chart has two pictures, wide and narrow, each kept under its own key.
    assert first.svg_renderer.renders == 4 and len(list(cache.glob("*.svg"))) == 4
    assert len(list((cache / "inputs").iterdir())) == 4
    again = renderer(tiny, cache=cache)
    assert [again.chart(c) for c in ("reviews_trend", "reviews_london")] == svg_first
    assert again.svg_renderer.renders == 0 and again.svg_renderer.specs == 0
    # A changed figure changes the specification, so that chart alone is drawn again.
    replace_in(tiny / "data/observations/core.csv", "2022/23,2023-03-31,58", "2022/23,2023-03-31,59")
    changed = renderer(tiny, cache=cache)
    assert changed.chart("reviews_london") == svg_first[1]
    assert "59%" in changed.chart("reviews_trend")
    assert changed.svg_renderer.renders == 2 and changed.svg_renderer.specs == 2


def test_the_two_pictures_of_a_chart_have_their_own_cache_keys(tiny):
    data = renderer(tiny).data("reviews_trend")
    assert inputs_key(data) != inputs_key(data, narrow=True) == inputs_key(data, narrow=True)


def test_a_damaged_cache_entry_is_drawn_again(tiny, tmp_path):
    cache = tmp_path / "cache"
    first = renderer(tiny, cache=cache).chart("reviews_trend")
    for picture in cache.glob("*.svg"):
        picture.write_bytes(b"\xff\xfe not text")
    again = renderer(tiny, cache=cache)
    assert again.chart("reviews_trend") == first and again.svg_renderer.renders == 2
    for picture in cache.glob("*.svg"):
        picture.unlink()
    third = renderer(tiny, cache=cache)
    assert third.chart("reviews_trend") == first and third.svg_renderer.renders == 2


@pytest.mark.parametrize("version", ["internal", "public"])
def test_every_default_chart_is_a_valid_vega_lite_specification(version):
    # The build skips Altair's schema check for speed; this is where it is done.
    report = check_project(REPO)
    for chart_id in report.charts:
        data = ChartRenderer(report.project, report.charts, version=version).data(chart_id)
        if data.series:
            build_spec(data, validate=True)
            build_narrow_spec(data, validate=True)


def test_same_input_gives_the_same_svg_bytes_without_a_cache(tiny):
    spec = build_spec(renderer(tiny).data("reviews_target"))
    a, b = SvgRenderer(None), SvgRenderer(None)
    assert a.svg(spec) == b.svg(spec) and a.renders == b.renders == 1


def test_rebuild_gives_identical_pages_and_reuses_the_cache(tiny):
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    page = out / "public/safety/index.html"
    before = page.read_bytes()
    cached = {p.name: p.stat().st_mtime_ns for p in (tiny / ".cache/charts").glob("*.svg")}
    assert len(cached) == 2  # internal and public draw the same two pictures when nothing is suppressed
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    assert page.read_bytes() == before
    assert {p.name: p.stat().st_mtime_ns for p in (tiny / ".cache/charts").glob("*.svg")} == cached
    assert b'<figure class="chart" id="chart-reviews_target">' in before


@pytest.mark.skipif(not shutil.which("unshare"), reason="needs unshare to cut the network")
def test_drawing_needs_no_network(tiny):
    cut = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
    if cut.returncode != 0:
        pytest.skip("this machine does not allow a private network namespace")
    code = (
        "import sys;"
        "from selfeval.project.model import load_project; from selfeval.problems import Problems;"
        "from selfeval.render.charts.data import load_charts; from selfeval.render.charts.figure import ChartRenderer;"
        "p = load_project(sys.argv[1]); c = load_charts(p, Problems());"
        "print(ChartRenderer(p, c).chart('reviews_trend'))"
    )
    run = subprocess.run(
        ["unshare", "-rn", sys.executable, "-c", code, str(tiny)], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "<svg" in run.stdout and "81%" in run.stdout


def test_summaries_compare_like_periods_only():
    from decimal import Decimal

    from selfeval.render.charts.data import ChartData, ChartDef, Point, comparable, summary as say

    # Whole years with whole years, counts on a day with counts on a day, and parts of years only
    # when they cover the same months.
    assert comparable("2022/23", "2023/24") and comparable("at 31 March 2018", "at 31 December 2024")
    assert comparable("April to December 2023", "April to December 2024")
    assert comparable("2023/24 year to date", "2024/25 year to date")
    assert not comparable("2023/24", "2024/25 year to date") and not comparable("2023/24", "April to December 2024")
    assert not comparable("April to June 2024", "April to December 2024")
    assert not comparable("2023/24", "at 31 March 2024")

    def data(*points):
        return ChartData(
            chart=ChartDef(id="c", kind="trend", title="Concerns"),
            version="internal",
            threshold=5,
            categories=[p for p, _ in points],
            series=["Concerns"],
            unit="count",
            points=[Point("Concerns", p, Decimal(v), "count", period=p) for p, v in points],
        )

    assert say(data(("April to December 2023", 31), ("April to December 2024", 40))) == (
        "Concerns rose from 31 in April to December 2023 to 40 in April to December 2024."
    )
    assert say(data(("2022/23", 13), ("2023/24", 20), ("2024/25 year to date", 25))) == (
        "Concerns rose from 13 in 2022/23 to 20 in 2023/24, and 25 in 2024/25 year to date (part of a year, so not "
        "compared with whole years)."
    )
    assert say(data(("April to December 2023", 64), ("2023/24", 67), ("April to December 2024", 81))) == (
        "Concerns stood at 67 in 2023/24, and rose from 64 in April to December 2023 to 81 in April to December "
        "2024 (the same months of each year, compared only with each other)."
    )
    assert say(data(("April to June 2024", 9), ("April to December 2024", 25))) == (
        "Concerns stood at 9 in April to June 2024 and 25 in April to December 2024 (parts of a year covering "
        "different months, so not compared)."
    )
