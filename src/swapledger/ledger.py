"""Ledger views over events: what each side received, and rebuilding events."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from . import conflicts
from .conflicts import Agreement, Term
from .errors import NotFoundError, OptionError
from .model import Event
from .resolve import BuildResult, Decision, build_events
from .resolve.findings import EventSum, Evidence, Finding
from .store import EventFilter, Store, claim_refs, schema


def rebuild(store: Store, conflict_id: str = "ru-ua") -> BuildResult:
    """Rebuild every event from the stored claims and the analysts' decisions, then the findings.

    Documents stored before copy detection existed are fingerprinted first.
    Decisions whose targets are gone are in ``result.problems`` (and in
    ``store.curation_problems()``).
    """
    conflict = conflicts.load(conflict_id)
    store.fingerprint_missing()
    result = build_events(claim_refs(store), conflict, store.decisions())
    store.replace_events(result.events, result.problems)
    _refresh_findings(store, result.events, conflict, None)
    return result


INCREMENTAL_LIMIT = 50
"""Batches of up to this many new documents update events incrementally; larger ones rebuild.

An incremental update re-reads about a month of one category per document,
while a rebuild reads everything once: past a few dozen documents the rebuild
is the cheaper of the two on a ledger of a million claims.
"""


def update_events(store: Store, document_ids: Sequence[str], conflict_id: str = "ru-ua") -> BuildResult:
    """Update only the events that documents just stored (``document_ids``) can touch.

    The claims that could share an event with theirs are re-read
    (store/scope.py), grouped by the same pure code as a full rebuild, and
    the events that changed replaced in one transaction; the result equals a
    full rebuild's. Returns the events that changed (not the whole ledger).
    """
    return _update(store, document_ids, None, conflicts.load(conflict_id))


def apply_decision(
    store: Store,
    action: str,
    target: str,
    payload: dict[str, Any],
    who: str,
    why: str,
    conflict_id: str = "ru-ua",
) -> tuple[int, BuildResult]:
    """Record an analyst's decision and rebuild the events it touches; its id and what was rebuilt.

    A revocation rebuilds the events of the decision it revokes. The update is
    incremental, like ``update_events``; ``result.problems`` says whether the
    decision could be applied.
    """
    parties = [p.code for p in conflicts.load(conflict_id).parties]
    if action == "set" and payload.get("to") not in parties:
        known = ", ".join(parties)
        raise OptionError("to", f"{payload.get('to')!r} is not a party of {conflict_id} ({known})")
    decision_id = store.add_decision(action, target, payload, who, why)
    touched = store.decision(int(target) if action == "revoke" else decision_id)
    return decision_id, _update(store, (), touched, conflicts.load(conflict_id))


# An update reads its scope, then writes: two at once in one process (the web layer's threads)
# would each write what they read. They queue here; across processes, the last one wins until
# the next update of the same events.
_UPDATING = threading.Lock()


def _update(
    store: Store, document_ids: Sequence[str], touched: Decision | None, conflict: conflicts.Conflict
) -> BuildResult:
    with _UPDATING:
        return _update_now(store, document_ids, touched, conflict)


def _update_now(
    store: Store, document_ids: Sequence[str], touched: Decision | None, conflict: conflicts.Conflict
) -> BuildResult:
    from .store.scope import read_scope

    scope = read_scope(store, document_ids, store.decisions(), touched)
    result = build_events(scope.claims, conflict, scope.decisions)
    # Events rebuilt exactly as they were are left alone: a new report usually changes one or two.
    same = store.unchanged_events(result.events)
    changed = [x for x in result.events if x.id not in same]
    store.replace_some_events(
        scope.old_event_ids - same, changed, document_ids, [x.id for x in scope.decisions], result.problems
    )
    moved = scope.moved(result.events)
    documents = {r.document_id for r in scope.claims if r.id in moved}
    redo = (scope.old_event_ids - same) | {x.id for x in changed}
    _refresh_findings(store, changed, conflict, redo, documents)
    return BuildResult(changed, result.unplaced, result.problems)


def _refresh_findings(
    store: Store,
    events: Sequence[Event],
    conflict: conflicts.Conflict,
    touched: set[str] | None,
    documents: Collection[str] = (),
) -> None:
    """Findings are derived with events (resolve/findings.py): refresh them after every build.

    After an incremental update only some findings are recomputed: those of
    the events that changed (``touched``) and of the events that share a
    report with claims that moved (``documents``: a sentence that tells of
    several exchanges names no weekday for any one of them). Read beside them
    are the events that share a report with those, and the events of the same
    day in other years (a wrong-year finding compares them). Running totals
    are always recomputed.
    """
    from .resolve.findings import detect, event_findings, running_total_findings
    from .store import findings as stored

    if touched is None:
        stored.replace_findings(store, detect(events, stored.load_evidence(store), conflict))
        return
    e = schema.events.c
    with store.engine.connect() as conn:
        dated = [(r.id, r.category, r.date) for r in conn.execute(select(e.id, e.category, e.date))]
        redo = touched | _events_citing(conn, documents)
        context = _events_citing(conn, _documents_of(conn, redo))
    days = {(cat, date[5:]) for event_id, cat, date in dated if event_id in redo and len(date) == 10}
    wanted = redo | context | {event_id for event_id, cat, date in dated if (cat, date[5:]) in days}
    # The changed events are at hand; only the others are read back.
    nearby = [x for x in events if x.id in wanted]
    nearby += stored.stored_events(store, wanted - {x.id for x in events})
    # Quotes are needed for those events, and for the events of other years that could be a
    # stray report of one of them: fewer reports, and figures all among its figures (the test
    # of resolve/findings.py's wrong-year finding).
    hosts: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for x in nearby:
        if x.id in redo:
            hosts[(x.category, x.date[5:])].append(x)

    def figures(x: Event) -> set[tuple[str | None, int]]:
        return {(f.to_side, f.best) for f in x.flows if f.best is not None and f.to_side is not None}

    quoted = [
        x
        for x in nearby
        if x.id in redo
        or x.id in context
        or any(
            h.n_documents > x.n_documents and figures(x) <= figures(h)
            for h in hosts.get((x.category, x.date[5:]), [])
        )
    ]
    evidence = list(stored.load_evidence(store, {i for x in quoted for i in x.claim_ids}))
    found = event_findings(nearby, evidence, conflict, only=redo)
    found += running_total_findings(stored.event_sums(store), stored.cumulative_evidence(store), conflict)
    stored.replace_findings(store, found, redo)


def _events_citing(conn: Any, documents: Collection[str]) -> set[str]:
    """The events that hold a claim of one of these documents."""
    return _linked(conn, schema.event_claims.c.event_id, schema.claims.c.document_id, documents)


def _documents_of(conn: Any, event_ids: Collection[str]) -> set[str]:
    """The documents whose claims these events hold."""
    return _linked(conn, schema.claims.c.document_id, schema.event_claims.c.event_id, event_ids)


def _linked(conn: Any, wanted: Any, key: Any, keys: Collection[str]) -> set[str]:
    """``wanted`` of the claim–event links whose ``key`` is one of ``keys``, asked in chunks that
    stay under SQLite's limit of host parameters."""
    ec, cl = schema.event_claims.c, schema.claims.c
    ordered, found = sorted(keys), set()
    for start in range(0, len(ordered), 500):
        query = (
            select(wanted)
            .select_from(schema.event_claims)
            .join(schema.claims, cl.id == ec.claim_id)
            .where(key.in_(ordered[start : start + 500]))
            .distinct()
        )
        found.update(conn.execute(query).scalars())
    return found


