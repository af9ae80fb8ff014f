"""Charts drawn from the data: their definitions, their numbers and their words.

Charts are defined in ``data/charts.yaml``, a list under ``charts:``. Each names the
metrics or the table it draws and one of four kinds:

- ``trend``       — values over periods: one or more metrics, or a table's rows across
  its columns (``mark: line`` or ``mark: bar``);
- ``benchmark``   — the council beside its comparators: metrics with benchmark rows
  (an ``area`` in ``data/observations/``) for the same period;
- ``composition`` — the parts of a whole: several metrics at one period, or a table's
  row (its columns are the parts) or rows (each row a part);
- ``target``      — one metric over periods against the target its definition sets.

One :class:`ChartData` feeds the picture, the one-sentence summary and the data table,
so the three always show the same numbers. In the public version a small count is
replaced by ``[c]`` *before* anything is drawn or written, so no output can carry it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from selfeval.render import formatting as fmt
from selfeval.render.figures import in_period, target_status
from selfeval.disclosure.audience import audience
from selfeval.project.config import comparators_of
from selfeval.project.model import Metric, Project, normalise_period
from selfeval.project.periods import comparable, period_kind
from selfeval.problems import Problems, close_match, names_in
from selfeval.project.records import TEXT, Field, ListOf, MappingOf, Record, Say, Values, read_file
from selfeval.disclosure.suppression import DEFAULT_THRESHOLD, SYMBOL, is_small

CHARTS_FILE = Path("data") / "charts.yaml"
CHART_ID = r"^[a-z][a-z0-9_]*$"
KINDS = {
    "trend": "values over periods",
    "benchmark": "the council beside its comparators (comparators: in data/project.yaml)",
    "composition": "the parts of a whole",
    "target": "one measure over periods against its target",
}
MARKS = ("line", "bar")
NO_VALUE = ("", "-", "..", "–")


@dataclass
class ChartDef:
    """One chart as ``data/charts.yaml`` defines it."""

    id: str
    kind: str
    title: str
    metrics: list[str] = field(default_factory=list)
    table: str | None = None
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    period: str | None = None
    mark: str = "line"
    labels: dict[str, str] = field(default_factory=dict)
    council: str = ""
    note: str = ""
    path: str = str(CHARTS_FILE)
    line: int = 0

    def label(self, key: str, default: str) -> str:
        return self.labels.get(key, default)


@dataclass
class Point:
    """One value in a chart: which series, which category (period or part), how much."""

    series: str
    category: str
    value: Decimal | None  # None: no figure, or suppressed in this version
    unit: str
    scale: int | None = None  # rate_per or out_of
    small: bool = False  # a small number: shown as [c] in the public version
    hidden: bool = False  # suppressed in this version
    period: str = ""

    @property
    def text(self) -> str:
        if self.hidden:
            return SYMBOL
        if self.value is None:
            return "–"
        return fmt.with_unit(self.value, self.unit, self.scale)


@dataclass
class ChartData:
    """Everything one rendering of a chart shows, already suppressed for its version."""

    chart: ChartDef
    version: str
    threshold: int
    categories: list[str]
    series: list[str]
    points: list[Point]
    unit: str
    scale: int | None = None
    sources: list[str] = field(default_factory=list)
    as_of: dt.date | None = None
    links: dict[str, str] = field(default_factory=dict)  # a series or category label -> metric id
    target: Decimal | None = None
    target_of: Metric | None = None  # the metric a target belongs to
    withheld: int = 0  # restricted measures left out

    @property
    def shown(self) -> list[Point]:
        return [p for p in self.points if p.value is not None and not p.hidden]

    @property
    def hidden(self) -> list[Point]:
        return [p for p in self.points if p.hidden]

    @property
    def small(self) -> list[Point]:
        return [p for p in self.points if p.small]

    def point(self, series: str, category: str) -> Point | None:
        for p in self.points:
            if p.series == series and p.category == category:
                return p
        return None

    def in_series(self, series: str) -> list[Point]:
        order = {c: i for i, c in enumerate(self.categories)}
        return sorted((p for p in self.points if p.series == series), key=lambda p: order[p.category])


# -- loading and checking data/charts.yaml ----------------------------------------------
class Charts(dict):
    """Charts by id; ``broken`` holds the ids defined with problems (already reported)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.broken: set[str] = set()


