"""Pages generated from the evidence register: the evidence index, the CQC coverage matrix,
the current year's areas for development, and progress on earlier years' areas."""

from __future__ import annotations

from html import escape

from selfeval.disclosure import datatext
from selfeval.render import formatting as fmt
from selfeval.disclosure.audience import audience
from selfeval.checks import Report
from selfeval.register.evidence import Evidence, Register
from selfeval.content.sourcetree import page_url
from selfeval.render.register import COVERAGE_PAGE, EVIDENCE_PAGE, RegisterRenderer, year_page


def plain(text: str, renderer: RegisterRenderer) -> str:
    """Data text without marker syntax, for attributes."""
    return datatext.plain(text, datatext.reasons_in(renderer.project.config))


def _as_at(renderer: RegisterRenderer) -> str:
    date = renderer.reporting_date
    return f"as at {fmt.date(date)}" if date else ""


def _location(item: Evidence, renderer: RegisterRenderer) -> str:
    if item.link.startswith(("https://", "http://")):
        return f'<a href="{escape(item.link)}">{renderer.html(item.link)}</a>'
    return renderer.html(item.link)


def cell_anchor(statement: str, category: str) -> str:
    return f"{statement}--{category}"


def _public_note(renderer: RegisterRenderer, what: str) -> list[str]:
    if not audience(renderer.version).redacts:
        return []
    return [
        '!!! note "Published evidence only"',
        "",
        f"    {what} Internal evidence, such as case records and management information, "
        "is held by the council and can be seen by inspectors on request.",
        "",
    ]


