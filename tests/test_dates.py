from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from swapledger.extract.dates import find_dates
from swapledger.extract.lexicon import lexicon

EN = lexicon("en")
FRIDAY = dt.date(2025, 12, 19)


def values(text: str, published: dt.date | None = FRIDAY) -> list[str | None]:
    return [d.value for d in find_dates(text, published, EN)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It happened on Friday.", "2025-12-19"),
        ("It happened on Thursday.", "2025-12-18"),
        ("It happened last Friday.", "2025-12-12"),
        ("It happened today.", "2025-12-19"),
        ("It happened yesterday.", "2025-12-18"),
        ("It happened on October 23.", "2025-10-23"),
        ("It happened on 23 October.", "2025-10-23"),
        ("It happened on December 20.", "2024-12-20"),
        ("It happened in November.", "2025-11"),
        ("It happened in November 2023.", "2023-11"),
        ("It happened last month.", "2025-11"),
        ("It happened on 19 December 2025.", "2025-12-19"),
        ("It happened in 2024.", "2024"),
    ],
)
def test_resolution_keeps_precision(text: str, expected: str) -> None:
    assert values(text) == [expected]


def test_since_is_a_start_not_a_date_of_event() -> None:
    (mention,) = find_dates("Swaps stopped since October 2025.", FRIDAY, EN)
    assert (mention.value, mention.role) == ("2025-10", "since")


def test_relative_dates_without_publication_are_unresolved_with_a_reason() -> None:
    (mention,) = find_dates("It happened on Friday.", None, EN)
    assert mention.value is None
    assert mention.note is not None and "publication date" in mention.note


def test_may_the_verb_is_not_a_month() -> None:
    assert values("May the talks go on.") == []
    assert values("It happened in May.") == ["2025-05"]


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)),
    st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
)
def test_weekday_is_the_latest_on_or_before_publication(published: dt.date, weekday: str) -> None:
    (value,) = values(f"It happened on {weekday}.", published)
    assert value is not None
    day = dt.date.fromisoformat(value)
    assert 0 <= (published - day).days <= 6
    assert day.strftime("%A") == weekday