_NAMES = Say("{label}: '{key}' must be a list of names", "write e.g. {key}: [first, second]")
_NO_TITLE = Say("{label} has no title", "add 'title: ...', the words shown above the chart")
_KIND = Say("{label} has unknown kind '{value}'", "{hint} use one of: {choices}")
CHART = Record(
    "chart",
    (
        Field(
            "id",
            required=True,
            pattern=CHART_ID,
            says={
                "pattern": Say(fix="use lower-case letters, digits and underscores, starting with a letter, e.g. reviews_trend")
            },
        ),
        Field(
            "kind",
            required=True,
            choices=tuple(KINDS),
            says={"missing": Say("{label} has no kind", "use one of: {choices}"), "wrong": _KIND},
        ),
        Field("title", required=True, says={"*": _NO_TITLE}),
        Field("metrics", ListOf(TEXT), says={"wrong": _NAMES}),
        Field("table"),
        Field("rows", ListOf(TEXT), says={"wrong": _NAMES}),
        Field("columns", ListOf(TEXT), says={"wrong": _NAMES}),
        Field("period"),
        Field("mark", default="line", choices=MARKS, says={"choice": Say("{label} has unknown mark '{value}'")}),
        Field(
            "labels",
            MappingOf(TEXT),
            default={},
            says={
                "wrong": Say("{label}: 'labels' must map names to shorter labels", "write e.g. labels: {{dols_granted: Granted}}")
            },
        ),
        Field("council"),
        Field("note", default=""),
    ),
    key="id",
    lost_as=("chart",),
    drop="any",
    says={
        "type": Say("{label}: '{key}' must be text", 'write it in quotes, e.g. {key}: "..."'),
        "unknown": Say(fix="{hint} its fields are: {fields}"),
        "duplicate": Say(
            "{label} {key} '{value}' is defined twice (first on line {first_line})", "rename one of them or delete the duplicate"
        ),
        "not_mapping": Say("a chart is not a mapping", "write each chart as '- id: ...' with its fields indented below"),
    },
)
_NO_CHARTS = Say("expected a list under 'charts:'", "start the file with 'charts:' and list one chart per '- id: ...'")
CHARTS = Record(
    "charts file",
    (Field("charts", ListOf(CHART), required=True, blank="kept", says={"*": _NO_CHARTS}),),
    label="the charts file",
    file=str(CHARTS_FILE),
    says={"not_mapping": _NO_CHARTS, "misspelt": Say(_NO_CHARTS.what, "write 'charts:' (not '{key}:')")},
)


def load_charts(project: Project, problems: Problems) -> Charts:
    """The charts defined for a project, each checked against its metrics and tables."""
    root = Path(project.root)
    path = root / CHARTS_FILE
    charts = Charts()
    if not path.exists():
        return charts
    where, data, values = read_file(path, root, CHARTS, problems)
    written = data.get("charts") if isinstance(data, dict) else None
    if values is None or not isinstance(written, list):
        problems.lost(["chart"], names_in(path, root))
        return charts
    for entry in values["charts"]:
        chart = _chart(entry, where, project, problems)
        if chart is None:
            problems.lost(["chart"], [entry["id"]])
        else:
            charts[chart.id] = chart
    # Charts left out with a problem already said: a page that places one is not blamed too.
    charts.broken = {e["id"] for e in written if isinstance(e, dict) and isinstance(e.get("id"), str)} - set(charts)
    return charts


def _chart(values: Values, where: str, project: Project, problems: Problems) -> ChartDef | None:
    """A chart whose fields are right, checked against what it draws; None when it cannot be drawn."""
    cid = values["id"]
    if "mark" in values.node and values["kind"] != "trend":
        problems.add(
            where,
            values.key_line("mark"),
            f"chart '{cid}': only a trend chart takes a mark",
            "remove the 'mark:' line",
            code="field-value",
        )
        return None
    chart = ChartDef(
        id=cid,
        kind=values["kind"],
        title=values["title"].strip(),
        metrics=values["metrics"],
        table=values["table"],
        rows=values["rows"],
        columns=values["columns"],
        period=values["period"],
        mark=values["mark"],
        labels=values["labels"],
        council=values["council"] or (project.config.organisation if project.config else "This council"),
        note=values["note"],
        path=where,
        line=values.line,
    )
    entry = values.node
    ok = _check_sources(chart, entry, values.lines("metrics"), values.lines("rows"), values.lines("columns"), project, problems)
    if ok:
        ok = _check_kind(chart, entry, project, problems)
    for key in chart.labels if ok else ():
        if key not in (*chart.metrics, *chart.rows, *chart.columns):
            problems.add(
                where,
                entry.key_line("labels"),
                f"chart '{cid}' labels '{key}', which it does not draw",
                "label only the chart's metrics, rows or columns",
                code="unknown-name",
            )
            ok = False
    return chart if ok else None


