"""The disclosure audit: which values the public version hides, proved safe against what it publishes.

Hiding a small count is not enough when other published figures give it away: a total minus
the other cells, a rounded percentage times its denominator, two metrics that differ by the
hidden number. So the build writes down everything the public version publishes that is
linked to a hidden value, as linear constraints over whole numbers of people:

- a declared total row or column equals the sum of the cells it totals;
- a percentage shown as 90 with no decimals means its numerator is from 89.5% up to (not
  including) 90.5% of its denominator, and a share is never more than its denominator;
- an observation's numerator and denominator, a metric declared ``part_of:`` another (the
  parts together are at most the whole) or ``denominator:`` of a percentage metric;
- a table row declared to be a metric (``metrics:`` in the table's YAML) is the same figure
  as that metric's observations, so a chart of either shows the same decision.

Every published value is fixed at its true value; every hidden one is free. For each hidden
value an integer program (HiGHS, through ``scipy.optimize.milp``) finds the smallest and the
largest value it could take, and how many values are possible. The rule (``suppression:`` in
``data/project.yaml``): a hidden count must not be provably below the threshold, nor narrowed
to fewer than ``threshold`` possible values. Where a hidden value fails, one more linked value
is hidden (the one that fixes it and hides the fewest people), and the audit runs again,
until every hidden value passes.

The result is one :class:`Decision` per project, computed once and consulted by every view:
data tables, charts and their tables, figures, KPI tiles, change phrases, measures of success,
the Figures page and the redaction report. :func:`alternative_values` gives, for a decision, a
different world that publishes exactly the same things, for checks that nothing leaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from selfeval.render.formatting import to_decimal
from selfeval.project.model import Project, normalise_period
from selfeval.problems import Problems, close_match, place

DEFAULT_THRESHOLD = 5
SYMBOL = "[c]"
TOTAL_WORDS = ("total", "all", "all ages", "all services", "overall")
NO_VALUE = ("", "-", "..", "–")

Key = tuple


# -- the system of linked values ------------------------------------------------------------
@dataclass
class Share:
    """A percentage: ``num`` over ``den`` (variable index -> coefficient, plus a constant)."""

    keys: list[Key]
    value: Decimal | None
    decimals: int
    num: dict[int, int]
    den: dict[int, int]
    den_const: int
    where: str
    label: str
    published: bool = True  # False: restricted, never shown


@dataclass
class Equation:
    coeffs: dict[int, int]
    op: str  # "==" or "<="
    rhs: int


@dataclass
class Hidden:
    """One value the public version hides, with why and what it could be."""

    key: Key
    why: str  # primary, secondary, linked or withheld
    label: str
    where: str
    low: int | None = None  # the audited range of the hidden count
    high: int | None = None  # None: no upper limit
    passes: bool = True

    @property
    def range_text(self) -> str:
        if self.low is None:
            return "not audited"
        if self.high is None:
            return f"could be {self.low} or more people"
        return f"could be {self.low}–{self.high} people"


class System:
    """Whole-number unknowns (each published under zero or more keys) and what links them."""

    def __init__(self, threshold: int):
        self.threshold = threshold
        self.truth: list[int | None] = []
        self.labels: list[str] = []
        self.wheres: list[str] = []
        self.people: list[bool] = []
        self.keys: list[list[Key]] = []
        self.var_of: dict[Key, int] = {}
        self.parent: list[int] = []
        self.equations: list[Equation] = []
        self.shares: list[Share] = []
        self.share_of: dict[Key, int] = {}
        self.together: list[set] = []  # items that are the same published figure
        self.withheld: set = set()  # items never published (restricted metrics)
        self.unknown_share: set = set()  # percentage metrics already reported for having no denominator

    def var(self, truth, label, where, people=True, key: Key | None = None) -> int:
        i = len(self.truth)
        self.truth.append(truth)
        self.labels.append(label)
        self.wheres.append(where)
        self.people.append(people)
        self.keys.append([key] if key else [])
        self.parent.append(i)
        if key:
            self.var_of[key] = i
        return i

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def same(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.keys[ra] += self.keys[rb]
            self.people[ra] = self.people[ra] or self.people[rb]
            if self.truth[ra] is None:
                self.truth[ra] = self.truth[rb]

    def share(self, share: Share) -> int:
        self.shares.append(share)
        for key in share.keys:
            self.share_of[key] = len(self.shares) - 1
        return len(self.shares) - 1


def _int(value) -> int | None:
    if value is None:
        return None
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else None


def _decimals(text: str) -> int:
    text = text.strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def _num_truth(system: System, expr: dict[int, int]) -> int | None:
    total = 0
    for i, c in expr.items():
        t = system.truth[system.find(i)]
        if t is None:
            return None
        total += c * t
    return total


def _share_bounds(share: Share) -> tuple[int, int, int]:
    """Integers (scale, low, high) with low*den <= scale*num and scale*num < high*den."""
    s = 10**share.decimals
    p = int((share.value * s).to_integral_value())
    return 200 * s, 2 * p - 1, 2 * p + 1


def share_consistent(share: Share, num: int, den: int) -> bool:
    if den <= 0:
        return num == 0
    scale, low, high = _share_bounds(share)
    return low * den <= scale * num < high * den


def _count_in(share: Share, den: int) -> int | None:
    """The whole number of people a shown percentage of ``den`` stands for, or None."""
    guess = int((share.value * den / 100).to_integral_value(ROUND_HALF_UP))
    for n in (guess, guess - 1, guess + 1):
        if n >= 0 and share_consistent(share, n, den):
            return n
    return None


# -- building the system from a project ----------------------------------------------------
def obs_key(metric_id: str, area, period: str) -> Key:
    return ("obs", metric_id, area or "", period)


def _period_match(project: Project, metric_id: str, period: str, area=""):
    wanted = normalise_period(period)
    for o in project.series(metric_id, area or ""):
        if normalise_period(o.period) == wanted:
            return o
    return None


def build(project: Project, problems: Problems | None = None) -> System:
    """Every published value linked to a hidden one, as unknowns and constraints."""
    problems = problems if problems is not None else Problems()
    t = threshold_of(project)
    system = System(t)
    _observations(project, system, problems)
    for table in project.tables.values():
        _table(project, table, system, problems)
    return system


def threshold_of(project: Project) -> int:
    config = project.config
    return config.suppression_threshold if config is not None else DEFAULT_THRESHOLD


def _metric_list(project, metric, key: str, problems: Problems) -> list[str]:
    value = metric.links.get(key)
    if value is None:
        return []
    names = value if isinstance(value, list) else [value]
    line = metric.links.get("_lines", {}).get(key, metric.line)
    out = []
    for name in names:
        if not isinstance(name, str) or name not in project.metrics:
            hint = close_match(str(name), project.metrics)
            problems.add(
                metric.path,
                line,
                f"metric '{metric.id}' has {key} '{name}', which is not a metric",
                f"{hint + ' ' if hint else ''}write the id of a metric in data/metrics/".strip(),
                code="unknown-name",
            )
            continue
        out.append(name)
    return out


def _observations(project: Project, system: System, problems: Problems) -> None:
    for obs in project.observations:
        metric = project.metrics.get(obs.metric)
        if metric is None or metric.unit not in ("people", "count"):
            continue
        key = obs_key(metric.id, obs.area, obs.period)
        i = system.var(
            _int(obs.value),
            f"{metric.label}, {obs.period}" + (f" ({obs.area})" if obs.area else ""),
            f"{obs.path}:{obs.line}",
            metric.unit == "people",
            key,
        )
        if metric.disclosure == "restricted":
            system.withheld.add(("v", i))
    # Parts of a whole: together at most the whole, period by period.
    wholes: dict[str, list] = {}
    for metric in project.metrics.values():
        for whole in _metric_list(project, metric, "part_of", problems):
            wholes.setdefault(whole, []).append(metric)
    for whole, parts in wholes.items():
        for obs in project.observations:
            if obs.metric != whole or obs_key(whole, obs.area, obs.period) not in system.var_of:
                continue
            w = system.var_of[obs_key(whole, obs.area, obs.period)]
            coeffs = {w: -1}
            for part in parts:
                o = _period_match(project, part.id, obs.period, obs.area)
                if o is not None and obs_key(part.id, o.area, o.period) in system.var_of:
                    coeffs[system.var_of[obs_key(part.id, o.area, o.period)]] = 1
            if len(coeffs) < 2:
                continue
            total = sum(system.truth[i] or 0 for i in coeffs if i != w)
            if system.truth[w] is not None and total > system.truth[w]:
                names = ", ".join(p.id for p in parts)
                problems.add(
                    parts[0].path,
                    parts[0].links.get("_lines", {}).get("part_of", parts[0].line),
                    f"metrics declared part_of '{whole}' add up to {total} in {obs.period}, more than "
                    f"its {system.truth[w]} (by {total - system.truth[w]})",
                    f"correct the figures, or remove 'part_of' from those that are not separate parts ({names})",
                    code="figures-disagree",
                )
                continue
            system.equations.append(Equation(coeffs, "<=", 0))
    for obs in project.observations:
        metric = project.metrics.get(obs.metric)
        if metric is None or metric.unit != "percent":
            continue
        _percent_observation(project, metric, obs, system, problems)


def _percent_observation(project, metric, obs, system: System, problems: Problems) -> None:
    key = obs_key(metric.id, obs.area, obs.period)
    where = f"{obs.path}:{obs.line}"
    den: dict[int, int] = {}
    den_const = 0
    den_truth = None
    for name in _metric_list(project, metric, "denominator", problems):
        # The same period, else the denominator's latest figure (a count given once, "as reported").
        o = _period_match(project, name, obs.period, obs.area) or (project.latest(name) if not obs.area else None)
        if o is not None and obs_key(name, o.area, o.period) in system.var_of:
            i = system.var_of[obs_key(name, o.area, o.period)]
            den, den_truth = {i: 1}, system.truth[system.find(i)]
    if not den:
        if obs.denominator is None:
            if not obs.area and "denominator_safe" not in metric.links and metric.id not in system.unknown_share:
                system.unknown_share.add(metric.id)
                problems.add(
                    obs.path,
                    obs.line,
                    f"'{metric.id}' {obs.period} is a percentage with no denominator, so the public "
                    "version cannot tell whether it is a share of fewer than "
                    f"{system.threshold} people",
                    f"give its denominator in the 'denominator' column, or declare "
                    f"'denominator: <metric id>' on the metric ({metric.path}:{metric.line}), or, if it "
                    "can never reveal a small number, 'denominator_safe: <why>' on the metric",
                    code="suppression-input",
                )
            return
        den_const = _int(obs.denominator) or 0
        den_truth = den_const
    num: dict[int, int] = {}
    parts = _metric_list(project, metric, "numerator", problems)
    if parts:
        for name in parts:
            o = _period_match(project, name, obs.period, obs.area)
            if o is None or obs_key(name, o.area, o.period) not in system.var_of:
                num = {}
                break
            num[system.var_of[obs_key(name, o.area, o.period)]] = 1
    share = Share(
        [key],
        obs.value,
        _decimals(str(obs.value)),
        {},
        den,
        den_const,
        where,
        f"{metric.label}, {obs.period}",
        metric.disclosure != "restricted",
    )
    truth = _int(obs.numerator) if obs.numerator is not None else (_count_in(share, den_truth) if den_truth is not None else None)
    n = system.var(truth, f"numerator of {metric.label}, {obs.period}", where, True)
    share.num = {n: 1}
    if num:
        total = _num_truth(system, num)
        if truth is not None and total is not None and total != truth:
            problems.add(
                where,
                obs.line,
                f"'{metric.id}' {obs.period} has numerator {truth}, but its declared numerator metrics add up to {total}",
                "correct the numerator or the metrics",
                code="figures-disagree",
            )
        else:
            system.equations.append(Equation({**num, n: -1}, "==", 0))
    if truth is not None and den_truth is not None and not share_consistent(share, truth, den_truth):
        problems.add(
            where,
            obs.line,
            f"'{metric.id}' {obs.period} is {obs.value}%, but {truth} of {den_truth} is {Decimal(100 * truth) / den_truth:.1f}%",
            "correct the value, numerator or denominator",
            code="figures-disagree",
        )
        return
    s = system.share(share)
    if not share.published:
        system.withheld.add(("s", s))


def _cell_truth(text: str):
    text = (text or "").replace(",", "").strip()
    if text == SYMBOL:
        return "c"
    if text in NO_VALUE:
        return None
    return to_decimal(text)


def _table(project: Project, table, system: System, problems: Problems) -> None:
    labels = [cells[0] for cells in table.rows]
    header = table.header
    width = len(header)
    share_rows = {p["row"] for p in table.percentages}
    link = _table_links(project, table, problems)
    cell_var: dict[tuple[int, int], int] = {}
    for r, cells in enumerate(table.rows):
        unit = table.row_units[r]
        if unit not in ("people", "count") or labels[r] in share_rows:
            continue
        for c in range(1, min(width, len(cells))):
            value = _cell_truth(cells[c])
            if value is None:
                continue
            truth = None if value == "c" else _int(value)
            if value != "c" and truth is None:
                continue
            key = ("table", table.id, r, c)
            i = system.var(truth, f"{labels[r]}, {header[c]}", f"{table.path}:{table.row_lines[r]}", unit == "people", key)
            cell_var[(r, c)] = i
            _link_cell(project, table, link, r, c, i, system, problems)
    _totals(table, cell_var, system, problems)
    _table_shares(project, table, cell_var, link, system, problems)
    _undeclared_totals(table, problems)


def _table_links(project, table, problems: Problems) -> dict:
    """{row label: metric id} and {column header: period} from ``metrics:`` and ``periods:``."""
    meta = table.meta or {}
    labels = [cells[0] for cells in table.rows]
    rows = meta.get("metrics") or {}
    periods = meta.get("periods") or {}
    out = {"rows": {}, "periods": {}}
    if not isinstance(rows, dict) or not isinstance(periods, dict):
        problems.add(
            table.meta_path,
            meta.key_line("metrics") if hasattr(meta, "key_line") else 1,
            "'metrics' and 'periods' must be mappings",
            "write e.g. 'metrics: {Outcomes fully achieved: msp_fully_achieved}' and "
            "'periods: {2024/25 to date: 2024/25 year to date}'",
            code="field-type",
        )
        return out
    line = meta.key_line("metrics") if hasattr(meta, "key_line") else 1
    for row, mid in rows.items():
        if str(row) not in labels:
            problems.add(
                table.meta_path,
                line,
                f"metrics names row '{row}', which is not a row of the table",
                f"{close_match(str(row), labels)} rows are: {', '.join(labels)}".strip(),
                code="unknown-name",
            )
        elif str(mid) not in project.metrics:
            hint = close_match(str(mid), project.metrics)
            problems.add(
                table.meta_path,
                line,
                f"row '{row}' is linked to unknown metric '{mid}'",
                f"{hint + ' ' if hint else ''}write the id of a metric in data/metrics/".strip(),
                code="unknown-name",
            )
        else:
            out["rows"][str(row)] = str(mid)
    for column, period in periods.items():
        if str(column) not in table.header[1:]:
            problems.add(
                table.meta_path,
                meta.key_line("periods"),
                f"periods names column '{column}', which is not a column of the table",
                f"{close_match(str(column), table.header[1:])} columns are: {', '.join(table.header[1:])}".strip(),
                code="unknown-name",
            )
        else:
            out["periods"][str(column)] = str(period)
    return out


def _linked_obs(project, table, link, r, c):
    mid = link["rows"].get(table.rows[r][0])
    if mid is None:
        return None, None
    period = link["periods"].get(table.header[c], table.header[c])
    return mid, _period_match(project, mid, period)


def _link_cell(project, table, link, r, c, i, system: System, problems: Problems) -> None:
    mid, obs = _linked_obs(project, table, link, r, c)
    if obs is None or obs_key(mid, obs.area, obs.period) not in system.var_of:
        return
    j = system.var_of[obs_key(mid, obs.area, obs.period)]
    a, b = system.truth[system.find(i)], system.truth[system.find(j)]
    if a is not None and b is not None and a != b:
        problems.add(
            table.path,
            table.row_lines[r],
            f"table '{table.id}' shows {a} for '{table.rows[r][0]}', "
            f"'{table.header[c]}', but metric '{mid}' is {b} for {obs.period} ({obs.path}:{obs.line})",
            "correct one of them, or remove the row from the table's 'metrics:'",
            code="figures-disagree",
        )
        return
    system.same(i, j)


def _totals(table, cell_var, system: System, problems: Problems) -> None:
    labels = [cells[0] for cells in table.rows]
    width = len(table.header)
    share_rows = {p["row"] for p in table.percentages}
    lines = []
    if table.total_row in labels:
        tr = labels.index(table.total_row)
        members = [
            r for r in range(len(labels)) if r != tr and labels[r] not in share_rows and table.row_units[r] in ("people", "count")
        ]
        for c in range(1, width):
            lines.append(
                (
                    [(r, c) for r in members],
                    (tr, c),
                    f"total row '{table.total_row}'",
                    f"column '{table.header[c]}'",
                    table.row_lines[tr],
                )
            )
    if table.total_column in table.header:
        tc = table.header.index(table.total_column)
        for r in range(len(labels)):
            if labels[r] in share_rows or table.row_units[r] not in ("people", "count"):
                continue
            lines.append(
                (
                    [(r, c) for c in range(1, width) if c != tc],
                    (r, tc),
                    f"total column '{table.total_column}'",
                    f"row '{labels[r]}'",
                    table.row_lines[r],
                )
            )
    for members, total, what, along, line in lines:
        present = [m for m in members if m in cell_var]
        if total not in cell_var or not present:
            continue
        blanks = [m for m in members if m not in cell_var and _cell_truth(_text(table, m)) not in (None,)]
        if blanks:
            continue
        truths = [system.truth[cell_var[m]] for m in present]
        whole = system.truth[cell_var[total]]
        if whole is not None and None not in truths and sum(truths) != whole:
            diff = whole - sum(truths)
            problems.add(
                table.path,
                line,
                f"table '{table.id}': {what} does not add up in {along}: the cells sum "
                f"to {sum(truths)} but the total is {whole} (difference {diff:+d})",
                "correct the figures, or remove the total from 'totals:' in "
                f"{table.meta_path} if it is not the sum of the others",
                code="figures-disagree",
            )
            continue
        coeffs = {cell_var[m]: 1 for m in present}
        coeffs[cell_var[total]] = coeffs.get(cell_var[total], 0) - 1
        system.equations.append(Equation(coeffs, "==", 0))


def _text(table, cell) -> str:
    r, c = cell
    cells = table.rows[r]
    return cells[c] if c < len(cells) else ""


def _denominator_spec(project, table, system: System, problems: Problems):
    """(vars, constant, truth) of a percentage table's declared denominator, or None."""
    meta = table.meta or {}
    spec = meta.get("denominator")
    if spec is None:
        return None
    line = meta.key_line("denominator") if hasattr(meta, "key_line") else 1
    fix = "write 'denominator: 250' or 'denominator: {metric: asc_workforce, period: \"2024\"}'"
    if isinstance(spec, int) and not isinstance(spec, bool) and spec > 0:
        return {}, spec, spec
    if isinstance(spec, dict) and spec.get("metric") is not None:
        mid = str(spec.get("metric"))
        if mid not in project.metrics:
            hint = close_match(mid, project.metrics)
            problems.add(
                table.meta_path,
                line,
                f"table '{table.id}' has denominator metric '{mid}', which is not a metric",
                f"{hint + ' ' if hint else ''}{fix}",
                code="unknown-name",
            )
            return None
        period = spec.get("period")
        obs = _period_match(project, mid, str(period)) if period is not None else project.latest(mid)
        if obs is None or obs_key(mid, obs.area, obs.period) not in system.var_of:
            periods = project.periods(mid)
            problems.add(
                table.meta_path,
                line,
                f"table '{table.id}': metric '{mid}' has no count for period '{period}'",
                close_match(str(period), periods) or f"its periods are: {', '.join(periods)}",
                code="suppression-input",
            )
            return None
        i = system.var_of[obs_key(mid, obs.area, obs.period)]
        return {i: 1}, 0, system.truth[system.find(i)]
    problems.add(table.meta_path, line, f"table '{table.id}' has denominator '{spec}'", fix, code="suppression-input")
    return None


