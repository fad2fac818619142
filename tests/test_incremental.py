"""Incremental updates: adding documents one at a time gives exactly what a full rebuild gives."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swapledger.ingest import bring_up_to_date, ingest
from swapledger.ledger import INCREMENTAL_LIMIT, apply_decision, rebuild, update_events
from swapledger.model import Claim, Document
from swapledger.sources import iter_paths
from swapledger.store import Store, list_events

from .conftest import SAMPLE

Snapshot = tuple[list[tuple[object, ...]], ...]


def _snapshot(store: Store) -> Snapshot:
    """Everything events are: their records and status, flows, claim links, and the findings."""
    return (
        store.execute_sql("select id, record, status, n_documents, disputed from events order by id"),
        store.execute_sql("select event_id, direction, best, low, high, rule from event_flows order by 1, 2"),
        store.execute_sql("select event_id, claim_id from event_claims order by 1, 2"),
        store.execute_sql("select id, kind, event_id, summary from findings order by id"),
    )


def _same_as_rebuild(store: Store) -> None:
    before = _snapshot(store)
    rebuild(store)
    after = _snapshot(store)
    for name, one, other in zip(("events", "flows", "links", "findings"), before, after, strict=True):
        assert one == other, (name, sorted(set(one) ^ set(other))[:6])


@pytest.mark.parametrize("seed", [1, 2])
def test_the_sample_one_document_at_a_time_equals_a_rebuild(db_path: str, seed: int) -> None:
    paths = list(iter_paths([str(SAMPLE)]))
    random.Random(seed).shuffle(paths)
    store = Store(db_path)
    for i, path in enumerate(paths):
        ingest(store, [path])
        assert not store.events_stale(), f"{path} left the ledger stale"
        if i in (10, 50):
            _same_as_rebuild(store)
    _same_as_rebuild(store)
    assert store.count_events() >= 40


def test_the_sample_all_at_once_equals_one_at_a_time(tmp_path: Path) -> None:
    paths = list(iter_paths([str(SAMPLE)]))
    one = Store(str(tmp_path / "one.db"))
    for path in paths:
        ingest(one, [path])
    together = Store(str(tmp_path / "all.db"))
    ingest(together, paths)
    assert _snapshot(one)[0] == _snapshot(together)[0]


def _claim(day: str, to_side: str, count: int, category: str = "bodies") -> Claim:
    return Claim(
        doc="x",
        kind="exchange",
        category=category,
        from_side="RU" if to_side == "UA" else "UA",
        to_side=to_side,
        count=count,
        qualifier="exact",
        event_date=day,
        attributed_to=None,
        agreement=None,
        span=(0, 1),
        quote="q",
    )


def test_an_update_touches_only_the_events_nearby(store: Store) -> None:
    """A report of a July exchange rebuilds July's events, not March's; and the result is a rebuild's."""
    store.add_document(
        Document("March report.", "m.txt", published="2025-03-28"), [_claim("2025-03-28", "UA", 909)], "1"
    )
    store.add_document(
        Document("Pows report.", "p.txt", published="2025-07-01"),
        [_claim("2025-07-01", "UA", 90, "pows")],
        "1",
    )
    rebuild(store)
    new = Document("July report.", "j.txt", published="2025-07-17")
    store.add_document(new, [_claim("2025-07-17", "UA", 1000), _claim("2025-07-17", "RU", 19)], "1")
    assert store.events_stale()
    result = update_events(store, [new.id])
    assert [e.id for e in result.events] == ["2025-07-17-bodies"]
    assert not store.events_stale()
    _same_as_rebuild(store)


def test_a_month_report_moves_to_the_event_a_later_report_dates(store: Store) -> None:
    """ "In July, 1,000 bodies" makes a month event until a dated report of that exchange arrives."""
    month = Document("Summer summary.", "s.txt", published="2025-09-01")
    store.add_document(month, [_claim("2025-07", "UA", 1000), _claim("2025-07", "RU", 19)], "1")
    update_events(store, [month.id])
    assert [e.id for e in rebuild(store).events] == ["2025-07-bodies"]
    dated = Document("Dated report.", "d.txt", published="2025-07-17")
    store.add_document(dated, [_claim("2025-07-17", "UA", 1000)], "1")
    result = update_events(store, [dated.id])
    assert [(e.id, e.n_documents) for e in result.events] == [("2025-07-17-bodies", 2)]
    assert store.count_events() == 1
    _same_as_rebuild(store)


def test_large_batches_rebuild_and_small_ones_update(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "l.db"))
    for i in range(INCREMENTAL_LIMIT + 1):
        store.add_document(
            Document(f"Report {i}.", f"{i}.txt", published="2025-07-17"),
            [_claim("2025-07-17", "UA", 1000)],
            "1",
        )
    assert bring_up_to_date(store) == "rebuild"
    store.add_document(
        Document("One more.", "x.txt", published="2025-07-18"), [_claim("2025-07-18", "UA", 5)], "1"
    )
    assert bring_up_to_date(store) == "incremental"
    assert not store.events_stale()


DATES = [
    "2025-11-20",
    "2025-11-21",
    "2024-11-20",
    "2025-12-19",
    "2025-11",
    "2023-11",
    "2024-11",
    "2025",
    None,
]
PUBLISHED = ["2025-11-20", "2025-11-22", "2025-11-27", "2025-12-20", "2024-11-21"]
CLAIMS = st.lists(
    st.tuples(
        st.sampled_from(["bodies", "pows"]),
        st.sampled_from(DATES),
        st.sampled_from(["UA", "RU", None]),
        st.sampled_from([1000, 1003, 30, 26]),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    reports=st.lists(st.tuples(st.sampled_from(PUBLISHED), CLAIMS), min_size=2, max_size=8),
    merge_at=st.integers(0, 7),
)
def test_generated_reports_and_decisions_one_at_a_time_equal_a_rebuild(
    tmp_path_factory: pytest.TempPathFactory,
    reports: list[tuple[str, list[tuple[str, str | None, str | None, int]]]],
    merge_at: int,
) -> None:
    """Reports of every kind of date (day, month, wrong year, year, none) and an analyst's merge."""
    store = Store(str(tmp_path_factory.mktemp("gen") / "g.db"))
    for i, (published, claims) in enumerate(reports):
        doc = Document(f"Report {i}.", f"{i}.txt", published=published)
        rows = [
            Claim(
                doc=doc.source,
                kind="exchange",
                category=category,
                from_side={"UA": "RU", "RU": "UA"}.get(to_side or ""),
                to_side=to_side,
                count=count,
                qualifier="exact",
                event_date=date,
                attributed_to=None,
                agreement=None,
                span=(0, 1),
                quote=f"q{i}",
            )
            for category, date, to_side, count in claims
        ]
        store.add_document(doc, rows, "1")
        update_events(store, [doc.id])
        events = [e["id"] for e in list_events(store)]
        if i == merge_at and len(events) >= 2:
            apply_decision(store, "merge", events[0], {"events": [events[-1]]}, "ana", "generated")
    assert not store.events_stale()
    _same_as_rebuild(store)
