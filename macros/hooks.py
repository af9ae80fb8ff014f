"""MkDocs hooks: check the project before a build and add the generated pages."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from mkdocs_adapter import report_for, settings  # noqa: E402
from selfeval.figures import Renderer  # noqa: E402
from selfeval.pages import FIGURES_PAGE, figures_page  # noqa: E402


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
    return files
