from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from swapledger.extract.language import detect


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Short posts, the hard case: a handful of words.
        ("Они дома!", "ru"),
        ("Вони вдома!", "uk"),
        ("Мы вернули наших", "ru"),
        ("Ми повернули наших", "uk"),
        ("Пленных вернули домой", "ru"),
        ("Полонених повернули додому", "uk"),
        ("Репатриация тел продолжается", "ru"),
        ("Репатріація тіл триває", "uk"),
        ("В пятницу в Киев передали 1000 тел", "ru"),
        ("В п'ятницю до Києва передали 1000 тіл", "uk"),
        ("В пʼятницю до Києва передали 1000 тіл", "uk"),
        ("Ukraine returns 1,000 bodies", "en"),
        # Sentences of a report.
        ("Россия передала Украине тела погибших военнослужащих, сообщил штаб.", "ru"),
        ("Україна повернула додому тіла загиблих захисників, повідомив штаб.", "uk"),
        ("Сегодня состоялся очередной обмен пленными: домой вернулись 84 человека.", "ru"),
        ("Сьогодні відбувся черговий обмін полоненими: додому повернулися 84 людини.", "uk"),
        ("Ukraine received the bodies of 1,000 fallen soldiers on Friday, officials said.", "en"),
        # Mostly one language with a quote in the other.
        (
            "Україна повернула 1000 тіл. Російська сторона заявила: «Мы передали тела». "
            "Ідентифікація загиблих триває, процес займе кілька тижнів.",
            "uk",
        ),
    ],
)
def test_detects_english_russian_and_ukrainian(text: str, expected: str) -> None:
    assert detect(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12:00 — 1 003",
        "Die Ukraine hat die Leichen an Russland übergeben, sagte der Sprecher.",
        "La Russie a remis les corps de mille soldats tombés au front.",
        "Русија је предала тела погинулих војника.",
        "Беларусь перадала цела ўкраінскіх вайскоўцаў.",
        "България предаде телата на загиналите войници.",
    ],
)
def test_other_languages_and_empty_text_are_none(text: str) -> None:
    assert detect(text) is None


def test_reads_only_the_start() -> None:
    russian = "Россия передала тела погибших военных. " * 60
    assert detect(russian + "Україна повернула тіла загиблих захисників. " * 200) == "ru"


@given(st.text(max_size=300))
def test_never_crashes(text: str) -> None:
    assert detect(text) in {None, "en", "ru", "uk"}
