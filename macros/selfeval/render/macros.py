"""The macros a chapter may call, each declared once.

A macro is more than a function the site generator calls. The checks must know its
parameters and what each one names, so ``content/summary.md:12: unknown metric …`` is said
before anything is built; the redaction report must list the values it hides in public;
the leak scan must know where to look for them; the benchmark must know which ids to
rename when it copies a chapter. When each of those kept its own list, a macro added to
one was silently missing from another. Here each macro says, in one :class:`Macro`:

- its parameters in order, with their defaults and what each one refers to (a metric, a
  table, a piece of evidence, an action, a year, a chart);
- how it renders: the renderer a version of the site uses for it, and that renderer's
  method;
- how a call is checked: a function given the call and the project that adds problems;
- which values it hides in the public version: a function giving the observations,
  tables and charts a call shows, from which the redaction report makes its entries; the
  leak scan looks for the same calls' hidden values in their internal rendering.

Everything else (the mkdocs-macros module, :mod:`selfeval.checks`, the redaction report,
the leak scan's needles, the benchmark, finding calls in a page) reads :data:`MACROS`, so
adding a macro is one :func:`register` here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from selfeval.problems import Problems, close_match
from selfeval.render import formatting as fmt
from selfeval.render.figures import SHOW, FigureError, previous_of, resolve
from selfeval.render.register import resolve_action, resolve_evidence, resolve_year

if TYPE_CHECKING:
    from selfeval.content.citations import Call
    from selfeval.project.model import Observation, Project

# What a parameter may refer to: the kinds of thing a page can cite.
KINDS = ("metric", "table", "evidence", "action", "year", "chart")


class _Required:
    """The default of a parameter a call must give."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@dataclass(frozen=True)
class Param:
    """One parameter of a macro: its name, what it refers to (None: plain text), its default."""

    name: str
    refers_to: str | None = None
    default: Any = REQUIRED

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass
class Rendering:
    """What a renderer is made for: the project, the version of the site, the page.

    ``href`` turns a site-root URL such as ``figures/`` into one relative to the page being
    rendered; ``svg_renderer`` draws the charts (None: a fresh drawer without a cache).
    One renderer of each kind is made per ``Rendering`` and kept for its later calls.
    """

    project: Project
    charts: dict = field(default_factory=dict)
    version: str = "internal"
    href: Callable[[str], str] = lambda target: target
    svg_renderer: Any = None
    made: dict = field(default_factory=dict, repr=False)

    @property
    def threshold(self) -> int:
        from selfeval.disclosure.suppression import DEFAULT_THRESHOLD

        return getattr(self.project.config, "suppression_threshold", None) or DEFAULT_THRESHOLD

    def renderer(self, make: Callable[[Rendering], Any]) -> Any:
        if make not in self.made:
            self.made[make] = make(self)
        return self.made[make]


@dataclass
class Checking:
    """What a macro's check is given besides the call: the project, the charts and where to
    add problems (``strict``: a stale figure is an error, not a warning)."""

    project: Project
    problems: Problems
    strict: bool = False
    charts: dict = field(default_factory=dict)

    def refuse(self, call: Call, error: FigureError) -> None:
        """A renderer's refusal as the call's problem."""
        self.problems.add(call.path, call.line, error.what, error.fix, code=error.code)


# What a call may show that the public version can hide.
Hideable = Any  # Observation, Table or ChartDef