def _table_shares(project, table, cell_var, link, system: System, problems: Problems) -> None:
    labels = [cells[0] for cells in table.rows]
    width = len(table.header)
    meta = table.meta or {}
    declared = set()
    for p in table.percentages:
        r = labels.index(p["row"])
        declared.add(r)
        numerators = p["numerator"] if isinstance(p["numerator"], list) else [p["numerator"]]
        d = labels.index(p["denominator"])
        for c in range(1, width):
            value = _cell_truth(_text(table, (r, c)))
            num_cells = [(labels.index(n), c) for n in numerators]
            if value is None or value == "c" or (d, c) not in cell_var or any(n not in cell_var for n in num_cells):
                continue
            num = {}
            for n in num_cells:
                num[cell_var[n]] = num.get(cell_var[n], 0) + 1
            share = Share(
                [("table", table.id, r, c)],
                value,
                _decimals(_text(table, (r, c))),
                num,
                {cell_var[(d, c)]: 1},
                0,
                f"{table.path}:{table.row_lines[r]}",
                f"{labels[r]}, {table.header[c]}",
            )
            _add_share(table, share, system, problems, p.get("line", 1))
            _link_share(project, table, link, r, c, system)
    percent_rows = [r for r in range(len(labels)) if table.row_units[r] == "percent" and r not in declared]
    if not percent_rows:
        return
    spec = _denominator_spec(project, table, system, problems)
    if spec is None:
        if meta.get("denominator") is None and "denominator_safe" not in meta:
            r = percent_rows[0]
            problems.add(
                table.path,
                table.row_lines[r],
                f"table '{table.id}': row '{labels[r]}' is a percentage with no known denominator, so the "
                f"public version cannot tell whether it is a share of fewer than {system.threshold} people",
                f"declare it in {table.meta_path}: 'percentages: [{{row: ..., numerator: ..., denominator: ...}}]' "
                "for a share of other rows, 'denominator: <number or {metric: id, period: ...}>' for the "
                "people every percentage is of, or, if it can never reveal a small number, "
                "'denominator_safe: <why>'",
                code="suppression-input",
            )
        return
    den, const, den_truth = spec
    exclusive = bool(meta.get("exclusive"))
    columns: dict[int, list[int]] = {}
    for r in percent_rows:
        for c in range(1, width):
            value = _cell_truth(_text(table, (r, c)))
            if value is None or value == "c":
                continue
            share = Share(
                [("table", table.id, r, c)],
                value,
                _decimals(_text(table, (r, c))),
                {},
                den,
                const,
                f"{table.path}:{table.row_lines[r]}",
                f"{labels[r]}, {table.header[c]}",
            )
            truth = _count_in(share, den_truth) if den_truth is not None else None
            if den_truth is not None and truth is None:
                problems.add(
                    table.path,
                    table.row_lines[r],
                    f"table '{table.id}': {value}% in '{labels[r]}', "
                    f"'{table.header[c]}' is not a whole number of its {den_truth} people",
                    "correct the percentage or the table's denominator",
                    code="figures-disagree",
                )
                continue
            n = system.var(truth, f"people in {labels[r]}, {table.header[c]}", share.where, True)
            share.num = {n: 1}
            system.share(share)
            _link_share(project, table, link, r, c, system)
            columns.setdefault(c, []).append(n)
    if exclusive and len(percent_rows) == 1:
        columns = {0: [n for parts in columns.values() for n in parts]}  # the parts run across the columns
    if exclusive:
        for parts in columns.values():
            system.equations.append(Equation({**{n: 1 for n in parts}, **{i: -k for i, k in den.items()}}, "<=", const))


