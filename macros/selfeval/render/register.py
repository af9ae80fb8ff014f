"""What the register's macros render as in a chapter, and the pieces the generated pages share.

- ``cite("ev-id")``                    a short citation linking to the evidence index;
- ``areas_for_development("2025/26")`` the year's areas with their proposed outcomes;
- ``progress_table("2023/24")``        each area's status and progress narrative;
- ``action_status("A25-01.1")``        an action's status, flagged when overdue.

Status and RAG ratings are always words (with a symbol), never colour alone. Where the
register says an owner, due date, status or target is ``not stated``, the page says so in
those words and draws no conclusion from it (see :mod:`actions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from collections.abc import Callable

from selfeval.content.sourcetree import page_url
from selfeval.disclosure import datatext
from selfeval.render import formatting as fmt
from selfeval.register.actions import NOT_STATED, Action, Area, Measure, Rag, area_status, rag
from selfeval.render.figures import FigureError
from selfeval.project.model import Project
from selfeval.problems import close_match
from selfeval.disclosure.audience import audience
from selfeval.register.evidence import WITHHELD, Evidence
from selfeval.disclosure.suppression import WITHHELD as WITHHELD_TEXT

EVIDENCE_PAGE = "evidence.md"
COVERAGE_PAGE = "cqc-coverage.md"
STATUS_SYMBOLS = {"complete": "✓", "on track": "●", "at risk": "▲", "off track": "✕", "not started": "○", NOT_STATED: "–"}
RAG_SYMBOLS = {"green": "●", "amber": "▲", "red": "✕", "none": "–"}


def slug(year: str) -> str:
    return year.replace("/", "-")


def year_page(register, year: str) -> str:
    """The generated page for a year's areas: the latest year is the plan; earlier years report progress."""
    years = register.years()
    if years and year == years[-1]:
        return f"areas-for-development-{slug(year)}.md"
    return f"progress-{slug(year)}.md"


def resolve_evidence(project: Project, eid: str) -> Evidence:
    if eid not in project.register.evidence:
        hint = close_match(eid, project.register.evidence)
        raise FigureError(f"unknown evidence '{eid}'", hint or "add it to evidence_register.yaml or correct the id")
    return project.register.evidence[eid]


def resolve_year(project: Project, year: str) -> list[Area]:
    areas = project.register.areas_in(year)
    if not areas:
        years = project.register.years()
        hint = close_match(year, years) or (
            f"years with areas: {', '.join(years)}" if years else "add areas for it under 'areas:' in evidence_register.yaml"
        )
        raise FigureError(f"no areas for development for year '{year}'", hint)
    return areas


def resolve_action(project: Project, aid: str) -> Action:
    if aid not in project.register.actions:
        hint = close_match(aid, project.register.actions)
        raise FigureError(f"unknown action '{aid}'", hint or "add it under actions: in evidence_register.yaml")
    return project.register.actions[aid]


