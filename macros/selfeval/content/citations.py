"""Finding the macro calls in ``content/``, with the line each sits on.

The scan reads the Markdown sources themselves, independent of any build, so ``make
check`` can say ``content/summary.md:12: unknown metric …`` before any HTML exists.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import jinja2
from jinja2 import nodes

from selfeval.content import frontmatter
from selfeval.disclosure.datatext import redacted
from selfeval.disclosure.markers import DEFAULT_REASONS, parse
from selfeval.problems import Problems, close_match
from selfeval.project.sourcefile import relpath
from selfeval.content.sourcetree import docs_dir_of, page_files, site_config
from selfeval.render.macros import MACROS, references, signatures


@dataclass
class Call:
    """One macro call in a page: its name, its literal arguments, and where it is."""

    macro: str
    args: dict
    path: str
    line: int

    def refs(self) -> list[tuple[str, str]]:
        """(kind, id) pairs this call cites."""
        out = []
        for param, kind in references(self.macro).items():
            value = self.args.get(param)
            values = value if isinstance(value, list) else [value]
            out.extend((kind, v) for v in values if isinstance(v, str))
        return out


@dataclass
class Page:
    """A content page: where it is, its front matter, and the macro calls in it."""

    path: str  # relative to the project root, e.g. content/summary.md
    src: str  # relative to content/, e.g. summary.md
    meta: dict
    text: str
    body_line: int  # file line on which the Markdown after front matter starts
    calls: list[Call] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The front matter's title, else the first heading of the public text, else the
        file name: a heading inside a restricted block or fenced code is never the title,
        and a restricted span in the heading is redacted, so the title is the same in both
        versions and safe to show in the public one."""
        if self.meta.get("title"):
            return str(self.meta["title"])
        if "_heading" not in self.__dict__:  # not a field: pages compare equal without it
            self.__dict__["_heading"] = _public_heading(self.text, self.body_line)
        heading = self.__dict__["_heading"]
        if heading:
            return heading
        return Path(self.src).stem.replace("-", " ").replace("_", " ").capitalize()


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _public_heading(text: str, body_line: int) -> str | None:
    """The first level-one heading outside restricted blocks and fenced code."""
    markers = parse(text, "title", DEFAULT_REASONS, Problems(), front_matter=False)
    hidden = [(b.line, b.end_line) for b in markers.blocks]
    lines = text.split("\n")
    fence = None
    for number in range(body_line, len(lines) + 1):
        line = lines[number - 1]
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end() :].strip():
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        if any(a <= number <= b for a, b in hidden):
            continue
        if line.startswith("# "):
            return redacted(line[2:], DEFAULT_REASONS).strip() or None
    return None