def _add_share(table, share: Share, system: System, problems: Problems, line: int) -> None:
    num, den = _num_truth(system, share.num), _num_truth(system, share.den)
    if num is not None and den is not None and not share_consistent(share, num, den + share.den_const):
        shown = Decimal(100 * num) / den if den else Decimal(0)
        problems.add(
            table.path,
            int(share.where.rsplit(":", 1)[1]),
            f"table '{table.id}': '{share.label}' shows "
            f"{share.value}%, but its numerator and denominator give {shown:.1f}% ({num} of {den})",
            f"correct the figures, or the row's entry under 'percentages:' in {table.meta_path}:{line}",
            code="figures-disagree",
        )
        return
    system.share(share)


def _link_share(project, table, link, r, c, system: System) -> None:
    mid, obs = _linked_obs(project, table, link, r, c)
    if obs is None:
        return
    key = obs_key(mid, obs.area, obs.period)
    if key in system.share_of:
        system.together.append({("s", system.share_of[("table", table.id, r, c)]), ("s", system.share_of[key])})


def _undeclared_totals(table, problems: Problems) -> None:
    def looks(label: str) -> bool:
        low = str(label).strip().lower()
        return low in TOTAL_WORDS or low.startswith(("total", "all "))

    for r, cells in enumerate(table.rows):
        if looks(cells[0]) and cells[0] != table.total_row:
            problems.warn(
                table.path,
                table.row_lines[r],
                f"table '{table.id}': row '{cells[0]}' looks like a total "
                "but is not declared, so it is neither checked nor used to protect hidden cells",
                f"add 'totals: {{row: {cells[0]}}}' to {table.meta_path} if it sums the other rows",
                code="total-undeclared",
            )
    for name in table.header[1:]:
        if looks(name) and name != table.total_column:
            problems.warn(
                table.path,
                1,
                f"table '{table.id}': column '{name}' looks like a total but is not "
                "declared, so it is neither checked nor used to protect hidden cells",
                f"add 'totals: {{column: {name}}}' to {table.meta_path} if it sums the other columns",
                code="total-undeclared",
            )


