"""The macro registry: a macro declared once is rendered, checked and reported everywhere.

A macro added to the registry alone must reach every place that deals with macros: the
mkdocs-macros module, ``selfeval check``, the redaction report and the leak scan. These
tests add one (``headline``) in a fixture and look for it in each place, so a place that
kept its own list of macros would fail them.
"""

import inspect

import pytest
from conftest import add_page, add_small_and_restricted, assert_problem

from selfeval.adapters.mkdocs.macros import define_env
from selfeval.checks import check_project
from selfeval.cli import check as check_main
from selfeval.disclosure.redaction import report_csv
from selfeval.publish.bench import rename_in_page
from selfeval.render.macros import MACROS, REQUIRED, Macro, Param, Rendering, figure_renderer, register


def _check_headline(call, checking):
    if call.args["id"] not in checking.project.metrics:
        checking.problems.add(
            call.path,
            call.line,
            f"headline '{call.args['id']}' is not a metric",
            "name one in data/metrics/",
            code="unknown-name",
        )


def _headline_hides(call, project, charts):
    yield project.latest(call.args["id"])


HEADLINE = Macro(
    "headline",
    (Param("id", "metric"),),
    figure_renderer,
    _check_headline,
    _headline_hides,
    method="figure",
)


@pytest.fixture
def headline():
    """``headline("metric")``: a macro the tool does not ship, registered for one test."""
    register(HEADLINE)
    yield HEADLINE
    del MACROS[HEADLINE.name]


class FakeEnv:
    """What mkdocs-macros hands a module's ``define_env``: the configuration, the page, and
    ``macro()`` to register a function under a name."""

    def __init__(self, root, version):
        self.conf = {
            "config_file_path": str(root / "mkdocs.yml"),
            "docs_dir": str(root / "content"),
            "extra": {"selfeval": {"root": str(root), "version": version}},
        }
        self.page = None
        self.macros = {}

    def macro(self, function, name):
        self.macros[name] = function


def test_every_macro_in_the_registry_is_registered_with_mkdocs_macros(tiny):
    env = FakeEnv(tiny, "internal")
    define_env(env)
    assert set(env.macros) == set(MACROS)


def test_an_added_macro_is_registered_with_mkdocs_macros_and_renders_each_version(tiny, headline):
    add_small_and_restricted(tiny, "2024/25", "2025-01-31", "2025-02-01")
    rendered = {}
    for version in ("internal", "public"):
        env = FakeEnv(tiny, version)
        define_env(env)
        assert "headline" in env.macros
        rendered[version] = env.macros["headline"]("carers_small")
    assert 'class="hidden-in-public"' in rendered["internal"] and ">3<" in rendered["internal"]
    assert "[c]" in rendered["public"] and ">3<" not in rendered["public"]


def test_an_added_macro_is_parsed_and_checked_by_selfeval_check(tiny, headline, capsys):
    add_page(tiny, "headline.md", '# Headline\n\nOur headline is {{ headline("residnts") }}.\n')
    assert check_main(["--root", str(tiny)]) == 1
    assert_problem(
        capsys.readouterr().err, "content/headline.md", 3, "headline 'residnts' is not a metric", "data/metrics", only=True
    )
    report = check_project(tiny)
    assert [(c.macro, c.args) for p in report.pages if p.src == "headline.md" for c in p.calls] == [
        ("headline", {"id": "residnts"})
    ]


def test_an_added_macro_is_in_the_redaction_report_and_the_leak_scan(tiny, headline):
    add_small_and_restricted(tiny, "2024/25", "2025-01-31", "2025-02-01")
    add_page(tiny, "carers.md", '# Carers\n\nWe supported {{ headline("carers_small") }} young carers this year.\n')
    report = check_project(tiny)
    assert report.ok, [str(p) for p in report.problems]
    entries = [e for e in report.plan.entries if e.page == "content/carers.md"]
    assert [(e.line, e.kind) for e in entries] == [(3, "small number")]
    assert entries[0].detail.startswith("carers_small 2024/25: shown as [c]")
    assert "content/carers.md,3,small number" in report_csv(report.plan.entries)
    needles = [n for n in report.plan.needles if n.source == "content/carers.md:3"]
    assert needles and all("headline()" in n.what for n in needles)
    assert any("3" in n.words for n in needles)


def test_an_added_macro_cites_what_it_names_and_the_benchmark_renames_it(tiny, headline):
    add_page(tiny, "headline.md", '# Headline\n\n{{ headline("residents") }}\n')
    report = check_project(tiny)
    assert "headline.md" in [p.src for p in report.cited_by["metric:residents"]]
    assert rename_in_page('{{ headline("residents") }}', {"residents"}, "_x2") == '{{ headline("residents_x2") }}'


def test_each_macro_renders_with_its_declared_parameters_and_defaults(tiny):
    report = check_project(tiny)
    rendering = Rendering(report.project, report.charts)
    for macro in MACROS.values():
        method = inspect.signature(macro.bound(rendering))
        declared = [(p.name, p.default) for p in macro.params]
        taken = [(p.name, REQUIRED if p.default is inspect.Parameter.empty else p.default) for p in method.parameters.values()]
        assert [d for _, d in taken] == [d for _, d in declared], macro.name
        assert len(taken) == len(declared), macro.name


def test_a_parameter_refers_only_to_a_kind_of_thing_a_page_can_cite():
    with pytest.raises(ValueError, match="unknown kind 'person'"):
        register(Macro("owner", (Param("id", "person"),), figure_renderer))
    assert "owner" not in MACROS
