"""Grouping exchange claims into events.

Claims are first bundled per document: the claims one document makes with
the same category and date describe one exchange. Bundles then join events:

1. Day bundles make the events: one event per category and day. The figure is
   not part of the key, because the same figure recurs for different
   exchanges and reports of one exchange differ by a few.
2. Month and year bundles ("in November, 1,000 bodies for 30") join the one
   event of that period, or the one whose figures they repeat; a month with
   no event of its own becomes a month event.
3. A bundle whose period holds no event but whose figures all match an event
   in the same month of another year (a report that gets the year wrong)
   joins that event, with a note.
4. Undated bundles join the event whose figures they repeat among those of
   the week before publication; otherwise they stay unplaced.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..conflicts import Conflict
from ..model import Event, Flow
from .reconcile import FigureRef, reconcile


class ClaimRef(NamedTuple):
    """What resolution needs of a stored claim."""

    id: int
    document_id: str
    kind: str
    category: str
    from_side: str | None
    to_side: str | None
    value: int | None
    qualifier: str
    event_date: str | None
    attributed_to: str | None
    agreement: str | None
    mediators: str
    published: str | None


@dataclass
class _Group:
    category: str
    date: str
    claims: list[ClaimRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _figures: set[tuple[str | None, int | None]] = field(default_factory=set)

    def add(self, bundle: Sequence[ClaimRef]) -> None:
        self.claims.extend(bundle)
        self._figures.update((c.to_side, c.value) for c in bundle)

    def figures(self) -> set[tuple[str | None, int | None]]:
        return self._figures


@dataclass(frozen=True)
class BuildResult:
    events: list[Event]
    unplaced: list[int]  # ids of exchange claims that could not be placed in an event


def build_events(claims: Iterable[ClaimRef], conflict: Conflict) -> BuildResult:
    """Events from claims: group, then reconcile each direction."""
    bundles: dict[tuple[str, str, str | None], list[ClaimRef]] = defaultdict(list)
    for claim in claims:
        if claim.kind == "exchange":
            bundles[(claim.document_id, claim.category, claim.event_date)].append(claim)
    groups: dict[tuple[str, str], _Group] = {}
    by_precision: dict[int, list[list[ClaimRef]]] = defaultdict(list)
    for (_, _, date), bundle in bundles.items():
        if date and len(date) == 10:
            by_precision[10].append(bundle)
        else:
            by_precision[len(date) if date else 0].extend(_split(bundle))
    for bundle in by_precision[10]:
        first = bundle[0]
        assert first.event_date is not None
        key = (first.category, first.event_date)
        groups.setdefault(key, _Group(first.category, first.event_date)).add(bundle)
    index = _PeriodIndex(groups)
    unplaced: list[int] = []
    for precision in (7, 4):
        for bundle in sorted(by_precision[precision], key=lambda b: b[0].event_date or ""):
            target = index.place(bundle)
            if target is None and precision == 7:
                target = index.wrong_year(bundle)
            if target is None and precision == 7:
                first = bundle[0]
                assert first.event_date is not None
                target = _Group(first.category, first.event_date)
                groups[(first.category, first.event_date)] = target
                index.add(target)
            if target is None:
                unplaced.extend(c.id for c in bundle)
            else:
                target.add(bundle)
    for bundle in by_precision[0]:
        target = index.near_publication(bundle)
        if target is None:
            unplaced.extend(c.id for c in bundle)
        else:
            target.add(bundle)
    events = [_event(g, conflict) for g in sorted(groups.values(), key=lambda g: (g.date, g.category))]
    return BuildResult(events, unplaced)


class _PeriodIndex:
    """Groups by category and period, to place bundles that give less than a day."""

    def __init__(self, groups: dict[tuple[str, str], _Group]) -> None:
        self.by_period: dict[tuple[str, str], list[_Group]] = defaultdict(list)
        for group in groups.values():
            self.add(group)

    def add(self, group: _Group) -> None:
        for cut in (7, 4):
            if len(group.date) >= cut:
                self.by_period[(group.category, group.date[:cut])].append(group)

    @staticmethod
    def _matching(candidates: Sequence[_Group], bundle: Sequence[ClaimRef]) -> list[_Group]:
        wanted = {(c.to_side, c.value) for c in bundle}
        return [g for g in candidates if wanted <= g.figures()]

    def place(self, bundle: Sequence[ClaimRef]) -> _Group | None:
        first = bundle[0]
        assert first.event_date is not None
        candidates = self.by_period.get((first.category, first.event_date), [])
        matching = self._matching(candidates, bundle)
        if len(matching) == 1:
            return matching[0]
        if len(candidates) == 1 and not matching and _close(candidates[0], bundle):
            return candidates[0]
        return None

    def wrong_year(self, bundle: Sequence[ClaimRef]) -> _Group | None:
        first = bundle[0]
        assert first.event_date is not None
        year, month = int(first.event_date[:4]), first.event_date[5:7]
        found: list[_Group] = []
        for other in range(year - 3, year + 4):
            if other == year:
                continue
            found += self._matching(self.by_period.get((first.category, f"{other}-{month}"), []), bundle)
        if len(found) != 1:
            return None
        group = found[0]
        group.notes.append(
            f"document {first.document_id} dates this exchange {first.event_date}; "
            f"its figures match this event of {group.date}"
        )
        return group

    def near_publication(self, bundle: Sequence[ClaimRef]) -> _Group | None:
        first = bundle[0]
        if not first.published:
            return None
        published = dt.date.fromisoformat(first.published[:10])
        days = {(published - dt.timedelta(days=n)).isoformat() for n in range(8)}
        months = {d[:7] for d in days}
        candidates = [
            g for m in months for g in self.by_period.get((first.category, m), []) if g.date in days
        ]
        matching = self._matching(candidates, bundle)
        return matching[0] if len(matching) == 1 else None


def _split(bundle: list[ClaimRef]) -> list[list[ClaimRef]]:
    """A less-than-a-day bundle that gives one side two figures ("563 in one transfer and 502 in
    another") tells of two transfers: one bundle each."""
    out: list[list[ClaimRef]] = []
    for claim in bundle:
        for part in out:
            if all(c.to_side != claim.to_side or c.value == claim.value for c in part):
                part.append(claim)
                break
        else:
            out.append([claim])
    return out


def _close(group: _Group, bundle: Sequence[ClaimRef]) -> bool:
    """Figures that could be another count of the group's (a few apart), side by side."""
    have: dict[str | None, set[int]] = defaultdict(set)
    for side, value in group.figures():
        if value is not None:
            have[side].add(value)
    for claim in bundle:
        known = have.get(claim.to_side)
        if claim.value is None or not known:
            continue
        if not any(abs(claim.value - v) <= max(5, 0.05 * max(claim.value, v)) for v in known):
            return False
    return True


def _event(group: _Group, conflict: Conflict) -> Event:
    directions: dict[tuple[str | None, str | None], list[FigureRef]] = defaultdict(list)
    for c in group.claims:
        if c.value is None:
            continue
        speaker = conflict.speaker(c.attributed_to) if c.attributed_to else None
        directions[(c.from_side, c.to_side)].append(
            FigureRef(
                c.value,
                c.qualifier,
                c.document_id,
                c.published,
                c.attributed_to,
                speaker.party if speaker else None,
            )
        )
    order = {p.code: i for i, p in enumerate(conflict.parties)}
    flows: list[Flow] = [
        reconcile(f, t, figs)
        for (f, t), figs in sorted(
            directions.items(), key=lambda kv: (kv[0][1] is None, order.get(kv[0][1] or "", 99))
        )
    ]
    notes = list(group.notes) + _total_checks(group, flows)
    agreements = Counter(c.agreement for c in group.claims if c.agreement)
    mediators = Counter(m for c in group.claims for m in c.mediators.split(",") if m)
    disputed = any(f.low != f.high for f in flows)
    return Event(
        id=f"{group.date}-{group.category}",
        category=group.category,
        date=group.date,
        flows=tuple(flows),
        agreement=agreements.most_common(1)[0][0] if agreements else None,
        mediators=tuple(m for m, _ in mediators.most_common()),
        n_documents=len({c.document_id for c in group.claims}),
        disputed=disputed,
        claim_ids=tuple(sorted(c.id for c in group.claims)),
        notes=tuple(notes),
    )


def _total_checks(group: _Group, flows: Sequence[Flow]) -> list[str]:
    """A figure for both sides together, checked against the sum of a document's parts."""
    notes: list[str] = []
    per_doc: dict[str, list[ClaimRef]] = defaultdict(list)
    for c in group.claims:
        per_doc[c.document_id].append(c)
    for doc_id, claims in per_doc.items():
        totals = [c for c in claims if c.to_side is None and c.value is not None]
        parts = {c.to_side: c.value for c in claims if c.to_side is not None and c.value is not None}
        for total in totals:
            if len(parts) >= 2:
                added = sum(v for v in parts.values() if v is not None)
                verdict = "adds up" if added == total.value else "does not add up"
                notes.append(f"document {doc_id}: total {total.value} {verdict} (parts sum to {added})")
    return notes