def _check_sources(chart, entry, metric_lines, row_lines, column_lines, project, problems) -> bool:
    where, cid = chart.path, chart.id
    if bool(chart.metrics) == bool(chart.table):
        problems.add(
            where,
            chart.line,
            f"chart '{cid}' needs either 'metrics:' or 'table:'",
            "name the metrics to draw (metrics: [id, ...]) or one table (table: id), not both",
            code="field-missing",
        )
        return False
    ok = True
    if chart.metrics:
        if chart.rows or chart.columns:
            problems.add(
                where,
                entry.key_line("rows" if chart.rows else "columns"),
                f"chart '{cid}': rows and columns belong to a table chart",
                "remove them, or draw a table",
                code="field-value",
            )
            ok = False
        for mid, line in zip(chart.metrics, metric_lines):
            if mid not in project.metrics:
                problems.add(
                    where,
                    line,
                    f"chart '{cid}' draws unknown metric '{mid}'",
                    f"{project.unknown_metric(mid) or 'define it in data/metrics/ or correct the id'}",
                    code="unknown-name",
                )
                ok = False
        if ok:
            units = {(project.metrics[m].unit, project.metrics[m].rate_per) for m in chart.metrics}
            if len(units) > 1:
                problems.add(
                    where,
                    entry.key_line("metrics"),
                    f"chart '{cid}' mixes units ({', '.join(sorted(u for u, _ in units))})",
                    "draw measures of one unit in one chart",
                    code="field-value",
                )
                ok = False
        return ok
    if not isinstance(chart.table, str) or chart.table not in project.tables:
        hint = close_match(str(chart.table), project.tables)
        problems.add(
            where,
            entry.key_line("table"),
            f"chart '{cid}' draws unknown table '{chart.table}'",
            hint or f"add data/tables/{chart.table}.csv, or correct the id",
            code="unknown-name",
        )
        return False
    table = project.tables[chart.table]
    row_names = [cells[0] for cells in table.rows]
    for name, line in zip(chart.rows, row_lines):
        if name not in row_names:
            problems.add(
                where,
                line,
                f"chart '{cid}': table '{chart.table}' has no row '{name}'",
                close_match(name, row_names) or f"its rows are: {', '.join(row_names)}",
                code="unknown-name",
            )
            ok = False
    for name, line in zip(chart.columns, column_lines):
        if name not in table.header[1:]:
            problems.add(
                where,
                line,
                f"chart '{cid}': table '{chart.table}' has no column '{name}'",
                close_match(name, table.header[1:]) or f"its columns are: {', '.join(table.header[1:])}",
                code="unknown-name",
            )
            ok = False
    if ok:
        chosen = chart.rows or row_names
        units = {table.row_units[row_names.index(r)] for r in chosen}
        if len(units) > 1:
            problems.add(
                where,
                entry.key_line("rows") if chart.rows else entry.key_line("table"),
                f"chart '{cid}' mixes units ({', '.join(sorted(units))}) from table '{chart.table}'",
                "choose rows of one unit with 'rows: [...]'",
                code="field-value",
            )
            ok = False
    return ok


