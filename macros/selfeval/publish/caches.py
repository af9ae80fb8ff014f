"""Where the build keeps what it can reuse between runs (drawn charts, files found clean).

Everything lives under ``ROOT/.cache/`` (not committed). ``SELFEVAL_CACHE`` moves it
elsewhere, or, set to an empty value, turns every cache off: each build then draws every
chart and scans every file as if for the first time.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir(root: Path | str, name: str) -> Path | None:
    """The folder for the cache called ``name``; None when caching is turned off."""
    base = os.environ.get("SELFEVAL_CACHE")
    if base is None:
        return Path(root) / ".cache" / name
    return Path(base) / name if base else None


def write_entry(path: Path, text: str) -> None:
    """Write a cache entry so a reader (another build running at once) never sees half of it.

    A cache that cannot be written only costs time, so a failure is ignored.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:
        pass
