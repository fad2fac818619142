"""Copy detection: a republished report is found, a different one is not, order never matters."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from swapledger.resolve.copies import Copy, find_copies, fingerprint, match, shingles

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
