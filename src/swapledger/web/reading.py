"""The web layer's own reads: keyset-paged lists and the few aggregates the pages draw.

Everything here reads; the store's writers stay in ``store/``. Lists page by
key (see ``paging``) so that any page of a ledger of a million claims costs
what the first does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, tuple_

from ..model import CATEGORIES
from ..store import Store, schema
from ..store.queries import claim_query, claim_record
from .errors import WebError
from .paging import Page, decode_cursor, page_of

c, d, e, f = schema.claims.c, schema.documents.c, schema.events.c, schema.event_flows.c

EVENT_SORTS: dict[str, Any] = {
    "date": e.date,
    "category": e.category,
    "n_documents": e.n_documents,
    "n_claims": e.n_claims,
    "status": e.status,
}


@dataclass(frozen=True)
class ListQuery:
    """What every list takes: filters (inclusive ISO date bounds), a page size and a cursor."""

    category: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 50
    cursor: str | None = None

    def __post_init__(self) -> None:
        if self.category is not None and self.category not in CATEGORIES:
            raise WebError(400, f"category: {self.category!r} is not one of {', '.join(CATEGORIES)}")

    def dates(self, query: Select[Any], column: Any) -> Select[Any]:
        if self.since:
            query = query.where(column >= self.since)
        if self.until:
            # "2025-12" as an upper bound takes in every day of December.
            query = query.where(column <= self.until + "\uffff")
        return query

    def args(self) -> dict[str, str]:
        """The filters as query arguments, for links to other pages of the same list."""
        return {
            k: str(v)
            for k, v in (("category", self.category), ("since", self.since), ("until", self.until))
            if v
        }


@dataclass(frozen=True)
class EventQuery(ListQuery):
    """Events also filter by agreement and dispute, and sort by a column (``-`` for descending)."""

    agreement: str | None = None
    disputed: bool | None = None
    sort: str = "-date"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.sort.lstrip("-") not in EVENT_SORTS:
            raise WebError(
                400,
                f"sort: {self.sort!r} is not one of {', '.join(EVENT_SORTS)} (a leading - for descending)",
            )

    def args(self) -> dict[str, str]:
        out = super().args()
        if self.agreement:
            out["agreement"] = self.agreement
        if self.disputed is not None:
            out["disputed"] = "true" if self.disputed else "false"
        return out


def _keyset(
    query: Select[Any], columns: Sequence[Any], after: list[Any] | None, descending: bool
) -> Select[Any]:
    if after is not None:
        row, values = tuple_(*columns), tuple_(*after)
        query = query.where(row < values if descending else row > values)
    return query.order_by(*[col.desc() if descending else col for col in columns])


def list_events(store: Store, q: EventQuery) -> Page:
    """A page of event records, filtered and sorted as asked."""
    sort_column = EVENT_SORTS[q.sort.lstrip("-")]
    descending = q.sort.startswith("-")
    after = decode_cursor(q.cursor, "events", q.sort, 2)
    query = q.dates(select(e.record, sort_column.label("sort_key"), e.id), e.date)
    if q.category:
        query = query.where(e.category == q.category)
    if q.agreement:
        query = query.where(e.agreement == q.agreement)
    if q.disputed is not None:
        query = query.where(e.disputed.is_(q.disputed))
    query = _keyset(query, [sort_column, e.id], after, descending).limit(q.limit + 1)
    with store.engine.connect() as conn:
        rows = [(json.loads(r.record), r.sort_key) for r in conn.execute(query)]
    items = [{**record, "_key": [key, record["id"]]} for record, key in rows]
    page = page_of(items, q.limit, "events", q.sort, lambda item: item["_key"])
    for item in page.items:
        del item["_key"]
    return page


def event_ids_for_documents(store: Store, document_ids: Sequence[str]) -> list[str]:
    """The events that hold a claim of any of these documents."""
    if not document_ids:
        return []
    ec = schema.event_claims.c
    query = (
        select(ec.event_id)
        .join(schema.claims, c.id == ec.claim_id)
        .where(c.document_id.in_(list(document_ids)))
        .distinct()
        .order_by(ec.event_id)
    )
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(query)]


DOCUMENT_COLUMNS = (
    d.id,
    d.source,
    d.url,
    d.outlet,
    d.published,
    d.language,
    d.title,
    d.n_claims,
    d.ingested_at,
)


def list_documents(store: Store, q: ListQuery) -> Page:
    """A page of documents (without their text), newest first; undated ones after the dated."""
    after = decode_cursor(q.cursor, "documents", "-published", 2)
    base = select(*DOCUMENT_COLUMNS)
    if q.category:
        base = base.where(select(c.id).where(c.document_id == d.id, c.category == q.category).exists())
    rows: list[dict[str, Any]] = []
    with store.engine.connect() as conn:
        if after is None or after[0] is not None:
            dated = q.dates(base.where(d.published.is_not(None)), d.published)
            query = _keyset(dated, [d.published, d.id], after, descending=True).limit(q.limit + 1)
            rows = [dict(r._mapping) for r in conn.execute(query)]
        if len(rows) <= q.limit and not (q.since or q.until):
            undated = base.where(d.published.is_(None))
            if after is not None and after[0] is None:
                undated = undated.where(d.id < after[1])
            query = undated.order_by(d.id.desc()).limit(q.limit + 1 - len(rows))
            rows += [dict(r._mapping) for r in conn.execute(query)]
    return page_of(rows, q.limit, "documents", "-published", lambda r: [r["published"], r["id"]])


def get_document(store: Store, document_id: str) -> dict[str, Any]:
    """One document with its text and claims; WebError 404 if there is none."""
    with store.engine.connect() as conn:
        row = conn.execute(select(*DOCUMENT_COLUMNS, d.text).where(d.id == document_id)).first()
        if row is None:
            raise WebError(404, f"no document with id {document_id!r}")
        claims = [
            claim_record(r)
            for r in conn.execute(claim_query().where(c.document_id == document_id).order_by(c.id))
        ]
    return {**dict(row._mapping), "claims": claims}


def list_claims(store: Store, q: ListQuery, kind: str | None = None, document: str | None = None) -> Page:
    """A page of claims in storage order, with their quotes and where they were published."""
    after = decode_cursor(q.cursor, "claims", "id", 1)
    query = q.dates(claim_query(), c.event_date)
    if q.category:
        query = query.where(c.category == q.category)
    if kind:
        query = query.where(c.kind == kind)
    if document:
        query = query.where(c.document_id == document)
    if after is not None:
        query = query.where(c.id > after[0])
    with store.engine.connect() as conn:
        rows = [claim_record(r) for r in conn.execute(query.order_by(c.id).limit(q.limit + 1))]
    return page_of(rows, q.limit, "claims", "id", lambda r: [r["id"]])


def get_claim(store: Store, claim_id: int) -> dict[str, Any]:
    with store.engine.connect() as conn:
        row = conn.execute(claim_query().where(c.id == claim_id)).first()
    if row is None:
        raise WebError(404, f"no claim with id {claim_id}")
    return claim_record(row)


def document_texts(store: Store, document_ids: Sequence[str]) -> dict[str, str]:
    """The text of each of these documents, by id."""
    ids = sorted(set(document_ids))
    out: dict[str, str] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            out.update((r.id, r.text) for r in conn.execute(select(d.id, d.text).where(d.id.in_(chunk))))
    return out


def monthly_flows(store: Store, category: str | None) -> list[dict[str, Any]]:
    """Per month and receiving side: the summed best, low and high figures and how many events."""
    month = func.substr(e.date, 1, 7)
    query = (
        select(
            month.label("month"),
            f.to_side,
            func.sum(f.best),
            func.sum(func.coalesce(f.low, f.best)),
            func.sum(func.coalesce(f.high, f.best)),
            func.count(),
        )
        .join(schema.event_flows, f.event_id == e.id)
        .where(f.to_side.is_not(None), f.best.is_not(None), func.length(e.date) >= 7)
        .group_by(month, f.to_side)
        .order_by(month, f.to_side)
    )
    if category:
        query = query.where(e.category == category)
    with store.engine.connect() as conn:
        return [
            {
                "month": m,
                "to_side": side,
                "best": int(best),
                "low": int(low),
                "high": int(high),
                "n_events": n,
            }
            for m, side, best, low, high, n in conn.execute(query)
        ]


def count_events_without_month(store: Store, category: str | None) -> int:
    """Events dated only by year: they cannot be placed in a monthly chart, and the page says so."""
    query = select(func.count()).select_from(schema.events).where(func.length(e.date) < 7)
    if category:
        query = query.where(e.category == category)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


def latest_events(store: Store, n: int) -> list[dict[str, Any]]:
    return list_events(store, EventQuery(limit=n, sort="-date")).items
