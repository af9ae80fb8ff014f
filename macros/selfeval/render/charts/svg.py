"""From a chart's numbers to an SVG picture: an Altair specification, drawn by vl-convert.

vl-convert runs Vega in an embedded engine with the machine's own fonts: no browser, no
JavaScript in the page and no network. Its SVG holds real ``<text>`` elements (so the
labels can be searched and read) and never embeds the specification or its data.

Each chart has two pictures: the wide one (:func:`build_spec`), for wide screens and
paper, and the narrow one (:func:`~selfeval.render.charts.narrow.build_narrow_spec`), for phones.

Drawing takes a moment, so pictures are kept in a cache folder keyed by a hash of the
full Vega-Lite specification and the drawing software's version: a rebuild draws only
the charts whose specification changed, and the same specification always gives the
same bytes. Building the specification with Altair takes a moment too, so the cache also
remembers which specification a chart's numbers (with the drawing modules' code, Altair's
version and which of the two pictures) gave: an unchanged chart costs one hash on a rebuild.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from selfeval.render.charts import theme
from selfeval.publish.caches import write_entry

if TYPE_CHECKING:
    from selfeval.render.charts.data import ChartData

# Bumped whenever the way a specification becomes an SVG changes.
PIPELINE_VERSION = "1"


def _records(data: ChartData, with_gaps: bool = False) -> list[dict]:
    """Data rows for the picture: only values this version may show, already formatted."""
    rows = []
    for p in data.points:
        if p.value is not None and not p.hidden:
            rows.append({"category": p.category, "series": p.series, "value": float(p.value), "label": p.text})
        elif with_gaps:  # an empty slot breaks a line instead of joining its neighbours
            rows.append({"category": p.category, "series": p.series, "value": None, "label": ""})
    return rows


def _suppressed(data: ChartData) -> list[dict]:
    """Where a suppressed value would be: a ``[c]`` marker on the baseline, with no value."""
    return [{"category": p.category, "series": p.series, "value": 0, "label": p.text} for p in data.hidden]


def _period_label_width(data) -> int:
    """Characters per line for period labels: narrower when many periods share the axis,
    so neighbouring labels such as "at 31 December 2023" never run into each other."""
    per_category = theme.WIDTH / max(len(data.categories), 1)
    return max(8, min(14, int(per_category / 8)))


def _domain_max(data: ChartData) -> float:
    values = [float(p.value) for p in data.shown]
    if data.target is not None:
        values.append(float(data.target))
    top = max(values, default=1.0) * 1.15 or 1.0
    return min(top, 100.0) if data.unit == "percent" and max(values, default=0) <= 100 else top


def _colour(alt, data: ChartData, legend: bool):
    series = data.series
    return alt.Color(
        "series:N",
        sort=series,
        scale=alt.Scale(domain=series, range=theme.PALETTE[: len(series)]),
        legend=alt.Legend() if legend and len(series) > 1 else None,
    )


def build_spec(data: ChartData, validate: bool = False) -> dict:
    """The Vega-Lite specification of a chart, as a plain dict (the cache key is its hash).

    Checking the specification against the Vega-Lite schema takes about a third of the time of
    building it and can only find a fault in this module, not in a project's data, so the
    build skips it and the tests do it (``validate=True``) for every chart.
    """
    import altair as alt

    value_axis = alt.Axis(
        title=theme.axis_title(data.unit, data.scale), labelExpr=theme.value_label_expr(data.unit), tickCount=5, grid=True
    )
    value_scale = alt.Scale(domain=[0, _domain_max(data)], nice=True, zero=True)
    many = len(data.series) > 1
    kind = data.chart.kind
    if kind in ("trend", "target"):
        category_axis = alt.Axis(
            title=None,
            labelAngle=0,
            grid=False,
            ticks=False,
            labelPadding=8,
            labelExpr=theme.wrapped_label_expr(data.categories, _period_label_width(data)),
        )
        x = alt.X("category:N", sort=data.categories, scale=alt.Scale(domain=data.categories), axis=category_axis)
        y = alt.Y("value:Q", scale=value_scale, axis=value_axis)
        if kind == "trend" and data.chart.mark == "bar":
            offset = alt.XOffset("series:N", sort=data.series, scale=alt.Scale(domain=data.series))
            base = alt.Chart(alt.Data(values=_records(data))).encode(x=x, y=y, xOffset=offset)
            layers = [
                base.mark_bar().encode(color=_colour(alt, data, True)),
                base.mark_text(baseline="bottom", dy=-4).encode(text="label:N"),
            ]
            if data.hidden:
                layers.append(
                    alt.Chart(alt.Data(values=_suppressed(data)))
                    .mark_text(baseline="bottom", dy=-4)
                    .encode(x=x, y=y, xOffset=offset, text="label:N")
                )
        else:
            base = alt.Chart(alt.Data(values=_records(data, with_gaps=True))).encode(x=x, y=y)
            shape = alt.Shape(
                "series:N",
                sort=data.series,
                legend=alt.Legend() if many else None,
                scale=alt.Scale(
                    domain=data.series,
                    range=["circle", "square", "diamond", "triangle-up", "cross", "triangle-down"][: len(data.series)],
                ),
            )
            layers = [
                base.mark_line(invalid="break-paths-filter-domains").encode(color=_colour(alt, data, True), detail="series:N"),
                base.mark_point().encode(color=_colour(alt, data, True), shape=shape),
                base.mark_text(baseline="bottom", dy=-10).encode(text="label:N", detail="series:N"),
            ]
            if data.hidden:
                layers.append(
                    alt.Chart(alt.Data(values=_suppressed(data)))
                    .mark_text(baseline="bottom", dy=-4)
                    .encode(x=x, y=y, text="label:N")
                )
        if data.target is not None:
            target_text = f"Target {_plain(data.target, data)}"
            rule = alt.Chart(alt.Data(values=[{"target": float(data.target), "label": target_text}]))
            layers += [
                rule.mark_rule(color=theme.TARGET, strokeDash=[8, 5], strokeWidth=2).encode(y=alt.Y("target:Q")),
                rule.mark_text(align="right", baseline="bottom", dy=-4, fill=theme.TEXT).encode(
                    y=alt.Y("target:Q"), x=alt.value(theme.WIDTH), text="label:N"
                ),
            ]
        chart = alt.layer(*layers).properties(width=theme.WIDTH, height=300)
    else:  # benchmark and composition: horizontal bars, labelled at their ends
        width = 28  # characters of a category label per line
        category_axis = alt.Axis(
            title=None,
            grid=False,
            ticks=False,
            labelPadding=8,
            labelLineHeight=18,
            labelExpr=theme.wrapped_label_expr(data.categories, width),
        )
        y = alt.Y(
            "category:N", sort=data.categories, scale=alt.Scale(domain=data.categories, paddingInner=0.25), axis=category_axis
        )
        x = alt.X("value:Q", scale=value_scale, axis=value_axis)
        offset = alt.YOffset("series:N", sort=data.series, scale=alt.Scale(domain=data.series))
        base = alt.Chart(alt.Data(values=_records(data))).encode(y=y, x=x, yOffset=offset)
        layers = [
            base.mark_bar().encode(color=_colour(alt, data, True)),
            base.mark_text(align="left", baseline="middle", dx=5).encode(text="label:N"),
        ]
        if data.hidden:
            layers.append(
                alt.Chart(alt.Data(values=_suppressed(data)))
                .mark_text(align="left", baseline="middle", dx=5)
                .encode(y=y, x=x, yOffset=offset, text="label:N")
            )
        lines = max((len(theme.wrap(c, width)) for c in data.categories), default=1)
        band = max(28 * len(data.series), 18 * lines) + 14
        chart = alt.layer(*layers).properties(width=theme.WIDTH - 230, height=band * len(data.categories))
    spec = chart.configure(**theme.vega_config()).to_dict(validate=validate)
    spec.pop("$schema", None)
    return spec


def _plain(value: Decimal, data: ChartData) -> str:
    from selfeval.render import formatting as fmt

    return fmt.with_unit(value, data.unit, data.scale)


def spec_key(spec: dict) -> str:
    """The cache key: a hash of the whole specification and the drawing software's version."""
    import vl_convert

    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    stamp = f"vl-convert {vl_convert.__version__}; theme {theme.THEME_VERSION}; pipeline {PIPELINE_VERSION}"
    return hashlib.sha256(f"{stamp}\n{text}".encode()).hexdigest()


