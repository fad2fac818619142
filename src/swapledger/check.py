"""The checker: a new report's claims, one by one, against the ledger, without storing it.

A claim about an exchange is placed the way ingesting would place it: its
claims, with those of the ledger's events that could hold them, go through
the same grouping (``resolve.grouping.build_events``: category, date window,
sides, figures). Where it lands decides the verdict:

- ``matches``: it lands in a known event and gives that event's best figure;
- ``disagrees``: it lands in a known event with another figure (said how,
  and who in the ledger says otherwise);
- ``wrong_date``: its figures belong to a known event of another year, month
  or weekday than the report gives;
- ``adds``: a known event, but a direction the ledger has no figure for;
- ``new``: an exchange the ledger does not hold;
- ``unverified``: claims the ledger cannot settle (a target without an
  agreement, a status, a running total larger than the ledger's sum).

Running totals are compared with the sum of the ledger's events, and targets
with the agreement's terms. ``check_claims`` is pure; ``check_document``
reads the candidates from the store and calls it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from . import conflicts
from .conflicts import Conflict
from .extract import ExtractOptions, extract
from .model import Claim, Document, Event, Flow
from .resolve import ClaimRef
from .resolve.findings import EventSum, compare_running_total, ledger_sum, weekdays_named
from .resolve.grouping import build_events, cell_of, week_cells, wrong_year_cells
from .store import Store

Verdict = Literal["matches", "disagrees", "wrong_date", "adds", "new", "unverified"]
VERDICTS: tuple[str, ...] = ("matches", "disagrees", "wrong_date", "adds", "new", "unverified")
FLAGGED: frozenset[str] = frozenset({"disagrees", "wrong_date"})  # what makes the exit code 1

_NEAR = 0.05  # "about 1,000" matches a figure within 5%


@dataclass(frozen=True)
class Candidate:
    """A ledger event that a report's claims could belong to, with the claims behind it."""

    event: Event
    refs: tuple[ClaimRef, ...]


@dataclass(frozen=True)
class ClaimCheck:
    """What the ledger says about one claim of the report."""

    claim: Claim
    verdict: str
    explanation: str
    event_id: str | None = None
    n_sources: int = 0  # independent documents behind the event
    ledger: dict[str, Any] | None = None  # the ledger's figure compared with (a flow, a sum, a term)

    def record(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "explanation": self.explanation,
            "event_id": self.event_id,
            "n_sources": self.n_sources,
            "ledger": self.ledger,
            "claim": self.claim.record(),
        }


@dataclass(frozen=True)
class CheckReport:
    """A report checked claim by claim against the ledger."""

    document: Document
    checks: tuple[ClaimCheck, ...] = field(default_factory=tuple)

    @property
    def flagged(self) -> list[ClaimCheck]:
        """The claims that disagree with the ledger or give a known exchange the wrong date."""
        return [c for c in self.checks if c.verdict in FLAGGED]

    @property
    def exit_code(self) -> int:
        """0 when nothing disagrees with the ledger, 1 when something does."""
        return 1 if self.flagged else 0

    def counts(self) -> dict[str, int]:
        """How many claims got each verdict."""
        return {v: n for v in VERDICTS if (n := sum(c.verdict == v for c in self.checks))}

    def record(self) -> dict[str, Any]:
        d = self.document
        return {
            "document": {
                "id": d.id,
                "source": d.source,
                "url": d.url,
                "outlet": d.outlet,
                "published": d.published,
                "language": d.language,
                "title": d.title,
            },
            "counts": self.counts(),
            "exit_code": self.exit_code,
            "checks": [c.record() for c in self.checks],
        }


# -- the pure part -------------------------------------------------------------------------


def candidate_cells(
    claims: Iterable[Claim], published: str | None
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Where the ledger's events for these claims can be: (category, month) cells and (category,
    year) for claims dated only by year, following the grouping's windows."""
    cells: set[tuple[str, str]] = set()
    years: set[tuple[str, str]] = set()
    for claim in claims:
        if claim.kind != "exchange":
            continue
        cell = cell_of(claim.category, claim.event_date)
        if cell is not None:
            cells.add(cell)
            cells.update(wrong_year_cells(cell))
        elif claim.event_date:
            years.add((claim.category, claim.event_date[:4]))
        elif published:
            cells.update(week_cells(claim.category, published))
    return cells, years


