"""Finding the macro calls in ``content/``, with the line each sits on.

The scan reads the Markdown sources themselves, independent of any build, so ``make
check`` can say ``content/summary.md:12: unknown metric …`` before any HTML exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import nodes

from selfeval.content import frontmatter
from selfeval.disclosure.datatext import redacted
from selfeval.disclosure.markers import DEFAULT_REASONS, parse
from selfeval.problems import Problems, close_match
from selfeval.project.sourcefile import relpath
from selfeval.content.sourcetree import page_files, site_config

# Each macro an author may call, with its parameters in order. Modules that add
# macros (evidence, charts…) register their signatures here too.
SIGNATURES: dict[str, list[str]] = {
    "figure": ["id", "period", "show"],
    "change": ["id", "period"],
    "kpi_tiles": ["ids"],
    "data_table": ["id", "caption"],
    "literal": ["text"],
    "cite": ["id"],
    "areas_for_development": ["year"],
    "progress_table": ["year"],
    "action_status": ["id"],
    "chart": ["id"],
}

# What each parameter refers to, for resolving citations: parameter -> kind.
REFERENCES: dict[str, dict[str, str]] = {
    "figure": {"id": "metric"},
    "change": {"id": "metric"},
    "kpi_tiles": {"ids": "metric"},
    "data_table": {"id": "table"},
    "cite": {"id": "evidence"},
    "areas_for_development": {"year": "year"},
    "progress_table": {"year": "year"},
    "action_status": {"id": "action"},
    "chart": {"id": "chart"},
}


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
        for param, kind in REFERENCES.get(self.macro, {}).items():
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


def _unknown_filters(env: jinja2.Environment, tree, where: str, problems: Problems, line_offset: int) -> None:
    """A filter Jinja does not have (``{{ x | nosuchfilter }}``) fails the page's rendering."""
    known = set(env.filters) | MACRO_FILTERS
    for node in tree.find_all(nodes.Filter):
        if node.name not in known:
            hint = close_match(node.name, known)
            problems.add(
                where,
                node.lineno + line_offset,
                f"unknown filter '{node.name}'",
                f"{hint} correct it" if hint else f"remove '| {node.name}'",
            )


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


def _unknown_names(env: jinja2.Environment, tree, where: str, problems: Problems, line_offset: int, names) -> None:
    """A name nothing defines (``{{ residents_total }}``) fails the page's rendering."""
    if names is None:
        return
    from jinja2 import meta

    known = set(SIGNATURES) | MACRO_NAMES | set(env.globals) | {str(n) for n in names}
    try:
        undeclared = meta.find_undeclared_variables(tree)
    except jinja2.TemplateError:  # an unknown filter (reported on its own) stops Jinja's own analysis
        every = list(tree.find_all(nodes.Name))
        undeclared = {n.name for n in every if n.ctx == "load"} - {n.name for n in every if n.ctx != "load"}
    for name in sorted(undeclared - known):
        line = next((n.lineno for n in tree.find_all(nodes.Name) if n.name == name), 0)
        hint = close_match(name, known)
        problems.add(
            where,
            line + line_offset,
            f"unknown name '{name}' in {{{{ … }}}}",
            f"{hint} correct it"
            if hint
            else f'write a macro call such as {{{{ figure("id") }}}}; the macros are: {", ".join(SIGNATURES)}',
        )


def calls_in(text: str, where: str, problems: Problems, line_offset: int = 0, names=None) -> list[Call]:
    """The macro calls in a page's text; ``names`` are the variables it may also use (its
    front matter's keys, mkdocs.yml's ``extra:``), or None not to check names at all."""
    env = jinja2.Environment()
    try:
        tree = env.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        opened = _unclosed_block(text) if "end of template" in (exc.message or "") else None
        if opened is not None:
            tag, line = opened
            problems.add(
                where,
                line + line_offset,
                f"'{{% {tag} %}}' is never closed",
                f"add '{{% end{tag} %}}' where the part it governs ends",
            )
            return []
        problems.add(
            where,
            (exc.lineno or 0) + line_offset,
            f"macro syntax error: {exc.message}",
            "check the braces and quotes of the {{ ... }} call on this line",
        )
        return []
    _unknown_filters(env, tree, where, problems, line_offset)
    _unknown_names(env, tree, where, problems, line_offset, names)
    found = []
    for node in tree.find_all(nodes.Call):
        if not isinstance(node.node, nodes.Name) or node.node.name not in SIGNATURES:
            continue
        name = node.node.name
        params = SIGNATURES[name]
        line = node.lineno + line_offset
        args, ok = {}, True
        if len(node.args) > len(params):
            problems.add(where, line, f"{name}() takes at most {len(params)} argument(s)", f"write {name}({', '.join(params)})")
            ok = False
        pairs = list(zip(params, node.args)) + [(kw.key, kw.value) for kw in node.kwargs]
        for param, value in pairs:
            if param not in params:
                problems.add(where, line, f"{name}() has no argument '{param}'", f"its arguments are: {', '.join(params)}")
                ok = False
                continue
            try:
                args[param] = _literal(value)
            except ValueError:
                problems.add(
                    where,
                    line,
                    f"{name}() argument '{param}' is not written literally",
                    'write it as text in quotes, e.g. "reviews_within_12m", so it can be checked',
                )
                ok = False
        if node.dyn_args or node.dyn_kwargs:
            problems.add(where, line, f"{name}() uses *args or **kwargs", "write each argument out")
            ok = False
        if ok and params[0] not in args:
            problems.add(where, line, f"{name}() needs its '{params[0]}' argument", f'write {name}("...")')
            ok = False
        if ok:
            found.append(Call(name, args, where, line))
    return sorted(found, key=lambda c: c.line)


def _keys(mapping) -> list[str]:
    return [str(k) for k in mapping] if isinstance(mapping, dict) else []


def read_page(path: Path, root: Path, docs_dir: Path, problems: Problems, extra=()) -> Page | None:
    """A page read as MkDocs reads it: UTF-8 without its byte-order mark, universal newlines."""
    where = relpath(path, root)
    try:
        text = frontmatter.read_text(path)
    except UnicodeDecodeError as exc:
        problems.add(where, 0, *frontmatter.not_utf8(exc))
        return None
    except OSError as exc:
        problems.add(where, 0, f"cannot be read: {exc.strerror or exc}", "check the file exists and can be read")
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
    problems.add(where, line, what, fix)


def content_pages(root: Path, problems: Problems, docs_dir: Path | None = None) -> list[Page]:
    """Every page MkDocs would render from ``content/`` (``.md``, ``.markdown`` and the other
    Markdown names, excluded files and links out of the project left out), with its calls,
    in path order."""
    docs_dir = Path(docs_dir or Path(root) / "content")
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
