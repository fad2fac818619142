"""The extractor on short texts written for each rule of docs/labelling.md."""

from __future__ import annotations

import pytest

from swapledger.extract import ExtractOptions, UnsupportedLanguageError, extract
from swapledger.model import Document


def claims(text: str, published: str | None = "2025-12-20") -> list[tuple[object, ...]]:
    doc = Document(text=text, source="t.txt", published=published, language="en")
    return [(c.kind, c.category, c.to_side, c.count, c.qualifier, c.event_date) for c in extract(doc)]


def test_two_directions_are_two_claims() -> None:
    got = claims("On Friday Russia returned the bodies of 1,003 Ukrainian soldiers and received 26.")
    assert got == [
        ("exchange", "bodies", "UA", 1003, "exact", "2025-12-19"),
        ("exchange", "bodies", "RU", 26, "exact", "2025-12-19"),
    ]


def test_receiver_named_by_verb_and_ellipsis() -> None:
    got = claims("Ukraine received 1,000 bodies on Thursday, Russia 38.")
    assert [(c[2], c[3]) for c in got] == [("UA", 1000), ("RU", 38)]


def test_each_gives_one_claim_per_side() -> None:
    got = claims("Russia and Ukraine each released 84 prisoners of war on Friday.")
    assert sorted((c[2], c[3]) for c in got) == [("RU", 84), ("UA", 84)]


def test_total_for_both_sides_has_no_side() -> None:
    got = claims("The two sides exchanged the bodies of 1,029 soldiers in all on Friday.")
    assert [(c[1], c[2], c[3]) for c in got] == [("bodies", None, 1029)]


def test_qualifiers() -> None:
    got = claims("Ukraine has received more than 1,200 bodies in the latest repatriation today.")
    assert got[0][3:5] == (1200, "more_than")


def test_target_each_from_an_agreement() -> None:
    got = claims("In Istanbul the sides agreed to exchange 6,000 bodies each.")
    assert sorted((c[0], c[2], c[3]) for c in got) == [("target", "RU", 6000), ("target", "UA", 6000)]


def test_running_total_with_as_of_date() -> None:
    got = claims("As of November 2025, Ukraine had received at least 15,000 bodies since 2022.")
    assert got == [("cumulative", "bodies", "UA", 15000, "at_least", "2025-11")]


def test_status_has_no_figure() -> None:
    got = claims("Prisoner swaps have been suspended since October 2025.")
    assert got == [("status", "pows", None, None, "exact", "2025-10")]


def test_background_keeps_its_own_date_and_a_wrong_year_is_kept() -> None:
    got = claims(
        "Russia returned 1,000 bodies on Friday. In November 2023 Ukraine got back 1,000 bodies for 30.",
        published="2026-01-30",
    )
    assert ("exchange", "bodies", "UA", 1000, "exact", "2023-11") in got
    assert ("exchange", "bodies", "RU", 30, "exact", "2023-11") in got


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 426 drones and 21 missiles overnight, killing 5 civilians.",
        "A court in Kyiv freed 120 prisoners under an amnesty law in 2025.",
        "Rescuers recovered the bodies of 12 people from the rubble.",
        "It was the 65th exchange since 2022, worth $1.5 billion to nobody.",
        "Soldiers aged 18 to 25 were covered by the deal.",
        "About 1,200 Russian soldiers were killed in a day, Kyiv said.",
    ],
)
def test_numbers_that_are_not_exchange_figures(text: str) -> None:
    assert claims(text) == []


def test_spans_point_at_the_quote() -> None:
    text = "Headline first.\nOn Friday Russia returned 1,003 bodies to Ukraine."
    doc = Document(text=text, source="t.txt", published="2025-12-20", language="en")
    (claim,) = extract(doc)
    assert text[claim.span[0] : claim.span[1]] == claim.quote
    assert "1,003" in claim.quote


def test_relative_date_without_publication_is_left_unresolved() -> None:
    got = claims("On Friday Russia returned 1,003 bodies to Ukraine.", published=None)
    assert got[0][5] is None


def test_unsupported_language_is_a_clear_error() -> None:
    doc = Document(text="Текст", source="ru.txt", language="xx")
    with pytest.raises(UnsupportedLanguageError, match=r"ru\.txt.*'xx'"):
        extract(doc, ExtractOptions())


def test_every_grammar_compiles_with_every_pattern() -> None:
    from swapledger.extract.grammar import grammar
    from swapledger.extract.lexicon import LANGUAGES

    for language in LANGUAGES:
        assert grammar(language).language == language
    english = grammar("en")
    assert english.pair_after.match(" for 19")
    assert english.by_count.match(" by Kyiv's count")
    assert not english.pair_after.match(" for years")


def test_a_missing_grammar_is_a_clear_error() -> None:
    from swapledger.errors import OptionError
    from swapledger.extract.grammar import grammar

    with pytest.raises(OptionError, match="no grammar for 'xx'"):
        grammar("xx")


def test_handed_over_is_a_verb_not_a_qualifier() -> None:
    got = claims("On Friday Russia handed over 1,003 bodies to Ukraine and received over 20.")
    assert [(c[3], c[4]) for c in got] == [(1003, "exact"), (20, "more_than")]
