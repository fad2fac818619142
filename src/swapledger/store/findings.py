"""Reading and writing findings, and what findings, the checker and agreement views read.

Findings are derived with events: ``replace_findings`` replaces all of them,
or (for an incremental update) those of the events named plus the running
totals, in one transaction. A stamp of the events they were computed from is
kept in ``meta`` so that readers can tell when they are out of date.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, insert, or_, select

from ..errors import NotFoundError
from ..model import Event, Flow
from ..resolve import ClaimRef
from ..resolve.findings import EventSum, Evidence, Finding
from . import schema
from .database import Store
from .queries import CLAIM_COLUMNS

if TYPE_CHECKING:
    from ..check import Candidate

c, d, e, f = schema.claims.c, schema.documents.c, schema.events.c, schema.event_flows.c
fi = schema.findings.c

_EVIDENCE = (*CLAIM_COLUMNS, c.quote, d.source, d.outlet, d.published, d.url)
_STAMP_KEY = "findings_stamp"
_CHUNK = 900  # ids per IN (...) list: under SQLite's default limit of host parameters


def load_evidence(
    store: Store, claim_ids: Collection[int] | None = None, kinds: Sequence[str] = ("exchange", "cumulative")
) -> Iterator[Evidence]:
    """Claims with their quotes and where they were published: all of ``kinds``, or those with these ids."""
    query = select(*_EVIDENCE).join(schema.documents, d.id == c.document_id)
    with store.engine.connect() as conn:
        if claim_ids is None:
            result = conn.execution_options(stream_results=True, yield_per=20_000).execute(
                query.where(c.kind.in_(list(kinds)))
            )
            for row in result:
                yield Evidence._make(row)
            return
        ids = sorted(set(claim_ids))
        for start in range(0, len(ids), _CHUNK):
            for row in conn.execute(query.where(c.id.in_(ids[start : start + _CHUNK]))):
                yield Evidence._make(row)


def cumulative_evidence(store: Store, agreement: str | None = None) -> list[Evidence]:
    """The running totals reports give (cumulative claims), under one agreement if named."""
    query = select(*_EVIDENCE).join(schema.documents, d.id == c.document_id).where(c.kind == "cumulative")
    if agreement is not None:
        query = query.where(c.agreement == agreement)
    with store.engine.connect() as conn:
        return [Evidence._make(r) for r in conn.execute(query.order_by(d.published, c.id))]


def event_sums(store: Store, agreement: str | None = None) -> list[EventSum]:
    """Every directed flow of every event (under one agreement, if named): what running totals add up."""
    query = select(e.id, e.category, e.date, e.agreement, f.to_side, f.best, f.low, f.high).join(
        schema.event_flows, f.event_id == e.id
    )
    query = query.where(f.to_side.is_not(None))
    if agreement is not None:
        query = query.where(e.agreement == agreement)
    with store.engine.connect() as conn:
        return [EventSum._make(r) for r in conn.execute(query.order_by(e.date, e.category))]


def stored_events(store: Store, ids: Collection[str] | None = None) -> list[Event]:
    """Events as records (with the ids of their claims), read back from the store."""
    query = select(e.id, e.record).order_by(e.date, e.category)
    links = select(schema.event_claims.c.event_id, schema.event_claims.c.claim_id)
    claim_ids: dict[str, list[int]] = {}
    rows: list[tuple[str, str]] = []
    with store.engine.connect() as conn:
        if ids is None:
            rows = [(r[0], r[1]) for r in conn.execute(query)]
            for event_id, claim_id in conn.execute(links):
                claim_ids.setdefault(event_id, []).append(claim_id)
        else:
            wanted = sorted(set(ids))
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                rows += [(r[0], r[1]) for r in conn.execute(query.where(e.id.in_(chunk)))]
                for event_id, claim_id in conn.execute(
                    links.where(schema.event_claims.c.event_id.in_(chunk))
                ):
                    claim_ids.setdefault(event_id, []).append(claim_id)
    return [_event(json.loads(record), claim_ids.get(event_id, [])) for event_id, record in rows]


def _event(record: dict[str, Any], claim_ids: Iterable[int]) -> Event:
    flows = tuple(
        Flow(
            from_side=fl["from_side"],
            to_side=fl["to_side"],
            best=fl["best"],
            low=fl["low"],
            high=fl["high"],
            n_sources=fl["n_sources"],
            rule=fl["rule"],
            figures=tuple((x["count"], tuple(x["said_by"])) for x in fl["figures"]),
        )
        for fl in record["flows"]
    )
    return Event(
        id=record["id"],
        category=record["category"],
        date=record["date"],
        flows=flows,
        agreement=record["agreement"],
        mediators=tuple(record["mediators"]),
        n_documents=record["n_documents"],
        disputed=record["disputed"],
        claim_ids=tuple(sorted(claim_ids)),
        notes=tuple(record.get("notes", ())),
    )


def events_stamp(store: Store) -> str:
    """A cheap fingerprint of the events and their figures: it changes when they are rebuilt differently."""
    with store.engine.connect() as conn:
        n, claims = conn.execute(
            select(func.count(), func.coalesce(func.sum(e.n_claims), 0)).select_from(schema.events)
        ).one()
        best, low, high, n_flows = conn.execute(
            select(
                func.coalesce(func.sum(f.best), 0),
                func.coalesce(func.sum(f.low), 0),
                func.coalesce(func.sum(f.high), 0),
                func.count(),
            ).select_from(schema.event_flows)
        ).one()
        n_cumulative = conn.execute(
            select(func.count()).select_from(schema.claims).where(c.kind == "cumulative")
        ).scalar()
    return f"{n}:{claims}:{n_flows}:{best}:{low}:{high}:{n_cumulative}"


def findings_current(store: Store) -> bool:
    """True when the stored findings were computed from the events now stored."""
    with store.engine.connect() as conn:
        stamp = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == _STAMP_KEY)).scalar()
    return stamp == events_stamp(store)


def replace_findings(
    store: Store, findings: Iterable[Finding], event_ids: Collection[str] | None = None
) -> int:
    """Store findings in one transaction; returns how many were written.

    With ``event_ids`` None every finding is replaced. Otherwise (an incremental
    update) the findings of those events and every finding not tied to an
    event (running totals) are replaced, and the rest are kept.
    """
    rows = {x.id: _row(x) for x in findings}
    stamp = events_stamp(store)
    with store.engine.begin() as conn:
        if event_ids is None:
            conn.execute(delete(schema.findings))
        else:
            conn.execute(delete(schema.findings).where(fi.event_id.is_(None)))
            wanted = sorted(set(event_ids))
            for start in range(0, len(wanted), _CHUNK):
                conn.execute(delete(schema.findings).where(fi.event_id.in_(wanted[start : start + _CHUNK])))
            # a finding about a touched event may be filed under an untouched one (a stray year)
            ids = sorted(rows)
            for start in range(0, len(ids), _CHUNK):
                conn.execute(delete(schema.findings).where(fi.id.in_(ids[start : start + _CHUNK])))
        values = list(rows.values())
        for start in range(0, len(values), 5000):
            conn.execute(insert(schema.findings), values[start : start + 5000])
        updated = conn.execute(
            schema.meta.update().where(schema.meta.c.key == _STAMP_KEY).values(value=stamp)
        ).rowcount
        if not updated:
            conn.execute(insert(schema.meta), {"key": _STAMP_KEY, "value": stamp})
    return len(rows)


def _row(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "kind": finding.kind,
        "event_id": finding.event_id,
        "summary": finding.summary,
        "record": json.dumps(finding.record(), ensure_ascii=False),
    }


def list_findings(store: Store, kind: str | None = None, event_id: str | None = None) -> list[Finding]:
    """Stored findings (of one kind, about one event), by event date then kind."""
    query = select(fi.record).select_from(schema.findings.outerjoin(schema.events, e.id == fi.event_id))
    if kind is not None:
        query = query.where(fi.kind == kind)
    if event_id is not None:
        query = query.where(fi.event_id == event_id)
    query = query.order_by(e.date.is_(None), e.date, fi.kind, fi.id)
    with store.engine.connect() as conn:
        return [Finding.from_record(json.loads(r[0])) for r in conn.execute(query)]


def get_finding(store: Store, finding_id: str) -> Finding:
    """One stored finding, or NotFoundError."""
    with store.engine.connect() as conn:
        row = conn.execute(select(fi.record).where(fi.id == finding_id)).first()
    if row is None:
        raise NotFoundError("finding", finding_id)
    return Finding.from_record(json.loads(row[0]))


def events_under(store: Store, agreement_id: str) -> list[dict[str, Any]]:
    """The records of the events carried out under one agreement, oldest first (agreement views)."""
    query = select(e.record).where(e.agreement == agreement_id).order_by(e.date, e.category)
    with store.engine.connect() as conn:
        return [json.loads(r[0]) for r in conn.execute(query)]


def candidates(
    store: Store, cells: Collection[tuple[str, str]], years: Collection[tuple[str, str]] = ()
) -> list[Candidate]:
    """The events of these (category, "YYYY-MM") cells and (category, "YYYY") years, each with the
    claims behind it as resolution reads them (the checker regroups them with a new report's)."""
    from ..check import Candidate

    periods = sorted(set(cells) | set(years))
    if not periods:
        return []
    ids: list[str] = []
    with store.engine.connect() as conn:
        for start in range(0, len(periods), 200):
            chunk = periods[start : start + 200]
            where = or_(*(and_(e.category == cat, e.date.like(f"{period}%")) for cat, period in chunk))
            ids += [r[0] for r in conn.execute(select(e.id).where(where))]
    events = stored_events(store, ids)
    refs = {r.id: r for r in claim_refs_by_id(store, [i for ev in events for i in ev.claim_ids])}
    return [Candidate(ev, tuple(refs[i] for i in ev.claim_ids if i in refs)) for ev in events]


def claim_refs_by_id(store: Store, claim_ids: Collection[int]) -> list[ClaimRef]:
    """Claims as resolution reads them (``ClaimRef``), by id, with the original a copy republishes."""
    copies = schema.document_copies.c
    columns = {
        "id": c.id,
        "document_id": c.document_id,
        "kind": c.kind,
        "category": c.category,
        "from_side": c.from_side,
        "to_side": c.to_side,
        "value": c.count,
        "qualifier": c.qualifier,
        "event_date": c.event_date,
        "attributed_to": c.attributed_to,
        "agreement": c.agreement,
        "mediators": c.mediators,
        "published": d.published,
        "source": copies.copy_of,
    }
    # Only the fields ClaimRef has: resolution may add fields with defaults.
    wanted = [name for name in ClaimRef._fields if name in columns]
    query = (
        select(*(columns[n].label(n) for n in wanted))
        .join(schema.documents, d.id == c.document_id)
        .outerjoin(schema.document_copies, copies.document_id == c.document_id)
    )
    ids = sorted(set(claim_ids))
    out: list[ClaimRef] = []
    with store.engine.connect() as conn:
        for start in range(0, len(ids), _CHUNK):
            for row in conn.execute(query.where(c.id.in_(ids[start : start + _CHUNK]))):
                out.append(ClaimRef(**row._asdict()))
    return out
