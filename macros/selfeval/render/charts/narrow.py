"""The narrow picture of a chart: the same numbers drawn for a phone's screen.

The wide picture is drawn 600 pixels wide; shrunk to fit a 320-pixel phone, its text would
be half its size. The narrow picture is drawn ``NARROW_WIDTH`` pixels wide, so on a phone
its text keeps about the design size, and it is laid out here, before Vega draws it, from
the widths of the font's letters (:func:`~selfeval.render.charts.theme.text_width`), so that no
label runs into another, or into a bar or a line:

- periods (trend and target charts) are wrapped to fit under their own period, or set at
  45 degrees when a word of one is wider than its period; where even slanted labels would
  touch, only every second (third, …) period is named, always the latest;
- value labels are placed in turn, the latest and the first figure of each series first,
  then the others from the latest back, each above its point or bar (or, on a line, below
  its point) where it meets nothing already drawn, and left out where it would; every
  figure is in the table under the chart;
- a target's label goes at the end of its line where it leaves most of those first and
  latest labels room;
- in a horizontal bar chart (benchmark, composition) each category's name is written on
  its own lines above its bars, and the value axis leaves room for the longest bar's label;
- a legend of several series starts at the picture's left edge, on one line when it fits
  and one series a line when it does not.

The value scale and its ticks are chosen here (round numbers, as Vega would choose them) and
handed to Vega, so the positions the layout reckons with are the positions drawn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from selfeval.render.charts import theme
from selfeval.render.charts.svg import _colour, _domain_max, _plain, _records

if TYPE_CHECKING:
    from selfeval.render.charts.data import ChartData, Point

PADDING = 8  # the picture's own margin (the theme's padding)
INNER = theme.NARROW_WIDTH - 2 * PADDING
PLOT_HEIGHT = 220  # height of a trend chart's plotting area
GAP = 3  # the least room between a label and another label
MARK_GAP = 1  # the least room between a label and a bar, point or line
AXIS_EXTRA = 27  # a vertical value axis beyond its widest label: tick, padding and title
LEGEND_SIZE = theme.SMALL_FONT_SIZE
LEGEND_ROW = 18  # one line of the legend
LEGEND_GAP = 14  # between the legend and the top of the plot
BAR = 22  # thickness of one horizontal bar: a line of text fits beside it
ROW_GAP = 14  # between one category's bars and the next category's name
LABEL_OFFSET = {"bar": 4, "line": 10}  # a value label's distance from its bar's end or its point
SHAPES = ["circle", "square", "diamond", "triangle-up", "cross", "triangle-down"]
SLANT = math.sin(math.radians(45))


@dataclass(frozen=True)
class Box:
    """Something drawn, as a rectangle in the plotting area's pixels (y grows downwards), and
    the room it keeps from other things: GAP for a label, less for a bar or a line, whose
    edge a label's box (which holds the space above and below its letters) may come near."""

    left: float
    top: float
    right: float
    bottom: float
    room: float = GAP

    def meets(self, other: Box) -> bool:
        """Whether the two are closer than the smaller room either keeps."""
        gap = min(self.room, other.room)
        return not (
            self.right + gap <= other.left
            or other.right + gap <= self.left
            or self.bottom + gap <= other.top
            or other.bottom + gap <= self.top
        )


def text_box(x: float, y: float, text: str, align: str = "center", baseline: str = "bottom") -> Box:
    """Where a one-line label anchored at (x, y) is drawn."""
    wide = theme.text_width(text)
    left = {"center": x - wide / 2, "left": x, "right": x - wide}[align]
    top = y - theme.LINE_HEIGHT if baseline == "bottom" else y
    return Box(left, top, left + wide, top + theme.LINE_HEIGHT)


def clear(box: Box, drawn: list[Box]) -> bool:
    return not any(box.meets(other) for other in drawn)


# -- the value scale ------------------------------------------------------------------------
def _increment(top: float, count: int) -> float:
    """The round step (1, 2 or 5 times a power of ten) that cuts 0..top into about ``count`` parts."""
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    factor = 10 if error >= math.sqrt(50) else 5 if error >= math.sqrt(10) else 2 if error >= math.sqrt(2) else 1
    return factor * power


