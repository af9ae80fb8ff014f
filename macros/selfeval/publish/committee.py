"""The committee cover report that opens each PDF, read from ``data/committee.yaml``.

Committee papers open with a cover report in a fixed shape: committee and date, subject,
public or non-public, who reports and who wrote it, for information or for decision, a
summary, the recommendations, the main report in numbered paragraphs, the corporate and
strategic implications one by one, a conclusion and the appendices, and they end with
how to reach the report's author. A report that is not for publication says on what
ground: the Local Government Act 1972 lets a committee exclude the public (section 100A)
for exempt information, as Part I of Schedule 12A defines it, paragraph by paragraph.
This module reads that report from configuration, checks it, and writes it as HTML for
the print document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.render import formatting as fmt
from selfeval.disclosure.audience import audience
from selfeval.disclosure.datatext import html as html_text
from selfeval.problems import Problems, close_match
from selfeval.project.schema import check_owner
from selfeval.project.sourcefile import Node, read_yaml, relpath

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
# The report's own headings, as the committee's reports are set out; a council whose papers
# use other words sets them under 'headings:' (the recommendations heading is singular when
# there is one recommendation, unless it is set).
HEADINGS = {
    "summary": "Summary",
    "recommendations": "Recommendations",
    "asked": "Members are asked to:",
    "main_report": "Main Report",
    "changes": "Changes since the last edition",
    "implications": "Corporate & Strategic Implications",
    "conclusion": "Conclusion",
    "appendices": "Appendices",
}
TEXT_KEYS = ("committee", "subject", "report_of", "report_author", "summary")
KNOWN_KEYS = (
    *TEXT_KEYS,
    "date",
    "for",
    "department",
    "classification",
    "recommendations",
    "main_report",
    "implications",
    "conclusion",
    "appendices",
    "contact",
    "exemption",
    "headings",
)
CONTACT_KEYS = ("telephone", "email")
# The categories of exempt information in Part I of Schedule 12A, in short.
EXEMPT_PARAGRAPHS = {
    1: "information about a particular person",
    2: "information likely to show who a particular person is",
    3: "information about the financial or business affairs of a particular person, the council included",
    4: "information about consultations or negotiations on labour relations",
    5: "information over which legal professional privilege could be claimed",
    6: "information that would reveal a proposed notice, order or direction",
    7: "information about the prevention, investigation or prosecution of crime",
}
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
    telephone: str = ""
    email: str = ""
    exempt_paragraphs: list[int] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)  # only those the council set

    def heading(self, key: str) -> str:
        if key in self.headings:
            return self.headings[key]
        if key == "recommendations" and len(self.recommendations) == 1:
            return "Recommendation"
        return HEADINGS[key]

    def texts(self) -> list[str]:
        """Every sentence the report prints, for checks that read text."""
        out = [
            self.committee,
            self.subject,
            self.report_of,
            self.report_author,
            self.summary,
            self.department,
            self.telephone,
            self.email,
            *self.recommendations,
            *self.implications.values(),
            *self.conclusion,
            *self.appendices,
            *self.headings.values(),
        ]
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
        problems.add(
            where, data.key_line(key), f"'{key}' must be a list of paragraphs of text", "write one '- text' line per paragraph"
        )
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
    _unknown_keys(data, KNOWN_KEYS, "setting", where, problems, f"use one of: {', '.join(KNOWN_KEYS)}")
    for key in ("report_of", "report_author"):
        check_owner(data, where, "the cover report", problems, key)
    texts = {}
    for key in TEXT_KEYS:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.add(
                where,
                data.key_line(key) if key in data else data.line,
                f"'{key}' is missing or not text",
                f"add a line '{key}: ...'",
            )
        else:
            texts[key] = " ".join(value.split())
    date = data.get("date")
    if not isinstance(date, dt.date):
        problems.add(
            where,
            data.key_line("date") if "date" in data else data.line,
            f"'date' {'is missing' if date is None else repr(str(date)) + ' is not a date'}",
            "write the meeting date as YYYY-MM-DD, e.g. 2025-03-12",
        )
    purpose = str(data.get("for", "")).strip().lower()
    if purpose not in PURPOSES:
        problems.add(
            where,
            data.key_line("for") if "for" in data else data.line,
            f"'for' must be information or decision, not '{data.get('for', '')}'",
            "write 'for: information' or 'for: decision'",
        )
    classification = dict(DEFAULT_CLASSIFICATION)
    raw_class = data.get("classification")
    if raw_class is not None:
        if not isinstance(raw_class, dict) or any(
            k not in classification or not isinstance(v, str) for k, v in raw_class.items()
        ):
            problems.add(
                where,
                data.key_line("classification"),
                "'classification' must give the marking of each version",
                "write e.g. classification: {internal: Non-public, public: Public}",
            )
        else:
            classification.update(raw_class)
    recommendations = _text_list(data, "recommendations", where, problems)
    conclusion = _text_list(data, "conclusion", where, problems)
    appendices = _text_list(data, "appendices", where, problems, required=False)
    main_report = _sections(data, where, problems)
    implications = _implications(data, where, problems)
    contact = _contact(data, where, problems)
    exempt = _exemption(data, where, problems)
    headings = _headings(data, where, problems)
    if len(problems.errors) > before:
        return None
    return CommitteeReport(
        committee=texts["committee"],
        date=date,
        subject=texts["subject"],
        report_of=texts["report_of"],
        report_author=texts["report_author"],
        purpose=PURPOSES[purpose],
        summary=texts["summary"],
        recommendations=recommendations,
        main_report=main_report,
        implications=implications,
        conclusion=conclusion,
        appendices=appendices,
        department=" ".join(str(data.get("department", "")).split()),
        classification=classification,
        telephone=contact.get("telephone", ""),
        email=contact.get("email", ""),
        exempt_paragraphs=exempt,
        headings=headings,
    )


def _optional_mapping(data: Node, key: str, where: str, problems: Problems, what: str, fix: str) -> Node | None:
    """The mapping under an optional ``key``: None when it is absent, or when it is not a
    mapping (reported with ``what`` and ``fix``)."""
    raw = data.get(key)
    if raw is not None and not isinstance(raw, Node):
        problems.add(where, data.key_line(key), what, fix)
        return None
    return raw


def _unknown_keys(raw: Node, known, kind: str, where: str, problems: Problems, otherwise: str) -> bool:
    """Reports each key of ``raw`` that is not one of ``known``, with the nearest known one
    (or ``otherwise``) as the fix; whether every key was known."""
    ok = True
    for key in raw:
        if key not in known:
            problems.add(where, raw.key_line(key), f"unknown {kind} '{key}'", close_match(str(key), known) or otherwise)
            ok = False
    return ok


def _headings(data: Node, where: str, problems: Problems) -> dict[str, str]:
    """The headings a council sets in place of the usual ones (all optional)."""
    raw = _optional_mapping(
        data,
        "headings",
        where,
        problems,
        "'headings' must give a heading for each part it renames",
        "write e.g. headings: {main_report: Background, implications: Implications}",
    )
    if raw is None:
        return {}
    _unknown_keys(raw, HEADINGS, "heading", where, problems, f"use one of: {', '.join(HEADINGS)}")
    out = {}
    for key in (k for k in raw if k in HEADINGS):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.add(where, raw.key_line(key), f"heading '{key}' must be text", f"write '{key}: ...' with the words to use")
        else:
            out[str(key)] = " ".join(value.split())
    return out


def _contact(data: Node, where: str, problems: Problems) -> dict[str, str]:
    """How to reach the report's author: a telephone number and an email address (both optional)."""
    fix = "write e.g. contact: {telephone: 020 7332 1234, email: team@example.gov.uk}"
    raw = _optional_mapping(data, "contact", where, problems, "'contact' must give a telephone and an email", fix)
    if raw is None:
        return {}
    out = {}
    _unknown_keys(raw, CONTACT_KEYS, "contact detail", where, problems, fix)
    for key in CONTACT_KEYS:
        value = " ".join(str(raw.get(key) or "").split())
        if not value:
            continue
        if key == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            problems.add(where, raw.key_line(key), f"'{value}' is not an email address", "write it as name@example.gov.uk")
        elif key == "telephone" and not re.fullmatch(r"\+?[\d ()-]{6,}", value):
            problems.add(
                where, raw.key_line(key), f"'{value}' is not a telephone number", "write digits and spaces, e.g. 020 7332 1234"
            )
        else:
            out[key] = value
    return out