@dataclass
class RegisterRenderer:
    """Renders register items for one version of the site.

    ``href`` turns a site-root URL such as ``evidence/`` into one relative to the page
    being rendered (the MkDocs adapter supplies it).
    """

    project: Project
    version: str = "internal"
    href: Callable[[str], str] = lambda target: target

    @property
    def register(self):
        return self.project.register

    # -- data text --------------------------------------------------------------------
    def html(self, text) -> str:
        """Data text as HTML (see selfeval.disclosure.datatext)."""
        return datatext.html(text, datatext.reasons_in(self.project.config))

    def markdown(self, text) -> str:
        """Data text for a generated Markdown page: shown as written, never as Markdown."""
        return datatext.markdown(text, datatext.reasons_in(self.project.config))

    @property
    def reporting_date(self):
        return self.project.config.reporting_date if self.project.config else None

    # -- links ------------------------------------------------------------------------
    def evidence_link(self, item: Evidence, text: str | None = None) -> str:
        if not item.shown_in(self.version):
            return f'<span class="cite cite-withheld">{WITHHELD}</span>'
        tip = ", ".join(p for p in (item.kind.capitalize(), fmt.date(item.date) if item.date else "") if p)
        link = (
            f'<a class="cite" href="{escape(self.href(page_url(EVIDENCE_PAGE)))}#{item.id}" '
            f'title="{escape(tip)}">{self.html(text or item.short_title)}</a>'
        )
        if not item.public:
            link += ' <span class="tag tag-internal">internal</span>'
        return link

    def area_href(self, area: Area) -> str:
        return f"{self.href(page_url(year_page(self.register, area.year)))}#{area.id}"

    def action_href(self, action: Action) -> str:
        area = self.register.areas.get(action.area)
        page = year_page(self.register, area.year) if area else year_page(self.register, "")
        return f"{self.href(page_url(page))}#{action.id}"

    # -- statuses ---------------------------------------------------------------------
    def status_badge(self, status: str) -> str:
        cls = status.replace(" ", "-")
        return (
            f'<span class="status status-{cls}"><span aria-hidden="true">{STATUS_SYMBOLS.get(status, "")}</span> '
            f"{escape(status.capitalize())}</span>"
        )

    def overdue_flag(self, action: Action) -> str:
        if not action.overdue(self.reporting_date):
            return ""
        return ' <strong class="overdue"><span aria-hidden="true">⚠</span> Overdue</strong>'

    def action_badge(self, action: Action) -> str:
        return self.status_badge(action.status) + self.overdue_flag(action)

    def not_stated_source(self) -> str:
        """The document whose silence 'not stated' reports: this edition of the self-evaluation."""
        config = self.project.config
        if config is None:
            return "this document"
        title = config.title[:1].lower() + config.title[1:]
        return f"the {config.document_version} {title}" if config.document_version else f"this {title}"

    def area_illustrative(self, area: Area) -> bool:
        """Whether the area or any of its actions carries example values."""
        return area.illustrative or any(a.illustrative for a in self.register.actions_of(area.id))

    def area_badge(self, area: Area) -> str:
        actions = self.register.actions_of(area.id)
        badge = self.status_badge(area_status(actions) if area.actions_stated else NOT_STATED)
        late = sum(a.overdue(self.reporting_date) for a in actions)
        if late:
            badge += (
                f' <strong class="overdue"><span aria-hidden="true">⚠</span> '
                f"{late} overdue action{'s' if late > 1 else ''}</strong>"
            )
        return badge

    @staticmethod
    def illustrative_tag(flag: bool) -> str:
        return ' <span class="tag tag-illustrative">illustrative</span>' if flag else ""

    # -- measures of success ------------------------------------------------------------
    def measure_parts(self, measure: Measure) -> tuple[str, str, str, Rag | None]:
        """(label, latest value with period, target, rating) for one measure of success."""
        metric = self.project.metrics.get(measure.metric)
        if metric is None:
            return measure.metric, "–", "–", None
        target = measure.target if measure.target is not None else metric.target
        if not measure.target_stated:
            target = None
        target_text = fmt.with_unit(target, metric.unit, metric.rate_per) if target is not None else "–"
        aim = "higher" if measure.direction == "increase" else "lower"
        target_text = f"{target_text} or {aim}" if target is not None else target_text
        if not measure.target_stated:
            target_text = "Not stated"
        if metric.disclosure != "public" and audience(self.version).redacts:
            # A restricted measure's label and target are withheld with its values.
            return WITHHELD_TEXT, "withheld", "–", None
        obs = self.project.latest(metric.id)
        before = self.project.previous(obs) if obs else None
        # The project's one audited decision: a hidden value is [c] here as everywhere else.
        from selfeval.disclosure.audit import decide

        decision = decide(self.project)
        hidden = audience(self.version).suppresses and obs is not None and decision.obs_hidden(metric, obs)
        if audience(self.version).suppresses and before is not None and decision.obs_hidden(metric, before):
            before = None
        if hidden:
            return metric.label, f"[c] ({obs.period})", target_text, None
        rating = rag(
            measure.direction,
            target,
            obs.value if obs else None,
            before.value if before else None,
            target_stated=measure.target_stated,
        )
        value = f"{fmt.with_unit(obs.value, metric.unit, metric.rate_per)} ({obs.period})" if obs else "no figure yet"
        return metric.label, value, target_text, rating

    @staticmethod
    def rag_badge(rating: Rag | None) -> str:
        if rating is None:
            return '<span class="rag rag-none">Not shown in this version</span>'
        return (
            f'<span class="rag rag-{rating.colour}"><span aria-hidden="true">{RAG_SYMBOLS[rating.colour]}</span> '
            f"{rating.label}: {escape(rating.reason)}</span>"
        )

    # -- macros -------------------------------------------------------------------------
    def cite(self, eid: str) -> str:
        return self.evidence_link(resolve_evidence(self.project, eid))

    def areas_for_development(self, year: str) -> str:
        rows = []
        for area in resolve_year(self.project, str(year)):
            rows.append(
                f'<tr><td class="num">{self.html(area.number)}</td> '
                f'<th scope="row"><a href="{escape(self.area_href(area))}">{self.html(area.title)}</a></th> '
                f"<td>{self.html(area.outcome)}</td> <td>{self.area_badge(area)}"
                f"{self.illustrative_tag(self.area_illustrative(area))}</td></tr>"
            )
        return (
            '<div class="register-table"><table><caption>Areas for development '
            f'{escape(str(year))}</caption><thead><tr><th scope="col" class="num">No.</th> '
            '<th scope="col">Area for development</th> <th scope="col">Proposed outcome</th> '
            f'<th scope="col">Status</th></tr></thead><tbody>{" ".join(rows)}</tbody></table></div>'
        )

    def progress_table(self, year: str) -> str:
        rows = []
        for area in resolve_year(self.project, str(year)):
            progress = self.html(area.progress) if area.progress else "No progress recorded yet."
            rows.append(
                f'<tr><td class="num">{self.html(area.number)}</td> '
                f'<th scope="row"><a href="{escape(self.area_href(area))}">{self.html(area.title)}</a></th> '
                f"<td>{self.area_badge(area)}{self.illustrative_tag(self.area_illustrative(area))}</td> "
                f"<td>{progress}</td></tr>"
            )
        return (
            '<div class="register-table"><table><caption>Progress on the areas for development '
            f'{escape(str(year))}</caption><thead><tr><th scope="col" class="num">No.</th> '
            '<th scope="col">Area for development</th> <th scope="col">Status</th> '
            f'<th scope="col">Progress and outcomes</th></tr></thead><tbody>{" ".join(rows)}</tbody></table></div>'
        )

    def action_status(self, aid: str) -> str:
        action = resolve_action(self.project, aid)
        return (
            f'<a class="action-status" href="{escape(self.action_href(action))}" '
            f'title="Action {escape(action.id)}">{self.action_badge(action)}</a>'
        )
