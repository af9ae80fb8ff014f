"""The repository the command-line entry points belong to (their default --root).

The core (macros/) is installed into .venv by the Makefile (pip install -e .), so it is
imported like any package."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
