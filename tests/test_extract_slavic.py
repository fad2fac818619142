"""The extractor on short Russian and Ukrainian texts, one rule each (our own sentences)."""

from __future__ import annotations

import datetime as dt

from swapledger.extract import extract
from swapledger.extract.dates import find_dates
from swapledger.extract.lexicon import matchers
from swapledger.model import Document


def claims(text: str, language: str, published: str = "2026-04-26") -> list[tuple[object, ...]]:
    doc = Document(text=text, source="t.txt", published=published, language=language)
    return [(c.kind, c.category, c.to_side, c.count, c.event_date) for c in extract(doc)]


def test_days_listed_before_a_month_are_dates_each() -> None:
    lex = matchers("uk", "ru-ua").lex
    found = find_dates("13, 14 і 15 червня — по 1 200", dt.date(2026, 4, 26), lex)
    assert [d.value for d in found] == ["2025-06-13", "2025-06-14", "2025-06-15"]


def test_a_figure_after_a_number_is_not_a_listed_day() -> None:
    lex = matchers("uk", "ru-ua").lex
    found = find_dates("отримала 1 200, 15 червня", dt.date(2026, 4, 26), lex)
    assert [d.value for d in found] == ["2025-06-15"]


def test_one_figure_for_each_listed_day() -> None:
    got = claims(
        "Україна повернула понад 6 тисяч тіл. 11 червня надійшло 1 212 тіл, 13, 14 і 15 червня — "
        "по 1 200, а 16 червня — 1 245.",
        "uk",
    )
    exchanges = [(c[2], c[3], c[4]) for c in got if c[0] == "exchange"]
    assert exchanges == [
        ("UA", 1212, "2025-06-11"),
        ("UA", 1200, "2025-06-13"),
        ("UA", 1200, "2025-06-14"),
        ("UA", 1200, "2025-06-15"),
        ("UA", 1245, "2025-06-16"),
    ]


def test_two_dates_sharing_both_figures() -> None:
    got = claims("17 июля и 19 августа Украина получала по 1000 тел, а Россия — по 19.", "ru", "2025-12-30")
    assert sorted((c[2], c[3], c[4]) for c in got) == [
        ("RU", 19, "2025-07-17"),
        ("RU", 19, "2025-08-19"),
        ("UA", 1000, "2025-07-17"),
        ("UA", 1000, "2025-08-19"),
    ]


def test_each_time_spreads_a_figure_over_the_dates() -> None:
    got = claims("Передачі тіл відбулися 29 січня та 26 лютого, щоразу по 1000 тіл для України.", "uk")
    assert got == [
        ("exchange", "bodies", "UA", 1000, "2026-01-29"),
        ("exchange", "bodies", "UA", 1000, "2026-02-26"),
    ]


def test_per_side_each_is_still_each_side_with_one_date() -> None:
    got = claims("2 жовтня 2025 року сторони обміняли по 185 військових.", "uk")
    assert sorted((c[2], c[3], c[4]) for c in got) == [("RU", 185, "2025-10-02"), ("UA", 185, "2025-10-02")]


def test_that_same_year_takes_the_year_given_before() -> None:
    got = claims(
        "У жовтні 2024 року сторони звільнили по 95 полонених. У грудні того ж року Україна отримала тіла "
        "503 загиблих, Росія — 42.",
        "uk",
    )
    assert [(c[2], c[3], c[4]) for c in got if c[1] == "bodies"] == [
        ("UA", 503, "2024-12"),
        ("RU", 42, "2024-12"),
    ]


def test_another_count_of_the_same_figure_takes_its_side() -> None:
    got = claims(
        "У червні Україна нарахувала 1 245 тіл в останній день репатріації, тоді як Міноборони РФ — 1 248.",
        "uk",
        "2025-12-22",
    )
    assert [(c[2], c[3]) for c in got] == [("UA", 1245), ("UA", 1248)]


def test_a_figure_offered_as_an_alternative_shares_the_side() -> None:
    got = claims(
        "1003 чи 1000: скільки тіл повернули 19 грудня\n\nУ п'ятницю Україна отримала 1000 тіл.",
        "uk",
        "2025-12-22",
    )
    assert {(c[2], c[3]) for c in got} == {("UA", 1003), ("UA", 1000)}