def _literal(node):
    """The Python value of a literal argument, or raise ValueError."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, (nodes.List, nodes.Tuple)):
        return [_literal(item) for item in node.items]
    raise ValueError


_BLOCK_TAG = re.compile(r"\{%[-+]?\s*(\w+)")
_BLOCKS = {"if", "for", "macro", "call", "filter", "with", "block", "raw", "autoescape", "trans"}


def _unclosed_block(text: str) -> tuple[str, int] | None:
    """(tag, line) of the innermost block tag (``{% if %}``, ``{% for %}``…) never closed.

    Jinja reports a missing ``{% endif %}`` at the end of the page; the mistake is at the
    ``if``. ``{% set x %}`` without ``=`` is a block too."""
    stack: list[tuple[str, int]] = []
    for m in _BLOCK_TAG.finditer(text):
        tag, line = m.group(1), text.count("\n", 0, m.start()) + 1
        if stack and stack[-1][0] == "raw" and tag != "endraw":
            continue
        if tag in _BLOCKS or (tag == "set" and "=" not in text[m.end() : text.find("%}", m.end())]):
            stack.append((tag, line))
        elif tag.startswith("end") and stack and stack[-1][0] == tag[3:]:
            stack.pop()
    return stack[-1] if stack else None


# Filters mkdocs-macros adds to Jinja's own.
MACRO_FILTERS = {"pretty", "relative_url"}

# What mkdocs-macros puts in every page's namespace besides the macros.
MACRO_NAMES = {
    "config",
    "page",
    "navigation",
    "files",
    "extra",
    "macros",
    "filters",
    "filters_builtin",
    "environment",
    "plugin",
    "git",
    "macros_info",
    "now",
    "fix_url",
    "context",
    "relative_url",
}

_JINJA = jinja2.Environment()
_KNOWN_FILTERS = set(_JINJA.filters) | MACRO_FILTERS

# A problem found in a text, with its line counted from the text's first: (line, what, fix).
Found = tuple[int, str, str]


class Parsed:
    """What Jinja makes of one text, wherever that text sits.

    Parsing a page, and working out which names it uses without defining them, is the slow
    part of finding its calls, and the same text is asked about again and again: the
    redaction report and the leak scan read each page's public text and each restricted
    passage, and the live preview checks the whole project after every save, when most
    pages have not changed. So each text is parsed once per process (see :func:`parsed`),
    and what is found is placed at each file and line that asks: every line here is counted
    from the text's own first line, and no path is kept.
    """

    def __init__(self, text: str, macros: tuple):
        self.problems: list[Found] = []  # a syntax error, unknown filters
        self.call_problems: list[Found] = []  # calls that cannot be checked
        self.calls: list[tuple[str, dict, int]] = []  # (macro, literal arguments, line)
        self._tree = None
        try:
            self._tree = _JINJA.parse(text)
        except jinja2.TemplateSyntaxError as exc:
            self.problems.append(_syntax_problem(text, exc))
            return
        for node in self._tree.find_all(nodes.Filter):
            if node.name not in _KNOWN_FILTERS:
                hint = close_match(node.name, _KNOWN_FILTERS)
                self.problems.append(
                    (
                        node.lineno,
                        f"unknown filter '{node.name}'",
                        f"{hint} correct it" if hint else f"remove '| {node.name}'",
                    )
                )
        self._find_calls(dict(macros))

    @property
    def ok(self) -> bool:
        """Whether the text parsed at all."""
        return self._tree is not None

    def _find_calls(self, macros: dict) -> None:
        for node in self._tree.find_all(nodes.Call):
            if isinstance(node.node, nodes.Name) and node.node.name in macros:
                args, problems = _call_arguments(node, node.node.name, macros[node.node.name])
                self.call_problems += [(node.lineno, what, fix) for what, fix in problems]
                if not problems:
                    self.calls.append((node.node.name, args, node.lineno))

    @cached_property
    def undeclared(self) -> dict[str, int]:
        """Each name the text uses without defining it, with the first line it is on."""
        if self._tree is None:
            return {}
        from jinja2 import meta

        every = list(self._tree.find_all(nodes.Name))
        try:
            names = meta.find_undeclared_variables(self._tree)
        except jinja2.TemplateError:  # an unknown filter (reported on its own) stops Jinja's own analysis
            names = {n.name for n in every if n.ctx == "load"} - {n.name for n in every if n.ctx != "load"}
        return {name: next((n.lineno for n in every if n.name == name), 0) for name in sorted(names)}

    def unknown_names(self, names) -> list[Found]:
        """A name nothing defines (``{{ residents_total }}``) fails the page's rendering;
        ``names`` are the variables the page may use besides the macros."""
        known = set(MACROS) | MACRO_NAMES | set(_JINJA.globals) | {str(n) for n in names}
        found = []
        for name, line in self.undeclared.items():
            if name in known:
                continue
            hint = close_match(name, known)
            found.append(
                (
                    line,
                    f"unknown name '{name}' in {{{{ … }}}}",
                    f"{hint} correct it"
                    if hint
                    else f'write a macro call such as {{{{ figure("id") }}}}; the macros are: {", ".join(MACROS)}',
                )
            )
        return found


def _call_arguments(node: nodes.Call, name: str, params: tuple) -> tuple[dict, list[tuple[str, str]]]:
    """A macro call's literal arguments by parameter, and (what, fix) for each reason it
    cannot be checked: too many arguments, an unknown one, one not written literally."""
    names = [p.name for p in params]
    args, problems = {}, []
    if len(node.args) > len(names):
        problems.append((f"{name}() takes at most {len(names)} argument(s)", f"write {name}({', '.join(names)})"))
    pairs = list(zip(names, node.args)) + [(kw.key, kw.value) for kw in node.kwargs]
    for param, value in pairs:
        if param not in names:
            problems.append((f"{name}() has no argument '{param}'", f"its arguments are: {', '.join(names)}"))
            continue
        try:
            args[param] = _literal(value)
        except ValueError:
            problems.append(
                (
                    f"{name}() argument '{param}' is not written literally",
                    'write it as text in quotes, e.g. "reviews_within_12m", so it can be checked',
                )
            )
    if node.dyn_args or node.dyn_kwargs:
        problems.append((f"{name}() uses *args or **kwargs", "write each argument out"))
    missing = next((p.name for p in params if p.required and p.name not in args), None)
    if not problems and missing is not None:
        problems.append((f"{name}() needs its '{missing}' argument", f'write {name}("...")'))
    return args, problems


def _syntax_problem(text: str, exc: jinja2.TemplateSyntaxError) -> Found:
    """The one line a text Jinja cannot parse gets: where a block opens and is never
    closed, else where Jinja stopped."""
    opened = _unclosed_block(text) if "end of template" in (exc.message or "") else None
    if opened is not None:
        tag, line = opened
        return line, f"'{{% {tag} %}}' is never closed", f"add '{{% end{tag} %}}' where the part it governs ends"
    return (
        exc.lineno or 0,
        f"macro syntax error: {exc.message}",
        "check the braces and quotes of the {{ ... }} call on this line",
    )


@lru_cache(maxsize=4096)
def _parse(text: str, macros: tuple) -> Parsed:
    return Parsed(text, macros)


def parsed(text: str) -> Parsed:
    """The text as Jinja parses it, parsed once per process for each text (and each set of
    registered macros, since which calls are macro calls depends on them)."""
    return _parse(text, signatures())


def calls_in(text: str, where: str, problems: Problems, line_offset: int = 0, names=None) -> list[Call]:
    """The macro calls in a page's text; ``names`` are the variables it may also use (its
    front matter's keys, mkdocs.yml's ``extra:``), or None not to check names at all.

    The problems found are added to ``problems`` at ``where``, each line moved down by
    ``line_offset`` (where the text starts in its file)."""
    result = parsed(text)
    found = list(result.problems)
    if result.ok:
        if names is not None:
            found += result.unknown_names(names)
        found += result.call_problems
    for line, what, fix in found:
        problems.add(where, line + line_offset, what, fix, code="macro-call")
    calls = [Call(name, copy.deepcopy(args), where, line + line_offset) for name, args, line in result.calls]
    return sorted(calls, key=lambda c: c.line)


def _keys(mapping) -> list[str]:
    return [str(k) for k in mapping] if isinstance(mapping, dict) else []


def read_page(path: Path, root: Path, docs_dir: Path, problems: Problems, extra=()) -> Page | None:
    """A page read as MkDocs reads it: UTF-8 without its byte-order mark, universal newlines."""
    where = relpath(path, root)
    try:
        text = frontmatter.read_text(path)
    except UnicodeDecodeError as exc:
        problems.add(where, 0, *frontmatter.not_utf8(exc), code="file-unreadable")
        return None
    except OSError as exc:
        problems.add(
            where, 0, f"cannot be read: {exc.strerror or exc}", "check the file exists and can be read", code="file-unreadable"
        )
        return None
    before = len(problems)
    read = frontmatter.read(text, where, problems)
    if read.error is not None:
        _front_matter_problem(problems, before, where, read.error)
    page = Page(path=where, src=relpath(path, docs_dir), meta=read.meta, text=text, body_line=read.body_line)
    page.calls = calls_in(text, where, problems, names=[*_keys(read.meta), *extra])
    return page


def _front_matter_problem(problems: Problems, before: int, where: str, error: tuple) -> None:
    """Front matter that cannot be read: one line, at the mistake, saying what it costs."""
    line, what, fix = error
    syntax = problems.items[before:]
    if syntax and syntax[0].path == where:
        first = syntax[0]
        del problems.items[before]
        what = f"front matter: {first.what}, so the page is treated as restricted until it is fixed"
        line, fix = first.line, first.fix
    problems.add(where, line, what, fix, code="yaml-syntax")


def content_pages(root: Path, problems: Problems, docs_dir: Path | None = None) -> list[Page]:
    """Every page MkDocs would render from the docs folder (``.md``, ``.markdown`` and the
    other Markdown names, excluded files and links out of the project left out), with its
    calls, in path order."""
    docs_dir = Path(docs_dir) if docs_dir is not None else docs_dir_of(Path(root))
    pages = []
    extra = _keys(site_config(Path(root)).get("extra"))
    for source in page_files(docs_dir, Path(root)):
        page = read_page(source.path, root, docs_dir, problems, extra)
        if page is not None:
            # Named as MkDocs names it, even when reached through a link inside the project.
            page.src = source.src
            page.path = f"{relpath(docs_dir, root)}/{source.src}"
            pages.append(page)
    return pages