def check_claims(
    claims: Sequence[Claim],
    document: Document,
    candidates: Sequence[Candidate],
    conflict: Conflict,
    sums: Sequence[EventSum] = (),
) -> list[ClaimCheck]:
    """Check a report's claims against candidate events (and running totals against ``sums``)."""
    doc_key = f"check:{document.id}"
    refs = {-(i + 1): _ref(-(i + 1), doc_key, c, document.published) for i, c in enumerate(claims)}
    known = {c.event.id: c.event for c in candidates}
    built = build_events([r for c in candidates for r in c.refs] + list(refs.values()), conflict)
    landed = {cid: e for e in built.events for cid in e.claim_ids if cid < 0}
    checks: list[ClaimCheck] = []
    for i, claim in enumerate(claims):
        ref_id = -(i + 1)
        if claim.kind == "exchange":
            checks.append(_check_exchange(claim, landed.get(ref_id), known))
        elif claim.kind == "cumulative":
            checks.append(_check_running_total(claim, document, sums))
        elif claim.kind == "target":
            checks.append(_check_target(claim, conflict))
        else:
            checks.append(
                ClaimCheck(claim, "unverified", "a status claim: the ledger holds no statuses to check")
            )
    return checks


def _ref(ref_id: int, doc_key: str, claim: Claim, published: str | None) -> ClaimRef:
    return ClaimRef(
        id=ref_id,
        document_id=doc_key,
        kind=claim.kind,
        category=claim.category,
        from_side=claim.from_side,
        to_side=claim.to_side,
        value=claim.count,
        qualifier=claim.qualifier,
        event_date=claim.event_date,
        attributed_to=claim.attributed_to,
        agreement=claim.agreement,
        mediators=",".join(claim.mediators),
        published=published,
    )


def _fmt(n: int | None) -> str:
    return "?" if n is None else f"{n:,}"


def _what(claim: Claim) -> str:
    to = f"to {claim.to_side}" if claim.to_side else "in all"
    words = {"at_least": "at least ", "more_than": "more than ", "about": "about ", "up_to": "up to "}
    return f"{words.get(claim.qualifier, '')}{_fmt(claim.count)} {claim.category} {to}"


def _compatible(claim_date: str, event_date: str) -> bool:
    return claim_date.startswith(event_date) or event_date.startswith(claim_date)


def _check_exchange(claim: Claim, built: Event | None, known: dict[str, Event]) -> ClaimCheck:
    if built is None:
        why = (
            "no date, and no event of the week before publication has its figures"
            if not claim.event_date
            else ("no event of that period has its figures")
        )
        return ClaimCheck(claim, "new", f"says {_what(claim)}; the ledger holds no such exchange ({why})")
    event = known.get(built.id)
    if event is None:
        stray = _stray_year(built, known)
        if stray is not None:
            return ClaimCheck(
                claim,
                "wrong_date",
                f"dates it {built.date}, but its figures match the exchange of {stray.date} "
                f"({stray.id}); no report puts one on {built.date}",
                stray.id,
                stray.n_documents,
                {"event_date": stray.date, "said": claim.event_date},
            )
        return ClaimCheck(
            claim, "new", f"says {_what(claim)} on {built.date}; the ledger holds no such exchange"
        )
    if claim.event_date and not _compatible(claim.event_date, event.date):
        what = "year" if claim.event_date[:4] != event.date[:4] else "date"
        return ClaimCheck(
            claim,
            "wrong_date",
            f"dates it {claim.event_date}, the wrong {what}: its figures match {event.id} of {event.date}",
            event.id,
            event.n_documents,
            {"event_date": event.date, "said": claim.event_date, "wrong": what},
        )
    weekday = _wrong_weekday(claim, event)
    if weekday is not None:
        return ClaimCheck(
            claim, "wrong_date", weekday, event.id, event.n_documents, {"event_date": event.date}
        )
    return _compare(claim, event)


def _stray_year(built: Event, known: dict[str, Event]) -> Event | None:
    """A known event on the same day and month of another year with the same figures."""
    if len(built.date) != 10:
        return None
    figures = {(f.to_side, f.best) for f in built.flows if f.best is not None}
    found = [
        e
        for e in known.values()
        if e.category == built.category
        and e.date[4:] == built.date[4:]
        and e.date[:4] != built.date[:4]
        and figures <= {(f.to_side, f.best) for f in e.flows}
    ]
    return found[0] if len(found) == 1 else None


