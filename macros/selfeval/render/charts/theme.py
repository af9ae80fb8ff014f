"""The one look every chart shares: colours, type and number formats.

Colours are the Government Analysis Function's categorical palette, in its given order,
which keeps neighbouring series distinguishable for the common kinds of colour
blindness. Every colour has a contrast of at least 3:1 against white (WCAG 2.2
success criterion 1.4.11, graphical objects), and all chart text is near-black
(over 4.5:1, criterion 1.4.3). Bars stand apart with white gaps, so each bar meets
white rather than another colour.

Axis labels follow GOV.UK style (8,579; 64%; £6,597,000) and long category labels
(periods such as "April to December 2023") wrap onto lines instead of being cut short.

Every chart is drawn twice: at WIDTH for wide screens and paper, and at NARROW_WIDTH for
phones, where the wide picture would shrink its text to half size. The narrow picture is
laid out before it is drawn, from the widths of the font's letters (:func:`text_width`:
Arial's metrics, which Liberation Sans and Helvetica share), so that no two labels meet.
"""

from __future__ import annotations

import json
import textwrap
import unicodedata

# Dark blue, turquoise, dark pink, orange, dark grey, light purple.
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
TEXT = "#0b0c0c"  # GOV.UK text colour
MUTED = "#505a5f"  # GOV.UK secondary text: axis lines and ticks
GRID = "#dcdcdc"  # gridlines are decoration, not information
TARGET = "#3D3D3D"  # a target line is dark grey and dashed
FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"
FONT_SIZE = 14  # axis and data labels
SMALL_FONT_SIZE = 13  # legend labels
WIDTH = 600  # design width in CSS pixels; the SVG scales down on narrow screens
NARROW_WIDTH = 320  # the whole narrow picture, in CSS pixels: a small phone's screen
LINE_HEIGHT = 16  # one line of FONT_SIZE text, from the top of its tallest letter to the foot of its lowest

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
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
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


# Advance widths of Arial (and of the metric-compatible Liberation Sans and Helvetica) in
# thousandths of the font size. An accented letter is as wide as its letter; any other
# character not listed counts as a little wider than a digit.
_WIDTHS = {
    " ": 278,
    "!": 278,
    '"': 355,
    "#": 556,
    "$": 556,
    "%": 889,
    "&": 667,
    "'": 191,
    "(": 333,
    ")": 333,
    "*": 389,
    "+": 584,
    ",": 278,
    "-": 333,
    ".": 278,
    "/": 278,
    ":": 278,
    ";": 278,
    "<": 584,
    "=": 584,
    ">": 584,
    "?": 556,
    "@": 1015,
    "[": 278,
    "\\": 278,
    "]": 278,
    "^": 469,
    "_": 556,
    "`": 333,
    "{": 334,
    "|": 260,
    "}": 334,
    "~": 584,
    "£": 556,
    "–": 556,
    "—": 1000,
    "‘": 222,
    "’": 222,
    "“": 333,
    "”": 333,
    "…": 1000,
    **dict.fromkeys("0123456789", 556),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            (
                667,
                667,
                722,
                722,
                667,
                611,
                778,
                722,
                278,
                500,
                667,
                556,
                833,
                722,
                778,
                667,
                778,
                722,
                667,
                611,
                722,
                667,
                944,
                667,
                667,
                611,
            ),
        )
    ),
    **dict(
        zip(
            "abcdefghijklmnopqrstuvwxyz",
            (
                556,
                556,
                500,
                556,
                556,
                278,
                556,
                556,
                222,
                222,
                500,
                222,
                833,
                556,
                556,
                556,
                556,
                333,
                500,
                278,
                556,
                500,
                722,
                500,
                500,
                500,
            ),
        )
    ),
}


def _letter_width(c: str) -> int:
    if c in _WIDTHS:
        return _WIDTHS[c]
    base = unicodedata.normalize("NFKD", c)[:1]
    if base in _WIDTHS:
        return _WIDTHS[base]
    return 1000 if unicodedata.east_asian_width(c) in ("W", "F") else 600


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """How wide a line of text is drawn, in pixels, at ``size`` pixels in the chart font."""
    return sum(_letter_width(c) for c in str(text)) * size / 1000


def wrap_to(label: str, pixels: float, size: float = FONT_SIZE) -> list[str]:
    """A label split on spaces into lines no wider than ``pixels`` (a word wider than that keeps a line of its own)."""
    lines: list[str] = []
    for word in str(label).split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= pixels:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [str(label)]


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
        "labelFont": FONT,
        "labelFontSize": FONT_SIZE,
        "labelColor": TEXT,
        "titleFont": FONT,
        "titleFontSize": FONT_SIZE,
        "titleColor": TEXT,
        "titleFontWeight": "normal",
        "domainColor": MUTED,
        "tickColor": MUTED,
        "gridColor": GRID,
        "labelLimit": 0,
        "labelOverlap": False,
    }
    return {
        "aria": False,  # the figure carries one accessible name and a data table instead
        "background": "#ffffff",
        "font": FONT,
        "padding": 8,
        "view": {"stroke": None},
        "axis": axis,
        "legend": {
            "labelFont": FONT,
            "labelFontSize": SMALL_FONT_SIZE,
            "labelColor": TEXT,
            "labelLimit": 0,
            "title": None,
            "orient": "top",
            "direction": "horizontal",
            "symbolSize": 160,
            "symbolStrokeWidth": 3,
        },
        "text": {"font": FONT, "fontSize": FONT_SIZE, "fill": TEXT},
        "range": {"category": PALETTE},
        "bar": {"stroke": "#ffffff", "strokeWidth": 1},
        "line": {"strokeWidth": 3},
        "point": {"size": 80, "filled": True, "opacity": 1},
    }
