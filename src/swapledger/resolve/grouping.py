"""Grouping exchange claims into events.

Claims are first bundled per document: the claims one document makes with
the same category and date describe one exchange. Bundles then join events:

1. Day bundles make the events: one event per category and day. The figure is
   not part of the key, because the same figure recurs for different
   exchanges and reports of one exchange differ by a few.
2. Month bundles ("in November, 1,000 bodies for 30") join the one event of
   that month, or the one whose figures they repeat; a month with no event
   of its own becomes a month event.
3. A month bundle whose month holds no day event but whose figures all match
   an event in the same month of another year (a report that gets the year
   wrong) joins that event, with a note.
4. Year bundles join the one event of that year whose figures they repeat.
5. Undated bundles join the event whose figures they repeat among those of
   the week before publication; otherwise they stay unplaced.

Matching looks only at the figures of day and month bundles, and a bundle
only ever looks at the events of its own month, the same month in other years
(rule 3), its year (rule 4) or its week (rule 5). That locality is what lets
``ledger.update_events`` rebuild only the events a new document touches and
still get what a full rebuild gets (store/scope.py says what is re-read).

Event ids are ``{date}-{category}`` (``2025-12-19-bodies``, ``2025-11-pows``
for a month event): one event per category and day or month, so an id never
changes when other documents arrive. Analysts' decisions (curation.py) are
applied after grouping.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..conflicts import Conflict
from ..model import Event, Flow, Part
from . import curation
from .curation import Decision, Problem
from .draft import ClaimRef, Draft
from .reconcile import FigureRef, analyst_flow, reconcile

WRONG_YEAR_SPAN = 3  # how many years either side a report may get wrong (rule 3)
WEEK = 7  # days before publication that an undated report may be about (rule 5)

Cell = tuple[str, str]  # (category, "YYYY-MM"): the unit that incremental updates re-read


@dataclass(frozen=True)
class BuildResult:
    """Events built from claims; exchange claims that found no event; decisions that could not apply."""

    events: list[Event]
    unplaced: list[int]
    problems: list[Problem] = field(default_factory=list)


def build_events(
    claims: Iterable[ClaimRef], conflict: Conflict, decisions: Sequence[Decision] = ()
) -> BuildResult:
    """Events from claims: group, apply the analysts' decisions, then reconcile each direction."""
    rejected = curation.rejected(decisions)
    bundles: dict[tuple[str, str, str | None], list[ClaimRef]] = defaultdict(list)
    seen: set[int] = set()
    for claim in claims:
        seen.add(claim.id)
        if claim.kind == "exchange" and claim.id not in rejected:
            bundles[(claim.document_id, claim.category, claim.event_date)].append(claim)
    problems = [
        Problem(d.id, f"claim {cid} no longer exists") for cid, d in rejected.items() if cid not in seen
    ]
    by_precision: dict[int, list[list[ClaimRef]]] = defaultdict(list)
    # Sorted by date, then document: the outcome never depends on the order claims were read in.
    for (_doc, _category, date), bundle in sorted(bundles.items(), key=lambda kv: _bundle_key(kv[0])):
        bundle.sort(key=lambda c: c.id)
        precision = len(date) if date else 0
        if precision == 10:
            by_precision[10].append(bundle)
        else:
            by_precision[precision].extend(_split(bundle))
    drafts: dict[str, Draft] = {}
    index = _PeriodIndex()
    for bundle in by_precision[10]:
        first = bundle[0]
        assert first.event_date is not None
        draft = drafts.get(_event_id(first.event_date, first.category))
        if draft is None:
            draft = Draft(_event_id(first.event_date, first.category), first.category, first.event_date)
            drafts[draft.id] = draft
            index.add(draft)
        draft.add(bundle)
    unplaced: list[int] = []
    for bundle in by_precision[7]:
        first = bundle[0]
        assert first.event_date is not None
        target = index.place(bundle)
        if target is None and not index.has_days(first.category, first.event_date):
            target = index.wrong_year(bundle)
        if target is None:
            month_id = _event_id(first.event_date, first.category)
            target = drafts.get(month_id)
            if target is None:
                target = Draft(month_id, first.category, first.event_date)
                drafts[month_id] = target
                index.add(target)
        target.add(bundle)
    late: list[tuple[Draft, list[ClaimRef]]] = []
    for bundle in by_precision[4]:
        target = index.in_year(bundle)
        if target is None:
            unplaced.extend(c.id for c in bundle)
        else:
            late.append((target, bundle))
    for bundle in by_precision[0]:
        target = index.near_publication(bundle)
        if target is None:
            unplaced.extend(c.id for c in bundle)
        else:
            late.append((target, bundle))
    # Year and undated bundles are added last and not matched on, so that where one of them
    # lands never depends on where another did.
    for target, bundle in late:
        target.add(bundle, match_on=False)
    problems += curation.apply(drafts, decisions)
    events = [_event(d, conflict) for d in sorted(drafts.values(), key=lambda d: (d.date, d.category, d.id))]
    return BuildResult(events, sorted(unplaced), problems)