@dataclass(frozen=True)
class Total:
    category: str
    to_side: str | None
    best: int
    low: int
    high: int
    n_events: int
    n_unknown: int  # events where this side's figure was not reported

    def record(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "to_side": self.to_side,
            "best": self.best,
            "low": self.low,
            "high": self.high,
            "n_events": self.n_events,
            "n_events_without_figure": self.n_unknown,
        }


def totals(store: Store, where: EventFilter | None = None, conflict_id: str = "ru-ua") -> list[Total]:
    """What each side received, per category, summed over the events that match."""
    where = where or EventFilter()
    e, f = schema.events.c, schema.event_flows.c
    query = where.apply(
        select(e.id, e.category, f.to_side, f.best, f.low, f.high).join(
            schema.event_flows, f.event_id == e.id, isouter=True
        ),
        e.date,
    )
    sums: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    events_by_category: dict[str, set[str]] = defaultdict(set)
    with store.engine.connect() as conn:
        for event_id, category, to_side, best, low, high in conn.execute(query):
            events_by_category[category].add(event_id)
            if to_side is None or best is None:
                continue
            acc = sums[(category, to_side)]
            acc[0] += best
            acc[1] += low if low is not None else best
            acc[2] += high if high is not None else best
            acc[3] += 1
    parties = [p.code for p in conflicts.load(conflict_id).parties]
    out: list[Total] = []
    for category in sorted(events_by_category):
        n_events = len(events_by_category[category])
        for side in parties:
            best, low, high, n = sums.get((category, side), [0, 0, 0, 0])
            out.append(Total(category, side, best, low, high, n, n_events - n))
    return out


# -- findings (issue 4) ------------------------------------------------------------------