# -- the evidence index ----------------------------------------------------------------------
def evidence_page(report: Report, renderer: RegisterRenderer) -> str:
    register, version = report.project.register, renderer.version
    framework = register.framework
    shown = [e for e in register.evidence.values() if e.shown_in(version)]
    lines = (
        datatext.generated_front("Evidence index")
        + [
            "The evidence this self-evaluation rests on: audits, surveys, reviews, reports and data.",
            "It is listed first by CQC quality statement and evidence category, then in full.",
            "Citations in the chapters link to an item's entry at the end of this page.",
            "",
        ]
        + _public_note(renderer, "This version lists the evidence that is published.")
    )
    if framework:
        for theme in framework.themes:
            lines += [f"## {renderer.markdown(theme.title)}", ""]
            for qs in theme.statements:
                lines += [f"### {renderer.markdown(qs.title)} {{ #qs-{qs.id} }}", ""]
                if qs.summary:
                    lines += [renderer.markdown(qs.summary), ""]
                lines += ["| Evidence category | Evidence |", "| --- | --- |"]
                for cat in framework.categories.values():
                    items = register.evidence_for(qs.id, cat.id, version)
                    anchor = f'<span id="{cell_anchor(qs.id, cat.id)}"></span>'
                    found = "; ".join(f"[{renderer.markdown(e.short_title)}](#{e.id})" for e in items)
                    if not found and register.evidence_for(qs.id, cat.id):
                        found = "Internal evidence only, available on request"
                    elif not found:
                        found = '<span class="gap-text"><span aria-hidden="true">✕</span> None: a gap</span>'
                    lines.append(f"| {anchor}{renderer.markdown(cat.title)} | {found} |")
                lines.append("")
    lines += [
        "## All evidence",
        "",
        "| Evidence | Kind | Date | Owner | Category | Quality statements | Where to find it | Cited on |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    statements = framework.statements if framework else {}
    for item in sorted(shown, key=lambda e: e.title.lower()):
        cats = framework.categories if framework else {}
        qs = ", ".join(f"[{renderer.markdown(statements[s].title)}](#qs-{s})" for s in item.quality_statements if s in statements)
        pages = report.citations(renderer.version).get(f"evidence:{item.id}", [])
        figures = sum(1 for m in report.project.metrics.values() if m.source == item.id)
        cited = [f"[{renderer.markdown(p.title)}]({p.src})" for p in pages]
        if figures:
            cited.append(f"[{figures} figure{'s' if figures > 1 else ''}](figures.md)")
        title = f'<span id="{item.id}"></span>**{renderer.markdown(item.title)}**'
        if not item.public:
            title += ' <span class="tag tag-internal">internal</span>'
        if item.summary:
            title += f"<br><small>{renderer.markdown(item.summary)}</small>"
        lines.append(
            f"| {title} | {renderer.markdown(item.kind.capitalize())} | {fmt.date(item.date) if item.date else '–'} | "
            f"{renderer.markdown(item.owner)} | {renderer.markdown(cats[item.category].title if item.category in cats else '–')} | "
            f"{qs or '–'} | {datatext.table_cell(_location(item, renderer))} | {', '.join(cited) or 'not cited'} |"
        )
    lines.append("")
    return "\n".join(lines)


# -- the coverage matrix -------------------------------------------------------------------
def coverage_page(report: Report, renderer: RegisterRenderer) -> str:
    register, version = report.project.register, renderer.version
    framework = register.framework
    lines = (
        datatext.generated_front("CQC coverage")
        + [
            "How much evidence supports each CQC quality statement, by evidence category. Each",
            "number links to the items in the [evidence index](evidence.md). A cell marked",
            "**Gap** has no evidence yet; the gaps are also listed below the table.",
            "",
        ]
        + (["A cell marked **Internal only** has evidence that is not published.", ""] if audience(version).redacts else [])
        + _public_note(renderer, "The counts here include published evidence only.")
    )
    if framework is None:
        return "\n".join(lines + ["The assessment framework could not be read.", ""])
    cats = list(framework.categories.values())
    evidence_href = renderer.href(page_url(EVIDENCE_PAGE))
    head = " ".join(f'<th scope="col" class="num">{renderer.html(c.title)}</th>' for c in cats)
    groups, gaps = [], []
    for theme in framework.themes:
        # Each theme's statements are a group of rows, headed by the theme's row.
        body = [f'<tr class="theme-row"><th scope="rowgroup" colspan="{len(cats) + 2}">{renderer.html(theme.title)}</th></tr>']
        groups.append(body)
        for qs in theme.statements:
            cells, total = [], set()
            for cat in cats:
                items = register.evidence_for(qs.id, cat.id, version)
                total.update(e.id for e in items)
                if items:
                    cells.append(
                        f'<td class="num"><a href="{escape(evidence_href)}#{cell_anchor(qs.id, cat.id)}" '
                        f'aria-label="{len(items)} items: {escape(plain(qs.title, renderer))}, {escape(plain(cat.title, renderer))}">'
                        f"{len(items)}</a></td>"
                    )
                elif register.evidence_for(qs.id, cat.id):
                    cells.append('<td class="num internal-only">Internal only</td>')
                else:
                    cells.append('<td class="num gap"><span aria-hidden="true">✕</span> Gap</td>')
                    gaps.append((qs, cat))
            body.append(
                f'<tr><th scope="row"><a href="{escape(evidence_href)}#qs-{qs.id}">{renderer.html(qs.title)}</a></th> '
                f'{" ".join(cells)} <td class="num total">{len(total)}</td></tr>'
            )
    lines += [
        '<div class="register-table coverage"><table>',
        f"<caption>Evidence items by quality statement and category ({escape(_as_at(renderer))})</caption>",
        f'<thead><tr><th scope="col">Quality statement</th> {head} <th scope="col" class="num">All categories</th></tr></thead>',
        "".join(f"<tbody>{' '.join(rows)}</tbody>" for rows in groups) + "</table></div>",
        "",
    ]
    lines += ["## Gaps", ""]
    if gaps:
        lines.append(f"{len(gaps)} of {len(cats) * len(framework.statements)} combinations have no evidence:")
        lines.append("")
        lines += [
            f"- {renderer.markdown(qs.title)}: no evidence from {renderer.markdown(cat.title[0].lower() + cat.title[1:])}"
            for qs, cat in gaps
        ]
    else:
        lines.append("Every quality statement has evidence in every category.")
    lines.append("")
    return "\n".join(lines)


# -- areas for development and progress ------------------------------------------------------
def _illustrative_note(areas, register: Register) -> list[str]:
    flagged = any(a.illustrative for a in areas) or any(act.illustrative for a in areas for act in register.actions_of(a.id))
    if not flagged:
        return []
    return [
        '!!! note "Illustrative entries"',
        "",
        "    Entries tagged *illustrative* have due dates, statuses or targets that were set for this",
        "    document as examples; they are to be confirmed by the action's owner.",
        "",
    ]


def _not_stated(areas, renderer: RegisterRenderer) -> bool:
    register = renderer.register
    return (
        any(not a.actions_stated for a in areas)
        or any(not m.target_stated for a in areas for m in a.measures)
        or any(
            not (act.owner_stated and act.due_stated and act.status_stated) or not act.progress
            for a in areas
            for act in register.actions_of(a.id)
        )
    )


def _not_stated_note(areas, renderer: RegisterRenderer) -> list[str]:
    if not _not_stated(areas, renderer):
        return []
    return [
        '!!! note "Not stated"',
        "",
        f"    *Not stated* means that {renderer.markdown(renderer.not_stated_source())} does not give",
        "    the actions, owner, due date, status, progress note or target. None has been made up,",
        "    and nothing that is not stated is judged overdue or rated.",
        "",
    ]


def _rated(areas) -> bool:
    return any(m.target_stated for a in areas for m in a.measures)


def _recommendations(area, renderer: RegisterRenderer) -> list[str]:
    register = renderer.register
    recs = [register.recommendations[r] for r in area.answers if r in register.recommendations]
    if not recs:
        return []
    out = ["**Recommendations it answers:**", ""]
    for rec in recs:
        source = register.evidence.get(rec.source)
        cite = f" ({renderer.evidence_link(source)})" if source else ""
        out.append(f"- {renderer.markdown(rec.text)}{cite}")
    return out + [""]


def _measures(area, renderer: RegisterRenderer) -> list[str]:
    if not area.measures:
        return []
    tag = renderer.illustrative_tag(area.illustrative).replace("illustrative</span>", "illustrative targets</span>")
    out = [f"**Measures of success:**{tag}", "", "| Measure | Latest | Target | Rating |", "| --- | --- | --- | --- |"]
    for measure in area.measures:
        label, value, target, rating = renderer.measure_parts(measure)
        figure = (
            f"[{renderer.markdown(label)}](figures.md#{measure.metric})"
            if measure.metric in renderer.project.metrics
            else renderer.markdown(label)
        )
        out.append(
            f"| {figure} | {renderer.markdown(value)} | {renderer.markdown(target)} | {datatext.table_cell(renderer.rag_badge(rating))} |"
        )
    return out + [""]


def _actions(area, renderer: RegisterRenderer, with_notes: bool) -> list[str]:
    if not area.actions_stated:
        return [
            f"Not stated: {renderer.markdown(renderer.not_stated_source())} names no separate actions, "
            "owners, due dates or statuses for this area.",
            "",
        ]
    out = ["| Action | Owner | Due | Status | Progress |", "| --- | --- | --- | --- | --- |"]
    for action in renderer.register.actions_of(area.id):
        notes = action.progress if with_notes else action.progress[-1:]
        progress = "<br>".join(f"{fmt.date(n.date)}: {renderer.markdown(n.text)}" for n in notes) or "Not stated"
        due = fmt.date(action.due) if action.due else "Not stated"
        owner = "Not stated" if not action.owner_stated else renderer.markdown(action.owner)
        out.append(
            f'| <span id="{action.id}"></span>**{action.id}** {renderer.markdown(action.description)}'
            f"{renderer.illustrative_tag(action.illustrative)} | {owner} | {due} | "
            f"{renderer.action_badge(action)} | {progress} |"
        )
    return out + [""]


def _overdue_summary(areas, renderer: RegisterRenderer) -> list[str]:
    late = [a for area in areas for a in renderer.register.actions_of(area.id) if a.overdue(renderer.reporting_date)]
    if not late:
        return []
    out = [
        '!!! warning "Overdue actions"',
        "",
        f"    {len(late)} action{'s are' if len(late) > 1 else ' is'} past {'their' if len(late) > 1 else 'its'} "
        f"due date and not complete {_as_at(renderer)}:",
        "",
    ]
    out += [
        f"    - [{a.id}](#{a.id}) {renderer.markdown(a.description)} (due {fmt.date(a.due)}, {renderer.markdown(a.status)})"
        for a in late
    ]
    return out + [""]


def recommendations_section(renderer: RegisterRenderer) -> list[str]:
    """Every external recommendation with the areas that answer it, or why it was not taken forward."""
    register = renderer.register
    if not register.recommendations:
        return []
    lines = [
        "## Recommendations from external reviews",
        "",
        "What external reviews recommended and the areas for development that answer each one.",
        "",
    ]
    by_source: dict[str, list] = {}
    for rec in register.recommendations.values():
        by_source.setdefault(rec.source, []).append(rec)
    for source, recs in by_source.items():
        item = register.evidence.get(source)
        name = renderer.evidence_link(item) if item else renderer.markdown(source)
        lines += [f"**From {name}:**", "", "| Recommendation | Answered by |", "| --- | --- |"]
        for rec in recs:
            areas = register.answered_by(rec.id)
            if areas:
                answer = "<br>".join(
                    f'<a href="{escape(renderer.area_href(a))}">{escape(a.year)} area {escape(a.number)}: '
                    f"{renderer.html(a.title)}</a>"
                    for a in areas
                )
            else:
                answer = f"Not taken forward: {renderer.html(rec.not_taken_forward)}"
            lines.append(
                f'| <span id="{rec.id}"></span>{renderer.markdown(rec.text)}{renderer.illustrative_tag(rec.illustrative)} '
                f"| {datatext.table_cell(answer)} |"
            )
        lines.append("")
    return lines


def plan_page(report: Report, renderer: RegisterRenderer, year: str) -> str:
    register = report.project.register
    areas = register.areas_in(year)
    lines = (
        datatext.generated_front(f"Areas for development {year}")
        + [
            f"What we will improve in {year} and the outcome we expect from each area, with the actions",
            f"that deliver it, who owns each one and when it is due. Statuses are {_as_at(renderer)}.",
        ]
        + (
            [
                "Measures of success are rated green (target met), amber (not met yet, but improving) or",
                "red (not met and not improving).",
            ]
            if _rated(areas)
            else []
        )
        + [
            "",
        ]
        + _not_stated_note(areas, renderer)
        + _illustrative_note(areas, register)
        + _overdue_summary(areas, renderer)
    )
    lines += [renderer.areas_for_development(year), ""]
    for area in areas:
        lines += [
            f"## {renderer.markdown(area.number)}. {renderer.markdown(area.title)} {{ #{area.id} }}",
            "",
            f"**Proposed outcome:** {renderer.markdown(area.outcome)}",
            "",
            f"**Status:** {renderer.area_badge(area)}",
            "",
        ]
        lines += _recommendations(area, renderer) + _measures(area, renderer)
        lines += ["**Actions:**", ""] + _actions(area, renderer, with_notes=False)
    lines += recommendations_section(renderer)
    return "\n".join(lines)


def progress_page(report: Report, renderer: RegisterRenderer, year: str) -> str:
    register = report.project.register
    areas = register.areas_in(year)
    lines = (
        datatext.generated_front(f"Progress on the {year} areas for development")
        + [
            f"The areas for development we set for {year}, what we have done on each and where it",
            f"stands {_as_at(renderer)}.",
            "",
        ]
        + _not_stated_note(areas, renderer)
        + _illustrative_note(areas, register)
        + _overdue_summary(areas, renderer)
    )
    lines += [renderer.progress_table(year), ""]
    for area in areas:
        lines += [
            f"## {renderer.markdown(area.number)}. {renderer.markdown(area.title)} {{ #{area.id} }}",
            "",
            f"**Status:** {renderer.area_badge(area)}",
            "",
        ]
        if area.outcome:
            lines += [f"**Intended outcome:** {renderer.markdown(area.outcome)}", ""]
        if area.progress:
            lines += [renderer.markdown(area.progress), ""]
        lines += _recommendations(area, renderer) + _measures(area, renderer)
        lines += ["**Actions and progress notes:**", ""] + _actions(area, renderer, with_notes=True)
    return "\n".join(lines)


def register_pages(report: Report, renderer: RegisterRenderer) -> dict[str, str]:
    """Every page the register generates, by file name, as Markdown."""
    register = report.project.register
    pages = {EVIDENCE_PAGE: evidence_page(report, renderer), COVERAGE_PAGE: coverage_page(report, renderer)}
    years = register.years()
    for year in years:
        build = plan_page if year == years[-1] else progress_page
        pages[year_page(register, year)] = build(report, renderer, year)
    return pages
