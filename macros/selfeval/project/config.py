"""The project configuration, ``data/project.yaml``: who publishes, and as at when.

It also says where the public version will live (``site_url``) and how readers reach the
council (``contact_email``, ``contact_url``), so that a council's own address is written once,
in its data, and never left as a made-up example in the published pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from selfeval.disclosure.markers import Reason, parse_reasons
from selfeval.problems import Problems
from selfeval.project.records import ANY, BOOLEAN, DATE, INTEGER, MAPPING, SETTINGS, TEXT, Field, ListOf, Record, Say, read_file
from selfeval.project.sourcefile import Node

CONFIG_FILE = Path("data") / "project.yaml"
DEFAULT_THRESHOLD = 5
# The areas a benchmark sets the council beside, unless comparators: says otherwise.
DEFAULT_COMPARATORS = ("London", "England")


def comparators_of(config: Config | None) -> list[str]:
    """The areas benchmarks compare the council with: the project's, or the default when
    its configuration could not be read."""
    return list(config.comparators) if config is not None else list(DEFAULT_COMPARATORS)


@dataclass
class Config:
    organisation: str
    title: str
    reporting_date: dt.date
    reporting_period: str = ""
    document_version: str = ""
    stale_after_months: int = 15
    compare_within_months: int = 24
    comparators: list[str] = field(default_factory=lambda: list(DEFAULT_COMPARATORS))
    reasons: dict[str, Reason] = field(default_factory=dict)
    suppression_threshold: int = DEFAULT_THRESHOLD
    suppression_audit: bool = True  # audit hidden values against everything published (see selfeval.disclosure.audit)
    raw: dict = field(default_factory=dict)
    path: str = str(CONFIG_FILE)
    site_url: str = ""  # where the public version is published; none until it is known
    contact_email: str = ""  # the mailbox readers write to (accessibility requests, feedback)
    contact_url: str = ""  # a contact page on the council's website

    def line_of(self, key: str) -> int:
        return self.raw.key_line(key) if isinstance(self.raw, Node) else 0


def _is_url(value: str) -> bool:
    value = value.strip()
    return value.startswith(("https://", "http://")) and " " not in value and len(value) > len("https://")


def _is_email(value: str) -> bool:
    local, at, domain = value.strip().partition("@")
    return bool(at and local and "." in domain and " " not in value.strip())


_MONTHS = Say("{key} '{value}' is not a whole number of months", "write a number such as {example}")
_ADDRESS = Say("{key} '{value}' is not a valid address", "write it like {key}: {example}, or leave the line out")

SUPPRESSION = Record(
    "suppression",
    (
        Field(
            "threshold",
            INTEGER,
            default=DEFAULT_THRESHOLD,
            minimum=1,
            blank="wrong",  # 'threshold:' with nothing after it must not quietly become the default
            example="5",
            says={
                "wrong": Say(
                    "suppression threshold '{value}' is not a whole number above 0",
                    "write e.g. 'suppression: {{threshold: 5}}' (counts from 1 to 4 are then shown as [c])",
                )
            },
        ),
        Field(
            "audit",
            BOOLEAN,
            default=True,
            blank="wrong",
            says={
                "wrong": Say(
                    "suppression audit '{value}' is not true or false",
                    "write 'audit: true' (the default: no hidden value can be worked out) or 'audit: false'",
                )
            },
        ),
    ),
    label="suppression",
)
REDACTION = Record(
    "redaction",
    (
        Field(
            "reasons",
            MAPPING,
            says={
                "wrong": Say(
                    "redaction reasons must be a mapping of reason ids",
                    "write e.g. 'personal-data: {{label: Personal data, public: redact}}'",
                )
            },
        ),
    ),
    label="redaction",
)
CONFIG = Record(
    "configuration",
    (
        Field("organisation", required=True),
        Field("title", required=True),
        Field("reporting_date", DATE, required=True, example="2025-02-28"),
        Field("reporting_period", default=""),
        Field("document_version", default=""),
        Field("edition", default=""),
        Field("previous_edition", default=""),
        Field("stale_after_months", INTEGER, default=15, minimum=1, example="15", says={"wrong": _MONTHS}),
        Field("compare_within_months", INTEGER, default=24, minimum=1, example="24", says={"wrong": _MONTHS}),
        Field(
            "comparators",
            ListOf(TEXT),
            default=list(DEFAULT_COMPARATORS),
            says={"wrong": Say("comparators must be a list of area names", "write e.g. comparators: [London, England]")},
        ),
        Field(
            "redaction",
            REDACTION,
            says={
                "wrong": Say(
                    "'redaction' must be a mapping with 'reasons:'", "write 'redaction:' then 'reasons:' indented below it"
                )
            },
        ),
        Field(
            "suppression",
            SUPPRESSION,
            blank="wrong",
            says={
                "wrong": Say(
                    "'suppression' must be a mapping with 'threshold:'",
                    "write e.g. 'suppression: {{threshold: 5}}' (counts from 1 to 4 are then shown as [c])",
                )
            },
        ),
        Field("site_url", test=_is_url, example="https://www.example.gov.uk/adult-social-care/", says={"wrong": _ADDRESS}),
        Field("contact_email", test=_is_email, example="adult.social.care@example.gov.uk", says={"wrong": _ADDRESS}),
        Field("contact_url", test=_is_url, example="https://www.example.gov.uk/contact-us", says={"wrong": _ADDRESS}),
        # The footer's contact: one line, or name, email, phone and url (see selfeval.render.footer).
        Field("contact", ANY, example="{name: Adult social care team, email: asc@example.gov.uk}"),
    ),
    label="the configuration",
    file=str(CONFIG_FILE),
    says=SETTINGS,
)
# Without these the configuration cannot be used: the build stops at the first line.
_NEEDED = {"organisation", "title", "reporting_date", "stale_after_months", "compare_within_months", "comparators"}


def load_config(root: Path, problems: Problems) -> Config | None:
    missing = Say("the project configuration is missing", "create data/project.yaml with organisation, title and reporting_date")
    where, data, values = read_file(Path(root) / CONFIG_FILE, root, CONFIG, problems, missing)
    if values is None:
        return None
    suppression, redaction = values["suppression"], values["redaction"]
    reasons = parse_reasons(redaction["reasons"], where, redaction.key_line, problems)
    if values.errors & _NEEDED or "threshold" in suppression.errors:
        return None
    return Config(
        organisation=str(values["organisation"]),
        title=str(values["title"]),
        reporting_date=values["reporting_date"],
        reporting_period=values["reporting_period"],
        document_version=values["document_version"],
        stale_after_months=values["stale_after_months"],
        compare_within_months=values["compare_within_months"],
        comparators=values["comparators"],
        reasons=reasons,
        suppression_threshold=suppression["threshold"],
        suppression_audit=suppression["audit"],
        raw=data,
        path=where,
        **{key: values[key].strip() for key in ("site_url", "contact_email", "contact_url") if values[key]},
    )
