#!/usr/bin/env python3
"""Make the committee PDFs of the built internal and public sites.

Usage: python scripts/pdf.py [--root DIR] [--out DIR] [--version internal|public|all]

Reads OUT/internal/ and OUT/public/ (run scripts/build.py first) and writes
OUT/pdf/self-evaluation-internal.pdf and OUT/pdf/self-evaluation-public.pdf. The public
PDF's text is scanned for restricted passages and suppressed values; on any problem it
prints one line each (file: what — how to fix), exits 1 and leaves the last good PDF as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import _paths  # noqa: F401
from selfeval.pdfbuild import VERSIONS, build_pdfs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(_paths.REPO), help="project folder (default: this repository)")
    parser.add_argument("--out", default=None, help="where the built sites are, and the PDFs go (default: ROOT/site)")
    parser.add_argument("--version", choices=[*VERSIONS, "all"], default="all")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    out = Path(args.out).resolve() if args.out else root / "site"
    versions = VERSIONS if args.version == "all" else (args.version,)
    result = build_pdfs(root, out, versions)
    for line in result.warnings:
        print(line, file=sys.stderr)
    for line in result.errors:
        print(line, file=sys.stderr)
    for path in result.written:
        print(f"pdf: written {os.path.relpath(path)}", file=sys.stderr)
    if not result.ok:
        print("pdf: stopped; every PDF not listed as written is as it was", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