def test_what_was_spoken_of_is_a_target() -> None:
    got = claims("Всего, таким образом, речь шла примерно о 12 тыс. тел.", "ru", "2025-12-30")
    assert got == [("target", "bodies", None, 12000, None)]


def test_an_undated_sentence_keeps_the_date_its_paragraph_gave() -> None:
    got = claims(
        "В пятницу в Россию были возвращены тела 25 погибших военнослужащих. Украинской стороне передали "
        "1000 тел.\n\nПредыдущая передача состоялась в ноябре: тогда Украина получила 1000 тел, Россия — 30.",
        "ru",
        "2025-12-20",
    )
    assert [(c[2], c[3], c[4]) for c in got] == [
        ("RU", 25, "2025-12-19"),
        ("UA", 1000, "2025-12-19"),
        ("UA", 1000, "2025-11"),
        ("RU", 30, "2025-11"),
    ]


def test_a_small_figure_before_today_is_a_figure_not_a_day() -> None:
    got = claims(
        "Загалом за три дні звільнено 1000 українців: 390 у п'ятницю, 307 у суботу і 303 сьогодні.",
        "uk",
        "2025-05-25",
    )
    assert [(c[0], c[3], c[4]) for c in got] == [
        ("cumulative", 1000, None),
        ("exchange", 390, "2025-05-23"),
        ("exchange", 307, "2025-05-24"),
        ("exchange", 303, "2025-05-25"),
    ]


def test_a_day_known_by_name_is_a_date() -> None:
    lex = matchers("uk", "ru-ua").lex
    found = find_dates("У День Незалежності повернули 146 воїнів.", dt.date(2025, 8, 25), lex)
    assert [d.value for d in found] == ["2025-08-24"]
    earlier = find_dates("У День Незалежності повернули 146 воїнів.", dt.date(2026, 3, 1), lex)
    assert [d.value for d in earlier] == ["2025-08-24"]


def test_a_figure_without_a_verb_after_a_sentence_that_has_one() -> None:
    got = claims(
        "Повертаємо наших додому. У День Незалежності — 146 наших воїнів та вісім цивільних.\n"
        "Володимир Зеленський",
        "uk",
        "2025-08-24",
    )
    assert got == [
        ("exchange", "pows", "UA", 146, "2025-08-24"),
        ("exchange", "civilians", "UA", 8, "2025-08-24"),
    ]
    assert claims("У День Незалежності — 146 наших воїнів.", "uk", "2025-08-24") == []


def attributions(text: str, language: str, outlet: str | None = None) -> list[tuple[object, ...]]:
    doc = Document(text=text, source="t.txt", published="2025-12-20", language=language, outlet=outlet)
    return [(c.count, c.attributed_to) for c in extract(doc)]


def test_a_signed_statement_credits_its_author() -> None:
    text = "Сегодня Россия передала Украине 1000 тел.\nНам переданы тела 26 военных.\nВладимир Мединский"
    assert attributions(text, "ru") == [(1000, "Vladimir Medinsky"), (26, "Vladimir Medinsky")]


def test_a_report_credits_a_speaker_only_in_the_paragraph_that_names_them() -> None:
    text = (
        "Мединский сообщил, что Украине передали 1000 тел.\n\n"
        "Предыдущая передача состоялась в ноябре: тогда Украина получила 1000 тел, Россия — 30."
    )
    assert attributions(text, "ru") == [(1000, "Vladimir Medinsky"), (1000, None), (30, None)]


def test_a_speaker_named_before_a_figure_introduces_it() -> None:
    text = (
        "Передача состоялась 19 декабря: Мединский сообщил о 1000 тел для Украины и 26 — для России, "
        "украинский Координационный штаб — о 1003."
    )
    assert attributions(text, "ru") == [
        (1000, "Vladimir Medinsky"),
        (26, "Vladimir Medinsky"),
        (1003, "Coordination Headquarters"),
    ]
