"""The store on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swapledger.errors import StoreError
from swapledger.ledger import rebuild
from swapledger.model import Claim, Document
from swapledger.store import Store, get_event, normalise_url, stored_claims


def _claim(doc: str, count: int | None = 1003, to_side: str | None = "UA", quote: str = "q") -> Claim:
    return Claim(
        doc=doc,
        kind="exchange",
        category="bodies",
        from_side="RU",
        to_side=to_side,
        count=count,
        qualifier="exact",
        event_date="2025-12-19",
        attributed_to=None,
        agreement=None,
        span=(0, len(quote)),
        quote=quote,
        mediators=("ICRC",),
    )


def test_document_is_stored_once(store: Store) -> None:
    doc = Document(text="Russia returned 1,003 bodies.", source="a.txt", published="2025-12-19")
    assert store.add_document(doc, [_claim("a.txt")], "1") is True
    same_text = Document(text="  Russia returned   1,003 bodies. ", source="b.txt")
    assert store.add_document(same_text, [_claim("b.txt")], "1") is False
    assert store.execute_sql("select count(*) from documents") == [(1,)]
    assert store.execute_sql("select count(*) from claims") == [(1,)]


def test_events_are_built_and_shown(store: Store) -> None:
    doc = Document(text="Russia returned 1,003 bodies and got 26.", source="a.txt", published="2025-12-19")
    store.add_document(doc, [_claim("a.txt"), _claim("a.txt", 26, "RU")], "1")
    assert store.events_stale()
    result = rebuild(store)
    assert [e.id for e in result.events] == ["2025-12-19-bodies"]
    assert not store.events_stale()
    record = get_event(store, "2025-12-19-bodies")
    assert [f["best"] for f in record["flows"]] == [1003, 26]
    assert {c["doc"] for c in record["claims"]} == {"a.txt"}


def test_migrations_are_recorded(store: Store) -> None:
    assert store.execute_sql("select version_num from alembic_version") == [("0004",)]
    Store(store.url).close()  # opening again upgrades nothing and loses nothing


quotes = st.text(alphabet=string.ascii_letters + string.digits + " ,.'\"ёїʼ€—\n", min_size=1, max_size=80)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quote=quotes, count=st.one_of(st.none(), st.integers(0, 10**7)))
def test_what_is_stored_reads_back_identical(store: Store, quote: str, count: int | None) -> None:
    text = f"doc {quote} {count}"
    doc = Document(text=text, source=f"{abs(hash(text))}.txt")
    claim = _claim(doc.source, count=count, quote=quote)
    if store.add_document(doc, [claim], "1"):
        back = [c for c in stored_claims(store) if c["document_id"] == doc.id]
        assert back[0]["quote"] == quote
        assert back[0]["count"] == count
        assert back[0]["mediators"] == ["ICRC"]


def test_bad_urls_are_clear_errors(tmp_path: object) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store("/no/such/folder/ledger.db")
    with pytest.raises(StoreError):
        Store("nosuchdriver://x/y")


def test_url_forms() -> None:
    assert normalise_url("ledger.db") == "sqlite:///ledger.db"
    assert normalise_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
