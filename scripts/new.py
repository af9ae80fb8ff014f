#!/usr/bin/env python3
"""``selfeval new``: another council's project, copied from the tool this repository holds; see selfeval.cli."""

import sys
from pathlib import Path

from selfeval.cli import main

if __name__ == "__main__":
    sys.exit(main(["new", *sys.argv[1:]], default_root=Path(__file__).resolve().parents[1]))
