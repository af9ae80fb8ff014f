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
from selfeval.problems import Problems
from selfeval.project.records import DATE, INTEGER, SETTINGS, TEXT, Field, ListOf, Record, Say, read_file

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


# The words of a mistake in the cover report, by part.
_TEXT = Say("'{key}' is missing or not text", "add a line '{key}: ...'")
_PARAGRAPHS = {
    "missing": Say("'{key}' is missing", "add '{key}:' with a list of paragraphs"),
    "wrong": Say("'{key}' must be a list of paragraphs of text", "write one '- text' line per paragraph"),
}
_SECTIONS = "write a list of '- heading: ...' entries, each with 'points:' listing its paragraphs"
_NO_HEADING = Say("a main report section needs a 'heading'", _SECTIONS)
_NO_SECTIONS = Say("'main_report' is missing or not a list of sections", _SECTIONS)
_NO_IMPLICATIONS = Say(
    "'implications' is missing or not a mapping", f"add 'implications:' with one line for each of: {', '.join(IMPLICATIONS)}"
)
_CONTACT = "write e.g. contact: {{telephone: 020 7332 1234, email: team@example.gov.uk}}"
_EXEMPTION = "write e.g. exemption: {{paragraphs: [1, 3]}} (the paragraphs of Part I of Schedule 12A, 1 to 7)"
_PARAGRAPHS_1_TO_7 = Say("exemption paragraphs must be numbers from 1 to 7, not {written}", _EXEMPTION)
_CLASSIFICATION = Say(
    "'classification' must give the marking of each version",
    "write e.g. classification: {{internal: Non-public, public: Public}}",
)


def _email(value: str) -> bool:
    return re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", " ".join(value.split())) is not None


def _telephone(value: str) -> bool:
    return re.fullmatch(r"\+?[\d ()-]{6,}", " ".join(value.split())) is not None


