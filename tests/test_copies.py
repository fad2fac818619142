"""Copy detection: a republished report is found, a different one is not, order never matters."""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from swapledger.cli import cli
from swapledger.ingest import ingest
from swapledger.ledger import rebuild
from swapledger.resolve.copies import Copy, find_copies, fingerprint, match, shingles
from swapledger.sources import read_path
from swapledger.store import Store, list_events

STATEMENT = (
    "Russia handed over to Ukraine the bodies of 1,000 soldiers today, and Ukraine handed over the "
    "bodies of 38 Russian servicemen, presidential aide Vladimir Medinsky said on his channel. "
    "The transfer took place at the border in the Bryansk region and was the first this year. "
    "Work on identification continues, he added, and further returns are being prepared."
)
REWRITE = (
    "Ukraine received the bodies of 1,000 fallen defenders on Thursday, the Coordination "
    "Headquarters said. Russia got 38 in return. Forensic experts have begun the long work of "
    "identifying the dead, and families are asked to give DNA samples at regional centres."
)


def test_a_republished_statement_is_a_copy_of_the_first_publication() -> None:
    original = fingerprint("wire", STATEMENT, "2026-01-29")
    republished = fingerprint("portal", "MOSCOW. " + STATEMENT + " Read more on our site.", "2026-01-30")
    assert find_copies([republished, original]) == [
        Copy("portal", "wire", find_copies([original, republished])[0].similarity)
    ]
    assert find_copies([original, republished])[0].similarity >= 0.8


def test_a_different_report_of_the_same_exchange_is_not_a_copy() -> None:
    assert (
        find_copies([fingerprint("a", STATEMENT, "2026-01-29"), fingerprint("b", REWRITE, "2026-01-29")])
        == []
    )


def test_copies_of_copies_point_at_the_first_original() -> None:
    prints = [
        fingerprint("c", STATEMENT + " Third.", "2026-01-31"),
        fingerprint("a", STATEMENT, "2026-01-29"),
        fingerprint("b", STATEMENT + " Second.", "2026-01-30"),
    ]
    assert {(c.document_id, c.copy_of) for c in find_copies(prints)} == {("b", "a"), ("c", "a")}


def test_match_compares_a_new_document_with_its_candidates() -> None:
    old = fingerprint("old", STATEMENT, "2026-01-29")
    new = fingerprint("new", STATEMENT, "2026-01-30")
    assert [(c.document_id, c.copy_of) for c in match(new, [old, new])] == [("new", "old")]
    assert set(old.bands()) == set(new.bands())


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles("Russia RETURNED 1,000 bodies!") == shingles("russia returned 1 000 bodies")
    assert shingles("") == set()
    assert shingles("two words") == {b"two words"}


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_answer_does_not_depend_on_the_order_of_ingest(rnd: random.Random) -> None:
    prints = [
        fingerprint("a", STATEMENT, "2026-01-29"),
        fingerprint("b", STATEMENT + " Also here.", "2026-01-29"),
        fingerprint("c", REWRITE, "2026-01-29"),
        fingerprint("d", REWRITE + " Updated.", None),
    ]
    expected = find_copies(prints)
    rnd.shuffle(prints)
    assert find_copies(prints) == expected
    assert {(c.document_id, c.copy_of) for c in expected} == {("b", "a"), ("d", "c")}


# -- copies in the ledger ---------------------------------------------------------------------

WIRE = (
    "---\noutlet: {outlet}\npublished: {published}\n---\n"
    "Russia handed over to Ukraine the bodies of 1,000 soldiers on 29 January 2026, and Ukraine "
    "handed over the bodies of 38 Russian servicemen, presidential aide Vladimir Medinsky said "
    "on his channel. "
    "The transfer took place at the border in the Bryansk region and was the first this year. "
    "Work on identification continues, he added, and further returns are being prepared.{tail}\n"
)
OWN_WORDS = (
    "---\noutlet: Kyiv Daily\npublished: 2026-01-29\n---\n"
    "Ukraine received the bodies of 1,000 fallen defenders today, the Coordination Headquarters "
    "said. Russia got 38 in return.\n"
)


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_republished_report_counts_once(store: Store, tmp_path: Path) -> None:
    """Two mastheads carrying one statement are one source; a report in its own words is another."""
    files = [
        _write(tmp_path, "wire.txt", WIRE.format(outlet="Wire", published="2026-01-29", tail="")),
        _write(
            tmp_path, "portal.txt", WIRE.format(outlet="Portal", published="2026-01-30", tail=" More soon.")
        ),
        _write(tmp_path, "own.txt", OWN_WORDS),
    ]
    ingest(store, files)
    wire, portal = (read_path(f).id for f in files[:2])
    assert [(c.document_id, c.copy_of) for c in store.copies()] == [(portal, wire)]
    [event] = list_events(store)
    assert event["n_documents"] == 2  # the wire and the report in its own words
    assert len(event["documents"]) == 3
    to_ua = next(f for f in event["flows"] if f["to_side"] == "UA")
    assert to_ua["n_sources"] == 2


def test_an_older_original_found_later_becomes_the_original(store: Store, tmp_path: Path) -> None:
    late = _write(tmp_path, "late.txt", WIRE.format(outlet="Late", published="2026-01-31", tail=" Third."))
    later = _write(
        tmp_path, "later.txt", WIRE.format(outlet="Later", published="2026-02-01", tail=" Fourth.")
    )
    first = _write(tmp_path, "first.txt", WIRE.format(outlet="First", published="2026-01-29", tail=""))
    ingest(store, [late, later])
    ingest(store, [first])
    original = read_path(first).id
    assert {c.copy_of for c in store.copies()} == {original}
    assert len(store.copies()) == 2
    assert list_events(store)[0]["n_documents"] == 1


def test_rebuild_finds_copies_among_documents_stored_without_prints(db_path: str, tmp_path: Path) -> None:
    store = Store(db_path)
    ingest(
        store,
        [
            _write(tmp_path, "a.txt", WIRE.format(outlet="A", published="2026-01-29", tail="")),
            _write(tmp_path, "b.txt", WIRE.format(outlet="B", published="2026-01-30", tail=" B.")),
        ],
    )
    with store.engine.begin() as conn:  # what a ledger made before copy detection holds
        for table in ("document_copies", "document_bands", "document_prints"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    rebuild(store)
    assert len(store.copies()) == 1
    assert list_events(store)[0]["n_documents"] == 1


def test_show_names_the_copy(runner: CliRunner, db_path: str, tmp_path: Path) -> None:
    files = [
        _write(tmp_path, "wire.txt", WIRE.format(outlet="Wire", published="2026-01-29", tail="")),
        _write(tmp_path, "portal.txt", WIRE.format(outlet="Portal", published="2026-01-30", tail=" More.")),
    ]
    assert runner.invoke(cli, ["ingest", *files, "--db", db_path]).exit_code == 0
    out = runner.invoke(cli, ["show", "2026-01-29-bodies", "--db", db_path]).output
    assert "1 independent sources (2 documents, 1 of them copies)" in out
    assert f"a copy of {read_path(files[0]).id}" in out
