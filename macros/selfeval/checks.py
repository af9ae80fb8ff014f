"""Every validation of a project, run by ``make check`` and before every build."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.render.charts.data import ChartDef, load_charts
from selfeval.project.editions import check_editions
from selfeval.content.citations import Page, content_pages
from selfeval.publish.committee import load_committee
from selfeval.content.lint import lint_pages
from selfeval.project.model import Project, load_project
from selfeval.content.mkdocs_yml import YEAR_PAGE, check_mkdocs_yml, nav_sources
from selfeval.problems import Problems, close_match
from selfeval.content.sourcetree import docs_dir_of, source_files
from selfeval.render.macros import MACROS, Checking
from selfeval.disclosure.redaction import Plan, plan


@dataclass
class Report:
    """The loaded project, its pages, who cites what, and every problem found."""

    project: Project
    pages: list[Page]
    problems: Problems
    cited_by: dict[str, list[Page]] = field(default_factory=dict)
    charts: dict[str, ChartDef] = field(default_factory=dict)
    plan: Plan | None = None  # restricted markers, public texts, the redaction report

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    def citations(self, version) -> dict[str, list[Page]]:
        """Who cites what, as one version sees it: in public, only the calls its public text
        keeps (none inside a restricted passage, none from a restricted page)."""
        from selfeval.disclosure.audience import audience

        if not audience(version).redacts or self.plan is None:
            return self.cited_by
        if getattr(self, "_public_citations", None) is None:
            found: dict[str, list[Page]] = defaultdict(list)
            for versions in self.plan.pages.values():
                page = versions.page
                for call in versions.public_calls:
                    for kind, ref in call.refs():
                        if page not in found[f"{kind}:{ref}"]:
                            found[f"{kind}:{ref}"].append(page)
            self._public_citations = dict(found)
        return self._public_citations

    def pages_citing(self, version, metric_id: str) -> list[Page]:
        """The pages that cite a figure in ``version``, or place a chart that draws it."""
        citations = self.citations(version)
        pages = list(citations.get(f"metric:{metric_id}", []))
        for cid, chart in self.charts.items():
            if metric_id in chart.metrics:
                pages += [p for p in citations.get(f"chart:{cid}", []) if p not in pages]
        return pages


EXAMPLE_HOST = re.compile(r"(^|[.@])(example|localhost|invalid|test)(\.|$)", re.I)


def _example_address(value: str) -> bool:
    """An address on a reserved example domain (example.org, x.example, localhost…)."""
    host = value.split("://", 1)[-1].split("/", 1)[0]
    host = host.rsplit("@", 1)[-1]
    return bool(EXAMPLE_HOST.search(host)) or host.startswith("example.")


def _mkdocs_site_url(root: Path) -> tuple[str, int]:
    path = Path(root) / "mkdocs.yml"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return "", 0
    for number, line in enumerate(lines, 1):
        match = re.match(r"site_url:\s*['\"]?([^'\"\s#]+)", line)
        if match:
            return match.group(1), number
    return "", 0


def publication_warnings(root: Path, report: Report) -> None:
    """What must not reach a published site: example addresses in place of the council's own,
    and figures in the data that no page shows without saying that is deliberate."""
    project, problems = report.project, report.problems
    config = project.config
    if config is not None:
        for key in ("site_url", "contact_email", "contact_url"):
            value = getattr(config, key)
            if value and _example_address(value):
                problems.warn(
                    config.path,
                    config.line_of(key),
                    f"{key} '{value}' is an example address",
                    f"write the council's own {key.replace('_', ' ')} before publishing, or leave the line out",
                    code="example-address",
                )
    url, line = _mkdocs_site_url(root)
    if url and _example_address(url) and not (config and config.site_url):
        problems.warn(
            "mkdocs.yml",
            line,
            f"site_url '{url}' is an example address",
            "put the real public address in data/project.yaml as site_url, or remove the line",
            code="example-address",
        )
    charted = {m for cid, chart in report.charts.items() if f"chart:{cid}" in report.cited_by for m in chart.metrics}
    for metric in project.metrics.values():
        if metric.shown and f"metric:{metric.id}" not in report.cited_by and metric.id not in charted:
            problems.warn(
                metric.path,
                metric.line,
                f"metric '{metric.id}' is shown on no page",
                f"cite it with {{{{ figure(\"{metric.id}\") }}}}, or add 'shown: false' to keep it in the data on purpose",
                code="figure-unused",
            )


def generated_pages(project: Project) -> set[str]:
    """The pages the build writes itself, by file name."""
    from selfeval.render.edition_pages import CHANGES_PAGE, EDITIONS_PAGE
    from selfeval.render.pages import FIGURES_PAGE
    from selfeval.render.register import COVERAGE_PAGE, EVIDENCE_PAGE, year_page
    from selfeval.disclosure.redaction import REPORT_PAGE

    register = project.register
    years = {year_page(register, y) for y in register.years()} if register is not None else set()
    return {FIGURES_PAGE, EVIDENCE_PAGE, COVERAGE_PAGE, REPORT_PAGE, CHANGES_PAGE, EDITIONS_PAGE} | years


def _check_site(root: Path, project: Project, pages: list[Page], problems: Problems, docs_dir: Path | None) -> None:
    """mkdocs.yml, links between pages, and pages no reader can reach from the navigation."""
    generated = generated_pages(project)
    site = check_mkdocs_yml(root, generated, problems, docs_dir)
    docs = Path(docs_dir) if docs_dir is not None else docs_dir_of(root, site or {})
    files = {f.src for f in source_files(docs, root, site or {})} if docs.is_dir() else set()
    for page in pages:
        for line, what, fix in broken_links(page, files | generated):
            problems.add(page.path, line, what, fix, code="link-broken")
    nav = site.get("nav") if site is not None else None
    if nav:
        listed = {src for src, _ in nav_sources(nav)}
        mistyped = listed - {page.src for page in pages} - generated
        for page in pages:
            if page.src not in listed and not close_match(page.src, mistyped):
                problems.warn(
                    page.path,
                    1,
                    "the page is in no nav, so readers cannot reach it from the navigation and it is left out of both PDFs",
                    "add it to nav: in mkdocs.yml where it belongs in the document's order",
                    code="page-unreachable",
                )


def broken_links(page: Page, files: set[str]):
    """(line, what, fix) for each Markdown link to a file that is not there, as
    MkDocs finds them: a relative path with a file extension, resolved from the page's file."""
    import posixpath

    from selfeval.content.references import _path_of, markdown_references

    for ref in markdown_references(page.text):
        if ref.kind != "markdown" or ref.target.startswith(("/", "\\")):
            continue
        path = _path_of(ref.target)
        if not path or not posixpath.splitext(path)[1]:
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.src), path))
        if target not in files:
            year = YEAR_PAGE.match(target)
            what = f"link '{ref.target}': the target is not found among documentation files"
            if year:
                yield (
                    ref.line,
                    f"{what}: it is the generated page of unknown year '{year[2]}/{year[3]}'",
                    "link to a year the register has areas for, or add areas for this year",
                )
                continue
            hint = close_match(target, files)
            if hint:
                best = hint.removeprefix("did you mean ").removesuffix("?")
                hint = f"did you mean {posixpath.relpath(best, posixpath.dirname(page.src) or '.')}? correct the link"
            yield ref.line, what, hint or "point it at a file under the content folder, relative to this page"