SECTION = Record(
    "main report section",
    (
        Field("heading", required=True, says={"*": _NO_HEADING}),
        Field("points", ListOf(TEXT), required=True, says=_PARAGRAPHS),
    ),
    label="a main report section",
    says={"not_mapping": _NO_HEADING},
)
IMPLICATIONS_RECORD = Record(
    "implications",
    tuple(
        Field(
            key,
            required=True,
            says={
                "missing": Say(
                    f"the {title.lower()} are not stated",
                    f"add '{key}: ...' under implications (write 'None identified.' if there are none)",
                )
            },
        )
        for key, title in IMPLICATIONS.items()
    ),
    label="the implications",
    says={"unknown": Say("unknown implication '{key}'", "{hint}", "use one of: {fields}")},
    merge_misspelt=False,  # which implication is not stated is said in its own words too
)
HEADINGS_RECORD = Record(
    "headings",
    tuple(Field(key, blank="wrong") for key in HEADINGS),
    label="the headings",
    says={
        "unknown": Say("unknown heading '{key}'", "{hint}", "use one of: {fields}"),
        "type": Say("heading '{key}' must be text", "write '{key}: ...' with the words to use"),
    },
)
CONTACT = Record(
    "contact",
    (
        Field(
            "telephone",
            test=_telephone,
            says={"wrong": Say("'{value}' is not a telephone number", "write digits and spaces, e.g. 020 7332 1234")},
        ),
        Field("email", test=_email, says={"wrong": Say("'{value}' is not an email address", "write it as name@example.gov.uk")}),
    ),
    label="the contact",
    says={"unknown": Say("unknown contact detail '{key}'", "{hint}", _CONTACT)},
)
EXEMPTION = Record(
    "exemption",
    (
        Field(
            "paragraphs",
            ListOf(INTEGER),
            required=True,
            choices=tuple(EXEMPT_PARAGRAPHS),
            says={"*": _PARAGRAPHS_1_TO_7},
        ),
    ),
    label="the exemption",
    says={"unknown": Say("'exemption' must list the paragraphs that apply", _EXEMPTION, _EXEMPTION)},
)
CLASSIFICATION = Record(
    "classification",
    tuple(Field(version, default=marking) for version, marking in DEFAULT_CLASSIFICATION.items()),
    label="the classification",
    says={"unknown": Say(_CLASSIFICATION.what, _CLASSIFICATION.fix, _CLASSIFICATION.fix), "type": _CLASSIFICATION},
)
COMMITTEE = Record(
    "cover report",
    (
        Field("committee", required=True, says={"*": _TEXT}),
        Field("subject", required=True, says={"*": _TEXT}),
        Field("report_of", required=True, role=True, says={"*": _TEXT}),
        Field("report_author", required=True, role=True, says={"*": _TEXT}),
        Field("summary", required=True, says={"*": _TEXT}),
        Field(
            "date",
            DATE,
            required=True,
            says={
                "missing": Say("'date' is missing", "write the meeting date as YYYY-MM-DD, e.g. 2025-03-12"),
                "type": Say("'date' '{value}' is not a date", "write the meeting date as YYYY-MM-DD, e.g. 2025-03-12"),
            },
        ),
        Field(
            "for",
            required=True,
            choices=tuple(PURPOSES),
            casefold=True,
            says={
                "missing": Say("'for' is missing", "write 'for: information' or 'for: decision'"),
                "wrong": Say(
                    "'for' must be information or decision, not '{value}'", "write 'for: information' or 'for: decision'"
                ),
            },
        ),
        Field("department", default=""),
        Field("classification", CLASSIFICATION, says={"wrong": _CLASSIFICATION}),
        Field("recommendations", ListOf(TEXT), required=True, says=_PARAGRAPHS),
        Field(
            "main_report",
            ListOf(SECTION),
            required=True,
            says={"*": _NO_SECTIONS},
        ),
        Field(
            "implications",
            IMPLICATIONS_RECORD,
            required=True,
            says={"*": _NO_IMPLICATIONS},
        ),
        Field("conclusion", ListOf(TEXT), required=True, says=_PARAGRAPHS),
        Field("appendices", ListOf(TEXT), says=_PARAGRAPHS),
        Field("contact", CONTACT, says={"wrong": Say("'contact' must give a telephone and an email", _CONTACT)}),
        Field("exemption", EXEMPTION, says={"wrong": Say("'exemption' must list the paragraphs that apply", _EXEMPTION)}),
        Field(
            "headings",
            HEADINGS_RECORD,
            says={
                "wrong": Say(
                    "'headings' must give a heading for each part it renames",
                    "write e.g. headings: {{main_report: Background, implications: Implications}}",
                )
            },
        ),
    ),
    label="the cover report",
    file=str(COMMITTEE_FILE),
    says=SETTINGS,
)


def _words(text: str) -> str:
    return " ".join(str(text).split())


def load_committee(root: Path, problems: Problems) -> CommitteeReport | None:
    """The cover report, or None when the project has none (or it has problems, reported)."""
    before = len(problems.errors)
    _, _, values = read_file(Path(root) / COMMITTEE_FILE, root, COMMITTEE, problems)
    if values is None or len(problems.errors) > before:
        return None
    headings = values["headings"]
    return CommitteeReport(
        committee=_words(values["committee"]),
        date=values["date"],
        subject=_words(values["subject"]),
        report_of=_words(values["report_of"]),
        report_author=_words(values["report_author"]),
        purpose=PURPOSES[values["for"].strip().lower()],
        summary=_words(values["summary"]),
        recommendations=[_words(r) for r in values["recommendations"]],
        main_report=[Section(_words(s["heading"]), [_words(p) for p in s["points"]]) for s in values["main_report"]],
        implications={key: _words(values["implications"][key]) for key in IMPLICATIONS},
        conclusion=[_words(c) for c in values["conclusion"]],
        appendices=[_words(a) for a in values["appendices"]],
        department=_words(values["department"]),
        classification=dict(values["classification"]),
        telephone=_words(values["contact"]["telephone"] or ""),
        email=_words(values["contact"]["email"] or ""),
        exempt_paragraphs=sorted(set(values["exemption"]["paragraphs"])),
        headings={key: _words(text) for key, text in headings.items() if text is not None},
    )


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