def _wrong_weekday(claim: Claim, event: Event) -> str | None:
    if len(event.date) != 10 or claim.event_date != event.date:
        return None
    named = weekdays_named(claim.quote)
    actual = dt.date.fromisoformat(event.date).weekday()
    if len(named) != 1 or actual in named:
        return None
    said = calendar.day_name[next(iter(named))]
    return f"says it took place on a {said}; {event.id} was on {event.date}, a {calendar.day_name[actual]}"


def _flow_record(flow: Flow) -> dict[str, Any]:
    return flow.record()


def _said_by(flow: Flow, other_than: int | None) -> str:
    return "; ".join(f"{_fmt(c)}: {', '.join(w)}" for c, w in flow.figures if c != other_than)


def _compare(claim: Claim, event: Event) -> ClaimCheck:
    if claim.to_side is None:
        return _compare_total(claim, event)
    flow = next((f for f in event.flows if f.to_side == claim.to_side and f.best is not None), None)
    if flow is None or claim.count is None:
        return ClaimCheck(
            claim,
            "adds",
            f"{event.id} is a known exchange, but the ledger has no figure for what went to "
            f"{claim.to_side}; this report says {_fmt(claim.count)}",
            event.id,
            event.n_documents,
        )
    assert flow.best is not None
    band = f"low {_fmt(flow.low)}, high {_fmt(flow.high)}"
    if _agrees(claim.count, claim.qualifier, flow.best):
        return ClaimCheck(
            claim,
            "matches",
            f"matches {event.id}: the ledger's best for {claim.to_side} is {_fmt(flow.best)} "
            f"({band}; {flow.rule})",
            event.id,
            event.n_documents,
            _flow_record(flow),
        )
    known = {c for c, _ in flow.figures}
    also = next((w for c, w in flow.figures if c == claim.count), None)
    others = _said_by(flow, claim.count)
    return ClaimCheck(
        claim,
        "disagrees",
        f"says {_what(claim)}; the ledger's best for {event.id} is {_fmt(flow.best)} ({band}; {flow.rule})"
        + (f", said by {others}" if others else "")
        + (
            f"; {_fmt(claim.count)} is also said by {', '.join(also)}"
            if also and claim.count in known
            else ""
        ),
        event.id,
        event.n_documents,
        _flow_record(flow),
    )


def _compare_total(claim: Claim, event: Event) -> ClaimCheck:
    total = next((f for f in event.flows if f.to_side is None and f.best is not None), None)
    sides = [f for f in event.flows if f.to_side is not None and f.best is not None]
    if claim.count is None:
        return ClaimCheck(claim, "unverified", "a total with no figure", event.id, event.n_documents)
    if len(sides) >= 2:
        best = sum(f.best or 0 for f in sides)
        low = sum(f.low if f.low is not None else f.best or 0 for f in sides)
        high = sum(f.high if f.high is not None else f.best or 0 for f in sides)
        ledger = {"sum_of_sides": best, "low": low, "high": high}
        shown = " + ".join(f"{_fmt(f.best)} to {f.to_side}" for f in sides)
        if _agrees(claim.count, claim.qualifier, best) or (
            claim.qualifier == "exact" and low <= claim.count <= high
        ):
            return ClaimCheck(
                claim,
                "matches",
                f"matches {event.id}: {shown} = {_fmt(best)}",
                event.id,
                event.n_documents,
                ledger,
            )
        return ClaimCheck(
            claim,
            "disagrees",
            f"says {_fmt(claim.count)} in all; the ledger's figures for {event.id} add up to {_fmt(best)} "
            f"({shown}; between {_fmt(low)} and {_fmt(high)})",
            event.id,
            event.n_documents,
            ledger,
        )
    if total is not None and total.best is not None:
        verdict = "matches" if _agrees(claim.count, claim.qualifier, total.best) else "disagrees"
        return ClaimCheck(
            claim,
            verdict,
            ("matches: " if verdict == "matches" else f"says {_fmt(claim.count)} in all; ")
            + f"the ledger's total for {event.id} is {_fmt(total.best)} (said by {_said_by(total, None)})",
            event.id,
            event.n_documents,
            _flow_record(total),
        )
    return ClaimCheck(
        claim,
        "adds",
        f"{event.id} is known, but the ledger has no total to compare",
        event.id,
        event.n_documents,
    )


