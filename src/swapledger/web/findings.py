"""Reading stored findings (built with the events) for the pages and the API."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from ..store import Store, schema
from .errors import WebError
from .paging import Page, decode_cursor, page_of
from .reading import ListQuery

fi = schema.findings.c

# A list shows this many of each finding's claims (a dispute over a big exchange can cite hundreds);
# the finding's own page and /api/v1/findings/ID give them all.
LISTED_CLAIMS = 10


def _record(row: Any) -> dict[str, Any]:
    record = json.loads(row.record)
    if not isinstance(record, dict):
        record = {"evidence": record}
    return {**record, "id": row.id, "kind": row.kind, "event_id": row.event_id, "summary": row.summary}


def _listed(record: dict[str, Any]) -> dict[str, Any]:
    claims = record.get("claims")
    if isinstance(claims, list):
        record["n_claims"] = len(claims)
        record["claims"] = claims[:LISTED_CLAIMS]
    return record


def list_findings(store: Store, q: ListQuery, kind: str | None = None) -> Page:
    """A page of findings in id order, of one kind if given (each with its first claims and how many)."""
    after = decode_cursor(q.cursor, "findings", "id", 1)
    query = select(fi.id, fi.kind, fi.event_id, fi.summary, fi.record)
    if kind:
        query = query.where(fi.kind == kind)
    if q.category or q.since or q.until:
        e = schema.events.c
        query = query.join(schema.events, e.id == fi.event_id)
        if q.category:
            query = query.where(e.category == q.category)
        query = q.dates(query, e.date)
    if after is not None:
        query = query.where(fi.id > after[0])
    with store.engine.connect() as conn:
        rows = [_listed(_record(r)) for r in conn.execute(query.order_by(fi.id).limit(q.limit + 1))]
    return page_of(rows, q.limit, "findings", "id", lambda r: [r["id"]])


def get_finding(store: Store, finding_id: str) -> dict[str, Any]:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(fi.id, fi.kind, fi.event_id, fi.summary, fi.record).where(fi.id == finding_id)
        ).first()
    if row is None:
        raise WebError(404, f"no finding with id {finding_id!r}")
    return _record(row)


def findings_for_event(store: Store, event_id: str) -> list[dict[str, Any]]:
    query = select(fi.id, fi.kind, fi.event_id, fi.summary, fi.record).where(fi.event_id == event_id)
    with store.engine.connect() as conn:
        return [_listed(_record(r)) for r in conn.execute(query.order_by(fi.id))]
