"""What an incremental update must re-read: the claims that could share events with new ones.

Grouping (resolve/grouping.py) looks at a bounded neighbourhood of each
claim: its category and month (a *cell*), the same month in the years around
(a report with the wrong year), its year (claims dated by year only) and the
week before publication (undated claims). ``read_scope`` starts from the
claims of the new documents and adds, until nothing more is added:

- every claim of each cell reached;
- for a cell with day claims, the cells of the same month in other years that
  have month claims but no day claims (their reports may belong here), and
  for a cell without day claims, those with day claims;
- the claims dated only by the year of a cell reached, and the cells of that
  year holding one of their figures;
- undated claims published in a cell's month or the week after, and the
  cells of the week before their publication;
- every claim of the events that the claims reached belong to now;
- the events and claims named by an analyst's decision that touches any of it.

Building events from that set with the same pure code gives exactly the
events a full rebuild gives for them (tests/test_incremental.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, select

from ..model import Event
from ..resolve import ClaimRef, Decision
from ..resolve.curation import event_date
from ..resolve.grouping import Cell, cell_of, publication_window, week_cells, wrong_year_cells
from . import schema
from .database import Store, _chunks
from .queries import claim_refs_where

c, d, cp = schema.claims.c, schema.documents.c, schema.document_copies.c
ec = schema.event_claims.c


@dataclass(frozen=True)
class Scope:
    """The claims to regroup, the events they replace, and the decisions that apply to them."""

    claims: list[ClaimRef]
    old_event_ids: set[str]
    decisions: list[Decision]
    cells: set[Cell]
    old_event_of: dict[int, str]  # claim id -> the event it belongs to now

    def moved(self, events: Iterable[Event]) -> set[int]:
        """The claims of the scope whose event is not the one it was (new claims included)."""
        new_event_of = {cid: e.id for e in events for cid in e.claim_ids}
        return {r.id for r in self.claims if self.old_event_of.get(r.id) != new_event_of.get(r.id)}


def read_scope(
    store: Store, document_ids: Sequence[str], decisions: Sequence[Decision], touched: Decision | None = None
) -> Scope:
    """The scope of an update after ``document_ids`` were stored, or ``touched`` was decided or revoked."""
    reader = _Reader(store, [x for x in decisions if x.active])
    reader.add(_seed(store, document_ids))
    if touched is not None:
        reader.touch(touched)
    reader.close()
    return Scope(
        sorted(reader.claims.values(), key=lambda r: r.id),
        reader.events,
        [x for x in reader.decisions if x.id in reader.applied],
        reader.cells,
        reader.event_of,
    )


def _seed(store: Store, document_ids: Sequence[str]) -> list[ClaimRef]:
    """The claims of the documents, and of documents that copy them (their source may have changed)."""
    out: list[ClaimRef] = []
    with store.engine.connect() as conn:
        ids = set(document_ids)
        for chunk in _chunks(list(document_ids), 500):
            ids.update(conn.execute(select(cp.document_id).where(cp.copy_of.in_(chunk))).scalars())
    for chunk in _chunks(sorted(ids), 500):
        out += claim_refs_where(store, c.document_id.in_(chunk))
    return out


class _Reader:
    def __init__(self, store: Store, decisions: list[Decision]) -> None:
        self.store = store
        self.decisions = decisions
        self.claims: dict[int, ClaimRef] = {}
        self.cells: set[Cell] = set()
        self.years: set[tuple[str, str]] = set()
        self.events: set[str] = set()
        self.applied: set[int] = set()
        self.event_of: dict[int, str] = {}
        self.todo_claims: list[ClaimRef] = []
        self.todo_cells: list[Cell] = []

    def add(self, refs: Iterable[ClaimRef]) -> None:
        for ref in refs:
            if ref.id not in self.claims:
                self.claims[ref.id] = ref
                self.todo_claims.append(ref)

    def want(self, cells: Iterable[Cell]) -> None:
        for cell in cells:
            if cell not in self.cells:
                self.cells.add(cell)
                self.todo_cells.append(cell)

    def close(self) -> None:
        while self.todo_claims or self.todo_cells:
            while self.todo_cells:
                self._cell(self.todo_cells.pop())
            claims, self.todo_claims = self.todo_claims, []
            for ref in claims:
                self._claim(ref)
            self._events([r.id for r in claims])
            self._decisions()

    def _claim(self, ref: ClaimRef) -> None:
        cell = cell_of(ref.category, ref.event_date)
        if cell is not None:
            self.want([cell])
        elif ref.event_date:  # dated by the year only
            self._year(ref.category, ref.event_date)
            self._values_in_year(ref)
        elif ref.published:
            self.want(week_cells(ref.category, ref.published))

    def _cell(self, cell: Cell) -> None:
        category, month = cell
        in_cell = (c.category == category, c.event_date >= month, c.event_date <= month + "-99")
        self.add(claim_refs_where(self.store, *in_cell))
        # The events the cell's claims belong to now, in one query.
        query = (
            select(ec.event_id)
            .join(schema.claims, c.id == ec.claim_id)
            .where(c.kind == "exchange", *in_cell)
            .distinct()
        )
        with self.store.engine.connect() as conn:
            found = set(conn.execute(query).scalars())
        self._add_events(found - self.events)
        self._year(category, month[:4])
        days = self._has_days(cell)
        for other in wrong_year_cells(cell):
            other_days = self._has_days(other)
            if other_days != days and (other_days or self._has_months(other)):
                self.want([other])
        first, last = publication_window(cell)
        self.add(
            claim_refs_where(
                self.store,
                c.category == category,
                c.event_date.is_(None),
                d.published >= first,
                d.published <= last,
            )
        )

    def _year(self, category: str, year: str) -> None:
        if (category, year) in self.years:
            return
        self.years.add((category, year))
        self.add(claim_refs_where(self.store, c.category == category, c.event_date == year))

    def _values_in_year(self, ref: ClaimRef) -> None:
        """The cells of the year that hold the figure of a claim dated by the year only."""
        if ref.event_date is None:
            return
        year = ref.event_date
        month = func.substr(c.event_date, 1, 7)
        # A claim with no count matches an event with a countless claim for the same side.
        figure = (
            c.count == ref.value
            if ref.value is not None
            else and_(c.count.is_(None), c.to_side == ref.to_side)
        )
        query = (
            select(month)
            .where(
                c.kind == "exchange",
                c.category == ref.category,
                c.event_date > year + "-",
                c.event_date <= year + "-99",
                figure,
            )
            .distinct()
        )
        with self.store.engine.connect() as conn:
            self.want((ref.category, m) for m in conn.execute(query).scalars())

    def _has_days(self, cell: Cell) -> bool:
        return self._exists(cell[0], c.event_date > cell[1] + "-", c.event_date <= cell[1] + "-99")

    def _has_months(self, cell: Cell) -> bool:
        return self._exists(cell[0], c.event_date == cell[1])

    def _exists(self, category: str, *conditions: object) -> bool:
        query = select(c.id).where(c.kind == "exchange", c.category == category, *conditions).limit(1)  # type: ignore[arg-type]
        with self.store.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def _events(self, claim_ids: list[int]) -> None:
        """The events these claims belong to now: all of their claims come along."""
        claim_ids = [i for i in claim_ids if cell_of(*self._where(i)) not in self.cells]
        found: set[str] = set()
        with self.store.engine.connect() as conn:
            for chunk in _chunks(claim_ids, 500):
                found.update(conn.execute(select(ec.event_id).where(ec.claim_id.in_(chunk))).scalars())
        self._add_events(found - self.events)

    def _add_events(self, event_ids: set[str]) -> None:
        if not event_ids:
            return
        self.events |= event_ids
        with self.store.engine.connect() as conn:
            members: list[int] = []
            for chunk in _chunks(sorted(event_ids), 500):
                for event_id, claim_id in conn.execute(
                    select(ec.event_id, ec.claim_id).where(ec.event_id.in_(chunk))
                ):
                    self.event_of[claim_id] = event_id
                    members.append(claim_id)
        for chunk in _chunks(sorted(set(members) - set(self.claims)), 500):
            self.add(claim_refs_where(self.store, c.id.in_(chunk)))
        self.want(x for x in map(self._cell_of_event, event_ids) if x is not None)

    def _where(self, claim_id: int) -> tuple[str, str | None]:
        ref = self.claims[claim_id]
        return ref.category, ref.event_date

    def touch(self, decision: Decision) -> None:
        """Bring in everything a decision names, whether or not it applies."""
        self.want(x for x in map(self._cell_of_event, decision.event_ids()) if x is not None)
        self._add_events(self._existing(decision.event_ids()) - self.events)
        for chunk in _chunks(sorted(set(decision.claim_ids()) - set(self.claims)), 500):
            self.add(claim_refs_where(self.store, c.id.in_(chunk)))

    def _existing(self, event_ids: Iterable[str]) -> set[str]:
        e = schema.events.c
        with self.store.engine.connect() as conn:
            return set(conn.execute(select(e.id).where(e.id.in_(sorted(set(event_ids))))).scalars())

    def _decisions(self) -> None:
        """Decisions that touch the scope bring in everything they name."""
        for decision in self.decisions:
            if decision.id in self.applied:
                continue
            names_events = set(decision.event_ids())
            names_claims = set(decision.claim_ids())
            cells = {self._cell_of_event(e) for e in names_events} - {None}
            if not (cells & self.cells or names_claims & set(self.claims) or names_events & self.events):
                continue
            self.applied.add(decision.id)
            self.want(x for x in cells if x is not None)
            self._add_events(self._existing(names_events - self.events) - self.events)
            missing = sorted(names_claims - set(self.claims))
            for chunk in _chunks(missing, 500):
                self.add(claim_refs_where(self.store, c.id.in_(chunk)))

    @staticmethod
    def _cell_of_event(event_id: str) -> Cell | None:
        date = event_date(event_id)
        if date is None:
            return None
        return cell_of(event_id[len(date) + 1 :].split("-")[0], date)