# -- solving --------------------------------------------------------------------------------
class _Solver:
    """Integer programs over one linked group, with some items hidden."""

    def __init__(self, system: System, members: list[int], equations: list[Equation], shares: list[int]):
        self.system = system
        self.members = members
        self.index = {v: k for k, v in enumerate(members)}
        self.equations = equations
        self.shares = shares
        self.memo: dict = {}

    def rows(self, hidden: set):
        """(coefficients, low, high) for every constraint given what is hidden."""
        s = self.system
        out = []
        for eq in self.equations:
            coeffs = {}
            for i, c in eq.coeffs.items():
                coeffs[s.find(i)] = coeffs.get(s.find(i), 0) + c
            out.append((coeffs, eq.rhs if eq.op == "==" else -float("inf"), eq.rhs))
        for k in self.shares:
            share = s.shares[k]
            num = {}
            for i, c in share.num.items():
                num[s.find(i)] = num.get(s.find(i), 0) + c
            den = {}
            for i, c in share.den.items():
                den[s.find(i)] = den.get(s.find(i), 0) + c
            # A share is never more than its whole.
            out.append((_combine(num, den, 1, -1), -float("inf"), share.den_const))
            if ("s", k) in hidden or not share.published or share.value is None:
                continue
            scale, low, high = _share_bounds(share)
            # low*den <= scale*num  and  scale*num - high*den <= -1 (all whole numbers)
            out.append((_combine(num, den, scale, -low), low * share.den_const, float("inf")))
            out.append((_combine(num, den, scale, -high), -float("inf"), high * share.den_const - 1))
        return out

    def bounds(self, hidden: set, extra: dict | None = None):
        s = self.system
        lower, upper = [], []
        for v in self.members:
            if ("v", v) in hidden or not s.keys[v] or s.truth[v] is None:
                lo, hi = 0, float("inf")
            else:
                lo = hi = s.truth[v]
            if extra and v in extra:
                lo, hi = max(lo, extra[v][0]), min(hi, extra[v][1])
            lower.append(lo)
            upper.append(hi)
        return lower, upper

    def solve(self, objective: dict[int, float], hidden: set, extra: dict | None = None, rows=None):
        """(status, value, x) minimising ``objective``; status 'ok', 'infeasible' or 'unbounded'."""
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp

        n = len(self.members)
        c = np.zeros(n)
        for v, w in objective.items():
            c[self.index[self.system.find(v)]] += w
        rows = rows if rows is not None else self.rows(hidden)
        lower, upper = self.bounds(hidden, extra)
        constraints = []
        if rows:
            a = np.zeros((len(rows), n))
            lo, hi = np.zeros(len(rows)), np.zeros(len(rows))
            for k, (coeffs, floor, ceiling) in enumerate(rows):
                for v, w in coeffs.items():
                    a[k, self.index[v]] += w
                lo[k], hi[k] = floor, ceiling
            constraints = [LinearConstraint(a, lo, hi)]
        result = milp(c, integrality=np.ones(n), bounds=Bounds(lower, upper), constraints=constraints)
        if result.status == 0:
            return "ok", round(result.fun), [round(x) for x in result.x]
        return ("unbounded" if result.status == 3 else "infeasible"), None, None

    def _key(self, expr, hidden, need):
        members = set(self.members)
        return (
            frozenset(h for h in hidden if (h[0] == "v" and h[1] in members) or (h[0] == "s" and h[1] in self.shares)),
            tuple(sorted(expr.items())),
            need,
        )

    def audit(self, expr: dict[int, int], hidden: set, need: int):
        """(low, high, passes) for a linear expression of hidden counts (high None: no limit)."""
        if not self.equations and not self.shares:
            return 0, None, True  # linked to nothing: it could be any count
        key = ("range", *self._key(expr, hidden, need))
        if key not in self.memo:
            rows = self.rows(hidden)
            status, low, _ = self.solve(expr, hidden, rows=rows)
            if status != "ok":
                self.memo[key] = (None, None, status == "unbounded")
            else:
                status, neg, _ = self.solve({v: -w for v, w in expr.items()}, hidden, rows=rows)
                high = None if status != "ok" else -neg  # feasible below, so not ok above: no upper limit
                self.memo[key] = (low, high, self.passes(expr, hidden, need))
        return self.memo[key]

    def passes(self, expr: dict[int, int], hidden: set, need: int) -> bool:
        """True when ``expr`` can take ``need`` different values, the largest at least ``need``.

        One integer program over ``need`` copies of the unknowns, each consistent with what is
        published, whose values of ``expr`` rise by at least 1 from copy to copy and end at
        ``need`` or more. That is exactly the rule (never provably below the threshold, never
        fewer than ``threshold`` possible values), gaps between whole numbers included.
        """
        if not self.equations and not self.shares:
            return True
        key = ("passes", *self._key(expr, hidden, need))
        if key in self.memo:
            return self.memo[key]
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp

        n = len(self.members)
        rows = self.rows(hidden)
        lower, upper = self.bounds(hidden)
        size = n * need
        a = np.zeros((len(rows) * need + need, size))
        lo, hi = [], []
        for k in range(need):
            for j, (coeffs, floor, ceiling) in enumerate(rows):
                for v, w in coeffs.items():
                    a[k * len(rows) + j, k * n + self.index[v]] += w
                lo.append(floor)
                hi.append(ceiling)
        base = len(rows) * need
        for k in range(need):
            for v, w in expr.items():
                col = self.index[self.system.find(v)]
                a[base + k, k * n + col] += w
                if k:
                    a[base + k, (k - 1) * n + col] -= w
            lo.append(1 if k else -float("inf"))  # each copy's value above the last
            hi.append(float("inf"))
        last = np.zeros(size)
        for v, w in expr.items():
            last[(need - 1) * n + self.index[self.system.find(v)]] += w
        a = np.vstack([a, last])
        lo.append(need)
        hi.append(float("inf"))
        result = milp(
            np.zeros(size),
            integrality=np.ones(size),
            bounds=Bounds(lower * need, upper * need),
            constraints=[LinearConstraint(a, lo, hi)],
        )
        self.memo[key] = result.status == 0
        return self.memo[key]


