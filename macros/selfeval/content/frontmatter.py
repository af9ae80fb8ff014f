"""A page's front matter, read exactly as MkDocs reads it.

MkDocs decodes a page as ``utf-8-sig`` (a byte-order mark is dropped), reads it with
universal newlines, and takes its meta-data with ``mkdocs.utils.meta.get_data``: YAML
between ``---`` lines at the very top, or, when there is none, MultiMarkdown ``Key: value``
lines at the top up to the first blank line (keys lower-cased, values kept as text). Whether
a page is restricted is decided from that meta-data, so this reader follows the same rules:
a page MkDocs would see as restricted must be restricted here.

Where MkDocs would quietly fall back (YAML that cannot be read, or that is not a mapping, is
printed as part of the page), :func:`read` reports an error instead, and the markers treat
the page as restricted until it is fixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.problems import Problems
from selfeval.project.sourcefile import parse_yaml

BOM = "\ufeff"
YAML_RE = re.compile(r"-{3}[ \t]*\r?\n(.*?\r?\n)(?:\.{3}|-{3})[ \t]*\r?\n", re.S)
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")


class Meta(dict):
    """MultiMarkdown meta-data, with the line of each key (counted from the first line of the file)."""

    def __init__(self):
        super().__init__()
        self.key_lines: dict = {}
        self.repeated: set = set()  # keys given more than once (MkDocs joins their values)

    def key_line(self, key) -> int:
        return self.key_lines.get(key, 1) - 1  # as YAML's, one line below the front matter's start


@dataclass
class FrontMatter:
    meta: dict = field(default_factory=dict)
    body: int = 0  # offset in the text where the Markdown after the front matter starts
    body_line: int = 1  # the line of that offset
    style: str = ""  # "yaml", "multimarkdown" or "" (none)
    error: tuple | None = None  # (line, what, fix) when the front matter cannot be read
    yaml: str = ""  # the YAML text, for callers that report its problems themselves


def read(text: str, where: str = "", problems: Problems | None = None) -> FrontMatter:
    """The front matter of a page's text (as read from disk, or already decoded).

    Problems in the YAML (syntax, duplicate keys) go to ``problems`` when given.
    """
    skip = 1 if text.startswith(BOM) else 0
    m = YAML_RE.match(text, skip)
    if m:
        body = m.end()
        out = FrontMatter(body=body, body_line=text.count("\n", 0, body) + 1, style="yaml", yaml=m.group(1))
        sink = problems if problems is not None else Problems()
        before = len(sink)
        data = parse_yaml(m.group(1).replace("\r\n", "\n"), where, sink, line_offset=1)
        if isinstance(data, dict):
            out.meta = data
        else:
            what = (
                "front matter cannot be read as YAML"
                if data is None and m.group(1).strip()
                else "front matter must be 'key: value' lines"
            )
            line = next((p.line for p in list(sink)[before:]), 2) if data is None else 2
            out.error = (
                line,
                f"{what}, so the page is treated as restricted",
                "fix the lines between the two '---' (e.g. 'title: Summary'), or remove them",
            )
        return out
    return _multimarkdown(text, skip)


def _multimarkdown(text: str, skip: int) -> FrontMatter:
    """``Key: value`` lines at the top of a page, as ``mkdocs.utils.meta.get_data`` takes them."""
    meta, key = Meta(), None
    offset, number = skip, 1
    lines = text[skip:].split("\n")
    consumed = 0
    for line in lines:
        bare = line.rstrip("\r")
        if bare.strip() == "":
            consumed += 1  # the blank line that ends the meta-data goes with it
            break
        m1 = META_RE.match(bare)
        m2 = META_MORE_RE.match(bare)
        if m1:
            key = m1.group("key").lower().strip()
            value = m1.group("value").strip()
            if key in meta:
                meta[key] += f" {value}"
                meta.repeated.add(key)
            else:
                meta[key] = value
                meta.key_lines[key] = number
        elif m2 and key:
            meta[key] += " {}".format(m2.group("value").strip())
        else:
            break
        consumed += 1
        number += 1
    if not meta:
        return FrontMatter(body=skip)
    for line in lines[:consumed]:
        offset += len(line) + 1
    offset = min(offset, len(text))
    return FrontMatter(meta=meta, body=offset, body_line=text.count("\n", 0, offset) + 1, style="multimarkdown")


def decode(data: bytes) -> str:
    """A page's bytes as MkDocs reads them: UTF-8 with any byte-order mark dropped, universal newlines.

    Raises UnicodeDecodeError, as MkDocs would fail on the same file.
    """
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> str:
    """The text of a page file as MkDocs reads it (see :func:`decode`)."""
    return decode(Path(path).read_bytes())


def not_utf8(exc: UnicodeDecodeError) -> tuple[str, str]:
    """(what, fix) for a page that is not UTF-8 text."""
    return (
        f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}), so MkDocs cannot read it",
        "save it as UTF-8 (in Notepad: File, Save as, Encoding: UTF-8; in VS Code: Reopen with Encoding, "
        "then Save with Encoding, UTF-8)",
    )