def inputs_key(data: ChartData, narrow: bool = False) -> str:
    """A hash of everything the specification is built from: the chart's numbers, which of its
    two pictures, and the code that draws them."""
    variant = "narrow" if narrow else "wide"
    return hashlib.sha256(f"{_code_stamp()}\n{variant}\n{data!r}".encode()).hexdigest()


@functools.cache
def _code_stamp() -> str:
    """The drawing code's own version: Altair's (read without importing it) and the text of
    this module, the narrow layout's and the theme's."""
    from importlib.metadata import version

    from selfeval.render.charts import narrow as chart_narrow

    code = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (theme, sys.modules[__name__], chart_narrow))
    return f"altair {version('altair')}; {hashlib.sha256(code.encode('utf-8')).hexdigest()}"


class SvgRenderer:
    """Draws specifications to SVG, keeping each picture in ``cache_dir`` (if given).

    ``renders`` counts the pictures actually drawn and ``specs`` the specifications built,
    so a caller can see the cache work.
    """

    def __init__(self, cache_dir: Path | str | None = None):
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.renders = 0
        self.specs = 0

    def chart_svg(self, data: ChartData, narrow: bool = False) -> str:
        """The wide (or ``narrow``) picture of a chart's numbers, building its specification only when they are new."""
        index = self.cache_dir / "inputs" / inputs_key(data, narrow) if self.cache_dir else None
        if index is not None and index.exists():
            try:
                picture = self.cache_dir / f"{index.read_text(encoding='ascii').strip()}.svg"
                return picture.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                pass  # a missing or damaged entry is built again
        if narrow:
            from selfeval.render.charts.narrow import build_narrow_spec

            spec = build_narrow_spec(data)
        else:
            spec = build_spec(data)
        self.specs += 1
        svg = self.svg(spec)
        if index is not None:
            write_entry(index, spec_key(spec))
        return svg

    def svg(self, spec: dict) -> str:
        key = spec_key(spec)
        path = self.cache_dir / f"{key}.svg" if self.cache_dir else None
        if path is not None and path.exists():
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                pass  # a damaged entry is drawn again
        import vl_convert

        svg = vl_convert.vegalite_to_svg(spec)
        self.renders += 1
        if path is not None:
            write_entry(path, svg)
        return svg