def nice_top(top: float, count: int = 5) -> float:
    """The scale's top made round: the next multiple of the step that cuts 0..top into about ``count`` parts."""
    top = top if top > 0 else 1.0
    step = _increment(top, count)
    return math.ceil(round(top / step, 9)) * step


def ticks(top: float, count: int) -> list[float]:
    """Round values from 0 to ``top``, about ``count`` of them, as Vega's axis would choose them."""
    step = _increment(top, count)
    return [round(i * step, 10) for i in range(math.floor(round(top / step, 9)) + 1)]


def tick_text(value: float, unit: str) -> str:
    """A tick's label as :func:`~selfeval.render.charts.theme.value_label_expr` writes it."""
    number = f"{abs(Decimal(repr(value)).normalize()):,f}"
    sign = "-" if value < 0 else ""
    return {"percent": f"{sign}{number}%", "gbp": f"{sign}£{number}"}.get(unit, f"{sign}{number}")


# -- pieces both shapes use -------------------------------------------------------------------
def _legend(alt, data: ChartData, left: float):
    """The series' legend above the plot, from the picture's left edge (``left`` pixels before the plot)."""
    if len(data.series) < 2:
        return None
    entries = [20 + theme.text_width(s, LEGEND_SIZE) for s in data.series]
    one_line = sum(entries) + 10 * (len(entries) - 1) <= INNER
    rows = 1 if one_line else len(entries)
    return alt.Legend(
        orient="none",
        legendX=-left,
        legendY=-(rows * LEGEND_ROW + LEGEND_GAP),
        direction="horizontal" if one_line else "vertical",
        columns=0 if one_line else 1,
    )


def _value_axis(alt, data: ChartData, values: list[float], **kwargs):
    return alt.Axis(
        title=theme.axis_title(data.unit, data.scale), labelExpr=theme.value_label_expr(data.unit), values=values, **kwargs
    )


def build_narrow_spec(data: ChartData, validate: bool = False) -> dict:
    """The Vega-Lite specification of a chart's narrow picture, as a plain dict."""
    import altair as alt

    chart = _trend(alt, data) if data.chart.kind in ("trend", "target") else _bars(alt, data)
    spec = chart.configure(**theme.vega_config()).to_dict(validate=validate)
    spec.pop("$schema", None)
    return spec


# -- periods along the bottom -----------------------------------------------------------------
@dataclass
class Periods:
    """How a trend chart's period labels are drawn, and the plot width that leaves."""

    width: int  # of the plotting area
    left: float  # room left of the plot, for the value axis and slanted labels
    angle: int  # 0, or -45 for slanted labels
    lines: dict[str, list[str]]
    named: list[str]  # the periods whose labels are drawn

    def label_expr(self) -> str:
        expr = "''"
        for label in reversed(self.named):
            lines = self.lines[label]
            text = json.dumps(lines if len(lines) > 1 else lines[0], ensure_ascii=False)
            expr = f"datum.label === {json.dumps(label, ensure_ascii=False)} ? {text} : {expr}"
        return expr


def periods_layout(categories: list[str], axis_width: float) -> Periods:
    """Straight and wrapped when every period fits its share of the width, else slanted, and
    thinned when slanted labels would touch."""
    n = max(len(categories), 1)
    width = math.floor(INNER - axis_width)
    room = width / n - 2 * GAP
    lines = {c: theme.wrap_to(c, room) for c in categories}
    if all(len(v) <= 3 and all(theme.text_width(line) <= room for line in v) for v in lines.values()):
        return Periods(width, axis_width, 0, lines, list(categories))
    # Slanted, each label ends under its period and runs down to the left: the first ones may
    # reach past the value axis, so the plot starts far enough in for them.
    left = axis_width
    for _ in range(4):
        step = (INNER - left) / n
        reach = max(SLANT * (theme.text_width(c) + theme.LINE_HEIGHT) - step * (i + 0.5) for i, c in enumerate(categories))
        left = max(axis_width, reach + GAP)
    width = math.floor(INNER - left)
    # Neighbouring slanted labels are step × sin 45° apart, measured across their lines.
    every = max(1, math.ceil((theme.LINE_HEIGHT + GAP) / (width / n * SLANT)))
    named = [c for i, c in enumerate(categories) if (n - 1 - i) % every == 0]
    return Periods(width, left, -45, {c: [c] for c in categories}, named)


