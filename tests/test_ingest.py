"""Batches: summaries, exit codes, and what a crash leaves behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from swapledger.ingest import ingest
from swapledger.store import Store

from .conftest import write

GOOD = "---\npublished: 2025-12-20\n---\nOn Friday Russia returned {n} bodies to Ukraine.\n"


def _files(tmp_path: Path, n: int) -> list[str]:
    return [str(write(tmp_path / f"{i:02}.txt", GOOD.format(n=1000 + i))) for i in range(n)]


def test_bad_document_does_not_stop_the_batch(tmp_path: Path, db_path: str) -> None:
    files = _files(tmp_path, 3)
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    store = Store(db_path)
    report = ingest(store, [files[0], str(tmp_path / "bad.txt"), *files[1:]])
    assert (report.new, report.duplicate, len(report.failed)) == (3, 0, 1)
    assert report.failed[0][0].endswith("bad.txt")
    assert report.exit_code == 1
    again = ingest(store, files)
    assert (again.new, again.duplicate, again.exit_code) == (0, 3, 0)


def test_interrupt_leaves_every_document_whole_or_absent(
    tmp_path: Path, db_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(tmp_path, 5)
    store = Store(db_path)
    ingest(store, files[:1])
    from swapledger.store import database

    real_insert = database.insert
    calls = {"n": 0}

    def failing_insert(table: object) -> object:
        # Fail half-way through the third new document: after its row, before its claims.
        if getattr(table, "name", "") == "claims":
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt
        return real_insert(table)  # type: ignore[arg-type]

    monkeypatch.setattr(database, "insert", failing_insert)
    with pytest.raises(KeyboardInterrupt):
        ingest(store, files)
    monkeypatch.undo()
    docs = store.execute_sql("select count(*) from documents")[0][0]
    with_claims = store.execute_sql("select count(distinct document_id) from claims")[0][0]
    assert docs == with_claims == 3  # the first, then two more whole; the third new one absent
    assert store.events_stale()
    report = ingest(store, files)
    assert (report.new, report.duplicate) == (2, 3)
    # All five report the same day: one event, its figures in dispute.
    assert store.execute_sql("select count(*), max(n_documents) from events") == [(1, 5)]
