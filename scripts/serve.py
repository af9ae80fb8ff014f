#!/usr/bin/env python3
"""Live preview of the internal version, rebuilt when content/ or data/ changes.

Usage: python scripts/serve.py [--root DIR] [--addr 127.0.0.1:8000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import _paths  # noqa: F401
from mkdocs_build import derived_config, write_config


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(_paths.REPO), help="project folder (default: this repository)")
    parser.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    work = Path(tempfile.mkdtemp(prefix="selfeval-serve-"))
    cfg = derived_config(root, root / "content", work / "site", "internal", prechecked=False)
    cfg["dev_addr"] = args.addr
    config_file = write_config(cfg, work / "mkdocs.yml")
    from mkdocs.commands.serve import serve
    print(f"Previewing the internal version at http://{args.addr}/ — press Ctrl+C to stop", file=sys.stderr)
    serve(config_file=str(config_file), livereload=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