def _combine(a: dict, b: dict, ka: int, kb: int) -> dict:
    out = {v: ka * w for v, w in a.items()}
    for v, w in b.items():
        out[v] = out.get(v, 0) + kb * w
    return {v: w for v, w in out.items() if w}


# -- the decision ---------------------------------------------------------------------------
@dataclass
class Decision:
    """What the public version hides, with why and each hidden value's audited range."""

    threshold: int = DEFAULT_THRESHOLD
    hidden: dict[Key, Hidden] = field(default_factory=dict)
    unresolved: list[Hidden] = field(default_factory=list)
    system: System | None = None
    items: dict = field(default_factory=dict)  # item -> why
    seconds: float = 0.0

    def hides(self, key: Key) -> bool:
        return key in self.hidden

    def why(self, key: Key) -> str | None:
        entry = self.hidden.get(key)
        return entry.why if entry else None

    def obs_hidden(self, metric, obs) -> bool:
        return obs_key(metric.id, obs.area, obs.period) in self.hidden

    def table_cells(self, table) -> dict[tuple[int, int], str]:
        """{(row, column): why} for one table, as :func:`suppression.suppress_table` gives."""
        out = {}
        for key, entry in self.hidden.items():
            if key[0] == "table" and key[1] == table.id:
                out[(key[2], key[3])] = "primary" if entry.why == "primary" else entry.why
        for r, cells in enumerate(table.rows):
            for c in range(1, len(cells)):
                if cells[c].strip() == SYMBOL:
                    out.setdefault((r, c), "primary")
        return out