def _exemption(data: Node, where: str, problems: Problems) -> list[int]:
    """The paragraphs of Part I of Schedule 12A that make the non-public version exempt."""
    raw = data.get("exemption")
    if raw is None:
        return []
    fix = "write e.g. exemption: {paragraphs: [1, 3]} (the paragraphs of Part I of Schedule 12A, 1 to 7)"
    if not isinstance(raw, Node) or set(raw) - {"paragraphs"}:
        problems.add(where, data.key_line("exemption"), "'exemption' must list the paragraphs that apply", fix)
        return []
    value = raw.get("paragraphs")
    value = [value] if isinstance(value, int) else value
    if (
        not isinstance(value, list)
        or not value
        or any(isinstance(v, bool) or not isinstance(v, int) or v not in EXEMPT_PARAGRAPHS for v in value)
    ):
        problems.add(
            where,
            raw.key_line("paragraphs") if "paragraphs" in raw else raw.line,
            f"exemption paragraphs must be numbers from 1 to 7, not {value!r}",
            fix,
        )
        return []
    return sorted(set(value))


def exemption_text(report: CommitteeReport) -> str:
    """The ground on which the non-public version is kept from the public, in a sentence."""
    paragraphs = report.exempt_paragraphs
    if paragraphs:
        numbers = ", ".join(str(p) for p in paragraphs[:-1]) + (" and " if len(paragraphs) > 1 else "") + str(paragraphs[-1])
        which = f"paragraph{'s' if len(paragraphs) > 1 else ''} {numbers} of Part I of Schedule 12A to the Act"
        kinds = "; ".join(EXEMPT_PARAGRAPHS[p] for p in paragraphs)
        ground = f"exempt information within {which} ({kinds})"
    else:
        ground = "exempt information as Part I of Schedule 12A to the Act defines it"
    return (
        f"Not for publication. This report and its appendix hold {ground}. Under section 100A of "
        "the Local Government Act 1972 the Committee may exclude the public while they are considered."
    )


