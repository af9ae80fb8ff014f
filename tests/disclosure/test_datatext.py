"""Text from data is data: never a template, never markup, and never a way round redaction.

Every test builds a copy of the tiny project with hostile or restricted text in the data
files and reads the built HTML back with the standard library's HTML parser, independent
of the code that wrote it.
"""

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, replace_in
from test_publication import all_text

from selfeval.publish.build import main as build_main
from selfeval.checks import check_project
from selfeval.publish.committee import load_committee
from selfeval.disclosure.datatext import restricted_spans
from selfeval.project.model import load_project
from selfeval.publish.printdoc import assemble
from selfeval.problems import Problems
from selfeval.disclosure.redaction import reasons_of

# Front matter with quotes, markup, an ampersand and Jinja.
TITLE = 'Summary <script>alert(1)</script> "><img src=x onerror=alert(1)> & more {{ 6007*7 }}'
DESCRIPTION = 'Des <b>cription</b> "quoted" & more {{ 6007*7 }} <i>'
AUTHOR = 'Ann "Author" <b>bold</b> & co {{ 6007*7 }}'
NOTES = 'Notes "quoted" <b>bold</b> & <i>more</i> {{ 6007*7 }}'
# Jinja that would compute or run Python, and HTML that would run script, if placed raw.
HOSTILE = (
    "{{ 6007*7 }} {% raw %}kept{% endraw %} {{ cycler.__init__.__globals__.os.name }} "
    '<script>alert(1)</script> "><img src=x onerror=alert(1)> Fish & chips | tabled'
)


