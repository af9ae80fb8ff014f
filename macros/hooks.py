"""MkDocs hooks: check the project before a build and add the generated pages."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from mkdocs_adapter import relative_url, report_for, settings  # noqa: E402
from selfeval.figures import Renderer  # noqa: E402
from selfeval.pages import FIGURES_PAGE, figures_page  # noqa: E402
from selfeval.register_pages import register_pages  # noqa: E402
from selfeval.register_render import RegisterRenderer, page_url  # noqa: E402


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
    files.append(File.generated(config, FIGURES_PAGE, content=figures_page(report, renderer)))
    version = settings(config)["version"]
    # Generated pages sit at the site root, so one renderer serves them all.
    at_root = RegisterRenderer(report.project, version=version,
                               href=lambda target: relative_url(page_url("page.md"), target))
    for name, content in register_pages(report, at_root).items():
        files.append(File.generated(config, name, content=content))
    return files
