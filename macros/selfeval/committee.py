"""The committee cover report that opens each PDF, read from ``data/committee.yaml``.

Committee papers open with a cover report in a fixed shape: committee and date, subject,
public or non-public, who reports and who wrote it, for information or for decision, a
summary, the recommendations, the main report in numbered paragraphs, the corporate and
strategic implications one by one, a conclusion and the appendices. This module reads
that report from configuration, checks it, and writes it as HTML for the print document.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import formatting as fmt
from .datatext import html as html_text
from .problems import Problems, close_match
from .schema import check_owner
from .sourcefile import Node, read_yaml, relpath

COMMITTEE_FILE = Path("data") / "committee.yaml"

# The implications every cover report states, in the order committee papers give them.
IMPLICATIONS = {
    "strategic": "Strategic implications",
    "financial": "Financial implications",
    "resource": "Resource implications",
    "legal": "Legal implications",
    "risk": "Risk implications",
    "equalities": "Equalities implications",
    "climate": "Climate implications",
    "security": "Security implications",
}
PURPOSES = {"information": "For Information", "decision": "For Decision"}
TEXT_KEYS = ("committee", "subject", "report_of", "report_author", "summary")
KNOWN_KEYS = (*TEXT_KEYS, "date", "for", "department", "classification", "recommendations",
              "main_report", "implications", "conclusion", "appendices")
DEFAULT_CLASSIFICATION = {"internal": "Non-public", "public": "Public"}


@dataclass
class Section:
    heading: str
    points: list[str]


@dataclass
class CommitteeReport:
    committee: str
    date: dt.date
    subject: str
    report_of: str
    report_author: str
    purpose: str
    summary: str
    recommendations: list[str]
    main_report: list[Section]
    implications: dict[str, str]
    conclusion: list[str]
    appendices: list[str]
    department: str = ""
    classification: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CLASSIFICATION))

    def texts(self) -> list[str]:
        """Every sentence the report prints, for checks that read text."""
        out = [self.committee, self.subject, self.report_of, self.report_author, self.summary,
               self.department, *self.recommendations, *self.implications.values(), *self.conclusion,
               *self.appendices]
        for section in self.main_report:
            out += [section.heading, *section.points]
        return [t for t in out if t]


def _text_list(data: Node, key: str, where: str, problems: Problems, required: bool = True) -> list[str] | None:
    value = data.get(key)
    if value is None or value == []:
        if required:
            problems.add(where, data.line, f"'{key}' is missing", f"add '{key}:' with a list of paragraphs")
            return None
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(where, data.key_line(key), f"'{key}' must be a list of paragraphs of text",
                     "write one '- text' line per paragraph")
        return None
    return [" ".join(v.split()) for v in value]


def load_committee(root: Path, problems: Problems) -> CommitteeReport | None:
    """The cover report, or None when the project has none (or it has problems, reported)."""
    path = Path(root) / COMMITTEE_FILE
    if not path.exists():
        return None
    where = relpath(path, root)
    data = read_yaml(path, root, problems)
    if data is None:
        return None
    if not isinstance(data, Node):
        problems.add(where, 1, "the cover report must be a mapping of settings", "write one 'key: value' per line")
        return None
    before = len(problems.errors)
    for key in data:
        if key not in KNOWN_KEYS:
            hint = close_match(str(key), KNOWN_KEYS)
            problems.add(where, data.key_line(key), f"unknown setting '{key}'", hint or f"use one of: {', '.join(KNOWN_KEYS)}")
    for key in ("report_of", "report_author"):
        check_owner(data, where, "the cover report", problems, key)
    texts = {}
    for key in TEXT_KEYS:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.add(where, data.key_line(key) if key in data else data.line, f"'{key}' is missing or not text",
                         f"add a line '{key}: ...'")
        else:
            texts[key] = " ".join(value.split())
    date = data.get("date")
    if not isinstance(date, dt.date):
        problems.add(where, data.key_line("date") if "date" in data else data.line,
                     f"'date' {'is missing' if date is None else repr(str(date)) + ' is not a date'}",
                     "write the meeting date as YYYY-MM-DD, e.g. 2025-03-12")
    purpose = str(data.get("for", "")).strip().lower()
    if purpose not in PURPOSES:
        problems.add(where, data.key_line("for") if "for" in data else data.line,
                     f"'for' must be information or decision, not '{data.get('for', '')}'",
                     "write 'for: information' or 'for: decision'")
    classification = dict(DEFAULT_CLASSIFICATION)
    raw_class = data.get("classification")
    if raw_class is not None:
        if not isinstance(raw_class, dict) or any(k not in classification or not isinstance(v, str)
                                                  for k, v in raw_class.items()):
            problems.add(where, data.key_line("classification"),
                         "'classification' must give the marking of each version",
                         "write e.g. classification: {internal: Non-public, public: Public}")
        else:
            classification.update(raw_class)
    recommendations = _text_list(data, "recommendations", where, problems)
    conclusion = _text_list(data, "conclusion", where, problems)
    appendices = _text_list(data, "appendices", where, problems, required=False)
    main_report = _sections(data, where, problems)
    implications = _implications(data, where, problems)
    if len(problems.errors) > before:
        return None
    return CommitteeReport(
        committee=texts["committee"], date=date, subject=texts["subject"], report_of=texts["report_of"],
        report_author=texts["report_author"], purpose=PURPOSES[purpose], summary=texts["summary"],
        recommendations=recommendations, main_report=main_report, implications=implications,
        conclusion=conclusion, appendices=appendices, department=" ".join(str(data.get("department", "")).split()),
        classification=classification,
    )


def _sections(data: Node, where: str, problems: Problems) -> list[Section] | None:
    raw = data.get("main_report")
    fix = "write a list of '- heading: ...' entries, each with 'points:' listing its paragraphs"
    if not isinstance(raw, list) or not raw:
        problems.add(where, data.key_line("main_report") if "main_report" in data else data.line,
                     "'main_report' is missing or not a list of sections", fix)
        return None
    sections = []
    for entry in raw:
        line = getattr(entry, "line", data.key_line("main_report"))
        if not isinstance(entry, Node) or not isinstance(entry.get("heading"), str):
            problems.add(where, line, "a main report section needs a 'heading'", fix)
            continue
        points = _text_list(entry, "points", where, problems)
        if points is not None:
            sections.append(Section(" ".join(entry["heading"].split()), points))
    return sections


def _implications(data: Node, where: str, problems: Problems) -> dict[str, str] | None:
    raw = data.get("implications")
    if not isinstance(raw, Node):
        problems.add(where, data.key_line("implications") if "implications" in data else data.line,
                     "'implications' is missing or not a mapping",
                     f"add 'implications:' with one line for each of: {', '.join(IMPLICATIONS)}")
        return None
    out, ok = {}, True
    for key in raw:
        if key not in IMPLICATIONS:
            hint = close_match(str(key), IMPLICATIONS)
            problems.add(where, raw.key_line(key), f"unknown implication '{key}'",
                         hint or f"use one of: {', '.join(IMPLICATIONS)}")
            ok = False
    for key in IMPLICATIONS:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.add(where, raw.key_line(key) if key in raw else raw.line, f"the {IMPLICATIONS[key].lower()} are not stated",
                         f"add '{key}: ...' under implications (write 'None identified.' if there are none)")
            ok = False
        else:
            out[key] = " ".join(value.split())
    return out if ok else None


def committee_html(report: CommitteeReport, version: str, anchor: str = "committee-report",
                   reasons: dict | None = None) -> str:
    """The cover report as HTML, laid out as committee papers are; paragraphs numbered throughout.

    ``reasons``: show restricted spans in the text highlighted with their reason (the public
    version is given a report whose spans are already redacted)."""
    def e(text) -> str:
        return html_text(text, reasons)
    marking = report.classification.get(version, DEFAULT_CLASSIFICATION.get(version, ""))
    counter = iter(range(1, 10_000))

    def numbered(paragraphs):
        return "".join(f'<li><span class="para-number">{next(counter)}.</span>{e(p)}</li>' for p in paragraphs)

    parts = [
        f'<section class="committee-report" id="{e(anchor)}">',
        '<h1 class="committee-heading">Committee cover report</h1>',
        '<table class="committee-header"><tbody>',
        f'<tr><th scope="row">Committee:</th><td>{e(report.committee)}</td>'
        f'<th scope="row">Dated:</th><td class="committee-date">{e(fmt.date(report.date))}</td></tr>',
        f'<tr><th scope="row">Subject:</th><td>{e(report.subject)}</td>'
        f'<td colspan="2" class="committee-marking"><strong>{e(marking)}</strong></td></tr>',
        f'<tr><th scope="row">Report of:</th><td>{e(report.report_of)}</td>'
        f'<td colspan="2" class="committee-purpose"><strong>{e(report.purpose)}</strong></td></tr>',
        f'<tr><th scope="row">Report author:</th><td colspan="3">{e(report.report_author)}</td></tr>',
        '</tbody></table>',
        '<h2>Summary</h2>',
        f'<p>{e(report.summary)}</p>',
        f'<h2>{"Recommendation" if len(report.recommendations) == 1 else "Recommendations"}</h2>',
        '<p>Members are asked to:</p>',
        '<ul class="committee-recommendations">' + "".join(f"<li>{e(r)}</li>" for r in report.recommendations) + "</ul>",
        '<h2>Main Report</h2>',
    ]
    for section in report.main_report:
        parts.append(f'<h3>{e(section.heading)}</h3>')
        parts.append(f'<ol class="committee-paragraphs">{numbered(section.points)}</ol>')
    parts.append('<h2>Corporate &amp; Strategic Implications</h2>')
    implications = [f"{IMPLICATIONS[k]} – {report.implications[k]}" for k in IMPLICATIONS]
    parts.append(f'<ol class="committee-paragraphs">{numbered(implications)}</ol>')
    parts.append('<h2>Conclusion</h2>')
    parts.append(f'<ol class="committee-paragraphs">{numbered(report.conclusion)}</ol>')
    if report.appendices:
        parts.append('<h2>Appendices</h2>')
        parts.append('<ul class="committee-appendices">' + "".join(f"<li>{e(a)}</li>" for a in report.appendices) + "</ul>")
    signature = [report.report_author] + ([report.department] if report.department else [])
    parts.append('<p class="committee-signature">' + "<br>".join(e(s) for s in signature) + "</p>")
    parts.append("</section>")
    return "\n".join(parts)