class Parsed(HTMLParser):
    """Text nodes, elements and attributes of one HTML document."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text, self.elements, self.scripts, self._in = [], [], [], None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        (self.scripts if self._in == "script" else self.text).append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def yaml_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def set_yaml(path: Path, old: str, key: str, value: str) -> None:
    """Replace the line ``old`` (e.g. '    title: Census 2021') with ``key: value``, quoted."""
    indent = old[: len(old) - len(old.lstrip())]
    replace_in(path, old + "\n", f"{indent}{key}: {yaml_str(value)}\n")


def write_table(root: Path, caption: str, note: str, header: str, row: str) -> None:
    (root / "data/tables/msp.yaml").write_text(
        f"caption: {yaml_str(caption)}\nnote: {yaml_str(note)}\nsource: ev-case-records\nunit: people\nas_of: 2025-02-01\n"
        "denominator_safe: a share of every safeguarding case in the year, not of the rows above\n"
    )
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerows(
        [
            ["Measure", header, "2023/24", "unit"],
            ["Asked about outcomes", 7, 15, "people"],
            ["Outcomes fully achieved", 4, 3, "people"],
            [row, 83, 90, "percent"],
        ]
    )
    (root / "data/tables/msp.csv").write_text(out.getvalue())


def write_committee(root: Path, summary: str) -> None:
    text = (FIXTURES / "committee.yaml").read_text(encoding="utf-8")
    start = text.index("summary: >")
    end = text.index("\nrecommendations:")
    (root / "data/committee.yaml").write_text(text[:start] + f"summary: {yaml_str(summary)}\n" + text[end:])


def fill(root: Path, make) -> None:
    """Put ``make(kind)`` in every kind of data text the tiny project shows."""
    register = root / "evidence_register.yaml"
    set_yaml(register, "    title: Census 2021", "title", make("evidence title"))
    replace_in(
        register,
        "    kind: dataset\n    date: 2022-06-28\n",
        f"    summary: {yaml_str(make('evidence summary'))}\n    kind: dataset\n    date: 2022-06-28\n",
    )
    set_yaml(register, "    title: Faster reviews", "title", make("area title"))
    set_yaml(register, "    outcome: Reviews happen within 12 months.", "outcome", make("area outcome"))
    set_yaml(register, "    description: Weekly review of cases coming due.", "description", make("action description"))
    core = root / "data/metrics/core.yaml"
    set_yaml(core, "    label: Residents", "label", make("metric label"))
    set_yaml(core, "    definition: Usual resident population.", "definition", make("metric definition"))
    write_table(root, make("table caption"), make("table note"), make("table header"), make("table cell"))
    charts = root / "data/charts.yaml"
    set_yaml(charts, "    title: Reviews against the target", "title", make("chart title"))
    replace_in(
        charts,
        "    metrics:\n      - reviews_within_12m\n",
        f"    note: {yaml_str(make('chart note'))}\n    metrics:\n      - reviews_within_12m\n",
    )
    write_committee(root, make("committee summary"))


def print_html(root: Path, out: Path, version: str) -> str:
    problems = Problems()
    return assemble(root, out / version, version, load_project(root).config, load_committee(root, problems))


@pytest.fixture
def hostile(tiny):
    fill(tiny, lambda kind: f"{kind}: {HOSTILE}")
    # A chapter's title and description go into the theme's page head and navigation; a page
    # with no heading and no title in the navigation is named by its front matter everywhere
    # (navigation, search index, PDF contents).
    replace_in(
        tiny / "content/index.md",
        "title: Summary\n",
        f"title: {yaml_str(TITLE)}\ndescription: {yaml_str(DESCRIPTION)}\n"
        f"author: {yaml_str(AUTHOR)}\nsubtitle: {yaml_str(AUTHOR)}\n",
    )
    (tiny / "content/notes.md").write_text(
        f"---\ntitle: {yaml_str(NOTES)}\ndescription: {yaml_str(DESCRIPTION)}\n---\n\n"
        "These notes have no heading of their own.\n",
        encoding="utf-8",
    )
    replace_in(tiny / "mkdocs.yml", "  - Safety: safety.md\n", "  - Safety: safety.md\n  - notes.md\n")
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    return tiny, out


def test_hostile_data_text_is_shown_as_text_and_never_run(hostile):
    root, out = hostile
    for version in ("internal", "public"):
        for name, text in all_text(out / version).items():
            assert "42049" not in text, f"{version}/{name}: Jinja in data text was rendered"
            if not name.startswith("assets/"):  # the theme's own scripts mention posix
                assert "posix" not in text, f"{version}/{name}: Jinja in data text ran Python"
            if not name.endswith(".html"):
                continue
            page = Parsed(text)
            assert not any("alert(1)" in s for s in page.scripts), f"{version}/{name}: a script from data text"
            assert not any("onerror" in attrs for _, attrs in page.elements), f"{version}/{name}: an onerror attribute"
            assert not any(tag == "img" and attrs.get("src") == "x" for tag, attrs in page.elements), name
        figures = Parsed((out / version / "figures/index.html").read_text()).plain
        assert f"metric label: {HOSTILE}" in figures and f"metric definition: {HOSTILE}" in figures
        evidence = Parsed((out / version / "evidence/index.html").read_text()).plain
        assert f"evidence title: {HOSTILE}" in evidence and f"evidence summary: {HOSTILE}" in evidence
        plan = Parsed((out / version / "areas-for-development-2025-26/index.html").read_text()).plain
        assert f"area title: {HOSTILE}" in plan and f"action description: {HOSTILE}" in plan
        safety = Parsed((out / version / "safety/index.html").read_text())
        for kind in ("table caption", "table note", "table header", "table cell", "chart title", "chart note"):
            assert f"{kind}: {HOSTILE}" in safety.plain, (version, kind)
        # The chart title is its caption's text; the picture is one image named by its kind.
        assert any(tag == "svg" and attrs.get("role") == "img" for tag, attrs in safety.elements)
        report = Parsed(print_html(root, out, version))
        assert f"committee summary: {HOSTILE}" in report.plain
        assert not any("onerror" in attrs for _, attrs in report.elements)


def test_page_title_and_description_are_escaped_in_the_head_and_navigation(hostile):
    root, out = hostile
    for version in ("internal", "public"):
        home = Parsed((out / version / "index.html").read_text())
        assert not any("onerror" in attrs for _, attrs in home.elements)
        assert not any(tag in ("b", "i") for tag, _ in home.elements)
        assert f"{TITLE} - Tiny self-evaluation" in home.plain, version  # the <title> in the head
        assert TITLE in home.plain.replace(f"{TITLE} - Tiny self-evaluation", ""), version  # the header
        assert AUTHOR in home.plain, version  # the navigation's subtitle
        metas = {attrs.get("name"): attrs.get("content") for tag, attrs in home.elements if tag == "meta"}
        assert metas["description"] == DESCRIPTION and metas["author"] == AUTHOR, (version, metas)


def test_a_front_matter_title_is_text_in_the_navigation_search_index_and_pdf(hostile):
    root, out = hostile
    for version in ("internal", "public"):
        notes = Parsed((out / version / "notes/index.html").read_text())
        assert not any("onerror" in attrs or tag == "b" for tag, attrs in notes.elements), version
        assert f"{NOTES} - Tiny self-evaluation" in notes.plain, version
        home = Parsed((out / version / "index.html").read_text())
        assert any(tag == "a" and attrs.get("href") == "notes/" for tag, attrs in home.elements)
        assert NOTES in home.plain, version  # its entry in every page's navigation
        # The theme's search shows an entry's title as HTML: read as HTML it must be the
        # title's text, with no element of its own.
        index = json.loads((out / version / "search/search_index.json").read_text(encoding="utf-8"))
        entries = [d for d in index["docs"] if d["location"].startswith("notes/")]
        assert entries, [d["location"] for d in index["docs"]]
        for entry in entries:
            for field in ("title", "text"):
                shown = Parsed(entry[field])
                assert not shown.elements or all(tag == "p" for tag, _ in shown.elements), (field, entry[field])
        assert Parsed(entries[0]["title"]).plain == NOTES, entries[0]["title"]
        assert all("42049" not in d["title"] + d["text"] for d in index["docs"])
        # The PDF names chapters by their headings and the navigation, not the front matter;
        # nothing of it may reach the PDF as markup or as a rendered template either way.
        report = Parsed(print_html(root, out, version))
        assert not any("onerror" in attrs or tag == "b" for tag, attrs in report.elements), version
        assert "42049" not in report.plain


def test_markdown_in_data_text_does_not_change_the_page(tiny):
    markdown = "# Not a heading | [a link](https://example.org/x) {: .injected } *not emphasis* `code`"
    set_yaml(tiny / "data/metrics/core.yaml", "    label: Residents", "label", markdown)
    set_yaml(tiny / "evidence_register.yaml", "    title: Census 2021", "title", "- " + markdown)
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out), "--version", "public"]) == 0
    for page, shown in (("figures", markdown), ("evidence", "- " + markdown)):
        parsed = Parsed((out / f"public/{page}/index.html").read_text())
        assert shown in parsed.plain, page
        assert not any(attrs.get("href") == "https://example.org/x" for _, attrs in parsed.elements), page
        assert not any("injected" in attrs.get("class", "") for _, attrs in parsed.elements), page
        assert not any(tag == "em" for tag, _ in parsed.elements), page
    # The Figures table keeps its six columns: the '|' did not split the row.
    figures = Parsed((out / "public/figures/index.html").read_text())
    cells = [tag for tag, _ in figures.elements if tag in ("td", "th")]
    assert len(cells) % 6 == 0


# -- restricted spans in data text -----------------------------------------------------------
def canary(kind: str) -> str:
    word = "".join(c for c in kind.title() if c.isalpha())
    return f'Shown words [Zeppelin{word} Quartermaine]{{.restricted reason="personal-data"}} after'


@pytest.fixture
def spans(tiny):
    fill(tiny, canary)
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    return tiny, out


def test_restricted_spans_in_data_text_never_reach_public_output(spans):
    root, out = spans
    public = all_text(out / "public")
    assert any(name.endswith(".svg") or "<svg" in text for name, text in public.items())
    for name, text in public.items():
        assert "zeppelin" not in text.lower() and "quartermaine" not in text.lower(), name
        assert ".restricted" not in text, name
    pdf = print_html(root, out, "public")
    assert "zeppelin" not in pdf.lower() and "quartermaine" not in pdf.lower()
    assert "Shown words [REDACTED] after" in Parsed(pdf).plain
    assert "Shown words [REDACTED] after" in Parsed((out / "public/figures/index.html").read_text()).plain


def test_restricted_spans_in_data_text_are_marked_in_the_internal_version(spans):
    root, out = spans
    figures = (out / "internal/figures/index.html").read_text()
    assert (
        '<span class="restricted" data-reason="personal-data"><span class="restricted-reason">'
        "Restricted — Personal data:</span> ZeppelinMetricLabel Quartermaine</span>"
    ) in figures
    safety_html = (out / "internal/safety/index.html").read_text()
    assert ".restricted" not in safety_html  # no marker syntax shown, in the HTML or the chart picture
    safety = Parsed(safety_html).plain
    # The chart's title is its caption, marked like any data text; the picture does not repeat it.
    assert "Shown words Restricted — Personal data: ZeppelinChartTitle Quartermaine after" in safety
    assert "<title>Shown words" not in safety_html
    assert "Restricted — Personal data: ZeppelinTableCaption Quartermaine" in safety
    assert "Restricted — Personal data: ZeppelinChartNote Quartermaine" in safety
    report = Parsed(print_html(root, out, "internal")).plain
    assert "Restricted — Personal data: ZeppelinCommitteeSummary Quartermaine" in report
    # The redaction report lists each one at its data file's line.
    csv_report = (out / "internal/redaction-report.csv").read_text()
    assert "data/metrics/core.yaml," in csv_report and "ZeppelinMetricLabel Quartermaine" in csv_report


def test_every_restricted_data_span_is_listed_with_its_line(tiny):
    fill(tiny, canary)
    listed = restricted_spans(tiny, reasons_of(load_project(tiny).config))
    found = {span.text: f"{span.path}:{span.line}" for span in listed}
    core = (tiny / "data/metrics/core.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(core, start=1) if "ZeppelinMetricLabel" in text)
    assert found["ZeppelinMetricLabel Quartermaine"] == f"data/metrics/core.yaml:{line}"
    assert {
        "ZeppelinCommitteeSummary Quartermaine",
        "ZeppelinTableCell Quartermaine",
        "ZeppelinChartTitle Quartermaine",
        "ZeppelinEvidenceTitle Quartermaine",
    } <= set(found)
    assert found["ZeppelinTableCell Quartermaine"] == "data/tables/msp.csv:4"
    # ...and the public leak scan looks for each of them.
    needles = {" ".join(n.words) for n in check_project(tiny).plan.needles}
    assert "zeppelinmetriclabel quartermaine" in needles and "zeppelincommitteesummary quartermaine" in needles


@pytest.mark.parametrize(
    "text, what",
    [
        ("'::: restricted'", "a restricted block in data text is not supported"),
        ("'Lead: [Dr Who]{.restrcted}'", "'{.restrcted}' looks like a restricted marker but is not one"),
        ("'Lead: [Dr Who]{.restricted reason=\"persnal-data\"}'", "unknown reason 'persnal-data'"),
        ("'Lead: Dr Who]{.restricted}'", "has no opening '['"),
    ],
)
def test_marker_like_data_text_that_is_not_a_span_is_an_error_at_its_line(tiny, text, what):
    core = tiny / "data/metrics/core.yaml"
    replace_in(core, "    label: Residents\n", f"    label: {text}\n")
    line = next(i for i, t in enumerate(core.read_text().splitlines(), start=1) if t.startswith("    label: '"))
    report = check_project(tiny)
    errors = [str(p) for p in report.problems.errors]
    assert any(e.startswith(f"data/metrics/core.yaml:{line}: ") and what in e for e in errors), errors


# -- titles from restricted headings ---------------------------------------------------------
def test_a_title_from_a_restricted_heading_stays_out_of_the_public_version(tiny):
    (tiny / "content/casework.md").write_text(
        '::: restricted reason="personal-data"\n# Mrs Ophelia Brackenthwaite\'s placement\n:::\n\n'
        '```\n# not a title either\n```\n\n# Casework review\n\nWe reviewed {{ figure("residents") }} cases.\n'
    )
    replace_in(tiny / "mkdocs.yml", "  - Safety: safety.md\n", "  - Safety: safety.md\n  - Casework: casework.md\n")
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out)]) == 0
    for version in ("internal", "public"):
        figures = Parsed((out / version / "figures/index.html").read_text()).plain
        assert "Casework review" in figures, version
    for name, text in all_text(out / "public").items():
        assert "brackenthwaite" not in text.lower(), name


def test_without_a_public_heading_the_title_is_the_file_name(tiny):
    (tiny / "content/casework-notes.md").write_text(
        '::: restricted\n# Mrs Ophelia Brackenthwaite\n:::\n\nWe reviewed {{ figure("residents") }} cases.\n'
    )
    replace_in(tiny / "mkdocs.yml", "  - Safety: safety.md\n", "  - Safety: safety.md\n  - Notes: casework-notes.md\n")
    out = tiny / "site"
    assert build_main(["--root", str(tiny), "--out", str(out), "--version", "public"]) == 0
    figures = Parsed((out / "public/figures/index.html").read_text()).plain
    assert "Casework notes" in figures and "Brackenthwaite" not in figures


def test_hostile_metric_label_in_a_chart_picture_is_text(tiny):
    from selfeval.render.charts.figure import ChartRenderer

    set_yaml(tiny / "data/metrics/core.yaml", "    label: Reviews completed within 12 months", "label", HOSTILE)
    report = check_project(tiny, lint=False)
    for version in ("internal", "public"):
        renderer = ChartRenderer(report.project, report.charts, version=version, threshold=5)
        figure = Parsed(renderer.chart("reviews_trend"))
        assert not any(tag in ("script", "img") for tag, _ in figure.elements), version
        assert not any("onerror" in attrs for _, attrs in figure.elements), version
        assert HOSTILE in figure.plain and "42049" not in figure.plain, version
