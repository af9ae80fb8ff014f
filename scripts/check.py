#!/usr/bin/env python3
"""Validate a project's sources without building HTML: data, register, pages, figures.

Usage: python scripts/check.py [--root DIR] [--strict]
Prints one line per problem (path:line: what — how to fix) and exits 1 on any error.
"""

from __future__ import annotations

import argparse
import sys

import _paths  # noqa: F401
from selfeval.checks import check_project
from selfeval.report import print_problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(_paths.REPO), help="project folder (default: this repository)")
    parser.add_argument("--strict", action="store_true", help="treat warnings (such as stale figures) as errors")
    args = parser.parse_args(argv)
    report = check_project(args.root, strict=args.strict)
    print_problems(report.problems)
    if not report.ok:
        return 1
    print(
        f"check: {len(report.pages)} page(s), {len(report.project.metrics)} metric(s), "
        f"{len(report.project.tables)} table(s) — no errors",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
