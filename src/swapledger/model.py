"""Domain records: Document, Claim, Event and its parts.

These are plain frozen dataclasses so that extraction and resolution can stay
pure functions over values, and so that any of them can be pickled to a worker
process.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["exchange", "cumulative", "target", "status"]
Category = Literal["bodies", "pows", "civilians"]
Qualifier = Literal["exact", "about", "at_least", "more_than", "up_to"]

KINDS: tuple[str, ...] = ("exchange", "cumulative", "target", "status")
CATEGORIES: tuple[str, ...] = ("bodies", "pows", "civilians")
QUALIFIERS: tuple[str, ...] = ("exact", "about", "at_least", "more_than", "up_to")

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The form of a text that identifies a document: NFC, single spaces, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def document_id(text: str) -> str:
    """A document's id: the first 16 hex digits of the SHA-256 of its normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Document:
    """One report: its text and what is known about where it came from."""

    text: str
    source: str
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    title: str | None = None

    @property
    def id(self) -> str:
        return document_id(self.text)


@dataclass(frozen=True)
class Claim:
    """One thing one document asserts, with the span of text that asserts it.

    The fields up to ``quote`` are the stable claim record of DESIGN.md;
    ``mediators`` and ``date_note`` are additions.
    """

    doc: str
    kind: str
    category: str
    from_side: str | None
    to_side: str | None
    count: int | None
    qualifier: str
    event_date: str | None
    attributed_to: str | None
    agreement: str | None
    span: tuple[int, int]
    quote: str
    mediators: tuple[str, ...] = ()
    date_note: str | None = None

    def record(self) -> dict[str, Any]:
        """The claim as the JSON-ready record of DESIGN.md."""
        data = asdict(self)
        data["span"] = list(self.span)
        data["mediators"] = list(self.mediators)
        return data


@dataclass(frozen=True)
class Flow:
    """One direction of an event, reconciled from every claim about it."""

    from_side: str | None
    to_side: str | None
    best: int | None
    low: int | None
    high: int | None
    n_sources: int
    rule: str
    figures: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (count, who says it)

    def record(self) -> dict[str, Any]:
        return {
            "from_side": self.from_side,
            "to_side": self.to_side,
            "best": self.best,
            "low": self.low,
            "high": self.high,
            "n_sources": self.n_sources,
            "rule": self.rule,
            "figures": [{"count": c, "said_by": list(w)} for c, w in self.figures],
        }


EVENT_STATUSES: tuple[str, ...] = ("announced", "completed", "disputed")


@dataclass(frozen=True)
class Part:
    """One stage of a composite exchange: a document that gives a direction in parts.

    ``counts`` are the parts, ``total`` what they add up to (the figure that
    competes with other reports), ``document_id`` the document that gives them.
    """

    from_side: str | None
    to_side: str | None
    counts: tuple[int, ...]
    total: int
    document_id: str

    def record(self) -> dict[str, Any]:
        return {
            "from_side": self.from_side,
            "to_side": self.to_side,
            "counts": list(self.counts),
            "total": self.total,
            "document": self.document_id,
        }


@dataclass(frozen=True)
class Event:
    """Our inference that several claims describe one exchange.

    ``n_documents`` counts independent sources (a republished copy counts with
    its original); ``documents`` lists every document, copies included.
    ``status`` is one of EVENT_STATUSES (docs/reconciliation.md says how it is
    decided).
    """

    id: str
    category: str
    date: str
    flows: tuple[Flow, ...]
    agreement: str | None
    mediators: tuple[str, ...]
    n_documents: int
    disputed: bool
    claim_ids: tuple[int, ...] = field(default=(), compare=False)
    notes: tuple[str, ...] = ()
    status: str = "completed"
    documents: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "date": self.date,
            "flows": [f.record() for f in self.flows],
            "agreement": self.agreement,
            "mediators": list(self.mediators),
            "n_documents": self.n_documents,
            "n_claims": len(self.claim_ids),
            "disputed": self.disputed,
            "notes": list(self.notes),
            "status": self.status,
            "documents": list(self.documents),
            "parts": [p.record() for p in self.parts],
        }
