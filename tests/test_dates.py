from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from swapledger.extract.dates import find_dates
from swapledger.extract.lexicon import lexicon
from swapledger.extract.text import fold

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


def test_english_lexicon_keeps_single_forms_and_slavic_lists_every_form() -> None:
    assert EN.months[0] == ("january",)
    assert {"декабрь", "декабря", "декабре"} <= set(lexicon("ru").months[11])
    assert {"грудень", "грудня", "грудні"} <= set(lexicon("uk").months[11])


# -- Russian and Ukrainian -----------------------------------------------------

RU = lexicon("ru")
UK = lexicon("uk")


def found(text: str, lex: object, published: dt.date | None = FRIDAY) -> list[tuple[str | None, str]]:
    assert isinstance(lex, type(EN))
    return [(d.value, d.role) for d in find_dates(text, published, lex)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Обмен состоялся 19 декабря.", ("2025-12-19", "at")),
        ("Обмен состоялся 19 декабря 2025 года.", ("2025-12-19", "at")),
        ("Обмен состоялся 19-го декабря.", ("2025-12-19", "at")),
        ("Обмен состоялся 19.12.2025.", ("2025-12-19", "at")),
        ("Обмен состоялся 19 дек. 2025 г.", ("2025-12-19", "at")),
        ("Обмен состоялся 20 декабря.", ("2024-12-20", "at")),
        ("Обмен прошёл в декабре.", ("2025-12", "at")),
        ("Тела передали в ноябре 2023 года.", ("2023-11", "at")),
        ("Тела передали в ноябре прошлого года.", ("2024-11", "at")),
        ("Так было в 2025 году.", ("2025", "at")),
        ("Пленных вернули в пятницу.", ("2025-12-19", "at")),
        ("Пленных вернули в четверг.", ("2025-12-18", "at")),
        ("Пленных вернули во вторник.", ("2025-12-16", "at")),
        ("Пленных вернули в среду.", ("2025-12-17", "at")),
        ("Пленных вернули в прошлую пятницу.", ("2025-12-12", "at")),
        ("Обмен прошёл сегодня.", ("2025-12-19", "at")),
        ("Обмен прошёл вчера.", ("2025-12-18", "at")),
        ("Накануне Россия передала тела.", ("2025-12-18", "at")),
        ("Тела вернули в прошлом месяце.", ("2025-11", "at")),
        ("Тела вернули в этом году.", ("2025", "at")),
        ("С начала года вернули пятьсот человек.", ("2025", "since")),
        ("С 2022 года вернули тысячи людей.", ("2022", "since")),
        ("Со среды обменов не было.", ("2025-12-17", "since")),
        ("Начиная с 10 мая обмены шли чаще.", ("2025-05-10", "since")),
        ("По состоянию на 16 июня вернули 6 тыс. тел.", ("2025-06-16", "asof")),
        ("До 19 декабря вернули 200 человек.", ("2025-12-19", "asof")),
        ("Обмены приостановлены с начала октября.", ("2025-10", "since")),
        # A range reads as its last day, as "from 11 to 16 June" does in English.
        ("Тела передавали с 11 по 16 июня.", ("2025-06-16", "at")),
        ("Так было с 2022 по 2024 год.", ("2024", "at")),
    ],
)
def test_russian_dates(text: str, expected: tuple[str, str]) -> None:
    assert found(text, RU) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Обмін відбувся 19 грудня.", ("2025-12-19", "at")),
        ("Обмін відбувся 19 грудня 2025 року.", ("2025-12-19", "at")),
        ("Обмін відбувся 19.12.2025.", ("2025-12-19", "at")),
        ("Обмін відбувся у грудні.", ("2025-12", "at")),
        ("Тіла передали у листопаді 2023 року.", ("2023-11", "at")),
        ("Так було у 2025 році.", ("2025", "at")),
        ("Так було 2022 р.", ("2022", "at")),
        ("Полонених повернули у п'ятницю.", ("2025-12-19", "at")),
        ("Полонених повернули в п'ятницю.", ("2025-12-19", "at")),
        ("Полонених повернули у четвер.", ("2025-12-18", "at")),
        ("Полонених повернули у середу.", ("2025-12-17", "at")),
        ("Полонених повернули минулої п'ятниці.", ("2025-12-12", "at")),
        ("Обмін відбувся сьогодні.", ("2025-12-19", "at")),
        ("Обмін відбувся вчора.", ("2025-12-18", "at")),
        ("Напередодні Україна повернула тіла.", ("2025-12-18", "at")),
        ("Тіла повернули минулого місяця.", ("2025-11", "at")),
        ("Тіла повернули цього року.", ("2025", "at")),
        ("Торік обмінів було більше.", ("2024", "at")),
        ("З початку року повернули п'ятсот людей.", ("2025", "since")),
        ("З 2022 року повернули тисячі людей.", ("2022", "since")),
        ("Від 19 грудня обмінів не було.", ("2025-12-19", "since")),
        ("З лютого 2022 року тривають обміни.", ("2022-02", "since")),
        ("Станом на 16 червня повернули 6 тис. тіл.", ("2025-06-16", "asof")),
        ("Обміни зупинені з початку жовтня.", ("2025-10", "since")),
        ("Тіла передавали з 11 по 16 червня.", ("2025-06-16", "at")),
        ("Наприкінці листопада тіла передали.", ("2025-11", "at")),
        ("Обмін відбувся 24 лютого.", ("2025-02-24", "at")),
        ("Обмін відбувся у лютому.", ("2025-02", "at")),
    ],
)
def test_ukrainian_dates(text: str, expected: tuple[str, str]) -> None:
    assert found(text, UK) == [expected]