def refresh_findings(
    store: Store,
    conflict_id: str = "ru-ua",
    events: Sequence[Event] | None = None,
    touched: Collection[str] | None = None,
) -> int:
    """Detect findings and store them; returns how many were written.

    ``events`` are every event of the ledger (read from the store when not
    given). With ``touched`` (ids of events an incremental update changed)
    only those events' findings are recomputed, and the running totals, which
    are sums over the events table.
    """
    from .resolve.findings import event_findings, running_total_findings
    from .store import findings as stored

    conflict = conflicts.load(conflict_id)
    events = list(events) if events is not None else stored.stored_events(store)
    wanted = events if touched is None else [e for e in events if e.id in set(touched)]
    evidence = stored.load_evidence(store, [i for e in wanted for i in e.claim_ids])
    found = event_findings(events, evidence, conflict, only=None if touched is None else set(touched))
    found += running_total_findings(stored.event_sums(store), stored.cumulative_evidence(store), conflict)
    return stored.replace_findings(store, found, None if touched is None else touched)


def findings(
    store: Store, kind: str | None = None, event_id: str | None = None, conflict_id: str = "ru-ua"
) -> list[Finding]:
    """The ledger's findings (of one kind, about one event), recomputed first if events changed."""
    from .store import findings as stored

    if store.events_stale():
        rebuild(store, conflict_id)
    if not stored.findings_current(store):
        refresh_findings(store, conflict_id)
    return stored.list_findings(store, kind, event_id)


# -- agreement progress (issue 4) -----------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """What one side received under one term of an agreement, against its target."""

    category: str  # the term's category
    counted: tuple[str, ...]  # categories whose transfers count towards it
    to_side: str
    term: str  # the term in a few words: "6,000 per side", "all for all"
    target: int | None  # None: all-for-all, or no figure agreed
    best: int
    low: int
    high: int
    n_events: int  # events under the agreement with a figure for this side
    n_unknown: int  # events under the agreement in these categories without one

    @property
    def remaining(self) -> int | None:
        """How many are still to come (never below zero), or None without a target."""
        return None if self.target is None else max(self.target - self.best, 0)

    def record(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "counted": list(self.counted),
            "to_side": self.to_side,
            "term": self.term,
            "target": self.target,
            "delivered": self.best,
            "low": self.low,
            "high": self.high,
            "remaining": self.remaining,
            "n_events": self.n_events,
            "n_events_without_figure": self.n_unknown,
        }


@dataclass(frozen=True)
class AnnouncedTotal:
    """A running total officials or reports announced for an agreement, next to the ledger's sum."""

    category: str
    to_side: str
    value: int
    qualifier: str
    as_of: str | None
    said_by: tuple[str, ...]
    documents: tuple[str, ...]
    ledger_best: int
    ledger_low: int
    ledger_high: int
    agrees: bool

    @property
    def gap(self) -> int:
        """The announced figure minus the ledger's best sum."""
        return self.value - self.ledger_best

    def record(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "to_side": self.to_side,
            "announced": self.value,
            "qualifier": self.qualifier,
            "as_of": self.as_of,
            "said_by": list(self.said_by),
            "documents": list(self.documents),
            "ledger": {"best": self.ledger_best, "low": self.ledger_low, "high": self.ledger_high},
            "gap": self.gap,
            "agrees": self.agrees,
        }


@dataclass(frozen=True)
class AgreementProgress:
    """An agreement, what was delivered under it per term and side, and the totals announced for it."""

    agreement: Agreement
    deliveries: tuple[Delivery, ...]
    announced: tuple[AnnouncedTotal, ...]
    n_events: int

    def record(self) -> dict[str, Any]:
        a = self.agreement
        return {
            "id": a.id,
            "name": a.name,
            "date": a.date,
            "place": a.place,
            "host": a.host,
            "parties": list(a.parties),
            "mediators": list(a.mediators),
            "summary": a.summary,
            "terms": [_term_record(t) for t in a.terms],
            "n_events": self.n_events,
            "progress": [d.record() for d in self.deliveries],
            "announced": [t.record() for t in self.announced],
        }


@dataclass(frozen=True)
class AgreementDetail:
    """One agreement's progress and every event carried out under it (event records)."""

    progress: AgreementProgress
    events: tuple[dict[str, Any], ...]

    def record(self) -> dict[str, Any]:
        return {**self.progress.record(), "events": list(self.events)}


def _term_record(term: Term) -> dict[str, Any]:
    return {
        "category": term.category,
        "counted": list(term.counted),
        "per_side": term.per_side,
        "targets": dict(term.targets),
        "all_for_all": term.all_for_all,
        "groups": list(term.groups),
        "note": term.note,
        "describe": term.describe(),
    }


