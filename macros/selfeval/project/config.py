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
from selfeval.project.sourcefile import Node, read_yaml, relpath

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


def load_config(root: Path, problems: Problems) -> Config | None:
    path = Path(root) / CONFIG_FILE
    where = relpath(path, root)
    if not path.exists():
        problems.add(
            where,
            0,
            "the project configuration is missing",
            "create data/project.yaml with organisation, title and reporting_date",
        )
        return None
    data = read_yaml(path, root, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.add(where, 1, "the configuration must be a mapping of settings", "write one 'key: value' per line")
        return None
    ok = True
    for key in ("organisation", "title", "reporting_date"):
        if not data.get(key):
            problems.add(where, 1, f"'{key}' is missing", f"add a line '{key}: ...'")
            ok = False
    reporting_date = data.get("reporting_date")
    if reporting_date and not isinstance(reporting_date, dt.date):
        problems.add(
            where,
            data.key_line("reporting_date"),
            f"reporting_date '{reporting_date}' is not a date",
            "write it as YYYY-MM-DD, e.g. 2025-02-28",
        )
        ok = False
    stale = data.get("stale_after_months", 15)
    if not isinstance(stale, int) or isinstance(stale, bool) or stale < 1:
        problems.add(
            where,
            data.key_line("stale_after_months"),
            f"stale_after_months '{stale}' is not a whole number of months",
            "write a number such as 15",
        )
        ok = False
    compare = data.get("compare_within_months", 24)
    if not isinstance(compare, int) or isinstance(compare, bool) or compare < 1:
        problems.add(
            where,
            data.key_line("compare_within_months"),
            f"compare_within_months '{compare}' is not a whole number of months",
            "write a number such as 24",
        )
        ok = False
    comparators = data.get("comparators", list(DEFAULT_COMPARATORS))
    if not isinstance(comparators, list) or not all(isinstance(c, str) for c in comparators):
        problems.add(
            where,
            data.key_line("comparators"),
            "comparators must be a list of area names",
            "write e.g. comparators: [London, England]",
        )
        ok = False
    redaction = data.get("redaction") or {}
    if not isinstance(redaction, dict):
        problems.add(
            where,
            data.key_line("redaction"),
            "'redaction' must be a mapping with 'reasons:'",
            "write 'redaction:' then 'reasons:' indented below it",
        )
        redaction = {}
    reasons = parse_reasons(
        redaction.get("reasons"), where, getattr(redaction, "key_line", lambda k: data.key_line("redaction")), problems
    )
    suppression = data.get("suppression") or {}
    threshold = suppression.get("threshold", DEFAULT_THRESHOLD) if isinstance(suppression, dict) else None
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 1:
        line = suppression.key_line("threshold") if hasattr(suppression, "key_line") else data.key_line("suppression")
        problems.add(
            where,
            line,
            f"suppression threshold '{threshold}' is not a whole number above 0",
            "write e.g. 'suppression: {threshold: 5}' (counts from 1 to 4 are then shown as [c])",
        )
        ok = False
    audit = suppression.get("audit", True) if isinstance(suppression, dict) else True
    if not isinstance(audit, bool):
        line = suppression.key_line("audit") if hasattr(suppression, "key_line") else data.key_line("suppression")
        problems.add(
            where,
            line,
            f"suppression audit '{audit}' is not true or false",
            "write 'audit: true' (the default: no hidden value can be worked out) or 'audit: false'",
        )
        audit = True
    addresses = _addresses(data, where, problems)
    if not ok:
        return None
    return Config(
        organisation=str(data["organisation"]),
        title=str(data["title"]),
        reporting_date=reporting_date,
        reporting_period=str(data.get("reporting_period", "")),
        document_version=str(data.get("document_version", "")),
        stale_after_months=stale,
        compare_within_months=compare,
        comparators=list(comparators),
        reasons=reasons,
        suppression_threshold=threshold,
        suppression_audit=audit,
        raw=data,
        path=where,
        **addresses,
    )


def _addresses(data, where: str, problems: Problems) -> dict[str, str]:
    """site_url, contact_email and contact_url as written, each checked for its form."""
    out = {}
    for key, ok, example in (
        ("site_url", _is_url, "https://www.example.gov.uk/adult-social-care/"),
        ("contact_url", _is_url, "https://www.example.gov.uk/contact-us"),
        ("contact_email", _is_email, "adult.social.care@example.gov.uk"),
    ):
        value = data.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str) or not ok(value.strip()):
            problems.add(
                where,
                data.key_line(key),
                f"{key} '{value}' is not a valid address",
                f"write it like {key}: {example}, or leave the line out",
            )
            continue
        out[key] = value.strip()
    return out


def _is_url(value: str) -> bool:
    return value.startswith(("https://", "http://")) and " " not in value and len(value) > len("https://")


def _is_email(value: str) -> bool:
    local, at, domain = value.partition("@")
    return bool(at and local and "." in domain and " " not in value)
