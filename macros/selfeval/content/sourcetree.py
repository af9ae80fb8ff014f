"""What is under ``content/``, seen the way MkDocs sees it: pages, other files, links.

The public version is built from an allowlist, so the tool must agree with MkDocs on
which files are pages. MkDocs renders every file whose name ends in ``.md``,
``.markdown``, ``.mdown``, ``.mkdn`` or ``.mkd`` (exactly so: ``.MD`` is copied as a raw
file, front matter and all), leaves out dot-files, dot-folders, ``templates/`` and
whatever ``exclude_docs`` names, and follows symbolic links. Every page MkDocs would
render is read here as a page, so it is redacted like any other; a file whose name only
looks like a page in capitals is an error, since MkDocs would publish it unredacted.

A symbolic link under ``content/`` or ``data/`` that points outside the project is an
error: its target is not part of the project, and writing a redacted copy through it
would change a file elsewhere. Links that stay inside the project are followed, as
MkDocs follows them, and never copied as links.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from selfeval.problems import Problems
from selfeval.project.sourcefile import Node, _Loader, parse_yaml

MARKDOWN_EXTENSIONS = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
DEFAULT_EXCLUDE = [".*", "/templates/"]
CHECKED_FOLDERS = ("data",)  # and the docs folder, wherever mkdocs.yml puts it
CHECKED_FILES = ("mkdocs.yml", "evidence_register.yaml")


def is_page(src: str) -> bool:
    """True for a file MkDocs renders as a page (its test is case-sensitive)."""
    return src.endswith(MARKDOWN_EXTENSIONS)


def looks_like_page(src: str) -> bool:
    """A Markdown name in the wrong case: MkDocs would copy it raw instead of rendering it."""
    return not is_page(src) and src.lower().endswith(MARKDOWN_EXTENSIONS)


# -- where MkDocs writes a page and serves it -------------------------------------------------
def built_path(src: str, use_directory_urls: bool = True) -> str:
    """The file MkDocs writes a page to, relative to the site: ``a/b.md`` -> ``a/b/index.html``
    (``a/b.html`` without directory URLs); ``a/index.md`` and ``a/README.md`` -> ``a/index.html``."""
    parent, name = posixpath.split(src)
    stem = posixpath.splitext(name)[0]
    if stem in ("index", "README"):
        return posixpath.join(parent, "index.html")
    if use_directory_urls:
        return posixpath.join(parent, stem, "index.html")
    return posixpath.join(parent, stem + ".html")


def served_url(built: str) -> str:
    """The URL (relative to the site root) a built file is served at: ``a/index.html`` -> ``a/``,
    ``index.html`` -> ``''``, any other file at its own path."""
    if built == "index.html":
        return ""
    if built.endswith("/index.html"):
        return built[: -len("index.html")]
    return built


def page_url(src: str, use_directory_urls: bool = True) -> str:
    """The URL (relative to the site root) MkDocs serves a page at: ``a/b.md`` -> ``a/b/``."""
    return served_url(built_path(src, use_directory_urls))


# -- the project's mkdocs.yml ----------------------------------------------------------------
MKDOCS_YML = "mkdocs.yml"


class _ConfigLoader(_Loader):
    """The YAML reader that keeps lines, reading MkDocs' own tags (``!ENV``, ``!relative``,
    ``!!python/name:…``) as nothing: the core needs none of their values."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_site_config(path: Path, problems: Problems | None = None) -> Node | None:
    """The site configuration in ``path`` (a project's mkdocs.yml), with the line of every key
    and item; None when it is missing or cannot be read. Why it cannot be read goes to
    ``problems`` when given, at its line.

    This is the one reader of mkdocs.yml outside the MkDocs adapter (which hands MkDocs
    the file with its tags intact)."""
    problems = problems if problems is not None else Problems()
    path = Path(path)
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(
            MKDOCS_YML, 0, f"cannot be read: {exc}", "check the file exists and is saved as UTF-8", code="file-unreadable"
        )
        return None
    data = parse_yaml(text, MKDOCS_YML, problems, loader_class=_ConfigLoader)
    if data is None or not isinstance(data, Node):
        if data is not None or not text.strip():
            problems.add(
                MKDOCS_YML,
                1,
                "mkdocs.yml must be 'key: value' settings",
                "start it with 'site_name: ...' and a 'nav:' list",
                code="site-config",
            )
        return None
    return data


def site_config(root: Path) -> dict:
    """The project's mkdocs.yml as data with lines ({} when missing or unreadable)."""
    return read_site_config(Path(root) / MKDOCS_YML) or {}


def docs_dir_of(root: Path, config: dict | None = None) -> Path:
    """The chapters' folder: ``docs_dir`` in mkdocs.yml (``config``, read from ROOT when not
    given), ``content/`` when it names none."""
    config = site_config(root) if config is None else config
    return Path(root) / str(config.get("docs_dir") or "content")


