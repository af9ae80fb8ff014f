"""MkDocs hooks: check the project before a build, mark or guard restricted passages, and
add the generated pages. Every decision is the core's; these functions only wire it in."""

from __future__ import annotations

import hashlib
import pickle
import re
import sys
from html import escape

import jinja2
from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from selfeval.adapters.mkdocs.log import SourceProblem
from selfeval.adapters.mkdocs.state import relative_url, report_for, settings, source_path
from selfeval.disclosure.audience import audience
from selfeval.publish.caches import cache_dir
from selfeval.render.figures import Renderer
from selfeval.disclosure.markers import parse
from selfeval.render.edition_pages import edition_pages, page_changed
from selfeval.render.opendata import open_data_files
from selfeval.render.pages import FIGURES_PAGE, figures_page
from selfeval.render.register_pages import register_pages
from selfeval.render.register import RegisterRenderer
from selfeval.content.sourcetree import page_url
from selfeval.problems import Problem, Problems
from selfeval.disclosure.redaction import (
    REPORT_CSV,
    REPORT_PAGE,
    internal_text,
    reasons_of,
    report_csv,
    report_page,
    restricted_page_notice,
)
from selfeval.render.footer import footer_for
from selfeval.disclosure.suppression import footnote_html


# Front-matter fields the theme writes into pages (see on_page_content).
FRONT_MATTER_SHOWN = ("title", "description", "author", "subtitle")
# The permalink Python-Markdown's toc extension puts in each heading.
PERMALINK = re.compile(r'(<a class="headerlink")(?= href=)')


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


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's own cache of compiled templates, where a file that cannot be read or
    written only costs the time of compiling again."""

    def load_bytecode(self, bucket):
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket):
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def on_env(env, config, files):
    # The theme's templates are compiled once and kept (Jinja checks each against its
    # source and its own version): every build otherwise compiles them all again, three
    # times in make site. The folder is named for the Jinja version and the extensions.
    folder = cache_dir(settings(config)["root"], "templates")
    if folder is not None:
        escape = getattr(env.autoescape, "__qualname__", env.autoescape)  # a function, or True/False
        flavour = hashlib.sha256(f"{jinja2.__version__}|{sorted(env.extensions)}|{escape}".encode()).hexdigest()[:12]
        try:
            (folder / flavour).mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = TemplateCache(str(folder / flavour))
        except OSError:
            pass  # a cache that cannot be kept only costs time
    return env


def on_files(files, config):
    report = report_for(config)
    renderer = Renderer(report.project, version=settings(config)["version"])
    from_figures = page_url(FIGURES_PAGE)
    files.append(
        File.generated(
            config, FIGURES_PAGE, content=figures_page(report, renderer, href=lambda path: relative_url(from_figures, path))
        )
    )
    version = settings(config)["version"]
    # Generated pages sit at the site root, so one renderer serves them all.
    at_root = RegisterRenderer(report.project, version=version, href=lambda target: relative_url(page_url("page.md"), target))
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


def as_text(value: str) -> str:
    """A title or other front-matter text as HTML that shows exactly that text: markup and
    quotes escaped, and braces as character references so no template ever evaluates it."""
    return escape(value, quote=True).replace("{", "&#123;").replace("}", "&#125;")


@event_priority(50)  # before the macros plugin renders {{ ... }}
def on_page_markdown(markdown, page, config, files):
    # The page's title (from the navigation or the front matter) is shown by the theme as
    # HTML, and the macros plugin renders it as a template when it holds '{{': fix it as
    # text now, before either.
    if isinstance(page.title, str):
        page.title = as_text(page.title)
    if page.file.generated_by is not None:
        # A generated page is data, never a template: mkdocs-macros leaves a page alone
        # when its meta says render_macros: false, whatever the page's text holds.
        page.meta["render_macros"] = False
    report = report_for(config)
    where = source_path(config, page.file.src_uri)
    markers = parse(markdown, where, reasons_of(report.project.config), Problems(), front_matter=False)
    if not audience(settings(config)["version"]).redacts:
        return internal_text(markdown, markers)
    if markers.markers:
        # The public build reads redacted sources; a marker here means redaction was skipped.
        raise SourceProblem(
            Problem(
                where,
                markers.markers[0].line,
                "a restricted marker reached the public build",
                "build the public version with scripts/build.py, which redacts first",
                code="leak",
            )
        )
    return markdown


def on_page_content(html, page, config, files):
    # The theme puts the front matter's title, description, author and subtitle into the
    # page head and the navigation without escaping them; escape them once here, before any
    # page is drawn.
    for key in FRONT_MATTER_SHOWN:
        if isinstance(page.meta.get(key), str):
            page.meta[key] = as_text(page.meta[key])
    # A heading's ¶ permalink stays clickable (and shows on hover) but out of the tab order:
    # a keyboard reader would otherwise meet one extra stop before every heading.
    html = PERMALINK.sub(r'\1 tabindex="-1"', html)
    report = report_for(config)
    internal = not audience(settings(config)["version"]).redacts
    # Whether the page is restricted is the marker parser's decision (an empty 'restricted:',
    # MultiMarkdown meta-data and unreadable front matter included), not page.meta's.
    versions = report.plan.pages.get(page.file.src_uri) if report.plan is not None else None
    if internal and versions is not None and versions.markers.restricted:
        html = restricted_page_notice(versions.markers.page_reason) + html
    if not internal:
        html += footnote_html(html, Renderer(report.project, version="public").disclosure.threshold)
    return html


def on_page_context(context, page, config, nav):
    # The footer's facts (partials/footer.html): from the project's data, not the template.
    report = report_for(config)
    project = report.project.config if report.project is not None else None
    pages = {p.file.src_uri: p for p in nav.pages}
    footer = footer_for(
        getattr(project, "raw", None),
        config.get("extra"),
        set(pages),
        edition=getattr(project, "document_version", ""),
        organisation=getattr(project, "organisation", ""),
    )
    context["selfeval_footer"] = footer
    # When the page itself last changed (its last commit), for the footer; None for a
    # generated page or a project outside git, where the footer gives the build's date.
    context["selfeval_page_changed"] = page_changed(
        report, settings(config)["root"], page.file.src_uri, page.file.generated_by is None
    )
    context["selfeval_statement_url"] = pages[footer.statement].url if footer.statement else None
    return context
