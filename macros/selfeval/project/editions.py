"""Editions: the published versions of the document, kept as git tags, and their dates.

A self-evaluation is rewritten every year or so and taken to committee each time. An
edition is a git tag (``edition-2025-02``); ``data/project.yaml`` names the edition being
built (``edition:``) and the one before (``previous_edition:``). From git this module reads
the editions there are, the date each page last changed, and the previous edition's
sources, which :mod:`selfeval.render.changes` compares with this one.

Git is read from the *history root*: the project's own folder, or the folder the
``SELFEVAL_HISTORY`` environment variable names. The non-interference check builds a copy
of the project without its ``.git``; pointing it at the original's history keeps the dates
and the comparison the same in both builds, as they must be.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TAG_PREFIX = "edition-"


@dataclass(frozen=True)
class Edition:
    tag: str
    date: dt.date | None
    name: str  # the document_version that edition's data/project.yaml gives, or the tag


def history_root(root: Path) -> Path:
    return Path(os.environ.get("SELFEVAL_HISTORY") or root)


def _git(root: Path, *args: str, binary: bool = False):
    """git's output in ``root``, or None when git or the repository is not there."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout if binary else done.stdout.decode("utf-8", errors="replace")


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _editions(root: str) -> tuple[Edition, ...]:
    out = _git(
        Path(root),
        "for-each-ref",
        "--sort=creatordate",
        "--format=%(refname:short)\t%(creatordate:short)",
        f"refs/tags/{TAG_PREFIX}*",
    )
    editions = []
    for line in (out or "").splitlines():
        tag, _, when = line.partition("\t")
        editions.append(Edition(tag, _date(when), _name_at(Path(root), tag) or tag))
    return tuple(editions)


def editions(root: Path) -> list[Edition]:
    """Every edition tagged in the project's history, oldest first."""
    return list(_editions(str(history_root(root).resolve())))


def _name_at(root: Path, tag: str) -> str:
    text = _git(root, "show", f"{tag}:data/project.yaml")
    try:
        data = yaml.safe_load(text or "") or {}
    except yaml.YAMLError:
        return ""
    return str(data.get("document_version") or "") if isinstance(data, dict) else ""


@lru_cache(maxsize=8)
def _last_changed(root: str) -> dict[str, dt.date]:
    """Each tracked file's last commit date, from one pass over the history."""
    out = _git(Path(root), "log", "--format=%x00%cs", "--name-only", "--no-renames", "HEAD")
    dates: dict[str, dt.date] = {}
    when = None
    for line in (out or "").splitlines():
        if line.startswith("\x00"):
            when = _date(line[1:])
        elif line and when and line not in dates:
            dates[line] = when
    return dates


@lru_cache(maxsize=8)
def _prefix(root: str) -> str:
    """Where the project sits inside its git repository ("" at the top), asked once per run."""
    return (_git(Path(root), "rev-parse", "--show-prefix") or "").strip()


def last_changed(root: Path, path: str) -> dt.date | None:
    """The date of the last commit that changed ``path`` (relative to the project root)."""
    history = str(history_root(root).resolve())
    return _last_changed(history).get(f"{_prefix(history)}{path}")


def available(root: Path, tag: str) -> bool:
    return _git(history_root(root), "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}") is not None


def fetch_hint(tag: str) -> str:
    return f"git fetch --no-tags origin tag {tag} (a shallow clone, as CI makes, has no tags)"


@lru_cache(maxsize=4)
def _sources_at(root: str, tag: str) -> str | None:
    """The project as it was at ``tag``, extracted into a temporary folder (kept for the run)."""
    history, prefix = Path(root), _prefix(root)
    data = _git(history, "archive", "--format=tar", f"{tag}:{prefix}" if prefix else tag, binary=True)
    if data is None:
        return None
    folder = tempfile.mkdtemp(prefix=f"selfeval-{tag}-")
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(folder, filter="data")
    return folder


def sources_at(root: Path, tag: str) -> Path | None:
    """The previous edition's sources, or None when the tag is not in this clone."""
    folder = _sources_at(str(history_root(root).resolve()), tag)
    return Path(folder) if folder else None


def check_editions(root: Path, config, problems) -> None:
    """A previous edition that this clone cannot read is a warning with the command to fetch it."""
    raw = getattr(config, "raw", None) or {}
    previous = raw.get("previous_edition") if hasattr(raw, "get") else None
    if not previous:
        return
    line = config.line_of("previous_edition") if hasattr(config, "line_of") else 0
    if _git(history_root(root), "rev-parse", "--git-dir") is None:
        problems.add(
            config.path,
            line,
            f"previous edition '{previous}' cannot be read: the project is not in a git repository",
            "keep the project in git and tag each published edition, or remove previous_edition",
            "warning",
            code="edition-unreadable",
        )
    elif not available(root, str(previous)):
        problems.add(
            config.path,
            line,
            f"previous edition '{previous}' is not a tag in this clone, so the changes page cannot compare with it",
            f"run {fetch_hint(str(previous))}, or correct the tag name (git tag --list 'edition-*')",
            "warning",
            code="edition-unreadable",
        )