_ID = re.compile(r'\bid="([^"]+)"')


def accessible_svg(svg: str, chart_id: str, title: str, description: str, narrow: bool = False) -> str:
    """The drawn SVG made ready to sit inline in a page.

    It becomes one image (``role="img"``) named by a ``<title>`` and described by a
    ``<desc>``, with the roles Vega puts on its inner groups taken away; its element ids get
    the chart's id as a prefix (and ``narrow-`` after it for the narrow picture) so two
    pictures on one page cannot clash; its class says which of the two it is (the page's
    stylesheet shows one of them); line breaks go (Markdown treats a blank line inside raw
    HTML as its end).
    """
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg).strip()
    prefix = f"chart-{chart_id}-narrow-" if narrow else f"chart-{chart_id}-"
    for old in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        new = f"{prefix}{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    # One image with one name: the roles Vega gives its inner groups would be unnamed images.
    svg = re.sub(r'\s(?:role|aria-[a-z]+)="[^"]*"', "", svg)
    head_end = svg.index(">")
    head = re.sub(r'\sclass="[^"]*"', "", svg[:head_end])
    which = "chart-narrow" if narrow else "chart-wide"
    head += f' class="chart-svg {which}" role="img" focusable="false"'
    inner = f"<title>{escape(title)}</title>" + (f"<desc>{escape(description)}</desc>" if description else "")
    svg = head + ">" + inner + svg[head_end + 1 :]
    return re.sub(r"\s*\n\s*", " ", svg)
