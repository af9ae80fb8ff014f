"""Where the build keeps what it can reuse between runs (drawn charts, files found clean).

Everything lives under ``ROOT/.cache/`` (not committed). ``SELFEVAL_CACHE`` moves it
elsewhere, or, set to an empty value, turns every cache off: each build then draws every
chart and scans every file as if for the first time.
"""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir(root: Path | str, name: str) -> Path | None:
    """The folder for the cache called ``name``; None when caching is turned off."""
    base = os.environ.get("SELFEVAL_CACHE")
    if base is None:
        return Path(root) / ".cache" / name
    return Path(base) / name if base else None