def _groups(system: System) -> list[tuple[list[int], list[Equation], list[int]]]:
    """Linked groups: unknowns that share a constraint, with their constraints and shares."""
    roots = sorted({system.find(i) for i in range(len(system.truth))})
    parent = {r: r for r in roots}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(vs):
        vs = [find(system.find(v)) for v in vs]
        for v in vs[1:]:
            a, b = find(vs[0]), find(v)
            if a != b:
                parent[b] = a

    for eq in system.equations:
        join(list(eq.coeffs))
    for share in system.shares:
        join([*share.num, *share.den])
    members: dict[int, list[int]] = {}
    for r in roots:
        members.setdefault(find(r), []).append(r)
    eqs: dict[int, list] = {}
    for eq in system.equations:
        eqs.setdefault(find(system.find(next(iter(eq.coeffs)))), []).append(eq)
    shares: dict[int, list] = {}
    for k, share in enumerate(system.shares):
        shares.setdefault(find(system.find(next(iter(share.num)))), []).append(k)
    return [(members[g], eqs.get(g, []), shares.get(g, [])) for g in members]


def _primary(system: System) -> dict:
    """Items hidden for themselves: small counts of people, and shares of small counts."""
    t = system.threshold
    out = {}
    for v in range(len(system.truth)):
        if system.find(v) != v or not system.keys[v]:
            continue
        truth = system.truth[v]
        if ("v", v) in system.withheld:
            out[("v", v)] = "withheld"
        elif system.people[v] and (truth is None or 0 < truth < t):
            out[("v", v)] = "primary"
    for k, share in enumerate(system.shares):
        if ("s", k) in system.withheld:
            out[("s", k)] = "withheld"
            continue
        num, den = _num_truth(system, share.num), _num_truth(system, share.den)
        den = den + share.den_const if den is not None else None
        if (num is not None and 0 < num < t) or (den is not None and 0 < den < t):
            out[("s", k)] = "primary"
    return out


