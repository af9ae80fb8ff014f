"""Disclosure control: which figures the public version must not show, and what it shows instead.

Two rules, one policy:

- **Small numbers.** A count of people from 1 to ``threshold - 1`` (default 1 to 4) is shown
  as the Government Statistical Service symbol ``[c]`` (confidential), and so is a percentage
  whose denominator is such a count. In a table, further cells are hidden (secondary
  suppression) so that no hidden value can be worked out from a row or column total, and a
  percentage row declared as a share of other rows is hidden wherever its parts are.
- **Restricted figures.** A metric with ``disclosure: restricted`` shows ``[withheld]``; an
  evidence item with ``classification: internal`` is named only as ``[withheld]``.

The internal version shows every true value. :class:`Disclosure` is the one place the
renderer asks; nothing else decides what the public may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from selfeval.render.formatting import to_decimal
from selfeval.disclosure.audience import audience

SYMBOL = "[c]"
WITHHELD = "[withheld]"
DEFAULT_THRESHOLD = 5
SUPPRESSED_CLASS = "suppressed"
WITHHELD_CLASS = "withheld"


def is_small(value, unit: str, denominator=None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True when a figure must be suppressed in public.

    A count of people from 1 to ``threshold - 1`` is suppressed (0 is not: nobody can be
    identified from none). A percentage is suppressed when its denominator, a count of
    people, is from 1 to ``threshold - 1``.
    """
    if unit == "people" and value is not None:
        return 0 < Decimal(str(value)) < threshold
    if unit == "percent" and denominator is not None:
        return 0 < Decimal(str(denominator)) < threshold
    return False


def note_text(threshold: int, suppressed: bool = True, withheld: bool = True) -> str:
    """What the footnote under a page with suppressed or withheld values says."""
    parts = []
    if suppressed:
        parts.append(
            f"{SYMBOL} confidential: the figure counts fewer than {threshold} people, or is worked out "
            f"from such a count, so it is not published, to protect people's privacy. Where one figure "
            f"in a table is hidden, others may be hidden too so that it cannot be worked out from a total."
        )
    if withheld:
        parts.append(f"{WITHHELD} not published: the figure or its source is for internal use only.")
    return " ".join(parts)


def footnote_html(html: str, threshold: int) -> str:
    """The footnote for a page's HTML, or '' when no hidden value shows on it."""
    suppressed, withheld = f'class="{SUPPRESSED_CLASS}"' in html, f'class="{WITHHELD_CLASS}"' in html
    if not (suppressed or withheld):
        return ""
    return (
        f'<aside class="suppression-note" id="about-hidden-figures"><p>{note_text(threshold, suppressed, withheld)}</p></aside>'
    )


# -- tables ------------------------------------------------------------------------------
def _cell_value(text: str) -> Decimal | None:
    return to_decimal(text.replace(",", "")) if text else None


def suppress_table(table, threshold: int = DEFAULT_THRESHOLD) -> dict[tuple[int, int], str]:
    """Cells a public table must hide: {(row, column): "primary" | "secondary" | "percentage"}.

    Row and column indexes are into ``table.rows`` and each row's cells (column 0 is the
    row label). Cells already written ``[c]`` in the data count as hidden.
    """
    rows = table.rows
    labels = [cells[0] for cells in rows]
    values = [[_cell_value(c) for c in cells] for cells in rows]
    hidden: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(rows):
        for c in range(1, len(cells)):
            if cells[c].strip() == SYMBOL:
                hidden[(r, c)] = "primary"
            elif table.row_units[r] == "people" and is_small(values[r][c], "people", threshold=threshold):
                hidden[(r, c)] = "primary"

    def first(name):
        return name[0] if isinstance(name, list) else name

    percent = [
        (labels.index(p["row"]), labels.index(first(p["numerator"])), labels.index(p["denominator"]))
        for p in getattr(table, "percentages", [])
        if p["row"] in labels
    ]
    percent_rows = {r for r, _, _ in percent}
    additive = [r for r in range(len(rows)) if r not in percent_rows and table.row_units[r] in ("people", "count")]
    width = len(table.header)
    total_col = table.header.index(table.total_column) if getattr(table, "total_column", None) in table.header else None
    total_row = labels.index(table.total_row) if getattr(table, "total_row", None) in labels else None
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    if total_col is not None:
        for r in additive:
            members = [(r, c) for c in range(1, width) if c != total_col]
            lines.append((members, (r, total_col)))
    if total_row is not None:
        for c in range(1, width):
            members = [(r, c) for r in additive if r != total_row]
            lines.append((members, (total_row, c)))

    def value(cell):
        r, c = cell
        return values[r][c] if c < len(values[r]) else None

    changed = True
    while changed:
        changed = False
        for r, num, den in percent:
            for c in range(1, width):
                if (r, c) in hidden:
                    continue
                d = value((den, c))
                if (num, c) in hidden or (den, c) in hidden or (d is not None and 0 < d < threshold):
                    hidden[(r, c)] = "percentage"
                    changed = True
        for members, total in lines:
            cells = [*members, total]
            if sum(1 for cell in cells if cell in hidden) != 1:
                continue
            candidates = [m for m in members if m not in hidden and value(m) is not None]
            # Hide the smallest other value, preferring one that is not zero.
            candidates.sort(key=lambda m: (value(m) == 0, value(m), m))
            if candidates:
                hidden[candidates[0]] = "secondary"
            elif total not in hidden and value(total) is not None:
                hidden[total] = "secondary"
            else:
                continue
            changed = True
    return hidden


@dataclass
class Disclosure:
    """What one version of the site may show. The internal version shows everything."""

    version: str = "internal"
    threshold: int = DEFAULT_THRESHOLD
    decision: object = None  # the project's audited :class:`~selfeval.disclosure.audit.Decision`, when there is one

    @property
    def public(self) -> bool:
        return audience(self.version).suppresses

    def small(self, metric, obs) -> bool:
        """True when the public version hides this figure as a small number (or to protect one)."""
        if self.decision is not None:
            return self.hidden(("obs", metric.id, obs.area or "", obs.period))
        return is_small(obs.value, metric.unit, obs.denominator, self.threshold)

    def hidden(self, key) -> bool:
        """True when the audited decision hides this table cell or observation as [c].

        Keys are ``("table", table_id, row, column)`` and ``("obs", metric_id, area, period)``.
        """
        if self.decision is None:
            return False
        why = self.decision.why(key)
        return why is not None and why != "withheld"

    def reason(self, metric, obs) -> str | None:
        """Why the public version hides a figure: 'restricted', 'small' or None."""
        if metric.disclosure == "restricted":
            return "restricted"
        if self.small(metric, obs):
            return "small"
        return None

    def placeholder(self, metric, obs) -> str | None:
        """What this version shows instead of the figure, or None to show it."""
        if not self.public:
            return None
        return {"restricted": WITHHELD, "small": SYMBOL}.get(self.reason(metric, obs))

    def evidence_title(self, evidence) -> str:
        if self.public and evidence.classification == "internal":
            return WITHHELD
        return evidence.title

    def table_cells(self, table) -> dict[tuple[int, int], str]:
        """Cells hidden in public (all versions compute them; only public hides them)."""
        if self.decision is not None:
            return self.decision.table_cells(table)
        return suppress_table(table, self.threshold)