def _bundle_key(key: tuple[str, str, str | None]) -> tuple[str, str, str]:
    doc_id, category, date = key
    return (date or "", category, doc_id)


def _event_id(date: str, category: str) -> str:
    return f"{date}-{category}"


def cell_of(category: str, date: str | None) -> Cell | None:
    """The cell a claim or event dated ``date`` belongs to, or None for a year or no date."""
    if date is None or len(date) < 7:
        return None
    return (category, date[:7])


def wrong_year_cells(cell: Cell) -> list[Cell]:
    """The same month in the years around, where a report that got the year wrong may belong (rule 3)."""
    category, month = cell
    year = int(month[:4])
    return [
        (category, f"{other}{month[4:]}")
        for other in range(year - WRONG_YEAR_SPAN, year + WRONG_YEAR_SPAN + 1)
        if other != year
    ]


def week_cells(category: str, published: str) -> list[Cell]:
    """The cells an undated claim published on ``published`` may join (rule 5)."""
    day = dt.date.fromisoformat(published[:10])
    return sorted({(category, (day - dt.timedelta(days=n)).isoformat()[:7]) for n in range(WEEK + 1)})


def publication_window(cell: Cell) -> tuple[str, str]:
    """The publication dates (inclusive) of undated claims that may join an event of this cell."""
    first = dt.date.fromisoformat(cell[1] + "-01")
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first.isoformat(), (following + dt.timedelta(days=WEEK - 1)).isoformat()


class _PeriodIndex:
    """Drafted events by category and period, to place bundles that give less than a day."""

    def __init__(self) -> None:
        self.by_period: dict[tuple[str, str], list[Draft]] = defaultdict(list)
        self.days: dict[tuple[str, str], list[Draft]] = defaultdict(list)

    def add(self, draft: Draft) -> None:
        for cut in (7, 4):
            if len(draft.date) >= cut:
                self.by_period[(draft.category, draft.date[:cut])].append(draft)
        if len(draft.date) == 10:
            self.days[(draft.category, draft.date[:7])].append(draft)

    def has_days(self, category: str, month: str) -> bool:
        return bool(self.days.get((category, month)))

    def place(self, bundle: Sequence[ClaimRef]) -> Draft | None:
        first = bundle[0]
        assert first.event_date is not None
        candidates = self.by_period.get((first.category, first.event_date), [])
        matching = [d for d in candidates if d.matches(bundle)]
        if len(matching) == 1:
            return matching[0]
        if len(candidates) == 1 and not matching and _close(candidates[0], bundle):
            return candidates[0]
        return None

    def wrong_year(self, bundle: Sequence[ClaimRef]) -> Draft | None:
        first = bundle[0]
        assert first.event_date is not None
        found = [
            d
            for cell in wrong_year_cells((first.category, first.event_date))
            for d in self.days.get(cell, [])
            if d.matches(bundle)
        ]
        if len(found) != 1:
            return None
        draft = found[0]
        draft.notes.append(
            f"document {first.document_id} dates this exchange {first.event_date}; "
            f"its figures match this event of {draft.date}"
        )
        return draft

    def in_year(self, bundle: Sequence[ClaimRef]) -> Draft | None:
        first = bundle[0]
        assert first.event_date is not None
        matching = [
            d for d in self.by_period.get((first.category, first.event_date), []) if d.matches(bundle)
        ]
        return matching[0] if len(matching) == 1 else None

    def near_publication(self, bundle: Sequence[ClaimRef]) -> Draft | None:
        first = bundle[0]
        if not first.published:
            return None
        published = dt.date.fromisoformat(first.published[:10])
        days = {(published - dt.timedelta(days=n)).isoformat() for n in range(WEEK + 1)}
        candidates = [
            d
            for cell in week_cells(first.category, first.published)
            for d in self.days.get(cell, [])
            if d.date in days
        ]
        matching = [d for d in candidates if d.matches(bundle)]
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


def _close(draft: Draft, bundle: Sequence[ClaimRef]) -> bool:
    """Figures that could be another count of the draft's (a few apart), side by side."""
    have: dict[str | None, set[int]] = defaultdict(set)
    for side, value in draft.figures:
        if value is not None:
            have[side].add(value)
    for claim in bundle:
        known = have.get(claim.to_side)
        if claim.value is None or not known:
            continue
        if not any(abs(claim.value - v) <= max(5, 0.05 * max(claim.value, v)) for v in known):
            return False
    return True