def _expr_of(system: System, item) -> dict[int, int] | None:
    """The count an item hides, as an expression over unknowns (None: nothing to audit)."""
    kind, i = item
    if kind == "v":
        return {i: 1}
    share = system.shares[i]
    den = _num_truth(system, share.den)
    den = den + share.den_const if den is not None else None
    if den is not None and 0 < den < system.threshold:
        return None  # hidden for its denominator, which is protected where it is a count
    return dict(share.num)


def _cost(system: System, item) -> tuple:
    kind, i = item
    value = system.truth[i] if kind == "v" else _num_truth(system, system.shares[i].num)
    value = value if value is not None else 0
    return (value == 0, value, kind == "s", i)


def _published_items(system: System, members: list[int], shares: list[int], hidden: dict) -> list:
    items = [("v", v) for v in members if system.keys[v] and ("v", v) not in hidden]
    items += [("s", k) for k in shares if ("s", k) not in hidden and system.shares[k].published]
    return items


def _spread(system: System, hidden: dict) -> None:
    """Items that are the same figure are hidden together."""
    changed = True
    while changed:
        changed = False
        for group in system.together:
            if any(item in hidden for item in group):
                for item in group:
                    if item not in hidden:
                        hidden[item] = "linked"
                        changed = True


def decide(project: Project, problems: Problems | None = None, system: System | None = None) -> Decision:
    """The decision for a project: computed once and kept on it, so every view shares it."""
    cached = getattr(project, "_disclosure_decision", None)
    if cached is not None and problems is None and system is None:
        return cached
    import time

    start = time.perf_counter()
    system = system or build(project, problems if problems is not None else Problems())
    audit = project.config.suppression_audit if project.config is not None else True
    items = _primary(system)
    _spread(system, items)
    decision = Decision(threshold=system.threshold, system=system)
    for members, equations, shares in _groups(system):
        if not any(("v", v) in items for v in members) and not any(("s", k) in items for k in shares):
            continue
        solver = _Solver(system, members, equations, shares)
        if audit:
            _settle(system, solver, members, shares, items, decision)
        _record(system, solver, members, shares, items, decision, audit)
    decision.items = items
    decision.seconds = time.perf_counter() - start
    if problems is not None:
        for entry in decision.unresolved:
            path, line = place(entry.where)
            problems.add(
                path,
                line,
                f"hidden value '{entry.label}' can still be worked out from what the "
                f"public version publishes ({entry.range_text})",
                "hide or remove a figure it is linked to, or publish the linked figures less precisely",
                code="suppression-unsafe",
            )
    if cached is None or problems is None:
        project._disclosure_decision = decision
    return decision


def _checked(system: System, items: dict, members, shares) -> list:
    """Hidden items the rule applies to (withheld metrics are not small numbers)."""
    out = []
    for item, why in items.items():
        if why == "withheld":
            continue
        if (item[0] == "v" and item[1] in members) or (item[0] == "s" and item[1] in shares):
            if item[0] == "s" and why != "primary":
                continue  # a share hidden to protect something else: its counts are checked as counts
            out.append(item)
    return sorted(out, key=lambda it: (it[0], it[1]))


def _settle(system: System, solver: _Solver, members, shares, items: dict, decision: Decision) -> None:
    t = system.threshold
    stuck = set()
    for _ in range(len(members) + len(shares) + 1):
        failing = None
        for item in _checked(system, items, members, shares):
            expr = _expr_of(system, item)
            if expr is None or item in stuck:
                continue
            if not solver.passes(expr, set(items), t):
                failing = (item, expr)
                break
        if failing is None:
            return
        item, expr = failing
        candidates = sorted(_published_items(system, members, shares, items), key=lambda it: _cost(system, it))
        chosen = None
        for cand in candidates:
            trial = dict(items)
            trial[cand] = "secondary"
            _spread(system, trial)
            if solver.passes(expr, set(trial), t):
                chosen = cand
                break
        chosen = [chosen] if chosen is not None else _pair(system, solver, expr, items, candidates[:8], t)
        if not chosen:
            # Nothing small enough fixes it at once: hide the cheapest value linked to it and go on.
            near = _adjacent(system, solver, expr)
            chosen = [c for c in candidates if _touches(system, c, near)][:1] or candidates[:1]
        if not chosen:
            stuck.add(item)
            continue
        for cand in chosen:
            items[cand] = "secondary"
        _spread(system, items)


def _adjacent(system: System, solver: _Solver, expr: dict) -> set:
    """Unknowns that share a constraint with any in ``expr``."""
    roots = {system.find(v) for v in expr}
    near = set(roots)
    for eq in solver.equations:
        vs = {system.find(v) for v in eq.coeffs}
        if vs & roots:
            near |= vs
    for k in solver.shares:
        share = system.shares[k]
        vs = {system.find(v) for v in (*share.num, *share.den)}
        if vs & roots:
            near |= vs
    return near


def _touches(system: System, item, near: set) -> bool:
    kind, i = item
    if kind == "v":
        return i in near
    share = system.shares[i]
    return any(system.find(v) in near for v in (*share.num, *share.den))