# -- trend and target charts ------------------------------------------------------------------
class _TrendLayout:
    """Positions in a trend chart's plotting area, and what is drawn there before any value label."""

    def __init__(self, data: ChartData, bars: bool, width: int, height: int, top: float):
        self.data, self.bars, self.width, self.height, self.top = data, bars, width, height, top
        self.step = width / max(len(data.categories), 1)
        self.slot = 0.9 * self.step / max(len(data.series), 1)
        self.drawn: list[Box] = []

    def x(self, p: Point) -> float:
        i = self.data.categories.index(p.category)
        if not self.bars:  # a point scale: the middle of each period's share
            return self.step * (i + 0.5)
        # A band scale with padding 0.1 inside and 0.05 outside, split evenly between the series.
        return self.step * (i + 0.05) + self.slot * (self.data.series.index(p.series) + 0.5)

    def y(self, value) -> float:
        return self.height * (1 - max(0.0, min(float(value), self.top)) / self.top)

    def marks(self) -> list[Box]:
        """The bars, or the points and the lines between them."""
        out = []
        if self.bars:
            for p in self.data.shown:
                out.append(Box(self.x(p) - self.slot / 2, self.y(p.value), self.x(p) + self.slot / 2, self.height, MARK_GAP))
            return out
        for series in self.data.series:
            previous = None
            for p in self.data.in_series(series):
                if p.value is None or p.hidden:  # the line breaks here
                    previous = None
                    continue
                x, y = self.x(p), self.y(p.value)
                out.append(Box(x - 6, y - 6, x + 6, y + 6, MARK_GAP))
                if previous is not None:  # the line, as dots 3 pixels apart as thick as its stroke
                    (x0, y0), steps = previous, max(1, int(math.hypot(x - previous[0], y - previous[1]) / 3))
                    dots = [(x0 + (x - x0) * k / steps, y0 + (y - y0) * k / steps) for k in range(1, steps)]
                    out += [Box(a - 1.5, b - 1.5, a + 1.5, b + 1.5, MARK_GAP) for a, b in dots]
                previous = (x, y)
        return out

    def markers(self) -> list[tuple[Point, float]]:
        """Each suppressed value's [c] on the baseline, and how far up it is lifted (on a line
        chart several series share a period's place, so their markers stack)."""
        out = []
        for category in self.data.categories:
            for k, p in enumerate(q for q in self.data.hidden if q.category == category):
                out.append((p, 0 if self.bars else k * theme.LINE_HEIGHT))
        return out

    def places(self, p: Point) -> list[tuple[str, Box]]:
        """Where a value label may go: above its bar or point, or below its point."""
        offset = LABEL_OFFSET["bar" if self.bars else "line"]
        x, y = self.x(p), self.y(p.value)
        out = [("above", text_box(x, y - offset, p.text))]
        if not self.bars:
            out.append(("below", text_box(x, y + offset, p.text, baseline="top")))
        return out

    def inside(self, box: Box) -> bool:
        return box.left >= -GAP and box.right <= self.width + PADDING and box.top >= -PADDING and box.bottom <= self.height - 1


def _first_and_latest(data: ChartData) -> list[Point]:
    out = []
    for series in data.series:
        mine = [p for p in data.in_series(series) if p.value is not None and not p.hidden]
        out += mine[-1:] + mine[:1] if len(mine) > 1 else mine
    return out


def _target_place(layout: _TrendLayout, text: str, wanted: list[Point]) -> tuple[str, str, Box]:
    """The end of the target line its label goes at, and the side: the first of right-above,
    left-above, right-below and left-below that is clear and leaves the most wanted labels room."""
    width, ty = layout.width, layout.y(layout.data.target)
    line = Box(0, ty - 1, width, ty + 1, MARK_GAP)
    options = [
        (
            align,
            baseline,
            text_box(width if align == "right" else 0, ty - 4 if baseline == "bottom" else ty + 4, text, align, baseline),
        )
        for baseline in ("bottom", "top")
        for align in ("right", "left")
    ]
    inside = [o for o in options if o[2].top >= 0 and o[2].bottom <= layout.height] or options
    drawn = layout.drawn

    def room(option) -> int:
        others = drawn + [line, option[2]]
        return sum(any(layout.inside(b) and clear(b, others) for _, b in layout.places(p)) for p in wanted)

    free = [o for o in inside if clear(o[2], drawn)] or inside
    return max(free, key=room)  # max keeps the first of equals


