"""The hand-typed-figure lint.

A number typed into the prose of a chapter that equals a metric's current value in the
same unit is almost always a copy that will go stale. The lint names it and the metric
to cite instead. Deliberate literals are written ``{{ literal("12 months") }}``.

Not checked: numbers inside macro calls, code, HTML tags and link targets; dates
("31 December 2024"), year ranges ("2023–28") and ages ("aged 16"); plain
numbers under 10 and plain four-digit years (1900 to 2099), which are too common in
prose ("2 working days", "Pathway 2", "in 2024") to mean a figure.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from selfeval.render import formatting as fmt
from selfeval.content.citations import Page
from selfeval.project.model import Project
from selfeval.problems import Problems

_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"

_BLANKED = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"  # macro calls, statements, comments
    r"|^(```|~~~).*?^\1"  # fenced code blocks
    r"|`[^`\n]*`"  # code spans
    r"|<[^>\n]*>"  # HTML tags
    r"|\]\([^)\n]*\)"  # link targets
    r"|^\*\[[^\]]*\]:.*$"  # abbreviation definitions
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTHS + r"(?:\s+\d{4})?"  # dates: 31 December 2024
    r"|\b" + _MONTHS + r"\s+\d{4}\b"  # months: April 2024
    r"|\b\d{4}\s*[–-]\s*\d{2,4}\b"  # year ranges: 2023–28
    r"|\baged?\s+\d+(?:\s*(?:to|-|–)\s*\d+)?",  # ages: aged 16, aged 21 to 30
    re.S | re.M,
)

_NUMBER = re.compile(
    r"(?<![\w£.,/#-])(?P<gbp>£\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<suffix>\s?%|\s+per\s+cent\b|\s+million\b|\s+(?:days?|years?)\b"
    r"|\s+(?:months?|weeks?|hours?|minutes?|miles?|km|out of|per|am|pm)\b)?"
    r"(?![\w%]|[.,/:]\d)"
)


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def prose_of(page: Page) -> str:
    """The page text with everything that is not prose blanked out, lines kept in place."""
    lines = page.text.split("\n")
    head = [""] * (page.body_line - 1)  # the front matter, as the page was read
    body = "\n".join(lines[page.body_line - 1 :])
    return "\n".join(head) + ("\n" if head else "") + _BLANKED.sub(_blank, body)


def _key(unit_class: str, value: Decimal) -> tuple[str, Decimal]:
    return unit_class, value.normalize()


def _unit_class(unit: str) -> str:
    return "count" if unit in ("people", "count") else unit


def current_values(project: Project) -> dict[tuple, list[str]]:
    values: dict[tuple, list[str]] = defaultdict(list)
    for mid, metric in project.metrics.items():
        obs = project.latest(mid)
        if obs is not None:
            values[_key(_unit_class(metric.unit), obs.value)].append(mid)
    return values


def typed_figures(text: str):
    """(line, written text, unit class, value) for each number-with-unit in prose."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        for m in _NUMBER.finditer(line):
            value = fmt.to_decimal(m.group("num").replace(",", ""))
            suffix = (m.group("suffix") or "").strip().lower()
            if m.group("gbp"):
                unit = "gbp"
                if suffix == "million":
                    value = value * 1000000
            elif suffix in ("%", "per cent"):
                unit = "percent"
            elif suffix.startswith("day"):
                unit = "days"
            elif suffix.startswith("year"):
                unit = "years"
            elif suffix:
                continue  # a unit no metric uses: "12 months", "72 hours", "7 out of 10"
            else:
                unit = "count"
                if "." in m.group("num") or value < 10 or (1900 <= value <= 2099 and "," not in m.group("num")):
                    continue
            yield lineno, m.group(0).strip(), unit, value


def lint_pages(project: Project, pages: list[Page], problems: Problems) -> None:
    values = current_values(project)
    for page in pages:
        for lineno, written, unit, value in typed_figures(prose_of(page)):
            matches = values.get(_key(unit, value))
            if not matches:
                continue
            names = ", ".join(matches[:3])
            first = matches[0]
            shown = fmt.with_unit(value, project.metrics[first].unit, project.metrics[first].rate_per)
            problems.add(
                page.path,
                lineno,
                f"'{written}' is typed by hand and equals the current value of {names} ({shown})",
                f'write {{{{ figure("{first}") }}}} instead, or {{{{ literal("{written}") }}}} if the number is deliberate',
                code="figure-hand-typed",
            )
