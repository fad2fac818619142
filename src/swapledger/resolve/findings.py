"""Findings: what a reader should know about the evidence behind the ledger.

Detection is pure: it takes events, the claims behind them (as ``Evidence``,
with quotes and where they were published) and the conflict's data, and
returns ``Finding`` records. The kinds (``docs/findings.md`` says the same
for readers):

- ``disagreement``: reports of one exchange give different exact figures for
  one direction (1,245 against 1,248);
- ``total_mismatch``: a figure for both sides together that is not the sum of
  the parts the same report gives (or, when it gives none, of the ledger's);
- ``running_total``: a cumulative figure ("6,060 under Istanbul", "at least
  15,000 since 2022") that does not match the sum of the events the ledger
  holds up to that date;
- ``wrong_date``: a report that places a known exchange in another year or
  month, or names a weekday the exchange did not fall on;
- ``misattribution``: one speaker quoted with different figures for the
  same exchange, the figure most reports give being taken as their own.

Everything but running totals is found per event, so an incremental update
recomputes the findings of the events it touched (``only=``); running totals
are sums over the whole ledger and are recomputed from ``EventSum`` rows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, NamedTuple

from ..conflicts import Conflict
from ..model import Event, Flow

FindingKind = Literal["disagreement", "total_mismatch", "running_total", "wrong_date", "misattribution"]
FINDING_KINDS: tuple[str, ...] = (
    "disagreement",
    "total_mismatch",
    "running_total",
    "wrong_date",
    "misattribution",
)
Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")

# Two counts of one transfer this close are a counting difference rather than two stories.
_NEAR = 0.05


class Evidence(NamedTuple):
    """A stored claim as a finding shows it: its figure, its quote, and where it was published."""

    claim_id: int
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
    quote: str
    source: str
    outlet: str | None
    published: str | None
    url: str | None

    def record(self) -> dict[str, Any]:
        """The claim as a finding lists it (JSON-ready)."""
        return {
            "claim_id": self.claim_id,
            "document": self.document_id,
            "source": self.source,
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
            "kind": self.kind,
            "category": self.category,
            "from_side": self.from_side,
            "to_side": self.to_side,
            "count": self.value,
            "qualifier": self.qualifier,
            "event_date": self.event_date,
            "attributed_to": self.attributed_to,
            "agreement": self.agreement,
            "quote": self.quote,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Evidence:
        """The inverse of ``record``."""
        return cls(
            record["claim_id"],
            record["document"],
            record["kind"],
            record["category"],
            record["from_side"],
            record["to_side"],
            record["count"],
            record["qualifier"],
            record["event_date"],
            record["attributed_to"],
            record["agreement"],
            record["quote"],
            record["source"],
            record["outlet"],
            record["published"],
            record["url"],
        )


class EventSum(NamedTuple):
    """One direction of one event, as running totals add it up."""

    event_id: str
    category: str
    date: str
    agreement: str | None
    to_side: str | None
    best: int | None
    low: int | None
    high: int | None


@dataclass(frozen=True)
class Finding:
    """Something a reader should know about the evidence, with the claims behind it."""

    id: str
    kind: str
    event_id: str | None
    severity: str
    summary: str
    claims: tuple[Evidence, ...]
    details: Mapping[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict (what the store keeps and the API returns)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "event_id": self.event_id,
            "severity": self.severity,
            "summary": self.summary,
            "details": dict(self.details),
            "claims": [c.record() for c in self.claims],
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Finding:
        """The inverse of ``record``."""
        return cls(
            id=record["id"],
            kind=record["kind"],
            event_id=record["event_id"],
            severity=record["severity"],
            summary=record["summary"],
            claims=tuple(Evidence.from_record(c) for c in record["claims"]),
            details=dict(record.get("details") or {}),
        )


def finding_id(kind: str, *key: object) -> str:
    """A finding's stable id: what it is about, hashed, so a rebuild gives the same id."""
    text = "\x1f".join([kind, *("" if k is None else str(k) for k in key)])
    return f"{kind[:4]}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


# -- the entry points ----------------------------------------------------------


def detect(events: Sequence[Event], evidence: Iterable[Evidence], conflict: Conflict) -> list[Finding]:
    """Every finding about a whole ledger: per-event findings and running totals."""
    evidence = list(evidence)
    found = event_findings(events, evidence, conflict)
    cumulative = [e for e in evidence if e.kind == "cumulative"]
    found += running_total_findings(event_sums(events), cumulative, conflict)
    return found


