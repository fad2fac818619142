"""Grouping and reconciliation as pure functions: status, parts, sources, stable ids, order."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from swapledger import conflicts
from swapledger.model import Part
from swapledger.resolve import ClaimRef, build_events

CONFLICT = conflicts.load("ru-ua")


def _ref(
    cid: int,
    doc: str,
    date: str | None,
    to: str | None,
    n: int,
    published: str = "2025-11-21",
    category: str = "bodies",
    who: str | None = None,
    source: str | None = None,
) -> ClaimRef:
    frm = {"UA": "RU", "RU": "UA"}.get(to or "")
    return ClaimRef(
        cid, doc, "exchange", category, frm, to, n, "exact", date, who, None, "", published, source
    )


def test_a_background_mention_joins_the_earlier_exchange_it_describes() -> None:
    """A December report recalling "in November, 1,000 bodies for 30" adds to November's event."""
    claims = [
        _ref(1, "nov", "2025-11-20", "UA", 1000, "2025-11-20"),
        _ref(2, "nov", "2025-11-20", "RU", 30, "2025-11-20"),
        _ref(3, "dec", "2025-12-19", "UA", 1003, "2025-12-19"),
        _ref(4, "dec", "2025-12-19", "RU", 26, "2025-12-19"),
        _ref(5, "dec", "2025-11", "UA", 1000, "2025-12-19"),
        _ref(6, "dec", "2025-11", "RU", 30, "2025-12-19"),
    ]
    events = {e.id: e for e in build_events(claims, CONFLICT).events}
    assert sorted(events) == ["2025-11-20-bodies", "2025-12-19-bodies"]
    assert events["2025-11-20-bodies"].claim_ids == (1, 2, 5, 6)
    assert events["2025-12-19-bodies"].claim_ids == (3, 4)


def test_a_total_without_sides_matches_the_side_that_gives_it() -> None:
    claims = [
        _ref(1, "a", "2025-06-16", "UA", 1245, "2025-06-16"),
        _ref(2, "b", "2025-06-16", "UA", 1248, "2025-06-17"),
        _ref(3, "a", "2025-06-13", "UA", 1200, "2025-06-13"),
        _ref(4, "late", "2025-06", "UA", 1245, "2025-12-21"),
        _ref(5, "late", "2025-06", None, 1248, "2025-12-21"),
    ]
    events = {e.id: e for e in build_events(claims, CONFLICT).events}
    assert sorted(events) == ["2025-06-13-bodies", "2025-06-16-bodies"]
    assert events["2025-06-16-bodies"].claim_ids == (1, 2, 4, 5)


def test_status_completed_disputed_announced() -> None:
    claims = [
        _ref(1, "a", "2025-11-20", "UA", 1000, "2025-11-20"),
        _ref(2, "b", "2025-12-19", "UA", 1003, "2025-12-19"),
        _ref(3, "c", "2025-12-19", "UA", 1000, "2025-12-20"),
        _ref(4, "d", "2026-01-29", "UA", 1000, "2026-01-27"),  # "will return on Thursday"
    ]
    status = {e.id: (e.status, e.disputed) for e in build_events(claims, CONFLICT).events}
    assert status == {
        "2025-11-20-bodies": ("completed", False),
        "2025-12-19-bodies": ("disputed", True),
        "2026-01-29-bodies": ("announced", False),
    }
    later = [*claims, _ref(5, "e", "2026-01-29", "UA", 1000, "2026-01-29")]
    assert {e.id: e.status for e in build_events(later, CONFLICT).events}["2026-01-29-bodies"] == "completed"


