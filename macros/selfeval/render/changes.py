"""What changed since the previous edition: figures, register and pages, for one version.

Members and CQC ask whether things are moving in the right direction. This compares the
checked project of the previous edition (its sources at its git tag, see
:mod:`selfeval.project.editions`) with this one, as one version of the site may see both:

- figures whose latest value or period changed (old → new, up or down, better or worse),
  metrics added and retired;
- areas for development and actions added, removed, or whose status or due date changed;
- evidence added or withdrawn;
- pages added, removed or substantially rewritten, with a short word count of the change.

In the public version a figure hidden in either edition shows as the page shows it ([c]),
with no direction (a direction would say something about the hidden value); restricted
metrics, internal evidence and restricted pages are left out; page comparisons use the
public text of both editions. So nothing here depends on anything the public must not
see, which the leak scan and the non-interference check confirm like every other page.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from selfeval.disclosure import datatext
from selfeval.render import formatting as fmt
from selfeval.render.figures import Renderer, direction, judgement

REWRITTEN = 0.2  # a page is "substantially rewritten" when this share of its words changed
WORD = re.compile(r"[\w'’£%.,-]+")


@dataclass
class FigureChange:
    metric: str
    label: str
    old: str
    old_period: str
    new: str
    new_period: str
    move: str = ""  # up, down, same, or "" when it cannot be said in this version
    verdict: str = ""  # better, worse, neutral or ""


@dataclass
class PageChange:
    src: str
    title: str
    added: int
    removed: int
    words: int


@dataclass
class Changes:
    previous: str  # the previous edition's name
    figures: list[FigureChange] = field(default_factory=list)
    metrics_added: list[str] = field(default_factory=list)
    metrics_retired: list[str] = field(default_factory=list)
    register: list[str] = field(default_factory=list)  # one sentence per change
    evidence_added: list[str] = field(default_factory=list)
    evidence_withdrawn: list[str] = field(default_factory=list)
    pages_added: list[str] = field(default_factory=list)
    pages_removed: list[str] = field(default_factory=list)
    pages_rewritten: list[PageChange] = field(default_factory=list)
    pages_edited: int = 0  # changed, but less than substantially

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.figures,
                self.metrics_added,
                self.metrics_retired,
                self.register,
                self.evidence_added,
                self.evidence_withdrawn,
                self.pages_added,
                self.pages_removed,
                self.pages_rewritten,
                self.pages_edited,
            )
        )


def _shown_metrics(renderer: Renderer) -> dict:
    public = renderer.disclosure.public
    return {m.id: m for m in renderer.project.metrics.values() if not (public and m.disclosure == "restricted")}


def _figures(old: Renderer, new: Renderer, changes: Changes) -> None:
    plain = new.text_plain
    before, after = _shown_metrics(old), _shown_metrics(new)
    for mid, metric in after.items():
        latest = new.project.latest(mid)
        if mid not in before:
            if latest is not None:
                changes.metrics_added.append(plain(metric.label))
            continue
        earlier = old.project.latest(mid)
        if latest is None or earlier is None:
            continue
        old_text, new_text = old.shown_text(before[mid], earlier), new.shown_text(metric, latest)
        if old_text == new_text and earlier.period == latest.period:
            continue
        change = FigureChange(mid, plain(metric.label), old_text, plain(earlier.period), new_text, plain(latest.period))
        hidden = old.disclosure.placeholder(before[mid], earlier) or new.disclosure.placeholder(metric, latest)
        if not hidden and before[mid].unit == metric.unit:
            change.move = direction(latest.value, earlier.value)
            change.verdict = judgement(metric, change.move)
        changes.figures.append(change)
    changes.metrics_retired += [
        old.text_plain(m.label) for mid, m in before.items() if mid not in after and old.project.latest(mid) is not None
    ]


def _register(old: Renderer, new: Renderer, changes: Changes) -> None:
    plain = new.text_plain
    was, now = old.project.register, new.project.register
    for aid, area in now.areas.items():
        if aid not in was.areas:
            changes.register.append(f"New area for development {area.year}: {plain(area.title)}.")
    for aid, area in was.areas.items():
        if aid not in now.areas:
            changes.register.append(f"Area for development no longer listed: {old.text_plain(area.title)}.")
    for aid, action in now.actions.items():
        before = was.actions.get(aid)
        name = plain(action.description)
        if before is None:
            changes.register.append(f"New action: {name}.")
            continue
        if (before.status or "") != (action.status or ""):
            changes.register.append(f"Action “{name}”: status {_status(before.status)} → {_status(action.status)}.")
        if before.due != action.due:
            changes.register.append(f"Action “{name}”: due {_due(before.due)} → {_due(action.due)}.")
    for aid, action in was.actions.items():
        if aid not in now.actions:
            changes.register.append(f"Action no longer tracked: {old.text_plain(action.description)}.")
    shown_before = {e: i for e, i in was.evidence.items() if i.shown_in(old.version)}
    shown_now = {e: i for e, i in now.evidence.items() if i.shown_in(new.version)}
    changes.evidence_added += [plain(i.title) for e, i in shown_now.items() if e not in shown_before]
    changes.evidence_withdrawn += [old.text_plain(i.title) for e, i in shown_before.items() if e not in shown_now]


def _status(status) -> str:
    return str(status).replace("_", " ") if status else "not stated"


def _due(due) -> str:
    return fmt.date(due) if due else "not stated"


def _page_texts(report, renderer: Renderer) -> dict[str, tuple[str, str]]:
    """Each page this version shows: its title and its text as this version has it."""
    out = {}
    public = renderer.disclosure.public
    plan = report.plan.pages if report.plan is not None else {}
    for page in report.pages:
        text = page.text
        if public:
            versions = plan.get(page.src)
            if versions is None or versions.public is None:
                continue
            text = versions.public
        out[page.src] = (datatext.plain(page.title, datatext.reasons_in(report.project.config)), text)
    return out


def _pages(old_report, new_report, old: Renderer, new: Renderer, changes: Changes) -> None:
    before, after = _page_texts(old_report, old), _page_texts(new_report, new)
    for src, (title, text) in after.items():
        if src not in before:
            changes.pages_added.append(title)
            continue
        a, b = WORD.findall(before[src][1]), WORD.findall(text)
        if a == b:
            continue
        added = removed = 0
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op in ("replace", "delete"):
                removed += i2 - i1
            if op in ("replace", "insert"):
                added += j2 - j1
        if max(added, removed) >= REWRITTEN * max(len(a), len(b), 1):
            changes.pages_rewritten.append(PageChange(src, title, added, removed, len(b)))
        else:
            changes.pages_edited += 1
    changes.pages_removed += [title for src, (title, _) in before.items() if src not in after]


def compare(old_report, new_report, version: str, previous: str) -> Changes:
    """What changed from ``old_report`` (the previous edition) to ``new_report``, as
    ``version`` shows both."""
    old, new = Renderer(old_report.project, version=version), Renderer(new_report.project, version=version)
    changes = Changes(previous=previous)
    _figures(old, new, changes)
    _register(old, new, changes)
    _pages(old_report, new_report, old, new, changes)
    return changes


def summary(changes: Changes) -> str:
    """One paragraph for the committee cover report."""
    if changes.empty:
        return f"Nothing in the figures, the register or the pages has changed since {changes.previous}."
    parts = []
    if changes.figures:
        better = sum(c.verdict == "better" for c in changes.figures)
        worse = sum(c.verdict == "worse" for c in changes.figures)
        parts.append(f"{_n(len(changes.figures), 'figure')} changed ({better} better, {worse} worse)")
    if changes.metrics_added or changes.metrics_retired:
        parts.append(f"{_n(len(changes.metrics_added), 'figure')} added and {len(changes.metrics_retired)} retired")
    if changes.register:
        parts.append(f"{_n(len(changes.register), 'change')} to the areas for development and actions")
    if changes.evidence_added or changes.evidence_withdrawn:
        parts.append(f"{_n(len(changes.evidence_added), 'evidence item')} added and {len(changes.evidence_withdrawn)} withdrawn")
    pages = len(changes.pages_added) + len(changes.pages_removed) + len(changes.pages_rewritten)
    if pages:
        parts.append(f"{_n(pages, 'page')} added, removed or substantially rewritten")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Since {changes.previous}: {listed}. The page “What changed since {changes.previous}” lists each change."


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