def event_findings(
    events: Sequence[Event],
    evidence: Iterable[Evidence],
    conflict: Conflict,
    only: Collection[str] | None = None,
) -> list[Finding]:
    """The findings about each event (or only the events whose ids are in ``only``).

    ``events`` should be every event of the ledger even when ``only`` is given:
    a report with the wrong year can make an event of its own, found by
    comparing it with the events of other years.
    """
    by_id = {e.claim_id: e for e in evidence}
    # Sentences that tell of several exchanges ("390 on Friday, 307 on Saturday") say nothing
    # about the weekday of any one of them.
    quote_events: dict[tuple[str, str], set[str]] = defaultdict(set)
    for event in events:
        for i in event.claim_ids:
            if i in by_id:
                quote_events[(by_id[i].document_id, by_id[i].quote)].add(event.id)
    found: list[Finding] = []
    for event in events:
        if only is not None and event.id not in only:
            continue
        claims = [by_id[i] for i in event.claim_ids if i in by_id]
        found += _disagreements(event, claims)
        found += _misattributions(event, claims, conflict)
        found += _total_mismatches(event, claims)
        found += _wrong_dates(event, claims)
        found += _wrong_weekdays(
            event, [c for c in claims if quote_events[(c.document_id, c.quote)] == {event.id}]
        )
    found += _stray_years(events, by_id, only)
    return found


def event_sums(events: Iterable[Event]) -> list[EventSum]:
    """The directed flows of events, as running totals add them up."""
    return [
        EventSum(e.id, e.category, e.date, e.agreement, f.to_side, f.best, f.low, f.high)
        for e in events
        for f in e.flows
        if f.to_side is not None
    ]


# -- disagreements and misattributions ---------------------------------------------


def _fmt(n: int | None) -> str:
    return "?" if n is None else f"{n:,}"


def _direction(from_side: str | None, to_side: str | None) -> str:
    return f"{from_side or '?'}->{to_side or '?'}"


def _exact_by_direction(claims: Iterable[Evidence]) -> dict[tuple[str | None, str], list[Evidence]]:
    out: dict[tuple[str | None, str], list[Evidence]] = defaultdict(list)
    for c in claims:
        if c.kind == "exchange" and c.to_side is not None and c.value is not None and c.qualifier == "exact":
            out[(c.from_side, c.to_side)].append(c)
    return out


def _flow(event: Event, from_side: str | None, to_side: str | None) -> Flow | None:
    return next((f for f in event.flows if f.from_side == from_side and f.to_side == to_side), None)


def _who(claims: Iterable[Evidence]) -> str:
    names = list(dict.fromkeys(c.attributed_to or "unattributed" for c in claims))
    return ", ".join(names)


def _docs(claims: Iterable[Evidence]) -> int:
    return len({c.document_id for c in claims})


def _label(event: Event) -> str:
    return f"the {event.category} exchange of {event.date}"


def _disagreements(event: Event, claims: Sequence[Evidence]) -> list[Finding]:
    found: list[Finding] = []
    for (from_side, to_side), figures in sorted(_exact_by_direction(claims).items(), key=str):
        by_value: dict[int, list[Evidence]] = defaultdict(list)
        for c in figures:
            assert c.value is not None
            by_value[c.value].append(c)
        if len(by_value) < 2:
            continue
        low, high = min(by_value), max(by_value)
        flow = _flow(event, from_side, to_side)
        said = "; ".join(
            f"{_fmt(v)} ({_who(cs)}; {_docs(cs)} document{'s' if _docs(cs) != 1 else ''})"
            for v, cs in sorted(by_value.items())
        )
        best = f"; the ledger's best is {_fmt(flow.best)} ({flow.rule})" if flow else ""
        found.append(
            Finding(
                id=finding_id("disagreement", event.id, _direction(from_side, to_side)),
                kind="disagreement",
                event_id=event.id,
                severity="high" if high - low > _NEAR * high else "medium",
                summary=f"Reports of {_label(event)} disagree on how many went to {to_side}: {said}{best}.",
                claims=tuple(sorted(figures, key=_order)),
                details={
                    "from_side": from_side,
                    "to_side": to_side,
                    "figures": [
                        {
                            "count": v,
                            "said_by": _who(cs).split(", "),
                            "documents": sorted({c.document_id for c in cs}),
                        }
                        for v, cs in sorted(by_value.items())
                    ],
                    "best": flow.best if flow else None,
                    "rule": flow.rule if flow else None,
                },
            )
        )
    return found