@dataclass(frozen=True)
class Macro:
    """One macro: its parameters, how it renders, how a call is checked, what it hides.

    ``renderer`` makes the object that renders the macro for one :class:`Rendering`, and
    ``method`` (the macro's name unless given) is what is called on it, with the call's
    arguments in the order of ``params``. ``check`` is None where any call that parses is
    right; ``hides`` is None where the macro never shows anything the public version hides.
    """

    name: str
    params: tuple[Param, ...]
    renderer: Callable[[Rendering], Any]
    check: Callable[[Call, Checking], None] | None = None
    hides: Callable[[Call, Project, dict], Iterable[Hideable]] | None = None
    method: str = ""

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    @property
    def references(self) -> dict[str, str]:
        """Parameter -> the kind of thing it names, for the parameters that name one."""
        return {p.name: p.refers_to for p in self.params if p.refers_to}

    def bound(self, rendering: Rendering) -> Callable[..., str]:
        """The renderer's method for this macro, for one version and page."""
        return getattr(rendering.renderer(self.renderer), self.method or self.name)

    def arguments(self, call: Call) -> list:
        """The call's arguments in order, up to the last one it gives (defaults between)."""
        given = [i for i, p in enumerate(self.params) if p.name in call.args]
        return [call.args.get(p.name, p.default) for p in self.params[: max(given) + 1]] if given else []

    def render(self, call: Call, rendering: Rendering) -> str:
        """What a call found in a page renders as."""
        return str(self.bound(rendering)(*self.arguments(call)))


MACROS: dict[str, Macro] = {}


def register(macro: Macro) -> Macro:
    """Make ``macro`` one a chapter may call: parsed, checked, rendered, reported."""
    for p in macro.params:
        if p.refers_to is not None and p.refers_to not in KINDS:
            raise ValueError(f"{macro.name}(): parameter '{p.name}' refers to unknown kind '{p.refers_to}'")
    MACROS[macro.name] = macro
    return macro


def signatures() -> tuple[tuple[str, tuple[Param, ...]], ...]:
    """Every macro's name and parameters as they stand: what finding calls in a page depends on."""
    return tuple((name, macro.params) for name, macro in MACROS.items())


def references(name: str) -> dict[str, str]:
    """What each parameter of macro ``name`` refers to (nothing for an unknown name)."""
    macro = MACROS.get(name)
    return macro.references if macro is not None else {}


# -- the renderers ---------------------------------------------------------------------------
def figure_renderer(rendering: Rendering):
    """Figures, KPI tiles, data tables and literal text (:mod:`selfeval.render.figures`)."""
    from selfeval.render.figures import Renderer

    return Renderer(rendering.project, version=rendering.version, figures_href=rendering.href("figures/"))


def register_renderer(rendering: Rendering):
    """Citations, areas for development and actions (:mod:`selfeval.render.register`)."""
    from selfeval.render.register import RegisterRenderer

    return RegisterRenderer(rendering.project, version=rendering.version, href=rendering.href)


def chart_renderer(rendering: Rendering):
    """Charts (:mod:`selfeval.render.charts.figure`)."""
    from selfeval.render.charts.figure import ChartRenderer

    drawer = {"svg_renderer": rendering.svg_renderer} if rendering.svg_renderer is not None else {}
    return ChartRenderer(
        rendering.project,
        rendering.charts,
        version=rendering.version,
        threshold=rendering.threshold,
        figures_href=rendering.href("figures/"),
        **drawer,
    )


# -- the checks ------------------------------------------------------------------------------
def months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def check_stale(obs: Observation, call: Call, checking: Checking) -> None:
    """A figure older than its metric (or the project) allows before the reporting date."""
    project = checking.project
    config = project.config
    if config is None:
        return
    metric = project.metrics[obs.metric]
    limit = metric.stale_after_months or config.stale_after_months
    age = months_between(obs.as_of, config.reporting_date)
    if age > limit:
        checking.problems.add(
            call.path,
            call.line,
            f"figure '{obs.metric}' is stale: as of {fmt.date(obs.as_of)}, {age} months before the reporting date "
            f"{fmt.date(config.reporting_date)} (limit {limit})",
            f"add a newer observation ({obs.path}:{obs.line}) or set stale_after_months on the metric",
            "error" if checking.strict else "warning",
            code="figure-stale",
        )


def _compares(call: Call) -> bool:
    """Whether the call shows its figure beside the one before."""
    return call.macro == "change" or call.args.get("show") == "change"


def _check_observation(call: Call, checking: Checking) -> None:
    try:
        obs = resolve(checking.project, call.args["id"], call.args.get("period"))
        if _compares(call):
            previous_of(checking.project, obs)
    except FigureError as exc:
        checking.refuse(call, exc)
        return
    check_stale(obs, call, checking)


