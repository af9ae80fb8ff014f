"""The one look every chart shares: colours, type and number formats.

Colours are the Government Analysis Function's categorical palette, in its given order,
which keeps neighbouring series distinguishable for the common kinds of colour
blindness. Every colour has a contrast of at least 3:1 against white (WCAG 2.2
success criterion 1.4.11, graphical objects), and all chart text is near-black
(over 4.5:1, criterion 1.4.3). Bars stand apart with white gaps, so each bar meets
white rather than another colour.

Axis labels follow GOV.UK style (8,579; 64%; £6,597,000) and long category labels
(periods such as "April to December 2023") wrap onto lines instead of being cut short.
"""
from __future__ import annotations

import json
import textwrap

# Dark blue, turquoise, dark pink, orange, dark grey, light purple.
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
TEXT = "#0b0c0c"         # GOV.UK text colour
MUTED = "#505a5f"        # GOV.UK secondary text: axis lines and ticks
GRID = "#dcdcdc"         # gridlines are decoration, not information
TARGET = "#3D3D3D"       # a target line is dark grey and dashed
FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"
FONT_SIZE = 14           # axis and data labels
SMALL_FONT_SIZE = 13     # legend labels
WIDTH = 600              # design width in CSS pixels; the SVG scales down on narrow screens

# Bumped whenever the look changes, so the render cache does not serve old pictures.
THEME_VERSION = "1"

AXIS_TITLES = {
    "percent": "Per cent",
    "people": "People",
    "count": "Number",
    "gbp": "Pounds (£)",
    "days": "Days",
    "years": "Years",
}


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    colour = colour.lstrip("#")
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str = "#ffffff") -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def axis_title(unit: str, scale: int | None = None) -> str:
    if unit == "rate":
        return f"Per {scale or 100000:,}"
    if unit == "score":
        return f"Score out of {scale or 10:,}"
    return AXIS_TITLES.get(unit, "Number")


def value_label_expr(unit: str) -> str:
    """A Vega expression formatting a quantitative axis label in GOV.UK style."""
    number = "format(datum.value, ',')"
    if unit == "percent":
        return f"{number} + '%'"
    if unit == "gbp":
        return f"(datum.value < 0 ? '-£' + format(-datum.value, ',') : '£' + {number})"
    return number


def wrap(label: str, width: int) -> list[str]:
    """A long label split into lines of at most ``width`` characters, on spaces."""
    return textwrap.wrap(str(label), width=width, break_long_words=False, break_on_hyphens=False) or [str(label)]


def wrapped_label_expr(labels, width: int) -> str:
    """A Vega expression that shows each long label on several lines."""
    expr = "datum.label"
    for label in reversed(list(labels)):
        lines = wrap(label, width)
        if len(lines) > 1:
            expr = f"datum.label === {json.dumps(str(label))} ? {json.dumps(lines)} : {expr}"
    return expr


def vega_config() -> dict:
    """The Vega-Lite ``config`` shared by every chart."""
    axis = {
        "labelFont": FONT, "labelFontSize": FONT_SIZE, "labelColor": TEXT,
        "titleFont": FONT, "titleFontSize": FONT_SIZE, "titleColor": TEXT, "titleFontWeight": "normal",
        "domainColor": MUTED, "tickColor": MUTED, "gridColor": GRID,
        "labelLimit": 0, "labelOverlap": False,
    }
    return {
        "aria": False,  # the figure carries one accessible name and a data table instead
        "background": "#ffffff",
        "font": FONT,
        "padding": 8,
        "view": {"stroke": None},
        "axis": axis,
        "legend": {
            "labelFont": FONT, "labelFontSize": SMALL_FONT_SIZE, "labelColor": TEXT, "labelLimit": 0,
            "title": None, "orient": "top", "direction": "horizontal", "symbolSize": 160,
            "symbolStrokeWidth": 3,
        },
        "text": {"font": FONT, "fontSize": FONT_SIZE, "fill": TEXT},
        "range": {"category": PALETTE},
        "bar": {"stroke": "#ffffff", "strokeWidth": 1},
        "line": {"strokeWidth": 3},
        "point": {"size": 80, "filled": True, "opacity": 1},
    }