def _trend(alt, data: ChartData):
    bars = data.chart.kind == "trend" and data.chart.mark == "bar"
    top = nice_top(_domain_max(data))  # the scale ends on a tick
    values = ticks(top, 5)
    axis_labels = max(theme.text_width(tick_text(v, data.unit)) for v in values)
    periods = periods_layout(data.categories, axis_labels + AXIS_EXTRA)
    layout = _TrendLayout(data, bars, periods.width, PLOT_HEIGHT, top)
    layout.drawn = layout.marks()
    markers = layout.markers()
    layout.drawn += [text_box(layout.x(p), layout.height - 4 - lift, p.text) for p, lift in markers]

    wanted = _first_and_latest(data)
    target_layers = []
    if data.target is not None:
        text = f"Target {_plain(data.target, data)}"
        align, baseline, where = _target_place(layout, text, wanted)
        ty = layout.y(data.target)
        layout.drawn += [where, Box(0, ty - 1, layout.width, ty + 1, MARK_GAP)]
        rule = alt.Chart(alt.Data(values=[{"target": float(data.target), "label": text}]))
        target_layers = [
            rule.mark_rule(color=theme.TARGET, strokeDash=[8, 5], strokeWidth=2).encode(y=alt.Y("target:Q")),
            rule.mark_text(align=align, baseline=baseline, dy=-4 if baseline == "bottom" else 4, fill=theme.TEXT).encode(
                y=alt.Y("target:Q"), text="label:N", x=alt.value(layout.width if align == "right" else 0)
            ),
        ]

    # Value labels in turn: the latest and first of each series, then the rest from the latest back.
    order = {c: i for i, c in enumerate(data.categories)}
    rest = sorted((p for p in data.shown if not any(p is q for q in wanted)), key=lambda p: -order[p.category])
    placed: dict[str, list[dict]] = {"above": [], "below": []}
    for p in wanted + rest:
        for side, box in layout.places(p):
            if layout.inside(box) and clear(box, layout.drawn):
                layout.drawn.append(box)
                placed[side].append({"category": p.category, "series": p.series, "value": float(p.value), "label": p.text})
                break

    category_axis = alt.Axis(
        title=None,
        labelAngle=periods.angle,
        grid=False,
        ticks=False,
        labelPadding=8,
        labelExpr=periods.label_expr(),
        **({"labelAlign": "right", "labelBaseline": "middle"} if periods.angle else {}),
    )
    y = alt.Y("value:Q", scale=alt.Scale(domain=[0, top], nice=False, zero=True), axis=_value_axis(alt, data, values, grid=True))
    legend = _legend(alt, data, periods.left)
    colour = _colour(alt, data, False).legend(legend)
    offset = LABEL_OFFSET["bar" if bars else "line"]
    if bars:
        x = alt.X(
            "category:N",
            sort=data.categories,
            axis=category_axis,
            scale=alt.Scale(type="band", domain=data.categories, paddingInner=0.1, paddingOuter=0.05),
        )
        within = {
            "xOffset": alt.XOffset(
                "series:N", sort=data.series, scale=alt.Scale(domain=data.series, paddingInner=0, paddingOuter=0)
            )
        }
        layers = [alt.Chart(alt.Data(values=_records(data))).mark_bar().encode(x=x, y=y, color=colour, **within)]
    else:
        x = alt.X(
            "category:N",
            sort=data.categories,
            axis=category_axis,
            scale=alt.Scale(type="point", domain=data.categories, padding=0.5),
        )
        within = {"detail": "series:N"}
        shape = alt.Shape(
            "series:N", sort=data.series, legend=legend, scale=alt.Scale(domain=data.series, range=SHAPES[: len(data.series)])
        )
        base = alt.Chart(alt.Data(values=_records(data, with_gaps=True))).encode(x=x, y=y)
        layers = [
            base.mark_line(invalid="break-paths-filter-domains").encode(color=colour, detail="series:N"),
            base.mark_point().encode(color=colour, shape=shape),
        ]
    for side, rows in placed.items():
        if rows:
            mark = {"baseline": "bottom", "dy": -offset} if side == "above" else {"baseline": "top", "dy": offset}
            layers.append(alt.Chart(alt.Data(values=rows)).mark_text(**mark).encode(x=x, y=y, text="label:N", **within))
    for lift in sorted({lift for _, lift in markers}):
        rows = [{"category": p.category, "series": p.series, "value": 0, "label": p.text} for p, up in markers if up == lift]
        layers.append(
            alt.Chart(alt.Data(values=rows))
            .mark_text(baseline="bottom", dy=-4 - lift)
            .encode(x=x, y=y, text="label:N", **({"xOffset": within["xOffset"]} if bars else {}))
        )
    return alt.layer(*layers, *target_layers).properties(width=layout.width, height=layout.height)