def _order(c: Evidence) -> tuple[str, str, int]:
    return (c.published or "9999", c.document_id, c.claim_id)


def _misattributions(event: Event, claims: Sequence[Evidence], conflict: Conflict) -> list[Finding]:
    """One speaker quoted with several figures for one direction: the figure most documents give
    them is taken as theirs; a document giving another attributes it wrongly (or the speaker
    changed their figure, which a reader should know too)."""
    found: list[Finding] = []
    for (from_side, to_side), figures in sorted(_exact_by_direction(claims).items(), key=str):
        by_speaker: dict[str, dict[int, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
        per_doc: dict[tuple[str, str], set[int | None]] = defaultdict(set)
        for c in figures:
            if c.attributed_to:
                per_doc[(c.attributed_to, c.document_id)].add(c.value)
        for c in figures:
            # A report that gives one speaker two figures is read as ambiguous, not as a witness.
            if c.attributed_to and len(per_doc[(c.attributed_to, c.document_id)]) == 1:
                assert c.value is not None
                by_speaker[c.attributed_to][c.value].append(c)
        for speaker, values in sorted(by_speaker.items()):
            if len(values) < 2:
                continue
            ranked = sorted(values.items(), key=lambda kv: (-_docs(kv[1]), min(map(_order, kv[1])), kv[0]))
            (own, own_claims), others = ranked[0], ranked[1:]
            tied = _docs(others[0][1]) == _docs(own_claims)
            outlets = "; ".join(
                f"{_fmt(v)} in {_outlets(cs)}" for v, cs in sorted(others, key=lambda kv: kv[0])
            )
            party = conflict.speaker(speaker)
            summary = (
                f"{speaker} is quoted with different figures for what went to {to_side} in "
                f"{_label(event)}: {_fmt(own)} in {_outlets(own_claims)}"
                + (", as often as " if tied else "; but ")
                + outlets
                + ("." if tied else f". The figure most reports give {speaker} is {_fmt(own)}.")
            )
            found.append(
                Finding(
                    id=finding_id("misattribution", event.id, _direction(from_side, to_side), speaker),
                    kind="misattribution",
                    event_id=event.id,
                    severity="medium" if tied else "high",
                    summary=summary,
                    claims=tuple(sorted((c for cs in values.values() for c in cs), key=_order)),
                    details={
                        "speaker": speaker,
                        "speaker_party": party.party if party else None,
                        "from_side": from_side,
                        "to_side": to_side,
                        "own_figure": None if tied else own,
                        "attributed": [
                            {"count": v, "documents": sorted({c.document_id for c in cs})}
                            for v, cs in sorted(values.items())
                        ],
                    },
                )
            )
    return found


def _outlets(claims: Iterable[Evidence]) -> str:
    names = list(dict.fromkeys(c.outlet or c.source for c in sorted(claims, key=_order)))
    return ", ".join(names)


# -- totals ---------------------------------------------------------------------------


def _total_mismatches(event: Event, claims: Sequence[Evidence]) -> list[Finding]:
    """A figure for both sides together, against the parts its own report gives, or (when it gives
    none) against the ledger's figure for each side."""
    found: list[Finding] = []
    per_doc: dict[str, list[Evidence]] = defaultdict(list)
    for c in claims:
        if c.kind == "exchange" and c.value is not None:
            per_doc[c.document_id].append(c)
    sides = {f.to_side: f for f in event.flows if f.to_side is not None}
    for doc_id, doc_claims in sorted(per_doc.items()):
        totals = {c.value: c for c in doc_claims if c.to_side is None and c.qualifier == "exact"}
        parts: dict[str, set[int]] = defaultdict(set)
        part_claims: list[Evidence] = []
        for c in doc_claims:
            if c.to_side is not None and c.qualifier == "exact" and c.value is not None:
                parts[c.to_side].add(c.value)
                part_claims.append(c)
        for value, total in sorted(totals.items(), key=lambda kv: kv[0] or 0):
            assert value is not None
            if len(parts) >= 2 and all(len(v) == 1 for v in parts.values()):
                added = sum(next(iter(v)) for v in parts.values())
                if added == value:
                    continue
                shown = ", ".join(f"{_fmt(next(iter(v)))} to {s}" for s, v in sorted(parts.items()))
                found.append(
                    Finding(
                        id=finding_id("total_mismatch", event.id, doc_id, value),
                        kind="total_mismatch",
                        event_id=event.id,
                        severity="medium",
                        summary=(
                            f"{total.outlet or total.source} gives {_fmt(value)} in all for {_label(event)}, "
                            f"but its own figures add up to {_fmt(added)} ({shown})."
                        ),
                        claims=tuple(sorted([total, *part_claims], key=_order)),
                        details={
                            "total": value,
                            "sum_of_parts": added,
                            "basis": "report",
                            "document": doc_id,
                        },
                    )
                )
            elif not parts and len(sides) >= 2 and all(f.best is not None for f in sides.values()):
                low = sum(f.low if f.low is not None else f.best or 0 for f in sides.values())
                high = sum(f.high if f.high is not None else f.best or 0 for f in sides.values())
                best = sum(f.best or 0 for f in sides.values())
                if low <= value <= high:
                    continue
                found.append(
                    Finding(
                        id=finding_id("total_mismatch", event.id, doc_id, value),
                        kind="total_mismatch",
                        event_id=event.id,
                        severity="low",
                        summary=(
                            f"{total.outlet or total.source} gives {_fmt(value)} in all for {_label(event)}; "
                            f"the ledger's figures for each side add up to {_fmt(best)} "
                            f"(between {_fmt(low)} and {_fmt(high)})."
                        ),
                        claims=(total,),
                        details={
                            "total": value,
                            "sum_of_parts": best,
                            "low": low,
                            "high": high,
                            "basis": "ledger",
                            "document": doc_id,
                        },
                    )
                )
    return found


# -- dates ----------------------------------------------------------------------------


def _month_name(date: str) -> str:
    if len(date) >= 7:
        return f"{calendar.month_name[int(date[5:7])]} {date[:4]}"
    return date


def _compatible(claim_date: str, event_date: str) -> bool:
    return claim_date.startswith(event_date) or event_date.startswith(claim_date)


def _wrong_dates(event: Event, claims: Sequence[Evidence]) -> list[Finding]:
    found: list[Finding] = []
    per_doc: dict[str, list[Evidence]] = defaultdict(list)
    for c in claims:
        if c.kind == "exchange" and c.event_date and not _compatible(c.event_date, event.date):
            per_doc[c.document_id].append(c)
    for doc_id, doc_claims in sorted(per_doc.items()):
        said = sorted({c.event_date for c in doc_claims if c.event_date})
        first = doc_claims[0]
        what = "year" if all(d[:4] != event.date[:4] for d in said) else "date"
        figures = ", ".join(
            f"{_fmt(c.value)} to {c.to_side or 'both sides'}" for c in sorted(doc_claims, key=_order)
        )
        found.append(
            Finding(
                id=finding_id("wrong_date", event.id, doc_id),
                kind="wrong_date",
                event_id=event.id,
                severity="high",
                summary=(
                    f"{first.outlet or first.source} (published {first.published or 'undated'}) places "
                    f"{_label(event)} in {' and '.join(_month_name(d) for d in said)}: the wrong {what}; "
                    f"its figures ({figures}) match this exchange."
                ),
                claims=tuple(sorted(doc_claims, key=_order)),
                details={"wrong": what, "said": said, "event_date": event.date, "document": doc_id},
            )
        )
    return found


@cache
def _weekday_words() -> tuple[tuple[re.Pattern[str], int], ...]:
    """Weekday names of every language we read, each with its number (Monday 0)."""
    from ..extract.lexicon import lexicon

    out: list[tuple[re.Pattern[str], int]] = []
    for language in ("en", "ru", "uk"):
        for number, forms in enumerate(lexicon(language).weekdays):
            words = "|".join(re.escape(f) for f in forms)
            out.append((re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE), number))
    return tuple(out)


def weekdays_named(text: str) -> set[int]:
    """The weekdays a text names, in any language we read (Monday 0)."""
    return {n for pattern, n in _weekday_words() if pattern.search(text)}


def _wrong_weekdays(event: Event, claims: Sequence[Evidence]) -> list[Finding]:
    """A report that names a weekday the exchange did not fall on ("on Friday" for a Saturday)."""
    if len(event.date) != 10:
        return []
    actual = dt.date.fromisoformat(event.date).weekday()
    per_doc: dict[str, list[tuple[Evidence, int]]] = defaultdict(list)
    for c in claims:
        if c.kind != "exchange" or c.event_date != event.date:
            continue
        named = weekdays_named(c.quote)
        if len(named) == 1 and actual not in named:
            per_doc[c.document_id].append((c, next(iter(named))))
    found: list[Finding] = []
    for doc_id, items in sorted(per_doc.items()):
        first, said = items[0]
        found.append(
            Finding(
                id=finding_id("wrong_date", event.id, doc_id, "weekday"),
                kind="wrong_date",
                event_id=event.id,
                severity="medium",
                summary=(
                    f"{first.outlet or first.source} says {_label(event)} took place on a "
                    f"{calendar.day_name[said]}; {event.date} was a {calendar.day_name[actual]}."
                ),
                claims=tuple(c for c, _ in items),
                details={
                    "wrong": "weekday",
                    "said": calendar.day_name[said],
                    "event_date": event.date,
                    "document": doc_id,
                },
            )
        )
    return found


def _stray_years(
    events: Sequence[Event], by_id: Mapping[int, Evidence], only: Collection[str] | None
) -> list[Finding]:
    """An event of its own whose figures all repeat those of a better-reported event on the same
    day and month of another year: a report that got the year wrong and gave a full date."""
    by_day: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in events:
        if len(e.date) == 10:
            by_day[(e.category, e.date[5:])].append(e)
    found: list[Finding] = []
    for same_day in by_day.values():
        if len(same_day) < 2:
            continue
        for stray in same_day:
            figures = _figure_set(stray)
            if not figures:
                continue
            hosts = [
                e
                for e in same_day
                if e is not stray
                and e.date[:4] != stray.date[:4]
                and e.n_documents > stray.n_documents
                and figures <= _figure_set(e)
            ]
            if len(hosts) != 1:
                continue
            host = hosts[0]
            if only is not None and host.id not in only and stray.id not in only:
                continue
            claims = tuple(sorted((by_id[i] for i in stray.claim_ids if i in by_id), key=_order))
            outlets = _outlets(claims) or "a report"
            found.append(
                Finding(
                    id=finding_id("wrong_date", host.id, stray.id),
                    kind="wrong_date",
                    event_id=host.id,
                    severity="high",
                    summary=(
                        f"{outlets} dates an exchange {stray.date}, a year no other report gives; its "
                        f"figures match {_label(host)} (the ledger keeps it apart as {stray.id})."
                    ),
                    claims=claims,
                    details={
                        "wrong": "year",
                        "said": [stray.date],
                        "event_date": host.date,
                        "stray": stray.id,
                    },
                )
            )
    return found


def _figure_set(event: Event) -> set[tuple[str | None, int]]:
    return {(f.to_side, f.best) for f in event.flows if f.best is not None and f.to_side is not None}


# -- running totals ----------------------------------------------------------------------


def _as_of(claim: Evidence) -> tuple[str | None, bool]:
    """The date a running total counts up to, and whether the report said so itself."""
    if claim.event_date and len(claim.event_date) >= 7:
        return claim.event_date, True
    if claim.published:
        return claim.published[:10], False
    return None, False


def _upto(event_date: str, as_of: str) -> bool:
    """Whether an event of ``event_date`` falls on or before ``as_of`` (a day or a month)."""
    return event_date[: len(as_of)] <= as_of


@dataclass(frozen=True)
class LedgerSum:
    """What the ledger holds for one category and receiving side: best, low, high and events."""

    best: int
    low: int
    high: int
    events: tuple[str, ...]


def ledger_sum(
    sums: Iterable[EventSum], category: str, to_side: str, agreement: str | None, as_of: str | None
) -> LedgerSum:
    """Sum the ledger's flows for one category and side (under one agreement, if given) up to a date."""
    best = low = high = 0
    events: list[str] = []
    for s in sums:
        if s.category != category or s.to_side != to_side or s.best is None:
            continue
        if agreement is not None and s.agreement != agreement:
            continue
        if as_of is not None and not _upto(s.date, as_of):
            continue
        best += s.best
        low += s.low if s.low is not None else s.best
        high += s.high if s.high is not None else s.best
        events.append(s.event_id)
    return LedgerSum(best, low, high, tuple(events))


def compare_running_total(value: int, qualifier: str, held: LedgerSum) -> tuple[str, int] | None:
    """How a running total compares with what the ledger holds: None when they agree, else
    ("below", gap) when the claim is smaller than the ledger's sum (a strong signal: the ledger
    only holds what it has read) or ("above", gap) when it is larger (the ledger may be missing
    exchanges). The gap is claim minus ledger best."""
    gap = value - held.best
    if qualifier in ("at_least", "more_than"):
        return None if value <= held.high else ("above", gap)
    if qualifier == "up_to":
        return None if value >= held.low else ("below", gap)
    slack = int(_NEAR * value) if qualifier == "about" else 0
    if held.low - slack <= value <= held.high + slack:
        return None
    return ("below", gap) if value < held.low else ("above", gap)


def running_total_findings(
    sums: Sequence[EventSum], cumulative: Iterable[Evidence], conflict: Conflict
) -> list[Finding]:
    """Running totals announced in reports, against the sum of the events the ledger holds.

    Reports giving the same figure for the same scope make one finding. A total
    smaller than the ledger's sum is a stronger signal (severity high when the
    report dates its total itself, medium when it is dated by publication) than
    a larger one (low), which mostly says the ledger has not read every exchange.
    """
    groups: dict[tuple[str | None, str, str, int, str, str | None], list[Evidence]] = defaultdict(list)
    for c in cumulative:
        if c.kind != "cumulative" or c.value is None or c.to_side is None:
            continue
        as_of, stated = _as_of(c)
        # Reports that give a total without dating it are taken together, as of the first of them.
        groups[(c.agreement, c.category, c.to_side, c.value, c.qualifier, as_of if stated else None)].append(
            c
        )
    found: list[Finding] = []
    for (agreement, category, to_side, value, qualifier, stated_as_of), claims in sorted(
        groups.items(), key=str
    ):
        as_of = stated_as_of or min((_as_of(c)[0] or "9999" for c in claims), default=None)
        if as_of == "9999":
            as_of = None
        held = ledger_sum(sums, category, to_side, agreement, as_of)
        verdict = compare_running_total(value, qualifier, held)
        if verdict is None:
            continue
        side, gap = verdict
        if agreement is None and side == "below":
            # With no agreement named, the total may count from any start ("this year", "since
            # June"): being smaller than the whole ledger says nothing.
            continue
        dated_by_report = stated_as_of is not None
        severity = "low" if side == "above" else ("high" if dated_by_report else "medium")
        scope = f"under {_agreement_name(conflict, agreement)}" if agreement else "in all"
        upto = f" up to {as_of}" if as_of else ""
        words = {"at_least": "at least ", "more_than": "more than ", "about": "about ", "up_to": "up to "}
        claim_text = f"{words.get(qualifier, '')}{_fmt(value)}"
        band = f" (between {_fmt(held.low)} and {_fmt(held.high)})" if held.low != held.high else ""
        found.append(
            Finding(
                id=finding_id("running_total", agreement, category, to_side, qualifier, value, as_of),
                kind="running_total",
                event_id=None,
                severity=severity,
                summary=(
                    f"{_who(claims)} ({_docs(claims)} document{'s' if _docs(claims) != 1 else ''}): "
                    f"{claim_text} {category} to {to_side} {scope}{upto}. The ledger holds "
                    f"{_fmt(held.best)}{band} from {len(held.events)} events; gap {gap:+,}."
                    + (" The claim is smaller than what the ledger has read." if side == "below" else "")
                ),
                claims=tuple(sorted(claims, key=_order)),
                details={
                    "agreement": agreement,
                    "category": category,
                    "to_side": to_side,
                    "claimed": value,
                    "qualifier": qualifier,
                    "as_of": as_of,
                    "ledger": {"best": held.best, "low": held.low, "high": held.high},
                    "events": list(held.events),
                    "gap": gap,
                    "side": side,
                },
            )
        )
    return found


def _agreement_name(conflict: Conflict, agreement_id: str) -> str:
    try:
        return conflict.agreement(agreement_id).name
    except KeyError:
        return agreement_id