def _check_kind(chart, entry, project, problems) -> bool:
    where, cid = chart.path, chart.id
    if chart.kind in ("benchmark", "target") and chart.table:
        problems.add(
            where,
            entry.key_line("table"),
            f"chart '{cid}': a {chart.kind} chart draws metrics, not a table",
            "name its metrics with 'metrics: [...]'",
            code="field-value",
        )
        return False
    if chart.period is not None and chart.kind not in ("benchmark", "composition") or chart.period is not None and chart.table:
        problems.add(
            where,
            entry.key_line("period"),
            f"chart '{cid}': only benchmark and composition charts of metrics take a period",
            "remove the 'period:' line",
            code="field-value",
        )
        return False
    if chart.kind == "target":
        if len(chart.metrics) != 1:
            problems.add(
                where,
                entry.key_line("metrics"),
                f"chart '{cid}': a target chart draws exactly one metric",
                "name one metric, e.g. metrics: [reviews_within_12m]",
                code="field-value",
            )
            return False
        metric = project.metrics[chart.metrics[0]]
        if metric.target is None:
            problems.add(
                where,
                entry.key_line("metrics"),
                f"chart '{cid}': metric '{metric.id}' has no target",
                f"add 'target: ...' to it ({metric.path}:{metric.line}) or use kind: trend",
                code="field-missing",
            )
            return False
    if chart.kind in ("benchmark", "composition") and chart.metrics:
        for mid in chart.metrics:
            if chart.period is not None and project.at_period(mid, chart.period) is None:
                periods = project.periods(mid)
                problems.add(
                    where,
                    entry.key_line("period"),
                    f"chart '{cid}': metric '{mid}' has no period '{chart.period}'",
                    close_match(chart.period, periods) or f"its periods are: {', '.join(periods)}",
                    code="figure-missing",
                )
                return False
            if chart.kind == "benchmark" and _benchmark_period(project, mid, chart.period) is None:
                areas = " or ".join(comparators_of(project.config))
                problems.add(
                    where,
                    entry.key_line("metrics"),
                    f"chart '{cid}': metric '{mid}' has no {areas} figure"
                    + (f" for '{chart.period}'" if chart.period else " for any of its periods"),
                    f"add a row with area {areas} and the same period_end in data/observations/ "
                    "(the comparators are set by comparators: in data/project.yaml)",
                    code="figure-missing",
                )
                return False
    if chart.kind == "composition" and chart.metrics and len(chart.metrics) < 2:
        problems.add(
            where,
            entry.key_line("metrics"),
            f"chart '{cid}': a composition needs two or more parts",
            "name a metric for each part, or draw a table",
            code="field-value",
        )
        return False
    return True


def _benchmark_period(project: Project, metric_id: str, period: str | None):
    """The council's observation to compare: the named period, else the latest with a benchmark."""
    series = project.series(metric_id)
    if period is not None:
        series = [o for o in series if normalise_period(o.period) == normalise_period(period)]
    for obs in reversed(series):
        if project.benchmarks(metric_id, obs.period_end):
            return obs
    return None


# -- the numbers a chart shows ------------------------------------------------------------
def chart_data(project: Project, chart: ChartDef, version: str = "internal", threshold: int = DEFAULT_THRESHOLD) -> ChartData:
    """The chart's categories, series and points for one version, suppressed in public."""
    public = audience(version).suppresses
    withheld = 0
    metrics: list[Metric] = [project.metrics[m] for m in chart.metrics]
    if public:
        kept = [m for m in metrics if m.disclosure != "restricted"]
        withheld, metrics = len(metrics) - len(kept), kept

    from selfeval.disclosure.audit import decide

    decision = decide(project)

    def point(series, category, value, unit, scale, denominator=None, period="", known_small=False, key=None):
        # The project's one audited decision: the same cells as its data table and its figures.
        if key is not None and decision.threshold == threshold:
            small = known_small or (value is not None and decision.why(key) not in (None, "withheld"))
        else:
            small = known_small or (value is not None and is_small(value, unit, denominator, threshold))
        hidden = public and small
        return Point(series, category, None if hidden else value, unit, scale, small, hidden, period)

    data = ChartData(
        chart=chart, version=version, threshold=threshold, categories=[], series=[], points=[], unit="count", withheld=withheld
    )
    if chart.table:
        table = project.tables[chart.table]
        names = [cells[0] for cells in table.rows]
        rows = chart.rows or names
        columns = chart.columns or table.header[1:]
        data.unit = table.row_units[names.index(rows[0])]
        across = chart.kind == "trend" or len(rows) == 1  # columns are the categories
        for r in rows:
            cells = dict(zip(table.header, table.rows[names.index(r)]))
            for c in columns:
                text = (cells.get(c) or "").replace(",", "").strip()
                value = None if text in NO_VALUE or text == SYMBOL else fmt.to_decimal(text)
                series, category = (r, c) if across else (c, r)
                key = ("table", table.id, names.index(r), table.header.index(c)) if c in table.header else None
                data.points.append(
                    point(
                        chart.label(series, series),
                        chart.label(category, category),
                        value,
                        data.unit,
                        None,
                        known_small=text == SYMBOL,
                        key=key,
                    )
                )
        data.series = _unique(p.series for p in data.points)
        data.categories = _unique(p.category for p in data.points)
        data.sources = [table.source] if table.source else []
        data.as_of = table.as_of
        return data

    if not metrics:
        return data
    data.unit, data.scale = metrics[0].unit, metrics[0].rate_per
    data.sources = _unique(m.source for m in metrics if m.source)
    as_of: list[dt.date] = []
    if chart.kind in ("trend", "target"):
        periods: dict[str, dt.date] = {}
        for m in metrics:
            label = chart.label(m.id, m.label)
            data.series.append(label)
            data.links[label] = m.id
            for obs in project.series(m.id):
                periods[obs.period] = min(obs.period_end, periods.get(obs.period, obs.period_end))
                data.points.append(
                    point(
                        label,
                        obs.period,
                        obs.value,
                        m.unit,
                        m.rate_per,
                        obs.denominator,
                        obs.period,
                        key=("obs", m.id, obs.area or "", obs.period),
                    )
                )
                as_of.append(obs.as_of)
        data.categories = sorted(periods, key=lambda p: (periods[p], p))
        if chart.kind == "target":
            data.target, data.target_of = metrics[0].target, metrics[0]
    elif chart.kind == "benchmark":
        areas = [chart.council] + comparators_of(project.config)
        single = len(metrics) == 1
        for m in metrics:
            obs = _benchmark_period(project, m.id, chart.period)
            label = chart.label(m.id, m.label)
            data.links[label] = m.id
            found = {chart.council: obs, **project.benchmarks(m.id, obs.period_end)}
            for area in areas:
                if area in found:
                    o = found[area]
                    series, category = (label, area) if single else (area, label)
                    data.points.append(
                        point(
                            series,
                            category,
                            o.value,
                            m.unit,
                            m.rate_per,
                            o.denominator,
                            o.period,
                            key=("obs", m.id, o.area or "", o.period),
                        )
                    )
                    as_of.append(o.as_of)
        data.series = _unique(p.series for p in data.points)
        data.categories = _unique(p.category for p in data.points)
    else:  # composition of metrics at one period
        chosen = [(m, project.at_period(m.id, chart.period) if chart.period else project.latest(m.id)) for m in metrics]
        periods = _unique(o.period for _, o in chosen)
        series = periods[0] if len(periods) == 1 else "Latest figure"
        data.series = [series]
        for m, obs in chosen:
            label = chart.label(m.id, m.label)
            data.links[label] = m.id
            data.categories.append(label)
            data.points.append(
                point(
                    series,
                    label,
                    obs.value,
                    m.unit,
                    m.rate_per,
                    obs.denominator,
                    obs.period,
                    key=("obs", m.id, obs.area or "", obs.period),
                )
            )
            as_of.append(obs.as_of)
    data.as_of = max(as_of) if as_of else None
    return data