def _agrees(value: int, qualifier: str, best: int) -> bool:
    if qualifier == "about":
        return abs(value - best) <= _NEAR * max(value, best)
    if qualifier == "more_than":
        return best > value
    if qualifier == "at_least":
        return best >= value
    if qualifier == "up_to":
        return best <= value
    return value == best


def _check_running_total(claim: Claim, document: Document, sums: Sequence[EventSum]) -> ClaimCheck:
    if claim.count is None or claim.to_side is None:
        return ClaimCheck(claim, "unverified", "a running total with no figure or no side")
    as_of = claim.event_date if claim.event_date and len(claim.event_date) >= 7 else document.published
    held = ledger_sum(sums, claim.category, claim.to_side, claim.agreement, as_of)
    scope = f"under {claim.agreement}" if claim.agreement else "in all"
    upto = f" up to {as_of}" if as_of else ""
    ledger = {
        "best": held.best,
        "low": held.low,
        "high": held.high,
        "events": len(held.events),
        "as_of": as_of,
    }
    holds = f"the ledger holds {_fmt(held.best)} {claim.category} to {claim.to_side} {scope}{upto}"
    verdict = compare_running_total(claim.count, claim.qualifier, held)
    if verdict is None:
        return ClaimCheck(claim, "matches", f"matches: {holds}", ledger=ledger)
    side, gap = verdict
    if side == "below":
        return ClaimCheck(
            claim,
            "disagrees",
            f"says {_what(claim)} {scope}{upto}, fewer than {holds} (gap {gap:+,})",
            ledger=ledger,
        )
    return ClaimCheck(
        claim,
        "unverified",
        f"says {_what(claim)} {scope}{upto}; {holds} (gap {gap:+,}): "
        "the ledger may not have read every exchange",
        ledger=ledger,
    )


def _check_target(claim: Claim, conflict: Conflict) -> ClaimCheck:
    if claim.agreement is None or claim.count is None:
        return ClaimCheck(
            claim, "unverified", "a target with no agreement or no figure: nothing to check it against"
        )
    try:
        agreement = conflict.agreement(claim.agreement)
    except KeyError:
        return ClaimCheck(
            claim, "unverified", f"an agreement the conflict's data does not list: {claim.agreement}"
        )
    term = agreement.term(claim.category)
    if term is None:
        return ClaimCheck(claim, "unverified", f"{agreement.name} has no term for {claim.category}")
    if claim.to_side is None:
        targets = [term.target(p) for p in agreement.parties]
        expected = sum(t for t in targets if t is not None) if all(t is not None for t in targets) else None
    else:
        expected = term.target(claim.to_side)
    ledger = {"agreement": agreement.id, "term": term.describe(), "target": expected}
    if expected is None:
        return ClaimCheck(
            claim, "unverified", f"{agreement.name}: {term.note}; no figure to compare", ledger=ledger
        )
    if _agrees(claim.count, claim.qualifier, expected):
        both = f", {expected:,} in all" if claim.to_side is None else ""
        return ClaimCheck(
            claim, "matches", f"matches {agreement.name}: {term.describe()}{both}", ledger=ledger
        )
    return ClaimCheck(
        claim,
        "disagrees",
        f"says the target is {_what(claim)}; {agreement.name} set {term.describe()}",
        ledger=ledger,
    )


# -- reading the candidates ----------------------------------------------------------------


def check_document(
    store: Store, document: Document, conflict_id: str = "ru-ua", options: ExtractOptions | None = None
) -> CheckReport:
    """Extract a report's claims (without storing it) and check each against the ledger in ``store``."""
    from .ingest import bring_up_to_date
    from .store import findings as stored

    if store.events_stale():
        bring_up_to_date(store, conflict_id)
    options = options or ExtractOptions(conflict=conflict_id)
    conflict = conflicts.load(conflict_id)
    claims = extract(document, options)
    cells, years = candidate_cells(claims, document.published)
    candidates = stored.candidates(store, cells, years)
    sums = stored.event_sums(store) if any(c.kind == "cumulative" for c in claims) else []
    return CheckReport(document, tuple(check_claims(claims, document, candidates, conflict, sums)))
