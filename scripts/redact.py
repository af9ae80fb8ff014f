#!/usr/bin/env python3
"""Write the public source and the redaction report for information-governance sign-off.

Usage: python scripts/redact.py [--root DIR] [--out DIR]

Writes OUT/content/ (every page as the public version reads it: restricted blocks and spans
replaced by [REDACTED] or removed, restricted pages left out), OUT/redaction-report.csv and
OUT/redaction-report.md (every redaction and suppression with page, line, kind and reason).
`make site` does the same redaction itself before building the public version.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import _paths  # noqa: F401
from selfeval.checks import check_project
from selfeval.redaction import REPORT_CSV, REPORT_PAGE, report_csv, report_page, write_public_source
from selfeval.report import print_problems


def write_new(path: Path, text: str) -> None:
    """Write ``path`` afresh: a symbolic link found there is replaced, never written through."""
    if path.is_symlink():
        path.unlink()
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(_paths.REPO), help="project folder (default: this repository)")
    parser.add_argument("--out", default=None, help="where to write (default: ROOT/site/redacted)")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    out = Path(args.out).resolve() if args.out else root / "site" / "redacted"
    report = check_project(root, lint=False)
    print_problems(report.problems)
    if not report.ok:
        print("redact: nothing written", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    write_public_source(root, report.plan, out)
    threshold = report.project.config.suppression_threshold
    write_new(out / REPORT_CSV, report_csv(report.plan.entries))
    write_new(out / REPORT_PAGE, report_page(report.plan.entries, threshold))
    print(
        f"redact: {len(report.plan.entries)} redaction(s) and suppression(s); public source in "
        f"{out / 'content'}, report in {out / REPORT_CSV}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
