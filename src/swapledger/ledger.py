"""Ledger views over events: what each side received, and rebuilding events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from . import conflicts
from .resolve import BuildResult, build_events
from .store import EventFilter, Store, claim_refs, schema


def rebuild(store: Store, conflict_id: str = "ru-ua") -> BuildResult:
    """Rebuild every event from the stored claims."""
    result = build_events(claim_refs(store), conflicts.load(conflict_id))
    store.replace_events(result.events)
    return result


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