def _check_sources(project: Project, pages: list[Page], problems: Problems) -> None:
    """Dates that cannot be right yet, and front matter that names what does not exist."""
    config = project.config
    today = dt.date.today()
    for obs in project.observations:
        _check_as_of(obs.as_of, obs.path, obs.line, config, today, problems)
    for table in project.tables.values():
        line = table.meta.key_line("as_of") if hasattr(table.meta, "key_line") else 1
        _check_as_of(table.as_of, table.meta_path, line, config, today, problems)
    framework = project.register.framework if project.register is not None else None
    if framework is None:
        return
    known = framework.statements
    for page in pages:
        value = page.meta.get("quality_statements") if isinstance(page.meta, dict) else None
        ids = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        line = page.meta.key_line("quality_statements") + 1 if hasattr(page.meta, "key_line") else 1
        for qs in ids:
            if str(qs) not in known:
                hint = close_match(str(qs), known)
                problems.add(
                    page.path,
                    line,
                    f"unknown quality statement '{qs}' in the front matter",
                    f"{hint + ' ' if hint else ''}the ids are those of data/framework.yaml: {', '.join(known)}",
                    code="unknown-name",
                )


def _check_as_of(as_of, path: str, line: int, config, today: dt.date, problems: Problems) -> None:
    if as_of is None:
        return
    if as_of > today:
        problems.warn(
            path,
            line,
            f"as_of {as_of.isoformat()} is in the future",
            "as_of is when the figure was published or extracted: correct the date (YYYY-MM-DD)",
            code="date-ahead",
        )
    elif config is not None and as_of > config.reporting_date:
        problems.warn(
            path,
            line,
            f"as_of {as_of.isoformat()} is after the reporting date {config.reporting_date.isoformat()}",
            "correct the date, or move the reporting_date in data/project.yaml on if the document now reports later figures",
            code="date-ahead",
        )


def check_project(
    root: Path, strict: bool = False, docs_dir: Path | None = None, lint: bool = True, needles: bool = True
) -> Report:
    """Load, validate and cross-check a project. Never raises on bad input.

    ``needles=False`` skips working out what the leak scan looks for (a build that is
    not scanned, such as the non-interference check's second build, has no use for it)."""
    project = load_project(root)
    problems = Problems()
    problems.extend(project.problems)
    load_committee(root, problems)  # the PDFs' cover report, checked with everything else
    check_editions(root, project.config, problems)
    charts = load_charts(project, problems)
    docs_dir = Path(docs_dir) if docs_dir is not None else docs_dir_of(Path(root))
    pages = content_pages(root, problems, docs_dir)
    cited_by: dict[str, list[Page]] = defaultdict(list)
    checking = Checking(project, problems, strict, charts)
    for page in pages:
        for call in page.calls:
            check = MACROS[call.macro].check
            if check is not None:
                check(call, checking)
            for kind, ref in call.refs():
                if page not in cited_by[f"{kind}:{ref}"]:
                    cited_by[f"{kind}:{ref}"].append(page)
    if lint:
        lint_pages(project, pages, problems)
    _check_site(Path(root), project, pages, problems, docs_dir)
    _check_sources(project, pages, problems)
    disclosure = plan(root, pages, project, problems, charts)
    problems = problems.folded()
    report = Report(project=project, pages=pages, problems=problems, cited_by=dict(cited_by), charts=charts, plan=disclosure)
    publication_warnings(root, report)
    if report.ok and needles:
        # What a hidden figure would leak as, read off the renderer's internal rendering.
        from selfeval.disclosure.leakscan import drop_public
        from selfeval.disclosure.needles import rendered_needles, withheld_needles

        disclosure.needles += rendered_needles(report)
        disclosure.needles += drop_public(withheld_needles(report), disclosure.vocabulary)
    return report
