"""The generated pages about editions: "What changed since …" and the list of editions."""

from __future__ import annotations

import re
from html import escape, unescape

from selfeval.disclosure import datatext
from selfeval.render import formatting as fmt
from selfeval.render.changes import Changes, summary
from selfeval.project.editions import Edition
from selfeval.render.figures import marked

CHANGES_PAGE = "changes.md"
EDITIONS_PAGE = "editions.md"
ARROWS = {"up": "up", "down": "down", "same": "no change"}


def _t(text) -> str:
    return datatext.markdown(text)


def _cell(text: str) -> str:
    return datatext.table_cell(_t(text))


SUMMARY_CLASS = "changes-summary"


def _summary_html(text: str) -> str:
    """The page's one-paragraph summary; the committee cover report reprints it."""
    return f'<p class="{SUMMARY_CLASS}">{escape(text)}</p>'


def summary_in(html: str) -> str:
    """The summary paragraph of a built changes page, as text ("" when there is none)."""
    found = re.search(rf'<p class="{SUMMARY_CLASS}">(.*?)</p>', html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", found.group(1))).split()) if found else ""


def _value(text: str) -> str:
    """A figure as shown: [c] and [withheld] marked up, so the page gets its footnote."""
    return marked(text).replace("|", "&#124;")


def _list(items: list[str], none: str) -> list[str]:
    return ([f"- {_t(i)}" for i in items] if items else [none]) + [""]


def changes_page(changes: Changes | None, previous: str, problem: str = "") -> str:
    """Markdown for the changes page; ``changes`` None says why there is nothing to compare."""
    title = f"What changed since {previous}" if previous else "What changed since the last edition"
    lines = datatext.generated_front(title)
    if changes is None:
        text = problem or "This is the first edition: there is no earlier one to compare with."
        lines += [_summary_html(text), ""]
        return "\n".join(lines)
    lines += [_summary_html(summary(changes)), ""]
    lines += [
        f"This page compares this edition with {_t(previous)}, from the same sources at the time it "
        "was published. A figure shown as [c] in either edition is compared without saying in which "
        "direction it moved.",
        "",
    ]
    lines += ["## Figures", ""]
    if changes.figures:
        lines += ["| Figure | Before | Now | Change |", "| --- | --- | --- | --- |"]
        for c in changes.figures:
            move = ARROWS.get(c.move, "not shown")
            if c.verdict in ("better", "worse"):
                move += f" ({c.verdict})"
            lines.append(
                f"| {_cell(c.label)} | {_value(c.old)} ({_cell(c.old_period)}) | "
                f"{_value(c.new)} ({_cell(c.new_period)}) | {move} |"
            )
        lines.append("")
    else:
        lines += ["No figure's latest value or period changed.", ""]
    if changes.metrics_added:
        lines += ["Figures added:", "", *_list(changes.metrics_added, "")]
    if changes.metrics_retired:
        lines += ["Figures no longer reported:", "", *_list(changes.metrics_retired, "")]
    lines += ["## Areas for development and actions", "", *_list(changes.register, "No changes.")]
    lines += ["## Evidence", ""]
    if changes.evidence_added or changes.evidence_withdrawn:
        lines += [
            "Added:",
            "",
            *_list(changes.evidence_added, "None."),
            "Withdrawn:",
            "",
            *_list(changes.evidence_withdrawn, "None."),
        ]
    else:
        lines += ["No evidence was added or withdrawn.", ""]
    lines += ["## Pages", ""]
    if changes.pages_added:
        lines += ["Added:", "", *_list(changes.pages_added, "")]
    if changes.pages_removed:
        lines += ["Removed:", "", *_list(changes.pages_removed, "")]
    if changes.pages_rewritten:
        lines += ["Substantially rewritten:", ""]
        lines += [
            f"- {_t(p.title)}: about {p.added} words added and {p.removed} removed, of {p.words}" for p in changes.pages_rewritten
        ] + [""]
    if changes.pages_edited:
        lines += [f"{changes.pages_edited} other page{'s' if changes.pages_edited != 1 else ''} had smaller edits.", ""]
    if not (changes.pages_added or changes.pages_removed or changes.pages_rewritten or changes.pages_edited):
        lines += ["No page changed.", ""]
    return "\n".join(lines)


def editions_page(editions: list[Edition], current: str, current_name: str) -> str:
    """Markdown for the editions page: every tagged edition, newest first."""
    lines = datatext.generated_front("Editions")
    lines += [
        "Each edition of this document is kept exactly as it was published.",
        "",
        "| Edition | Published | Reference |",
        "| --- | --- | --- |",
    ]
    listed = {e.tag for e in editions}
    if current and current not in listed:
        lines.append(f"| {_cell(current_name)} (this edition) | not yet published | {_cell(current)} |")
    for e in reversed(editions):
        this = " (this edition)" if e.tag == current else ""
        lines.append(f"| {_cell(e.name)}{this} | {fmt.date(e.date) if e.date else 'not known'} | {_cell(e.tag)} |")
    if not editions and not current:
        lines.append("| This edition | not yet published | |")
    lines.append("")
    return "\n".join(lines)


def page_changed(report, root, src: str, written: bool):
    """The date a written page last changed (from git), or None (a generated page changes
    with its data; a project outside git has no history)."""
    from selfeval.project.editions import last_changed

    path = next((p.path for p in report.pages if p.src == src), None)
    return last_changed(root, path) if written and path else None


def edition_pages(root, report, version: str) -> dict[str, str]:
    """The changes page and the editions page of one version of the site, by file name.

    ``report`` is this edition's checked project as ``version`` sees it. The previous
    edition named in ``data/project.yaml`` is read from its git tag and checked the same
    way; when the tag is not there, the changes page says so (and ``make check`` warns)."""
    from selfeval.disclosure.audience import audience
    from selfeval.render.changes import compare
    from selfeval.checks import check_project
    from selfeval.disclosure.datatext import report_as
    from selfeval.project.editions import available, editions, sources_at

    raw = getattr(report.project.config, "raw", None) or {}
    current, previous = str(raw.get("edition") or ""), str(raw.get("previous_edition") or "")
    known = editions(root)
    names = {e.tag: e.name for e in known}
    name = str(raw.get("document_version") or current or "this edition")
    pages = {EDITIONS_PAGE: editions_page(known, current, name)}
    if not previous:
        pages[CHANGES_PAGE] = changes_page(None, "")
        return pages
    label = names.get(previous, previous)
    folder = sources_at(root, previous) if available(root, previous) else None
    if folder is None:
        pages[CHANGES_PAGE] = changes_page(
            None,
            label,
            f"The previous edition, {label}, was not available when this site was built, so there is nothing to compare.",
        )
        return pages
    old = report_as(check_project(folder, lint=False, needles=False), audience(version))
    pages[CHANGES_PAGE] = changes_page(compare(old, report, version, label), label)
    return pages
