"""Reading from the store: claims for resolution, events and their evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, select

from ..errors import NotFoundError
from ..resolve import ClaimRef
from . import schema
from .database import Store

c, d, e = schema.claims.c, schema.documents.c, schema.events.c
cp = schema.document_copies.c


@dataclass(frozen=True)
class EventFilter:
    """Which events to list: by category and by date (inclusive ISO bounds)."""

    category: str | None = None
    since: str | None = None
    until: str | None = None

    def apply(self, query: Select[Any], date_column: Any) -> Select[Any]:
        if self.category:
            query = query.where(e.category == self.category)
        if self.since:
            query = query.where(date_column >= self.since)
        if self.until:
            # "2025-12" as an upper bound takes in every day of December.
            query = query.where(date_column <= self.until + "\uffff")
        return query


# A claim's own fields, in the order every reader of claims (ClaimRef, Evidence) begins with.
CLAIM_COLUMNS = (
    c.id,
    c.document_id,
    c.kind,
    c.category,
    c.from_side,
    c.to_side,
    c.count,
    c.qualifier,
    c.event_date,
    c.attributed_to,
    c.agreement,
)
# What resolution reads of each claim, in ClaimRef's field order: no quote or span, so that
# streaming a million claims stays light.
_REF_COLUMNS = (*CLAIM_COLUMNS, c.mediators, d.published, cp.copy_of)
# What a reader of the evidence sees besides: the quote and where it was published.
_EVIDENCE_COLUMNS = (c.span_start, c.span_end, c.quote, c.date_note, d.source, d.url, d.outlet, d.title)


def _joined(*columns: Any) -> Select[Any]:
    """Claims joined to their documents (and what those copy), with the columns asked for."""
    return (
        select(*columns)
        .join(schema.documents, d.id == c.document_id)
        .join(schema.document_copies, cp.document_id == c.document_id, isouter=True)
    )


def claim_refs(store: Store) -> Iterator[ClaimRef]:
    """Every exchange claim with its document's publication date and source, for resolution."""
    # The copies are read first (few rows): cheaper than joining them to a million claims.
    query = (
        select(*_REF_COLUMNS[:-1]).join(schema.documents, d.id == c.document_id).where(c.kind == "exchange")
    )
    with store.engine.connect() as conn:
        copy_of: dict[str, str] = {
            r.document_id: r.copy_of for r in conn.execute(select(cp.document_id, cp.copy_of))
        }
        result = conn.execution_options(stream_results=True, yield_per=20_000).execute(query)
        for row in result:
            yield ClaimRef._make((*row, copy_of.get(row.document_id)))


def claim_refs_where(store: Store, *conditions: Any) -> list[ClaimRef]:
    """The exchange claims that meet ``conditions`` (SQLAlchemy expressions on the claims table)."""
    query = _joined(*_REF_COLUMNS).where(c.kind == "exchange", *conditions)
    with store.engine.connect() as conn:
        return [ClaimRef._make(row) for row in conn.execute(query)]


def list_events(store: Store, where: EventFilter | None = None) -> list[dict[str, Any]]:
    """Event records, oldest first."""
    where = where or EventFilter()
    query = where.apply(select(e.record), e.date).order_by(e.date, e.category)
    with store.engine.connect() as conn:
        return [json.loads(r[0]) for r in conn.execute(query)]


def get_event(store: Store, event_id: str) -> dict[str, Any]:
    """One event record with every claim behind it, or NotFoundError."""
    with store.engine.connect() as conn:
        row = conn.execute(select(e.record).where(e.id == event_id)).first()
    if row is None:
        raise NotFoundError("event", event_id)
    record: dict[str, Any] = json.loads(row[0])
    record["claims"] = event_claims(store, event_id)
    record["related"] = related_events(store, event_id)
    return record


def related_events(store: Store, event_id: str) -> list[str]:
    """Events of other categories on the same date that share a report with this one.

    An exchange of prisoners and civilians is one deal told in two
    categories; each is an event, and each names the other as a part of the
    same exchange.
    """
    ec = schema.event_claims.c
    mine = select(c.document_id).join(schema.event_claims, ec.claim_id == c.id).where(ec.event_id == event_id)
    date = select(e.date).where(e.id == event_id).scalar_subquery()
    query = (
        select(e.id)
        .join(schema.event_claims, ec.event_id == e.id)
        .join(schema.claims, c.id == ec.claim_id)
        .where(e.date == date, e.id != event_id, c.document_id.in_(mine))
        .distinct()
        .order_by(e.id)
    )
    with store.engine.connect() as conn:
        return list(conn.execute(query).scalars())


def claim_query() -> Select[Any]:
    """Claims with their evidence and where they were published, ready for ``claim_record``."""
    return _joined(*_REF_COLUMNS, *_EVIDENCE_COLUMNS)


def claim_record(row: Any) -> dict[str, Any]:
    """A row of ``claim_query`` as the JSON-ready claim a reader sees."""
    m = row._mapping
    return {
        "id": m["id"],
        "doc": m["source"],
        "document_id": m["document_id"],
        "kind": m["kind"],
        "category": m["category"],
        "from_side": m["from_side"],
        "to_side": m["to_side"],
        "count": m["count"],
        "qualifier": m["qualifier"],
        "event_date": m["event_date"],
        "attributed_to": m["attributed_to"],
        "agreement": m["agreement"],
        "span": [m["span_start"], m["span_end"]],
        "quote": m["quote"],
        "mediators": [x for x in (m["mediators"] or "").split(",") if x],
        "date_note": m["date_note"],
        "url": m["url"],
        "outlet": m["outlet"],
        "published": m["published"],
        "title": m["title"],
        "copy_of": m["copy_of"],
    }


def event_claims(store: Store, event_id: str) -> list[dict[str, Any]]:
    """The claims behind one event, with where each was published."""
    query = (
        claim_query()
        .join(
            schema.event_claims,
            and_(schema.event_claims.c.claim_id == c.id, schema.event_claims.c.event_id == event_id),
        )
        .order_by(d.published, c.id)
    )
    with store.engine.connect() as conn:
        return [claim_record(r) for r in conn.execute(query)]


def stored_claims(store: Store, kind: str | None = None) -> list[dict[str, Any]]:
    """Every stored claim (of one kind, if given), in storage order."""
    query = claim_query().order_by(c.id)
    if kind:
        query = query.where(c.kind == kind)
    with store.engine.connect() as conn:
        return [claim_record(r) for r in conn.execute(query)]
