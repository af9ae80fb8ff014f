"""Start another council's self-evaluation: a complete, blank project in a new folder.

Usage: selfeval new --name "London Borough of Example" --dir ../lbe
       [--reporting-date 2025-02-28] [--contact-email asc@example.gov.uk] [--contact-team "..."]

The new project holds the tool (macros/, scripts/, tests/, Makefile, requirements.txt,
README, the CI workflow and .ci/run) and the files in template/, with the council's name,
the reporting date and the contact filled in: the CQC framework, a page per theme with
guidance, an example metric, chart, evidence item, area for development and action, a
committee cover report and an accessibility statement. Example figures are dated from
the reporting date, so the new project builds and passes its own tests straight away.
The example workbook is made here, from the CSV files in template/workbook/, because a
workbook is not a file a person can read or review in the repository.

Nothing of this repository's own council is copied: not its content, its data, its
register, nor the tests of its document (tests/test_city_of_london_content.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
from pathlib import Path

from selfeval.render.formatting import MONTHS
from selfeval.render.formatting import date as long_date

# The repository the tool lives in (this file is macros/selfeval/project/new.py in it).
REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "template"
# The tool, copied as it is. Everything else in the new project comes from template/.
TOOL = [
    "macros",
    "scripts",
    "tests",
    "template",
    "content/assets",
    ".github",
    ".ci",
    "Makefile",
    "requirements.txt",
    "pyproject.toml",
    "README.md",
    ".gitignore",
]
OWN_TESTS = ["tests/test_city_of_london_content.py"]
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", ".ruff_cache")
TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".csv"}
TOKEN = re.compile(r"@@(\w+)@@")


def financial_year(end_year: int) -> str:
    """The label of the financial year ending on 31 March of ``end_year``: 2025 -> 2024/25."""
    return f"{end_year - 1}/{end_year % 100:02d}"


def values(name: str, reporting: dt.date, email: str, team: str) -> dict[str, str]:
    """What each ``@@token@@`` in template/ becomes."""
    last_end = dt.date(reporting.year if reporting >= dt.date(reporting.year, 3, 31) else reporting.year - 1, 3, 31)
    prev_end = dt.date(last_end.year - 1, 3, 31)
    ahead = reporting + dt.timedelta(days=60)
    plan_end = dt.date(ahead.year + 1 if ahead.month > 3 else ahead.year, 3, 31)

    def as_of(end: dt.date) -> str:
        return min(end + dt.timedelta(days=61), reporting).isoformat()

    return {
        "organisation": name,
        "reporting_date": reporting.isoformat(),
        "month": f"{MONTHS[reporting.month - 1]} {reporting.year}",
        "prepared": long_date(reporting),
        "meeting_date": (reporting + dt.timedelta(days=14)).isoformat(),
        "contact_email": email,
        "contact_team": team,
        "last_year": financial_year(last_end.year),
        "last_year_end": last_end.isoformat(),
        "last_year_as_of": as_of(last_end),
        "prev_year": financial_year(prev_end.year),
        "prev_year_end": prev_end.isoformat(),
        "prev_year_as_of": as_of(prev_end),
        "plan_year": financial_year(plan_end.year),
        "plan_year_slug": financial_year(plan_end.year).replace("/", "-"),
        "plan_year_end": plan_end.isoformat(),
    }


def fill(text: str, tokens: dict[str, str], where: str) -> str:
    def one(match: re.Match) -> str:
        if match.group(1) not in tokens:
            raise SystemExit(f"{where}: unknown template token @@{match.group(1)}@@")
        return tokens[match.group(1)]

    return TOKEN.sub(one, text)


# A council's name as it may appear unquoted in YAML, front matter and Markdown.
NAME = re.compile(r"[A-Za-z][\w .,'&()-]*")


def copy_template(dest: Path, tokens: dict[str, str]) -> None:
    for path in sorted(TEMPLATE.rglob("*")):
        rel = path.relative_to(TEMPLATE)
        if path.is_dir() or rel.parts[0] == "workbook" or "__pycache__" in rel.parts:
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in TEXT_SUFFIXES:
            target.write_text(fill(path.read_text(encoding="utf-8"), tokens, str(rel)), encoding="utf-8")
        else:
            shutil.copy2(path, target)


def copy_tool(dest: Path) -> None:
    for name in TOOL:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=SKIP, symlinks=True)
        elif source.exists():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    for name in OWN_TESTS:
        (dest / name).unlink(missing_ok=True)


# -- the example workbook -----------------------------------------------------------------------
def _cell(text: str):
    """A CSV cell as a workbook cell: (value, number format)."""
    written = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", written):
        return dt.datetime.fromisoformat(written), "dd/mm/yyyy"
    percent = re.fullmatch(r"(\d+)(?:\.(\d+))?%", written)
    if percent:
        decimals = len(percent.group(2) or "")
        return float(written[:-1]) / 100, "0." + "0" * decimals + "%" if decimals else "0%"
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", written):
        return int(written.replace(",", "")), "#,##0"
    if re.fullmatch(r"\d+\.\d+", written):
        return float(written), "General"
    return (written or None), "General"


def write_workbook(folder: Path, target: Path, tokens: dict[str, str]) -> None:
    """One sheet per CSV in ``folder`` (sheets starting with _ last), cells typed as Excel types them."""
    import csv

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(folder.glob("*.csv"), key=lambda p: (p.stem.startswith("_"), p.stem)):
        sheet = book.create_sheet(path.stem)
        text = fill(path.read_text(encoding="utf-8"), tokens, str(path.relative_to(REPO)))
        for r, row in enumerate(csv.reader(text.splitlines()), start=1):
            for c, written in enumerate(row, start=1):
                value, number_format = _cell(written)
                cell = sheet.cell(row=r, column=c, value=value)
                cell.number_format = number_format
        sheet.column_dimensions["A"].width = 24
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)


def create(name: str, dest: Path, reporting: dt.date, email: str, team: str) -> Path:
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise SystemExit(f"{dest}: the folder is not empty — choose a new folder for the project")
    dest.mkdir(parents=True, exist_ok=True)
    tokens = values(name, reporting, email, team)
    copy_tool(dest)
    copy_template(dest, tokens)
    write_workbook(TEMPLATE / "workbook", dest / "data" / "observations" / "example-workbook.xlsx", tokens)
    return dest


def main(argv=None, default_root: Path | None = None) -> int:
    """``selfeval new``: a new project in a new folder (``default_root`` is not used: the
    tool is copied from the repository it runs from)."""
    parser = argparse.ArgumentParser(prog="selfeval new", description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help='the council, e.g. "London Borough of Example"')
    parser.add_argument("--dir", required=True, help="the new project's folder (must not exist, or be empty)")
    parser.add_argument(
        "--reporting-date",
        default=dt.date.today().isoformat(),
        help="the date the figures are as at, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--contact-email",
        default="adult.social.care@example.org",
        help="where readers ask for another format (the accessibility statement)",
    )
    parser.add_argument("--contact-team", default="adult social care performance team", help="who answers that mailbox")
    args = parser.parse_args(argv)
    name = " ".join(args.name.split())
    if not NAME.fullmatch(name):
        print(
            f"new: '{name}' is not a council's name — give it as letters, digits, spaces and . , ' & ( ) -,"
            ' starting with a letter, e.g. NAME="London Borough of Example"',
            file=sys.stderr,
        )
        return 2
    try:
        reporting = dt.date.fromisoformat(args.reporting_date)
    except ValueError:
        print(f"new: reporting date '{args.reporting_date}' is not a date — write it as YYYY-MM-DD", file=sys.stderr)
        return 2
    try:
        dest = create(name, Path(args.dir), reporting, args.contact_email, args.contact_team)
    except SystemExit as exc:
        print(f"new: {exc}", file=sys.stderr)
        return 2
    print(
        f"new: {name}'s self-evaluation is in {dest}. Next:\n"
        f"  cd {dest} && git init && make check && make site && make test\n"
        "  then replace the example figures, evidence and pages with your own (README.md,\n"
        '  "Start your own council\'s self-evaluation"), and keep the repository private.',
        file=sys.stderr,
    )
    return 0