def use_directory_urls(config: dict) -> bool:
    return config.get("use_directory_urls", True) is not False


def _exclusion(config: dict):
    import pathspec

    lines = list(DEFAULT_EXCLUDE)
    extra = config.get("exclude_docs")
    if isinstance(extra, str):
        lines += extra.splitlines()
    return pathspec.gitignore.GitIgnoreSpec.from_lines(lines)


# -- walking a folder ------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceFile:
    """A file as MkDocs would list it: ``src`` relative to the docs folder, and where to read it."""

    src: str
    path: Path  # docs_dir / src, as the author sees it (possibly through a link)
    real: Path  # the file itself, links resolved


@dataclass(frozen=True)
class Link:
    """A symbolic link found under a folder, with what it points to."""

    path: Path
    target: Path
    inside: bool
    exists: bool
    is_dir: bool


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _link(path: Path, root: Path) -> Link:
    target = Path(os.path.realpath(path))
    return Link(path, target, _inside(target, root), target.exists(), target.is_dir())


def walk(folder: Path, root: Path):
    """Every file under ``folder`` as (path relative to ``folder``, path, real path), sorted,
    following links that stay inside ``root`` (as MkDocs does, but never round a loop) and
    none that leave it."""
    folder, real_root = Path(folder), Path(os.path.realpath(root))

    def visit(directory: Path, rel: str, ancestors: frozenset):
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = Path(entry.path)
            sub = posixpath.join(rel, entry.name) if rel else entry.name
            if entry.is_symlink():
                link = _link(path, real_root)
                if not link.inside or not link.exists:
                    continue
                if link.is_dir:
                    if str(link.target) not in ancestors:
                        yield from visit(path, sub, ancestors | {str(link.target)})
                    continue
                yield sub, path, link.target
            elif entry.is_dir(follow_symlinks=False):
                real = os.path.realpath(path)
                if real not in ancestors:
                    yield from visit(path, sub, ancestors | {real})
            elif entry.is_file(follow_symlinks=False):
                yield sub, path, Path(os.path.realpath(path))

    if folder.is_dir():
        yield from visit(folder, "", frozenset({os.path.realpath(folder)}))


def source_files(docs_dir: Path, root: Path, config: dict | None = None) -> list[SourceFile]:
    """Every file MkDocs would take from ``docs_dir``: excluded ones and links out left out."""
    exclude = _exclusion(config if config is not None else site_config(root))
    return [SourceFile(src, path, real) for src, path, real in walk(docs_dir, root) if not exclude.match_file(src)]


def page_files(docs_dir: Path, root: Path, config: dict | None = None) -> list[SourceFile]:
    """The files MkDocs would render as pages."""
    return [f for f in source_files(docs_dir, root, config) if is_page(f.src)]


# -- the checks ------------------------------------------------------------------------------
def _shown(path: Path, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def links_out(root: Path):
    """Every symbolic link under the docs folder and data/ (and the top-level sources) that
    points outside the project or to nothing, with the way it was found."""
    root = Path(root)
    real_root = Path(os.path.realpath(root))
    candidates = [root / name for name in CHECKED_FILES]
    for top in (docs_dir_of(root), *(root / folder for folder in CHECKED_FOLDERS)):
        if top.is_symlink():
            candidates.append(top)
            continue
        for directory, dirnames, filenames in os.walk(top):
            for name in sorted(dirnames + filenames):
                candidates.append(Path(directory) / name)
    for path in candidates:
        if path.is_symlink():
            link = _link(path, real_root)
            if not link.inside or not link.exists:
                yield link


def symlink_problems(root: Path, problems: Problems) -> None:
    """Report each symbolic link that leaves the project (or points to nothing)."""
    root = Path(root)
    for link in links_out(root):
        where = _shown(link.path, root)
        target = os.readlink(link.path)
        kind = "folder" if link.is_dir else "file"
        if not link.inside:
            problems.add(
                where,
                0,
                f"is a symbolic link to {target} outside the project",
                f"replace it with a copy of the {kind}",
                code="page-name",
            )
        else:
            problems.add(
                where,
                0,
                f"is a symbolic link to {target}, which does not exist",
                "remove the link, or replace it with the file it should point to",
                code="page-name",
            )


def miscased_pages(docs_dir: Path, root: Path, problems: Problems, config: dict | None = None) -> None:
    """Report files MkDocs would publish raw although their names say Markdown."""
    for f in source_files(docs_dir, root, config):
        if looks_like_page(f.src):
            stem, ext = posixpath.splitext(f.path.name)
            problems.add(
                _shown(f.path, Path(root)),
                0,
                f"'{f.path.name}' is not read as a page: MkDocs renders only lower-case Markdown "
                f"names and would publish this file unredacted, as it is",
                f"rename it to {stem}{ext.lower()}",
                code="page-name",
            )
