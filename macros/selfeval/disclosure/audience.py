"""Who a version of the document is for, and everything that differs because of it.

There are two audiences. The **internal** version is for officers and members cleared to
read everything; the **public** version is what gets published. Code asks an
:class:`Audience` what to do (``audience.redacts``, ``audience.suppresses``…) and never
compares version names: a name that is not exactly ``internal`` is the public audience, so
a typo or a missing setting fails closed, never open.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Audience:
    """One version's readers and what their version does."""

    name: str
    redacts: bool  # restricted blocks, spans and pages are taken out
    suppresses: bool  # small numbers are shown as [c]
    names_internal_evidence: bool  # internal evidence items are named (not [withheld])
    banner: bool  # every page carries the "internal: do not publish" banner
    marking: str  # the protective marking printed in headers and on the cover
    noindex: bool  # pages ask search engines not to index them
    scanned: bool  # the output is leak-scanned and checked for non-interference

    @property
    def public(self) -> bool:
        return self.redacts

    def __str__(self) -> str:
        return self.name


INTERNAL = Audience(
    "internal",
    redacts=False,
    suppresses=False,
    names_internal_evidence=True,
    banner=True,
    marking="OFFICIAL – internal: not for publication",
    noindex=True,
    scanned=False,
)
PUBLIC = Audience(
    "public",
    redacts=True,
    suppresses=True,
    names_internal_evidence=False,
    banner=False,
    marking="Public",
    noindex=False,
    scanned=True,
)
AUDIENCES = (INTERNAL, PUBLIC)


def audience(name) -> Audience:
    """The audience called ``name`` (an Audience is returned as it is); anything not
    exactly ``internal`` is the public one."""
    if isinstance(name, Audience):
        return name
    return INTERNAL if name == INTERNAL.name else PUBLIC