def _sections(data: Node, where: str, problems: Problems) -> list[Section] | None:
    raw = data.get("main_report")
    fix = "write a list of '- heading: ...' entries, each with 'points:' listing its paragraphs"
    if not isinstance(raw, list) or not raw:
        problems.add(
            where,
            data.key_line("main_report") if "main_report" in data else data.line,
            "'main_report' is missing or not a list of sections",
            fix,
        )
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
        problems.add(
            where,
            data.key_line("implications") if "implications" in data else data.line,
            "'implications' is missing or not a mapping",
            f"add 'implications:' with one line for each of: {', '.join(IMPLICATIONS)}",
        )
        return None
    out = {}
    ok = _unknown_keys(raw, IMPLICATIONS, "implication", where, problems, f"use one of: {', '.join(IMPLICATIONS)}")
    for key in IMPLICATIONS:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.add(
                where,
                raw.key_line(key) if key in raw else raw.line,
                f"the {IMPLICATIONS[key].lower()} are not stated",
                f"add '{key}: ...' under implications (write 'None identified.' if there are none)",
            )
            ok = False
        else:
            out[key] = " ".join(value.split())
    return out if ok else None


def committee_html(
    report: CommitteeReport, version: str, anchor: str = "committee-report", reasons: dict | None = None, changes: str = ""
) -> str:
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
        "</tbody></table>",
        *([f'<p class="committee-exemption">{e(exemption_text(report))}</p>'] if audience(version).banner else []),
        f"<h2>{e(report.heading('summary'))}</h2>",
        f"<p>{e(report.summary)}</p>",
        f"<h2>{e(report.heading('recommendations'))}</h2>",
        f"<p>{e(report.heading('asked'))}</p>",
        '<ul class="committee-recommendations">' + "".join(f"<li>{e(r)}</li>" for r in report.recommendations) + "</ul>",
        f"<h2>{e(report.heading('main_report'))}</h2>",
    ]
    for section in report.main_report:
        parts.append(f"<h3>{e(section.heading)}</h3>")
        parts.append(f'<ol class="committee-paragraphs">{numbered(section.points)}</ol>')
    if changes:
        # Generated from the same comparison as the "What changed" page (see selfeval.render.changes).
        parts.append(f"<h3>{e(report.heading('changes'))}</h3>")
        parts.append(f'<ol class="committee-paragraphs">{numbered([changes])}</ol>')
    parts.append(f"<h2>{e(report.heading('implications'))}</h2>")
    implications = [f"{IMPLICATIONS[k]} – {report.implications[k]}" for k in IMPLICATIONS]
    parts.append(f'<ol class="committee-paragraphs">{numbered(implications)}</ol>')
    parts.append(f"<h2>{e(report.heading('conclusion'))}</h2>")
    parts.append(f'<ol class="committee-paragraphs">{numbered(report.conclusion)}</ol>')
    if report.appendices:
        parts.append(f"<h2>{e(report.heading('appendices'))}</h2>")
        parts.append('<ul class="committee-appendices">' + "".join(f"<li>{e(a)}</li>" for a in report.appendices) + "</ul>")
    # The author's contact block, as the committee's reports end: role, department, telephone, email.
    lines = [f'<strong class="committee-contact-role">{e(report.report_author)}</strong>']
    if report.department:
        lines.append(e(report.department))
    if report.telephone:
        lines.append(f"T: {e(report.telephone)}")
    if report.email:
        lines.append(f'E: <a href="mailto:{e(report.email)}">{e(report.email)}</a>')
    parts.append('<address class="committee-contact">' + "<br>".join(lines) + "</address>")
    parts.append("</section>")
    return "\n".join(parts)
