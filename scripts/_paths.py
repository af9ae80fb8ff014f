"""Lets the command-line entry points import the core from macros/."""
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "macros"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