def _check_figure(call: Call, checking: Checking) -> None:
    show = call.args.get("show", "value")
    if show not in SHOW:
        checking.problems.add(
            call.path, call.line, f"figure() show='{show}' is not known", f"use one of: {', '.join(SHOW)}", code="macro-call"
        )
        return
    _check_observation(call, checking)


def _metric_ids(call: Call) -> list:
    ids = call.args["ids"]
    return ids if isinstance(ids, list) else [ids]


def _check_kpi_tiles(call: Call, checking: Checking) -> None:
    ids = _metric_ids(call)
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        checking.problems.add(
            call.path,
            call.line,
            "kpi_tiles() needs a list of metric ids",
            'write kpi_tiles(["id_one", "id_two"])',
            code="macro-call",
        )
        return
    for mid in ids:
        try:
            check_stale(resolve(checking.project, mid), call, checking)
        except FigureError as exc:
            checking.refuse(call, exc)


def _check_table(call: Call, checking: Checking) -> None:
    tid = call.args["id"]
    if tid not in checking.project.tables:
        checking.problems.add(
            call.path,
            call.line,
            f"unknown table '{tid}'",
            close_match(tid, checking.project.tables) or f"add data/tables/{tid}.csv and {tid}.yaml",
            code="unknown-name",
        )


def _check_chart(call: Call, checking: Checking) -> None:
    from selfeval.render.charts.figure import unknown_chart

    cid = call.args["id"]
    if cid not in checking.charts and cid not in getattr(checking.charts, "broken", ()):
        checking.refuse(call, unknown_chart(str(cid), checking.charts))


def resolving(find: Callable[[Project, Any], Any], param: str) -> Callable[[Call, Checking], None]:
    """A check that the thing the call's ``param`` names is there, as ``find`` looks it up."""

    def check(call: Call, checking: Checking) -> None:
        try:
            find(checking.project, call.args[param])
        except FigureError as exc:
            checking.refuse(call, exc)

    return check


_check_year = resolving(lambda project, year: resolve_year(project, str(year)), "year")


# -- what each hides -----------------------------------------------------------------------
def _observation_hides(call: Call, project: Project, charts: dict):
    obs = resolve(project, call.args["id"], call.args.get("period"))
    yield obs
    if _compares(call):
        before = project.previous(obs)
        if before is not None:
            yield before


def _kpi_hides(call: Call, project: Project, charts: dict):
    for mid in _metric_ids(call):
        obs = resolve(project, mid)
        yield obs
        before = project.previous(obs)
        if before is not None:
            yield before


def _table_hides(call: Call, project: Project, charts: dict):
    if call.args["id"] in project.tables:
        yield project.tables[call.args["id"]]


def _chart_hides(call: Call, project: Project, charts: dict):
    if call.args["id"] in charts:
        yield charts[call.args["id"]]


# -- the macros ------------------------------------------------------------------------------
register(
    Macro(
        "figure",
        (Param("id", "metric"), Param("period", default=None), Param("show", default="value")),
        figure_renderer,
        _check_figure,
        _observation_hides,
    )
)
register(
    Macro(
        "change", (Param("id", "metric"), Param("period", default=None)), figure_renderer, _check_observation, _observation_hides
    )
)
register(Macro("kpi_tiles", (Param("ids", "metric"),), figure_renderer, _check_kpi_tiles, _kpi_hides))
register(Macro("data_table", (Param("id", "table"), Param("caption", default=None)), figure_renderer, _check_table, _table_hides))
register(Macro("literal", (Param("text"),), figure_renderer))
register(Macro("cite", (Param("id", "evidence"),), register_renderer, resolving(resolve_evidence, "id")))
register(Macro("areas_for_development", (Param("year", "year"),), register_renderer, _check_year))
register(Macro("progress_table", (Param("year", "year"),), register_renderer, _check_year))
register(Macro("action_status", (Param("id", "action"),), register_renderer, resolving(resolve_action, "id")))
register(Macro("chart", (Param("id", "chart"),), chart_renderer, _check_chart, _chart_hides))