def _pair(system: System, solver: _Solver, expr, items: dict, candidates: list, t: int) -> list:
    """Two more values to hide together, cheapest first, when no single one is enough."""
    pairs = [(a, b) for n, a in enumerate(candidates) for b in candidates[n + 1 :]]
    pairs.sort(key=lambda ab: _cost(system, ab[0])[1] + _cost(system, ab[1])[1])
    for a, b in pairs:
        trial = dict(items)
        trial[a] = trial[b] = "secondary"
        _spread(system, trial)
        if solver.passes(expr, set(trial), t):
            return [a, b]
    return []


def _record(system: System, solver: _Solver, members, shares, items: dict, decision: Decision, audit: bool) -> None:
    t = system.threshold
    members, shares = set(members), set(shares)
    for item, why in items.items():
        kind, i = item
        if (kind == "v" and i not in members) or (kind == "s" and i not in shares):
            continue
        keys = system.keys[i] if kind == "v" else system.shares[i].keys
        label = system.labels[i] if kind == "v" else system.shares[i].label
        where = system.wheres[i] if kind == "v" else system.shares[i].where
        low = high = None
        ok = True
        expr = _expr_of(system, item)
        if audit and why != "withheld" and expr is not None:
            low, high, ok = solver.audit(expr, set(items), t)
        for n, key in enumerate(keys):
            # A small number is primary wherever it shows; what protects it is linked elsewhere.
            entry = Hidden(key, why if n == 0 or why in ("primary", "withheld") else "linked", label, where, low, high, ok)
            decision.hidden[key] = entry
        if not ok and why in ("primary",) and keys:
            decision.unresolved.append(decision.hidden[keys[0]])


# -- a different world that publishes the same -----------------------------------------------
def alternative_values(project: Project, decision: Decision | None = None) -> dict[Key, Decimal]:
    """A different truth that publishes exactly what this one does.

    ``alternative_values(project, decision) -> dict[key, Decimal]``: for every hidden value,
    keyed ``("table", table_id, row, column)`` for a table cell (indexes into ``table.rows``,
    column 0 being the row label) or ``("obs", metric_id, area, period)`` for an observation
    (area ``""`` for the council), a value such that every published quantity (totals,
    rounded percentages, numerators and denominators, parts of totals, the same figure
    elsewhere) is exactly as published and the same values are small (a primary count stays
    from 1 to ``threshold - 1``; any other hidden count stays 0 or at least ``threshold``).
    Counts are whole numbers; a hidden percentage is given to the precision it has. One
    integer program per linked group picks the world that differs from the truth in as many
    hidden values as it can; a value that cannot differ keeps its true value.
    """
    decision = decision or decide(project)
    system = decision.system if decision.system is not None else build(project)
    items = decision.items
    out: dict[Key, Decimal] = {}
    for members, equations, shares in _groups(system):
        if not any(("v", v) in items for v in members) and not any(("s", k) in items for k in shares):
            continue
        solver = _Solver(system, members, equations, shares)
        x = _different_world(system, solver, members, items)
        if x is None:
            x = {v: system.truth[v] for v in members}
        for v in members:
            if ("v", v) in items and x.get(v) is not None:
                for key in system.keys[v]:
                    out[key] = Decimal(x[v])
        for k in shares:
            if ("s", k) not in items:
                continue
            share = system.shares[k]
            num = sum(c * x[system.find(i)] for i, c in share.num.items())
            den = sum(c * x[system.find(i)] for i, c in share.den.items()) + share.den_const
            value = Decimal(100 * num) / den if den else Decimal(0)
            q = Decimal(1).scaleb(-share.decimals)
            for key in share.keys:
                out[key] = value.quantize(q, ROUND_HALF_UP)
    return out


def _different_world(system: System, solver: _Solver, members, items) -> dict | None:
    """One integer program: hidden counts free, published fixed, as many changes as possible."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    t = system.threshold
    hidden = set(items)
    base_rows = solver.rows(hidden)
    lower, upper = solver.bounds(hidden)
    truths = [system.truth[v] or 0 for v in members]
    big = 10 * (sum(truths) + t) + 10
    upper = [min(u, big) for u in upper]
    n = len(members)
    changeable = [k for k, v in enumerate(members) if ("v", v) in items and system.truth[v] is not None]
    small_kind = {k: items[("v", members[k])] for k in changeable}
    # Extra binaries per changeable count: above the truth, below it, and (for non-primary) not zero.
    extra = 3 * len(changeable)
    size = n + extra
    rows, lo, hi = [], [], []

    def row(coeffs: dict, floor, ceiling):
        a = np.zeros(size)
        for j, w in coeffs.items():
            a[j] += w
        rows.append(a)
        lo.append(floor)
        hi.append(ceiling)

    index = solver.index
    for coeffs, floor, ceiling in base_rows:
        row({index[v]: w for v, w in coeffs.items()}, floor, ceiling)
    c = np.zeros(size)
    lb = list(lower) + [0] * extra
    ub = list(upper) + [1] * extra
    for m, k in enumerate(changeable):
        up, down, nz = n + 3 * m, n + 3 * m + 1, n + 3 * m + 2
        truth = truths[k]
        row({k: 1, up: -(truth + 1)}, 0, float("inf"))  # up -> x >= truth + 1
        row({k: 1, down: big}, -float("inf"), truth - 1 + big)  # down -> x <= truth - 1
        row({up: 1, down: 1}, -float("inf"), 1)
        c[up] = c[down] = -1
        if small_kind[k] == "primary":
            lb[k], ub[k] = max(lb[k], 1), min(ub[k], t - 1)
        elif system.people[members[k]] and small_kind[k] != "withheld" and not 0 < truth < t:
            row({k: 1, nz: -t}, 0, float("inf"))  # nz -> x >= threshold
            row({k: 1, nz: -big}, -float("inf"), 0)  # not nz -> x = 0
    integrality = np.ones(size)
    constraints = [LinearConstraint(np.array(rows), lo, hi)] if rows else []
    result = milp(c, integrality=integrality, bounds=Bounds(lb, ub), constraints=constraints)
    if result.status != 0:
        return None
    return {v: round(result.x[k]) for k, v in enumerate(members)}