def _progress(
    agreement: Agreement,
    sums: Sequence[EventSum],
    cumulative: Sequence[Evidence],
    event_categories: dict[str, str],
) -> AgreementProgress:
    """Progress from the flows of the agreement's events and the running totals announced for it."""
    from .resolve.findings import compare_running_total, ledger_sum

    terms = list(agreement.terms)
    covered = {c for t in terms for c in t.counted}
    # Transfers in a category no term names are shown too: the ledger says they were under the deal.
    for category in sorted(set(event_categories.values()) - covered):
        terms.append(Term(category, None, "not among the agreement's terms"))
    deliveries: list[Delivery] = []
    for term in terms:
        in_term = {eid for eid, cat in event_categories.items() if cat in term.counted}
        for side in agreement.parties:
            best = low = high = 0
            with_figure: set[str] = set()
            for s in sums:
                if s.event_id in in_term and s.to_side == side and s.best is not None:
                    best += s.best
                    low += s.low if s.low is not None else s.best
                    high += s.high if s.high is not None else s.best
                    with_figure.add(s.event_id)
            deliveries.append(
                Delivery(
                    category=term.category,
                    counted=term.counted,
                    to_side=side,
                    term=term.describe() if term.note != "not among the agreement's terms" else term.note,
                    target=term.target(side),
                    best=best,
                    low=low,
                    high=high,
                    n_events=len(with_figure),
                    n_unknown=len(in_term - with_figure),
                )
            )
    groups: dict[tuple[str, str, int, str, str | None], list[Evidence]] = defaultdict(list)
    for c in cumulative:
        if c.value is not None and c.to_side is not None:
            as_of = c.event_date if c.event_date and len(c.event_date) >= 7 else (c.published or None)
            groups[(c.category, c.to_side, c.value, c.qualifier, as_of)].append(c)
    announced: list[AnnouncedTotal] = []
    for (category, side, value, qualifier, as_of), claims in sorted(groups.items(), key=str):
        held = ledger_sum(sums, category, side, agreement.id, as_of)
        announced.append(
            AnnouncedTotal(
                category=category,
                to_side=side,
                value=value,
                qualifier=qualifier,
                as_of=as_of,
                said_by=tuple(dict.fromkeys(c.attributed_to or "unattributed" for c in claims)),
                documents=tuple(sorted({c.document_id for c in claims})),
                ledger_best=held.best,
                ledger_low=held.low,
                ledger_high=held.high,
                agrees=compare_running_total(value, qualifier, held) is None,
            )
        )
    return AgreementProgress(agreement, tuple(deliveries), tuple(announced), len(event_categories))


def agreement_progress(store: Store, conflict_id: str = "ru-ua") -> list[AgreementProgress]:
    """For each agreement of the conflict: delivered against target per term and side, what
    remains, and the running totals announced for it next to the sum of its events."""
    from .store import findings as stored

    if store.events_stale():
        rebuild(store, conflict_id)
    conflict = conflicts.load(conflict_id)
    sums = stored.event_sums(store)
    cumulative = stored.cumulative_evidence(store)
    categories = _event_categories(store)
    out: list[AgreementProgress] = []
    for agreement in conflict.agreements:
        out.append(
            _progress(
                agreement,
                [s for s in sums if s.agreement == agreement.id],
                [c for c in cumulative if c.agreement == agreement.id],
                categories.get(agreement.id, {}),
            )
        )
    return out


def agreement_detail(store: Store, agreement_id: str, conflict_id: str = "ru-ua") -> AgreementDetail:
    """One agreement: its terms, every event carried out under it, and its progress.

    An unknown id raises NotFoundError, whose message lists the known ids.
    """
    from .store import findings as stored

    conflict = conflicts.load(conflict_id)
    try:
        agreement = conflict.agreement(agreement_id)
    except KeyError:
        raise NotFoundError("agreement", agreement_id) from None
    if store.events_stale():
        rebuild(store, conflict_id)
    events = stored.events_under(store, agreement_id)
    progress = _progress(
        agreement,
        stored.event_sums(store, agreement_id),
        stored.cumulative_evidence(store, agreement_id),
        {r["id"]: r["category"] for r in events},
    )
    return AgreementDetail(progress, tuple(events))


def _event_categories(store: Store) -> dict[str, dict[str, str]]:
    """agreement id -> {event id: category} for every event carried out under an agreement."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    e = schema.events.c
    with store.engine.connect() as conn:
        for event_id, category, agreement in conn.execute(
            select(e.id, e.category, e.agreement).where(e.agreement.is_not(None))
        ):
            out[agreement][event_id] = category
    return out
