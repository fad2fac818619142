from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from swapledger.extract.numbers import find_numbers, parse_number


@given(st.integers(min_value=0, max_value=999_999), st.sampled_from([",", " ", ""]))
def test_digits_with_separators_read_back(value: int, sep: str) -> None:
    written = f"{value:,}".replace(",", sep)
    found = find_numbers(f"Russia returned {written} bodies.")
    assert [n.value for n in found] == [value]


def test_number_words() -> None:
    assert parse_number("one thousand and three") == 1003
    assert parse_number("a thousand") == 1000
    assert parse_number("twenty-six") == 26
    assert parse_number("one hundred fifty-seven") == 157


def test_decimals_times_and_ordinals_are_not_figures() -> None:
    text = "The 65th swap took 2.5 hours and ended at 10:30, a rise of 12%."
    assert [n.value for n in find_numbers(text)] == []


def test_one_alone_is_not_a_figure() -> None:
    assert find_numbers("one of the largest swaps") == []


@given(st.text(max_size=200))
def test_never_crashes(text: str) -> None:
    for number in find_numbers(text):
        assert number.value >= 0
        assert text[number.start : number.end] == number.text