# -- horizontal bars: benchmark and composition -----------------------------------------------
def _value_room(data: ChartData, width: float) -> tuple[float, list[float]]:
    """The value scale's top, with room after each bar for its label, and ticks whose labels fit."""
    top = _domain_max(data)
    for p in data.shown:
        room = width - 5 - theme.text_width(p.text) - GAP
        if room > 0:
            top = max(top, float(p.value) * width / room)
    top = nice_top(top)
    for count in (5, 4, 3, 2):
        values = ticks(top, count)
        spacing = width * (values[1] - values[0]) / top if len(values) > 1 else width
        if spacing >= max(theme.text_width(tick_text(v, data.unit)) for v in values) + 4 * GAP:
            break
    if data.unit == "percent" and max((float(p.value) for p in data.shown), default=0) <= 100:
        values = [v for v in values if v <= 100]
    return top, values


def _bars(alt, data: ChartData):
    # The first and last ticks' labels are centred on them: the picture holds them whole.
    room = INNER - theme.text_width(tick_text(0, data.unit)) / 2 - 1
    width = room
    for _ in range(4):
        top, values = _value_room(data, width)
        overhang = width * values[-1] / top + theme.text_width(tick_text(values[-1], data.unit)) / 2 - room
        if overhang <= 0:
            break
        width -= overhang
    width = math.floor(width)
    names, bars, texts = [], [], []
    y = 0.0
    for category in data.categories:
        lines = theme.wrap_to(category, room)
        names.append({"category": category, "lines": lines, "y": y})
        bar_top = y + len(lines) * theme.LINE_HEIGHT + 4
        for j, series in enumerate(data.series):
            p = data.point(series, category)
            if p is None or (p.value is None and not p.hidden):
                continue
            y0 = bar_top + j * BAR
            if not p.hidden:
                bars.append({"category": category, "series": series, "value": float(p.value), "y0": y0, "y1": y0 + BAR})
            texts.append({"value": 0 if p.hidden else float(p.value), "label": p.text, "y": y0 + BAR / 2})
        y = bar_top + len(data.series) * BAR + ROW_GAP
    height = round(y - ROW_GAP + 4)
    rows = alt.Scale(domain=[0, height], range=[0, height], nice=False, zero=False)  # pixels, downwards
    x = alt.X(
        "value:Q",
        scale=alt.Scale(domain=[0, top], nice=False, zero=True),
        axis=_value_axis(alt, data, values, grid=False, labelFlush=False),
    )  # each label centred on its tick
    layers = [
        alt.Chart(alt.Data(values=bars))
        .mark_bar()
        .encode(
            x=x,
            x2=alt.datum(0),
            y=alt.Y("y0:Q", scale=rows, axis=None),
            y2="y1:Q",
            color=_colour(alt, data, False).legend(_legend(alt, data, 0)),
        ),
        alt.Chart(alt.Data(values=texts))
        .mark_text(align="left", baseline="middle", dx=5)
        .encode(x=x, y=alt.Y("y:Q", scale=rows, axis=None), text="label:N"),
        alt.Chart(alt.Data(values=names))
        .mark_text(align="left", baseline="top", lineHeight=theme.LINE_HEIGHT)
        .encode(x=alt.value(0), y=alt.Y("y:Q", scale=rows, axis=None), text="lines:N"),
    ]
    return alt.layer(*layers).properties(width=width, height=height)
