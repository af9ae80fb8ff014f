"""Open data: every figure, table and chart can be downloaded as CSV, with [c] where the page
shows [c], nothing the public version hides, and a data package describing the files.

The pages are the oracle: their HTML is read with the standard library's parser and the
CSVs with pandas, neither of which the build uses to write them."""

import json
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from selfeval.publish.build import main as build_main
from conftest import FIXTURES, add_small_and_restricted, replace_in

SAFETY = """# Safety

{{ data_table("msp") }}

{{ chart("msp_parts") }}

We supported {{ figure("carers_small") }} young carers this year.

::: restricted reason="commercially-sensitive"
{{ data_table("tender_bids") }}
:::
"""

TENDER_CSV = "Bidder,Bid,unit\nNorthwind Quillworks,77431,gbp\nSouthmere Ltd,81299,gbp\n"
TENDER_YAML = "caption: Bids for the home care tender\nsource: ev-case-records\nunit: gbp\n"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("opendata") / "tiny"
    shutil.copytree(FIXTURES / "tiny", root)
    (root / "content/safety.md").write_text(SAFETY)
    (root / "data/tables/tender_bids.csv").write_text(TENDER_CSV)
    (root / "data/tables/tender_bids.yaml").write_text(TENDER_YAML)
    add_small_and_restricted(root, "2024/25", "2025-01-31", "2025-02-01")
    replace_in(root / "mkdocs.yml", "  - attr_list\n", "  - admonition\n  - attr_list\n")
    out = root / "site"
    assert build_main(["--root", str(root), "--out", str(out)]) == 0
    return out


def frame(site: Path, path: str) -> pd.DataFrame:
    return pd.read_csv(site / "open-data" / path, dtype=str, keep_default_na=False)


class Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts, and every link's href."""

    def __init__(self):
        super().__init__()
        self.tables, self.links, self._cell = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "a":
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page(site: Path, url: str, after: str = "") -> Tables:
    """A page's tables and links; with ``after``, only those after that text (such as a figure's id)."""
    parser = Tables()
    html = (site / url / "index.html").read_text(encoding="utf-8")
    parser.feed(html[html.index(after) :] if after else html)
    return parser


def as_number(text: str) -> str:
    """A page's cell as the CSV writes it: '81%' → '81', '1,234' → '1234'."""
    return text.replace(",", "").replace("%", "").replace("£", "").strip()


def same_figure(shown: str, value: str) -> bool:
    """A page's rounded, unit-worded figure ('11 days', '£6.6 million') against the CSV's."""
    if shown == "[c]" or value == "[c]":
        return shown == value
    number = re.search(r"-?[\d,]*\.?\d+", shown)
    scale = 1_000_000 if "million" in shown else 1_000 if "thousand" in shown else 1
    page_value = float(number.group().replace(",", "")) * scale
    return abs(page_value - float(value)) <= 0.01 * max(1.0, abs(float(value)))


def test_public_figures_show_c_where_the_page_does_and_leave_out_restricted_metrics(sites):
    public, internal = frame(sites / "public", "figures.csv"), frame(sites / "internal", "figures.csv")
    assert public.loc[public.metric == "carers_small", "value"].tolist() == ["[c]"]
    assert internal.loc[internal.metric == "carers_small", "value"].tolist() == ["3"]
    assert "secret_spend" not in set(public.metric) and "secret_spend" in set(internal.metric)
    assert "numerator" not in public.columns and "numerator" in internal.columns
    every = (sites / "public/open-data").rglob("*")
    text = "".join(p.read_text(encoding="utf-8") for p in every if p.is_file())
    for secret in ("98765", "Spend on one placement", "Northwind Quillworks", "77431"):
        assert secret not in text


def test_each_figure_on_the_figures_page_matches_its_latest_row(sites):
    for version in ("public", "internal"):
        figures = frame(sites / version, "figures.csv")
        rows = [r for t in page(sites / version, "figures").tables for r in t[1:]]
        seen = 0
        for metric in figures.metric.unique():
            mine = figures[(figures.metric == metric) & (figures.area == "")].sort_values("period_end")
            label = mine.label.iloc[-1]
            shown = [r for r in rows if r and r[0].startswith(label)]
            assert shown, f"{metric} has rows in {version}'s figures.csv but no Figures entry"
            assert same_figure(shown[0][1], mine.value.iloc[-1]), (version, metric, shown[0][1])
            assert shown[0][2] == mine.period.iloc[-1]
            seen += 1
        assert seen >= 5


def test_table_csv_matches_the_page_cell_by_cell_with_c_in_the_same_places(sites):
    for version in ("public", "internal"):
        shown = next(t for t in page(sites / version, "safety").tables if t and t[0][0] == "Measure")
        data = frame(sites / version, "tables/msp.csv")
        assert list(data.columns) == shown[0]
        for csv_row, page_row in zip(data.values.tolist(), shown[1:], strict=True):
            assert [as_number(c) for c in page_row] == [c if c != "[x]" else "–" for c in csv_row]
    public = frame(sites / "public", "tables/msp.csv")
    assert "[c]" in public.values, "the tiny fixture's small counts are hidden in public"


def test_chart_csv_matches_its_figures_table(sites):
    for version in ("public", "internal"):
        shown = page(sites / version, "safety", after='id="chart-msp_parts"').tables[0]
        data = frame(sites / version, "charts/msp_parts.csv")
        assert shown[0][1:] == list(data.columns[1:])
        assert [[as_number(c) for c in r[1:]] for r in shown[1:]] == data.values[:, 1:].tolist()


def test_a_table_only_a_restricted_passage_shows_is_not_public_data(sites):
    assert not (sites / "public/open-data/tables/tender_bids.csv").exists()
    assert (sites / "internal/open-data/tables/tender_bids.csv").exists()


def test_pages_link_to_files_that_exist(sites):
    for version in ("public", "internal"):
        site = sites / version
        for url in ("figures", "safety"):
            links = [a["href"] for a in page(site, url).links if a.get("href", "").endswith((".csv", ".json"))]
            assert links, f"{version}/{url} links to no open data"
            for href in links:
                assert (site / posixpath.normpath(posixpath.join(url, href))).is_file(), href


def test_data_package_describes_every_file_with_licence_and_schema(sites):
    for version in ("public", "internal"):
        root = sites / version / "open-data"
        package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        assert package["licenses"][0]["title"] == "Open Government Licence v3.0"
        described = {r["path"] for r in package["resources"]}
        on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*.csv")}
        assert described == on_disk
        for resource in package["resources"]:
            header = list(pd.read_csv(root / resource["path"], nrows=0).columns)
            assert [f["name"] for f in resource["schema"]["fields"]] == [
                h if not h.startswith("Unnamed") else "category" for h in header
            ]
        figures = next(r for r in package["resources"] if r["path"] == "figures.csv")
        types = {f["name"]: f["type"] for f in figures["schema"]["fields"]}
        assert types["value"] == "number" and types["as_of"] == "date"
        assert "[c]" in figures["schema"]["missingValues"]
    notes = frame(sites / "public", "notes.csv")
    assert "[c]" in set(notes.symbol)
