"""Which files a page, a stylesheet or the site configuration refers to.

The public version carries a file from ``content/`` only when something public refers to
it, so this module finds every reference a reader's browser could follow: Markdown links
and images (inline, reference definitions), raw HTML (``src``, ``href``, ``srcset``,
``poster``, ``data``, ``url(...)`` in a ``style``), a stylesheet's ``url(...)`` and
``@import``, and any path named in ``mkdocs.yml`` (``extra_css``, ``extra_javascript``,
``theme.logo``, ``theme.favicon``, nav links…). Code (fenced blocks and inline code) is
shown, not followed, so references in it do not count.

A reference is resolved every way it could be read: MkDocs rewrites Markdown links
relative to the page's source file, a browser reads raw HTML relative to the page's URL
(``a/b.md`` is served at ``a/b/``), and a folder URL (``casework/``) or ``.html`` name is
served by ``casework.md``, ``casework/index.md`` or ``casework/README.md``. Finding too
much only ever keeps a file in; finding too little only ever leaves one out.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from selfeval.content.sourcetree import MARKDOWN_EXTENSIONS, page_url


@dataclass(frozen=True)
class Reference:
    """One reference in a file: the line it is on, what it says, and how it is read."""

    line: int
    target: str
    kind: str  # "markdown" (rewritten by MkDocs), "html" (read by the browser), "css", "config"


# -- finding references ----------------------------------------------------------------------
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")
_DEFINITION = re.compile(r"^[ \t>]*\[(?!\^)[^\]\n]+\]:[ \t]*(?:<([^>\n]*)>|(\S+))", re.M)
_ATTRIBUTE = re.compile(r"(?<![\w-])(src|href|poster|data|srcset)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))", re.I)
_CSS_URL = re.compile(r"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)\s]*))\s*\)", re.I)
_IMPORT = re.compile(r"@import\s+(?:\"([^\"]*)\"|'([^']*)')", re.I)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + "".join(c if c == "\n" else " " for c in text[start:end]) + text[end:]


def without_code(text: str) -> str:
    """``text`` with fenced code blocks and inline code blanked out, lines kept in place."""
    lines = text.split("\n")
    fence = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None:
            if m and not (m.group(1)[0] == "`" and "`" in line[m.end() :]):
                fence = m.group(1)
                lines[i] = ""
        else:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end() :].strip():
                fence = None
            lines[i] = ""
    text = "\n".join(lines)
    pos = 0
    while True:
        opening = _TICKS.search(text, pos)
        if not opening:
            return text
        n = len(opening.group(0))
        closing = opening
        while True:
            closing = _TICKS.search(text, closing.end())
            if closing is None or len(closing.group(0)) == n:
                break
        if closing is None:
            pos = opening.end()
            continue
        text = _blank(text, opening.start(), closing.end())
        pos = closing.end()


def _destination(text: str, start: int) -> str | None:
    """The link destination that starts at ``start`` (just after ``](``)."""
    i = start
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i < len(text) and text[i] == "<":
        end = text.find(">", i)
        return text[i + 1 : end] if end > 0 else None
    depth, j = 0, i
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c in " \t\n":
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    return text[i:j] or None


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def markdown_references(text: str) -> list[Reference]:
    """Every reference in a page's text (Markdown and raw HTML), code left out."""
    text = without_code(text)
    found = []
    for m in re.finditer(r"\]\(", text):
        target = _destination(text, m.end())
        if target:
            found.append(Reference(_line(text, m.start()), target, "markdown"))
    for m in _DEFINITION.finditer(text):
        found.append(Reference(_line(text, m.start()), m.group(1) or m.group(2), "markdown"))
    for m in _ATTRIBUTE.finditer(text):
        value = html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        line = _line(text, m.start())
        if m.group(1).lower() == "srcset":
            found += [Reference(line, part.split()[0], "html") for part in value.split(",") if part.split()]
        else:
            found.append(Reference(line, value, "html"))
    for m in _CSS_URL.finditer(text):
        found.append(Reference(_line(text, m.start()), html.unescape(m.group(1) or m.group(2) or m.group(3) or ""), "html"))
    return sorted((r for r in found if r.target), key=lambda r: r.line)


def css_references(text: str) -> list[Reference]:
    """Every file a stylesheet loads: ``url(...)`` and ``@import``."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    found = [
        Reference(_line(text, m.start()), m.group(1) or m.group(2) or m.group(3) or "", "css") for m in _CSS_URL.finditer(text)
    ]
    found += [Reference(_line(text, m.start()), m.group(1) or m.group(2), "css") for m in _IMPORT.finditer(text)]
    return sorted((r for r in found if r.target), key=lambda r: r.line)


def config_references(config) -> list[Reference]:
    """Every string in mkdocs.yml that could name a file (extra_css, theme.logo, nav…)."""
    found = []

    def visit(value, line):
        line = getattr(value, "line", line)
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, value.key_line(key) if hasattr(value, "key_line") else line)
        elif isinstance(value, list):
            for item in value:
                visit(item, line)
        elif isinstance(value, str) and value and "\n" not in value:
            found.append(Reference(line, value, "config"))

    visit(config, 0)
    return found


# -- resolving them --------------------------------------------------------------------------
def _path_of(target: str) -> str | None:
    """The local path a reference names (URL-decoded, without #fragment or ?query), or None
    for an external link, an e-mail address, a data: URL or a link within the page."""
    target = target.strip()
    if target.startswith("\\"):
        target = "/" + target[1:]
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return unquote(parts.path).replace("\\", "/")


def _join(base_dir: str, path: str) -> str | None:
    joined = posixpath.normpath(posixpath.join(base_dir, path).lstrip("/"))
    return None if joined == ".." or joined.startswith("../") else ("" if joined == "." else joined)


def resolutions(ref: Reference, src: str, directory_urls: bool = True) -> list[str]:
    """The paths (relative to the docs folder) that ``ref`` in file ``src`` can mean."""
    path = _path_of(ref.target)
    if path is None:
        return []
    url = page_url(src, directory_urls)
    served_in = url[:-1] if url.endswith("/") else posixpath.dirname(url)  # the browser's base
    bases = {"config": [""], "css": [posixpath.dirname(src)], "markdown": [posixpath.dirname(src), served_in]}.get(
        ref.kind, [served_in, posixpath.dirname(src)]
    )
    out = []
    for base in bases:
        joined = _join(base, path)
        if joined is not None and joined not in out:
            out.append(joined)
    return out


def page_candidates(path: str, directory_urls: bool = True) -> list[str]:
    """The page sources that could be served at ``path``: itself, ``path.md``,
    ``path/index.md``, ``path/README.md`` (any Markdown extension), and for ``x.html``
    the page ``x.md``."""
    out = [path]
    stem = path.rstrip("/")
    if stem.endswith(".html") or stem.endswith(".htm"):
        stem = stem.rsplit(".", 1)[0]
        if posixpath.basename(stem) == "index":
            stem = posixpath.dirname(stem)
            out += [posixpath.join(stem, "index" + ext) for ext in MARKDOWN_EXTENSIONS]
            out += [posixpath.join(stem, "README" + ext) for ext in MARKDOWN_EXTENSIONS]
        out += [stem + ext for ext in MARKDOWN_EXTENSIONS]
    elif not posixpath.splitext(stem)[1] or path.endswith("/"):
        for name in ("index", "README"):
            out += [posixpath.join(stem, name + ext) for ext in MARKDOWN_EXTENSIONS]
        if stem:
            out += [stem + ext for ext in MARKDOWN_EXTENSIONS]
    return [posixpath.normpath(p) if p else p for p in out]
