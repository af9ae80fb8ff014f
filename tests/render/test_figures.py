"""What a chapter shows for a figure, a set of KPI tiles and a table."""

import re

import pytest
from conftest import shown_text as text
from selfeval.render.figures import FigureError, Renderer
from selfeval.project.model import load_project


@pytest.fixture
def renderer(tiny):
    return Renderer(load_project(tiny), figures_href="../figures/")


def test_figure_is_the_latest_value_with_its_provenance_behind_a_button(renderer):
    html = renderer.figure("reviews_within_12m")
    assert text(html) == "81%"
    button = re.search(r"<button ([^>]*)>81%</button>", html)
    assert button and 'aria-expanded="false"' in button.group(1) and 'type="button"' in button.group(1)
    assert "title=" not in html  # a tooltip reaches neither keyboard nor touch
    hidden = re.search(r"<span [^>]*\bhidden data-search-exclude>(.*?)</span></span>$", html).group(1)
    assert "April to December 2024" in hidden and "as of 1 February 2025" in hidden and "Case management records" in hidden
    # The one link, to the Figures page, is inside the provenance: no tab stop until it is opened.
    assert html.count("<a ") == 1 and 'href="../figures/#reviews_within_12m"' in hidden


def test_named_period_and_period_format(renderer):
    assert text(renderer.figure("reviews_within_12m", period="2023/24")) == "67%"
    assert text(renderer.figure("dols_days", show="period")) == "11 days (2024/25 year to date)"


def test_change_in_words(renderer):
    # Part of a year beside a whole year: set side by side, but never called a rise or a fall.
    assert text(renderer.figure("reviews_within_12m", show="change")) == (
        "81%, compared with 67% in 2023/24 (a whole year, so not like for like)"
    )
    assert renderer.change("dols_days") == "compared with 14 days in 2023/24 (a whole year, so not like for like)"
    assert text(renderer.change("reviews_within_12m", period="2023/24")) == "up from 58% in 2022/23"
    with pytest.raises(FigureError, match="no period before"):
        renderer.change("residents")


def test_unknown_ids_and_periods_suggest_close_matches(renderer):
    with pytest.raises(FigureError, match="unknown metric 'reviews_within_12' — did you mean reviews_within_12m?"):
        renderer.figure("reviews_within_12")
    with pytest.raises(FigureError, match="no period '2023/25'.*did you mean 2023/24"):
        renderer.figure("reviews_within_12m", period="2023/25")


def test_kpi_tiles_show_value_label_period_direction_and_target(renderer):
    html = renderer.kpi_tiles(["reviews_within_12m", "dols_days"])
    tiles = re.findall(r'<li class="kpi">(.*?)</li>', html)
    assert len(tiles) == 2
    first = text(tiles[0])
    assert "Reviews completed within 12 months" in first and "81%" in first and "April to December 2024" in first
    # Nine months beside a whole year: no arrow, no better or worse.
    assert "Compared with 67% in 2023/24 (a whole year, so not like for like)Target" in first
    assert "▲" not in tiles[0] and "(better)" not in first
    assert "Target 85%: not met" in first
    assert "Compared with 14 days in 2023/24 (a whole year, so not like for like)" in text(tiles[1])


def test_kpi_tiles_compare_like_with_like_when_the_data_allows(tiny):
    from conftest import replace_in

    from selfeval.project.model import load_project

    obs = tiny / "data/observations/core.csv"
    replace_in(obs, "dols_days,,2023/24,", "dols_days,,2023/24 year to date,2023-12-31,16,,,2024-02-01,\ndols_days,,2023/24,")
    renderer = Renderer(load_project(tiny))
    tile = text(renderer.kpi_tiles(["dols_days"]))
    assert "Down from 16 days in 2023/24 year to date (better)" in tile  # lower is better


def test_data_table_has_caption_headers_and_formatted_cells(renderer):
    html = renderer.data_table("msp")
    assert "<caption>Making Safeguarding Personal</caption>" in html
    assert '<th scope="col" class="num">2024/25 to date</th>' in html
    assert '<th scope="row">Fully or partly met</th> <td class="num">83%</td> <td class="num">90%</td>' in html
    assert "Source: Case management records" in html


def test_no_comparison_with_a_period_years_earlier(tiny):
    from conftest import replace_in

    # dols_days: 14 in 2023/24, 11 in 2024/25; move the earlier one back five years.
    replace_in(tiny / "data/observations/core.csv", "dols_days,,2023/24,2024-03-31", "dols_days,,2018/19,2019-03-31")
    renderer = Renderer(load_project(tiny))
    with pytest.raises(FigureError, match="no period before"):
        renderer.change("dols_days")
    assert "kpi-trend" not in renderer.kpi_tiles(["dols_days"])


def test_change_from_a_period_labelled_as_reported_reads_naturally():
    from selfeval.render.figures import in_period

    assert in_period("as reported April 2018") == "as reported April 2018"
    assert in_period("2023/24") == "in 2023/24"
    assert in_period("at 31 December 2024") == "at 31 December 2024"
