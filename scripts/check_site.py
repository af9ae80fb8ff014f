#!/usr/bin/env python3
"""Check built sites: internal links, no public link into a restricted page, well-formed HTML.

Usage: python scripts/check_site.py [--out DIR]
Reads DIR/internal and DIR/public (default: the repository's site/), prints one line per
problem (file:line: what — how to fix) and exits 1 on any.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import _paths  # noqa: F401
from selfeval.report import print_problems
from selfeval.sitecheck import check_sites, html_files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(_paths.REPO / "site"), help="folder holding internal/ and public/ (default: site/)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    problems = check_sites(out)
    print_problems(problems)
    if problems.errors:
        return 1
    counts = ", ".join(f"{len(html_files(out / v))} {v}" for v in ("internal", "public"))
    print(f"check_site: {counts} page(s) — links and markup sound", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