def test_a_composite_exchange_keeps_its_parts() -> None:
    """ "84 severely wounded and 200 young soldiers, 284 in all": parts kept, the sum competes."""
    claims = [
        _ref(1, "a", "2025-08-14", "UA", 84, "2025-08-14", "pows"),
        _ref(2, "a", "2025-08-14", "UA", 200, "2025-08-14", "pows"),
        _ref(3, "a", "2025-08-14", "UA", 284, "2025-08-14", "pows"),
        _ref(4, "b", "2025-08-14", "UA", 284, "2025-08-14", "pows"),
    ]
    [event] = build_events(claims, CONFLICT).events
    assert event.parts == (Part("RU", "UA", (84, 200), 284, "a"),)
    [flow] = event.flows
    assert (flow.best, flow.low, flow.high, event.status) == (284, 284, 284, "completed")
    assert event.record()["parts"] == [
        {"from_side": "RU", "to_side": "UA", "counts": [84, 200], "total": 284, "document": "a"}
    ]


def test_copies_count_with_their_original() -> None:
    """Three outlets carrying one statement are one source against a report in its own words."""
    claims = [
        _ref(1, "wire", "2025-12-19", "UA", 1000, "2025-12-19"),
        _ref(2, "copy1", "2025-12-19", "UA", 1000, "2025-12-19", source="wire"),
        _ref(3, "copy2", "2025-12-19", "UA", 1000, "2025-12-19", source="wire"),
        _ref(4, "own", "2025-12-19", "UA", 1003, "2025-12-19"),
        _ref(5, "other", "2025-12-19", "UA", 1003, "2025-12-20"),
    ]
    [event] = build_events(claims, CONFLICT).events
    assert (event.n_documents, len(event.documents)) == (3, 5)
    [flow] = event.flows
    # 1,003 has two independent sources, 1,000 one (however many mastheads carried it).
    assert (flow.best, flow.n_sources, flow.rule) == (1003, 3, "most-reported figure")


def test_event_ids_do_not_change_when_unrelated_reports_arrive() -> None:
    base = [_ref(1, "a", "2025-11-20", "UA", 1000), _ref(2, "b", "2025-11", "UA", 500, "2025-12-01")]
    before = [e.id for e in build_events(base, CONFLICT).events]
    more = [*base, _ref(3, "c", "2025-11-21", "UA", 7, category="pows"), _ref(4, "d", "2024-11-20", "UA", 9)]
    after = [e.id for e in build_events(more, CONFLICT).events]
    assert set(before) <= set(after)
    assert before == ["2025-11-bodies", "2025-11-20-bodies"]


CLAIMS = [
    _ref(1, "a", "2025-11-20", "UA", 1000, "2025-11-20"),
    _ref(2, "a", "2025-11-20", "RU", 30, "2025-11-20"),
    _ref(3, "b", "2025-11", "UA", 1000, "2025-12-02"),
    _ref(4, "c", "2023-11", "UA", 1000, "2025-11-22"),
    _ref(5, "d", None, "UA", 1000, "2025-11-23"),
    _ref(6, "e", "2025", "RU", 30, "2025-12-30"),
    _ref(7, "f", "2025-10", "UA", 563, "2025-12-30"),
    _ref(8, "f", "2025-10", "UA", 502, "2025-12-30"),
    _ref(9, "g", "2025-10-05", "UA", 561, "2025-10-05"),
]


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_order_claims_arrive_in_never_matters(rnd: random.Random) -> None:
    expected = build_events(CLAIMS, CONFLICT)
    shuffled = list(CLAIMS)
    rnd.shuffle(shuffled)
    got = build_events(shuffled, CONFLICT)
    assert [e.record() for e in got.events] == [e.record() for e in expected.events]
    assert [e.claim_ids for e in got.events] == [e.claim_ids for e in expected.events]
    by_id = {e.id: e for e in expected.events}
    assert by_id["2025-11-20-bodies"].claim_ids == (1, 2, 3, 4, 5, 6)  # month, wrong year, undated, year
    assert "dates this exchange 2023-11" in by_id["2025-11-20-bodies"].notes[0]
    assert by_id["2025-10-05-bodies"].claim_ids == (7, 9)  # "563 and 502": the 563 is close to 561
    assert by_id["2025-10-bodies"].claim_ids == (8,)
