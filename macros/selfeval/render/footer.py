"""What every page's footer says: the accessibility statement, a contact, the edition and
the date of the last change.

A reader who meets a problem needs to know where the accessibility statement is and whom to
tell, and a committee member holding a printout needs to know which edition it is. All of
it comes from the project's data, so another council's copy says its own things without
touching a template: ``contact:`` in ``data/project.yaml`` (or, failing that, ``extra:
contact:`` in ``mkdocs.yml``), ``document_version`` for the edition, and the page of the
accessibility statement, ``about/accessibility.md`` unless ``extra: accessibility_statement:``
names another. A part that is not there is left out rather than invented.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_STATEMENT = "about/accessibility.md"


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""
    url: str = ""


@dataclass(frozen=True)
class Footer:
    statement: str | None  # the statement page's source path (e.g. about/accessibility.md), if the site has it
    contact: Contact | None
    edition: str
    organisation: str


def contact_of(value) -> Contact | None:
    """A contact written as a mapping (name, email, phone, url) or as one line of text."""
    if isinstance(value, str) and value.strip():
        text = value.strip()
        return Contact(email=text) if "@" in text and " " not in text else Contact(name=text)
    if isinstance(value, dict):
        fields = {k: str(value.get(k) or "").strip() for k in ("name", "email", "phone", "url")}
        if not fields["url"].lower().startswith(("https://", "http://")):
            fields["url"] = ""  # only a web address is linked; anything else would run or mislead
        return Contact(**fields) if any(fields.values()) else None
    return None


def footer_for(
    project_raw: dict | None, extra: dict | None, pages: set[str], edition: str = "", organisation: str = ""
) -> Footer:
    """The footer of a site whose pages (source paths) are ``pages``."""
    raw, extra = project_raw or {}, extra or {}
    contact = (
        contact_of(raw.get("contact"))
        or contact_of({"email": raw.get("contact_email"), "url": raw.get("contact_url")})
        or contact_of(extra.get("contact"))
    )
    statement = str(extra.get("accessibility_statement") or DEFAULT_STATEMENT)
    return Footer(
        statement=statement if statement in pages else None,
        contact=contact,
        edition=str(edition or ""),
        organisation=str(organisation or ""),
    )