def _parts(claims: Sequence[ClaimRef]) -> tuple[list[Part], set[int]]:
    """Composite exchanges: a document that gives one direction in parts and their sum.

    ("84 severely wounded and 200 young soldiers, 284 in all".) The sum is the
    document's figure for that direction; the parts are kept, and left out of
    reconciliation so that they do not read as disagreeing figures.
    """
    per_doc: dict[tuple[str, str | None, str | None], dict[int, list[int]]] = defaultdict(dict)
    for c in claims:
        if c.value is not None and c.qualifier == "exact":
            per_doc[(c.document_id, c.from_side, c.to_side)].setdefault(c.value, []).append(c.id)
    parts: list[Part] = []
    dropped: set[int] = set()
    for (doc_id, from_side, to_side), values in sorted(
        per_doc.items(), key=lambda kv: (kv[0][0], str(kv[0][1:]))
    ):
        if len(values) < 3:
            continue
        total = max(values)
        pieces = sorted(v for v in values if v != total)
        if sum(pieces) == total:
            parts.append(Part(from_side, to_side, tuple(pieces), total, doc_id))
            dropped.update(cid for v in pieces for cid in values[v])
    return parts, dropped


def _event(draft: Draft, conflict: Conflict) -> Event:
    parts, in_parts = _parts(draft.claims)
    directions: dict[tuple[str | None, str | None], list[FigureRef]] = defaultdict(list)
    for c in draft.claims:
        if c.value is None or c.id in in_parts:
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
                c.origin,
            )
        )
    for to_side in draft.analyst:
        if not any(t == to_side for _, t in directions):
            directions[(conflict.other(to_side), to_side)] = []
    order = {p.code: i for i, p in enumerate(conflict.parties)}
    flows: list[Flow] = []
    for (f, t), figs in sorted(
        directions.items(), key=lambda kv: (kv[0][1] is None, order.get(kv[0][1] or "", 99), str(kv[0]))
    ):
        flow = reconcile(f, t, figs) if figs else None
        set_by = draft.analyst.get(t) if t is not None else None
        if set_by is not None:
            flow = analyst_flow(f, t, figs, set_by)
        if flow is not None:
            flows.append(flow)
    notes = list(dict.fromkeys([*draft.notes, *_total_checks(draft)]))
    # A report that dates the exchange to the day ties it to its agreement; a background mention
    # ("after the swap agreed in Istanbul, the sides exchanged 84 for 84 in August") does not.
    on_the_day = [c for c in draft.claims if c.event_date == draft.date] or draft.claims
    agreements = Counter(
        c.agreement for c in on_the_day if c.agreement and _under(conflict, c.agreement, draft)
    )
    mediators = Counter(m for c in draft.claims for m in c.mediators.split(",") if m)
    disputed = any(f.low != f.high for f in flows)
    return Event(
        id=draft.id,
        category=draft.category,
        date=draft.date,
        flows=tuple(flows),
        agreement=min(agreements, key=lambda a: (-agreements[a], a)) if agreements else None,
        mediators=tuple(sorted(mediators, key=lambda m: (-mediators[m], m))),
        n_documents=len({c.origin for c in draft.claims}),
        disputed=disputed,
        claim_ids=tuple(sorted(c.id for c in draft.claims)),
        notes=tuple(notes),
        status=status(draft, disputed),
        documents=tuple(sorted({c.document_id for c in draft.claims})),
        parts=tuple(parts),
    )


def status(draft: Draft, disputed: bool) -> str:
    """``announced`` when every report came out before the exchange's date (it was announced ahead,
    and nothing since says it happened); else ``disputed`` when figures disagree; else ``completed``."""
    published = [c.published for c in draft.claims if c.published]
    ahead = len(published) == len(draft.claims) and all(p[: len(draft.date)] < draft.date for p in published)
    if published and ahead:
        return "announced"
    return "disputed" if disputed else "completed"


def _under(conflict: Conflict, agreement_id: str, draft: Draft) -> bool:
    """Whether an exchange can have been carried out under an agreement: after the agreement was
    made, and of a category its terms count (the bodies exchanged on the day of the first Istanbul
    talks were not part of the prisoner swap agreed there)."""
    try:
        agreement = conflict.agreement(agreement_id)
    except KeyError:
        return False
    made = agreement.date[: len(draft.date)]
    after = draft.date > made if len(draft.date) == 10 else draft.date >= made
    return after and agreement.term(draft.category) is not None


def _total_checks(draft: Draft) -> list[str]:
    """A figure for both sides together, checked against the sum of a document's parts."""
    notes: list[str] = []
    per_doc: dict[str, list[ClaimRef]] = defaultdict(list)
    for c in draft.claims:
        per_doc[c.document_id].append(c)
    for doc_id in sorted(per_doc):
        claims = per_doc[doc_id]
        totals = [c for c in claims if c.to_side is None and c.value is not None]
        parts = {c.to_side: c.value for c in claims if c.to_side is not None and c.value is not None}
        for total in totals:
            if len(parts) >= 2:
                added = sum(v for v in parts.values() if v is not None)
                verdict = "adds up" if added == total.value else "does not add up"
                notes.append(f"document {doc_id}: total {total.value} {verdict} (parts sum to {added})")
    return notes