def _unique(items) -> list:
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


# -- the one-sentence summary -----------------------------------------------------------------
def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _mid(label: str) -> str:
    """A label as it reads inside a sentence: 'Fully achieved' → 'fully achieved'; 'DoLS' stays."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _period(point: Point) -> str:
    return point.period or point.category


def _movement(label: str, points: list[Point], first_clause: bool, same_periods: bool) -> str:
    label = label if first_clause else _mid(label)
    if any(not comparable(_period(points[0]), _period(p)) for p in points[1:]):
        return _unlike_movement(label, points)
    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"{label} was {first.text} {in_period(first.period or first.category)}"
    a, b = first.period or first.category, last.period or last.category
    if first.value == last.value:
        return f"{label} was {last.text} both {in_period(a)} and {in_period(b)}"
    verb = "rose" if last.value > first.value else "fell"
    if first_clause or not same_periods:
        return f"{label} {verb} from {first.text} {in_period(a)} to {last.text} {in_period(b)}"
    return f"{label} {verb} from {first.text} to {last.text}"


def _unlike_movement(label: str, points: list[Point]) -> str:
    """A series that mixes full years with part years: only like periods are compared, and a
    part year is named as one, never read as a rise or fall against a whole year."""
    whole = [p for p in points if period_kind(_period(p)) != "part"]
    groups: list[list[Point]] = []
    for point in (p for p in points if period_kind(_period(p)) == "part"):
        group = next((g for g in groups if comparable(_period(g[0]), _period(point))), None)
        if group is None:
            groups.append([point])
        else:
            group.append(point)
    clauses = []
    if len(whole) >= 2 and all(comparable(_period(whole[0]), _period(p)) for p in whole):
        clauses.append(_movement(label, whole, True, False))
    elif whole:
        clauses.append(f"{label} stood at " + _and(f"{p.text} {in_period(_period(p))}" for p in whole))
    same = [g for g in groups if len(g) > 1]
    single = [g[0] for g in groups if len(g) == 1]
    for group in same:
        move = _movement(label, group, True, False)
        move = move[len(label) :].strip() if clauses else move
        clauses.append(f"{move} (the same months of each year, compared only with each other)")
    if single:
        words = _and(f"{p.text} {in_period(_period(p))}" for p in single)
        if not clauses:
            return f"{label} stood at {words} (parts of a year covering different months, so not compared)"
        many = len(single) > 1
        clauses.append(
            f"{words} ({'parts' if many else 'part'} of a year, so not compared with "
            f"{'whole years' if whole else 'the other months'})"
        )
    return ", and ".join(clauses)


def summary(data: ChartData) -> str:
    """One sentence saying what the chart shows, from the same numbers it draws."""
    shown = data.shown
    if not shown:
        return (
            "Every figure in this chart is suppressed in this version." if data.hidden else "This chart has no figures to show."
        )
    kind = data.chart.kind
    if kind in ("trend", "target"):
        clauses, spans = [], []
        for series in data.series:
            points = [p for p in data.in_series(series) if p.value is not None and not p.hidden]
            if points:
                span = (points[0].category, points[-1].category)
                clauses.append(_movement(series, points, not clauses, spans and span == spans[0]))
                spans.append(span)
        text = "; ".join(clauses)
        if kind == "target" and data.target is not None:
            latest = [p for p in data.in_series(data.series[0]) if p.value is not None and not p.hidden]
            if latest:
                target = fmt.with_unit(data.target, data.unit, data.scale)
                status = target_status(data.target_of, latest[-1].value)
                verb = {"met": "meeting", "not met": "short of"}.get(status, "against")
                text += f", {verb} its target of {target}"
        return _sentence(text)
    if kind == "benchmark":
        many = len(data.series) > 1  # several measures: series are areas
        group_of = (lambda p: p.category) if many else (lambda p: p.series)
        area_of = (lambda p: p.series) if many else (lambda p: p.category)
        council = data.chart.council
        clauses, periods = [], _unique(p.period for p in shown)
        for group in _unique(group_of(p) for p in shown):
            pts = [p for p in shown if group_of(p) == group]
            own = [p for p in pts if area_of(p) == council]
            others = [f"{p.text} in {area_of(p)}" for p in pts if area_of(p) != council]
            name = group if not clauses else _mid(group)
            if own and others:
                text = f"{name}: {own[0].text} in {council}, compared with {_and(others)}"
            else:
                text = f"{name}: {_and(f'{p.text} in {area_of(p)}' for p in pts)}"
            if len(periods) > 1:
                text += f" ({pts[0].period})"
            clauses.append(text)
        text = "; ".join(clauses)
        return _sentence(text + (f" ({periods[0]})" if len(periods) == 1 else ""))
    # composition
    series = data.series[-1]
    pts = sorted((p for p in shown if p.series == series), key=lambda p: -p.value)
    if not pts:
        pts = sorted(shown, key=lambda p: -p.value)
    lead = f"in {series}, " if len(data.series) > 1 else ""
    if len(pts) == 1:
        return _sentence(f"{lead}{pts[0].category} was {pts[0].text}")
    # Parts keep their capitals: they are often names (White British, Pathway 0).
    text = f"{lead}the largest part is {pts[0].category} at {pts[0].text}, followed by {pts[1].category} at {pts[1].text}"
    if len(pts) > 2:
        text += f"; the smallest is {pts[-1].category} at {pts[-1].text}"
    return _sentence(text)


def _and(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# -- notes under a chart ----------------------------------------------------------------
def suppression_note(data: ChartData) -> str:
    """Why values are missing (public), or which will be (internal); '' when none are small."""
    small = data.hidden if audience(data.version).suppresses else data.small
    if not small:
        return ""
    n = len(small)
    kinds = {p.unit for p in small}
    t = data.threshold
    if kinds == {"percent"}:
        why = f"{'it is a percentage' if n == 1 else 'they are percentages'} of fewer than {t} people"
    elif kinds == {"people"}:
        why = f"{'it counts' if n == 1 else 'they count'} fewer than {t} people"
    else:
        why = f"{'it counts' if n == 1 else 'each counts'}, or is a percentage of, fewer than {t} people"
    values = f"{n} value{'' if n == 1 else 's'}"
    verb = "is" if n == 1 else "are"
    if audience(data.version).suppresses:
        return f"{values} {verb} suppressed ({SYMBOL}) because {why}."
    return f"In the public version, {values} {verb} suppressed ({SYMBOL}) because {why}."