@pytest.mark.parametrize(
    ("lex", "text"),
    [
        (RU, "Россия передала 1003 тела."),
        (RU, "Россия передала 2000 тел, Украина получила 1900."),
        (UK, "Україна отримала 2000 тіл."),
        (RU, "Накануне обмена стороны сверили списки."),
        (UK, "Напередодні обміну сторони звірили списки."),
        (RU, "Выбросы попали в окружающую среду."),
        (RU, "Марта Иванова рассказала о сыне."),
        (UK, "Вони зустріли лютого ворога."),
        (UK, "Він служив у військовій середі."),
        (RU, "Обмен пройдёт в следующую пятницу."),
        (RU, "Россия вернула 19 пленных."),
    ],
)
def test_slavic_words_that_are_not_dates(lex: object, text: str) -> None:
    assert found(text, lex) == []


def test_folded_ukrainian_apostrophes_are_read() -> None:
    # Documents are folded before dates are read: ʼ (U+02BC) and ’ become "'".
    assert found(fold("Полонених повернули у п\u02bcятницю і в п\u2019ятницю."), UK) == [
        ("2025-12-19", "at"),
        ("2025-12-19", "at"),
    ]


def test_slavic_relative_dates_without_publication_are_unresolved() -> None:
    (mention,) = find_dates("Пленных вернули в пятницу.", None, RU)
    assert mention.value is None and mention.note is not None


_RU_GENITIVE = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip
_UK_GENITIVE = [
    "січня", "лютого", "березня", "квітня", "травня", "червня",
    "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
]  # fmt: skip


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(["ru", "uk"])
)
def test_slavic_full_dates_read_back(day: dt.date, language: str) -> None:
    if language == "ru":
        text, lex = f"Обмен прошёл {day.day} {_RU_GENITIVE[day.month - 1]} {day.year} года.", RU
    else:
        text, lex = f"Обмін відбувся {day.day} {_UK_GENITIVE[day.month - 1]} {day.year} року.", UK
    assert found(text, lex) == [(day.isoformat(), "at")]
    assert found(f"Дата: {day:%d.%m.%Y}.", lex) == [(day.isoformat(), "at")]


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)),
    st.sampled_from(
        [
            (RU, "в", ["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"]),
            (UK, "у", ["понеділок", "вівторок", "середу", "четвер", "п'ятницю", "суботу", "неділю"]),
        ]
    ),
    st.integers(min_value=0, max_value=6),
)
def test_slavic_weekday_is_the_latest_on_or_before_publication(
    published: dt.date, language: tuple[object, str, list[str]], weekday: int
) -> None:
    lex, preposition, names = language
    ((value, _),) = found(f"Это случилось {preposition} {names[weekday]}.", lex, published)
    assert value is not None
    day = dt.date.fromisoformat(value)
    assert 0 <= (published - day).days <= 6
    assert day.weekday() == weekday


@given(
    st.integers(min_value=1000, max_value=9999).filter(lambda n: not 1900 <= n <= 2099),
    st.sampled_from([RU, UK, EN]),
)
def test_four_digit_counts_are_never_years(value: int, lex: object) -> None:
    assert found(f"Передали {value} тел в {value}.", lex) == []
