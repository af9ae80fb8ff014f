"""Finding macro calls in a page: each text is parsed once per process, and what is found
is placed at the file and line of whoever asks."""

import jinja2
import pytest

from selfeval.content.citations import calls_in
from selfeval.problems import Problems
from selfeval.render.macros import MACROS, Macro, Param, figure_renderer, register


@pytest.fixture
def parses(monkeypatch):
    """How many times Jinja parses a text."""
    count = []
    parse = jinja2.Environment.parse

    def counted(self, source, *args, **kwargs):
        count.append(source)
        return parse(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "parse", counted)
    return count


def test_a_text_is_parsed_once_and_placed_at_each_file_and_line(parses):
    text = '# Once\n\n{{ figure("residents", period="2021") }}\n{{ figure(metric="x") }} {{ x | nosuch }}\n'
    first, second = Problems(), Problems()
    here = calls_in(text, "content/once.md", first)
    there = calls_in(text, "content/elsewhere.md", second, line_offset=10)
    assert parses == [text]
    assert [(c.macro, c.args, c.path, c.line) for c in here] == [
        ("figure", {"id": "residents", "period": "2021"}, "content/once.md", 3)
    ]
    assert [(c.path, c.line) for c in there] == [("content/elsewhere.md", 13)]
    assert [str(p) for p in first] == [
        "content/once.md:4: unknown filter 'nosuch' — remove '| nosuch' [macro-call]",
        "content/once.md:4: figure() has no argument 'metric' — its arguments are: id, period, show [macro-call]",
    ]
    assert [str(p) for p in second] == [
        "content/elsewhere.md:14: unknown filter 'nosuch' — remove '| nosuch' [macro-call]",
        "content/elsewhere.md:14: figure() has no argument 'metric' — its arguments are: id, period, show [macro-call]",
    ]


def test_a_syntax_error_is_reported_at_each_place_from_one_parse(parses):
    text = "# Broken once\n\n{% if owner %}\nText\n"
    for where, offset in (("content/a.md", 0), ("content/b.md", 4)):
        problems = Problems()
        assert calls_in(text, where, problems, line_offset=offset) == []
        assert [str(p) for p in problems] == [
            f"{where}:{3 + offset}: '{{% if %}}' is never closed — add '{{% endif %}}' where the part it governs ends [macro-call]"
        ]
    assert parses == [text]


def test_names_are_checked_against_each_callers_own_names(parses):
    text = "# Names once\n\nBy {{ owner }} on {{ figure('residents') }}.\n"
    known, unknown, unchecked = Problems(), Problems(), Problems()
    calls_in(text, "content/a.md", known, names=["owner"])
    calls_in(text, "content/a.md", unknown, names=[])
    calls_in(text, "content/a.md", unchecked)
    assert list(known) == [] and list(unchecked) == []
    assert [p.what for p in unknown] == ["unknown name 'owner' in {{ … }}"]
    assert parses == [text]


def test_calls_from_one_parse_do_not_share_their_arguments():
    text = '# Shared once\n\n{{ kpi_tiles(["residents", "dols_days"]) }}\n'
    first = calls_in(text, "content/a.md", Problems())
    first[0].args["ids"].append("changed")
    assert calls_in(text, "content/a.md", Problems())[0].args == {"ids": ["residents", "dols_days"]}


def test_a_macro_registered_after_a_text_was_parsed_is_found_in_it():
    text = '# Later once\n\n{{ later("residents") }}\n'
    before = Problems()
    assert calls_in(text, "content/a.md", before, names=[]) == []
    assert [p.what for p in before] == ["unknown name 'later' in {{ … }}"]
    register(Macro("later", (Param("id", "metric"),), figure_renderer, method="figure"))
    try:
        after = Problems()
        assert [(c.macro, c.args) for c in calls_in(text, "content/a.md", after, names=[])] == [("later", {"id": "residents"})]
        assert list(after) == []
    finally:
        del MACROS["later"]
