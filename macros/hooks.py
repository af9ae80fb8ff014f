"""MkDocs hooks: check the project before a build, mark or guard restricted passages, and
add the generated pages. Every decision is the core's; these functions only wire it in."""
from __future__ import annotations

import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from mkdocs_adapter import relative_url, report_for, settings  # noqa: E402
from selfeval.audience import audience  # noqa: E402
from selfeval.figures import Renderer  # noqa: E402
from selfeval.markers import parse  # noqa: E402
from selfeval.edition_pages import edition_pages, page_dates  # noqa: E402
from selfeval.opendata import open_data_files  # noqa: E402
from selfeval.pages import FIGURES_PAGE, figures_page  # noqa: E402
from selfeval.register_pages import register_pages  # noqa: E402
from selfeval.register_render import RegisterRenderer, page_url  # noqa: E402
from selfeval.problems import Problems  # noqa: E402
from selfeval.redaction import (REPORT_CSV, REPORT_PAGE, internal_text, reasons_of, report_csv,  # noqa: E402
                                report_page, restricted_page_notice)
from selfeval.suppression import footnote_html  # noqa: E402


def on_pre_build(config):
    # The build script checked the sources just before (and may have handed its report
    # over); a live preview checks again on every rebuild.
    report = report_for(config, refresh=not settings(config)["prechecked"])
    if not settings(config)["prechecked"]:
        # A live preview: the build script has not printed these already.
        for problem in report.problems:
            print(problem, file=sys.stderr)
    if not report.ok:
        raise Abort(f"{len(report.problems.errors)} problem(s) in the sources; fix them and save again")


def on_files(files, config):
    report = report_for(config)
    renderer = Renderer(report.project, version=settings(config)["version"])
    from_figures = page_url(FIGURES_PAGE)
    files.append(File.generated(config, FIGURES_PAGE, content=figures_page(
        report, renderer, href=lambda path: relative_url(from_figures, path))))
    version = settings(config)["version"]
    # Generated pages sit at the site root, so one renderer serves them all.
    at_root = RegisterRenderer(report.project, version=version,
                               href=lambda target: relative_url(page_url("page.md"), target))
    for name, content in register_pages(report, at_root).items():
        files.append(File.generated(config, name, content=content))
    for name, content in open_data_files(report, renderer).items():
        files.append(File.generated(config, name, content=content))
    for name, content in edition_pages(settings(config)["root"], report, version).items():
        files.append(File.generated(config, name, content=content))
    if not renderer.disclosure.public:
        entries = report.plan.entries
        files.append(File.generated(config, REPORT_PAGE, content=report_page(entries, renderer.disclosure.threshold)))
        files.append(File.generated(config, REPORT_CSV, content=report_csv(entries)))
    return files


@event_priority(50)  # before the macros plugin renders {{ ... }}
def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by is not None:
        # A generated page is data, never a template: mkdocs-macros leaves a page alone
        # when its meta says render_macros: false, whatever the page's text holds.
        page.meta["render_macros"] = False
    report = report_for(config)
    where = f"content/{page.file.src_uri}"
    markers = parse(markdown, where, reasons_of(report.project.config), Problems(), front_matter=False)
    if not audience(settings(config)["version"]).redacts:
        return internal_text(markdown, markers)
    if markers.markers:
        # The public build reads redacted sources; a marker here means redaction was skipped.
        raise Abort(f"{where}:{markers.markers[0].line}: a restricted marker reached the public build — "
                    "build the public version with scripts/build.py, which redacts first")
    return markdown


def on_page_content(html, page, config, files):
    # The theme puts the front matter's title and description into the page head and the
    # navigation without escaping them; escape them once here, before any page is drawn.
    for key in ("title", "description"):
        if isinstance(page.meta.get(key), str):
            page.meta[key] = escape(page.meta[key], quote=True)
    report = report_for(config)
    internal = not audience(settings(config)["version"]).redacts
    # Whether the page is restricted is the marker parser's decision (an empty 'restricted:',
    # MultiMarkdown meta-data and unreadable front matter included), not page.meta's.
    versions = report.plan.pages.get(page.file.src_uri) if report.plan is not None else None
    if internal and versions is not None and versions.markers.restricted:
        html = restricted_page_notice(versions.markers.page_reason) + html
    if not internal:
        html += footnote_html(html, Renderer(report.project, version="public").disclosure.threshold)
    return html + page_dates(report, settings(config)["root"], page.file.src_uri, page.file.generated_by is None)
