from __future__ import annotations

import pytest
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


# -- Russian and Ukrainian -----------------------------------------------------
#
# The spellers below are written independently of the tables in numbers.py, so
# the round trips check those tables against a second reading of the grammar.


def w(text: str) -> list[str]:
    return text.split()


_RU = {
    "nom": (
        w("_ один два три четыре пять шесть семь восемь девять"),
        w(
            "десять одиннадцать двенадцать тринадцать четырнадцать пятнадцать шестнадцать "
            "семнадцать восемнадцать девятнадцать"
        ),
        w("_ _ двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто"),
        w("_ сто двести триста четыреста пятьсот шестьсот семьсот восемьсот девятьсот"),
        {1: "одна", 2: "две"},
    ),
    "gen": (
        w("_ одного двух трёх четырёх пяти шести семи восьми девяти"),
        w(
            "десяти одиннадцати двенадцати тринадцати четырнадцати пятнадцати шестнадцати "
            "семнадцати восемнадцати девятнадцати"
        ),
        w("_ _ двадцати тридцати сорока пятидесяти шестидесяти семидесяти восьмидесяти девяноста"),
        w("_ ста двухсот трёхсот четырёхсот пятисот шестисот семисот восьмисот девятисот"),
        {1: "одной"},
    ),
}
_UK = {
    "nom": (
        w("_ один два три чотири п'ять шість сім вісім дев'ять"),
        w(
            "десять одинадцять дванадцять тринадцять чотирнадцять п'ятнадцять шістнадцять "
            "сімнадцять вісімнадцять дев'ятнадцять"
        ),
        w("_ _ двадцять тридцять сорок п'ятдесят шістдесят сімдесят вісімдесят дев'яносто"),
        w("_ сто двісті триста чотириста п'ятсот шістсот сімсот вісімсот дев'ятсот"),
        {1: "одна", 2: "дві"},
    ),
    "gen": (
        w("_ одного двох трьох чотирьох п'яти шести семи восьми дев'яти"),
        w(
            "десяти одинадцяти дванадцяти тринадцяти чотирнадцяти п'ятнадцяти шістнадцяти "
            "сімнадцяти вісімнадцяти дев'ятнадцяти"
        ),
        w("_ _ двадцяти тридцяти сорока п'ятдесяти шістдесяти сімдесяти вісімдесяти дев'яноста"),
        w("_ ста двохсот трьохсот чотирьохсот п'ятисот шестисот семисот восьмисот дев'ятисот"),
        {1: "однієї"},
    ),
}
_THOUSAND = {
    ("ru", "nom"): ("тысяча", "тысячи", "тысяч"),
    ("ru", "gen"): ("тысячи", "тысяч", "тысяч"),
    ("uk", "nom"): ("тисяча", "тисячі", "тисяч"),
    ("uk", "gen"): ("тисячі", "тисяч", "тисяч"),
}


def _group(n: int, table: tuple[list[str], ...], feminine: bool) -> list[str]:
    units, teens, tens, hundreds, female = table
    words = [hundreds[n // 100]] if n >= 100 else []
    rest = n % 100
    if 10 <= rest < 20:
        return [*words, teens[rest - 10]]
    if rest >= 20:
        words.append(tens[rest // 10])
    if rest % 10:
        unit = rest % 10
        words.append(female.get(unit, units[unit]) if feminine else units[unit])
    return words


def spell(n: int, language: str, case: str) -> str:
    table = (_RU if language == "ru" else _UK)[case]
    one, few, many = _THOUSAND[(language, case)]
    words: list[str] = []
    if n >= 1000:
        high = n // 1000
        words += _group(high, table, feminine=True)
        last, last_two = high % 10, high % 100
        words.append(
            one if last == 1 and last_two != 11 else few if 2 <= last <= 4 and last_two // 10 != 1 else many
        )
    words += _group(n % 1000, table, feminine=False)
    return " ".join(words)


def values(text: str, language: str) -> list[int]:
    return [n.value for n in find_numbers(text, language)]


@given(
    st.integers(min_value=2, max_value=999_999),
    st.sampled_from(["ru", "uk"]),
    st.sampled_from(["nom", "gen"]),
)
def test_slavic_number_words_read_back(value: int, language: str, case: str) -> None:
    words = spell(value, language, case)
    sentence = f"Сторони обміняли {words} осіб." if language == "uk" else f"Стороны обменяли {words} человек."
    found = find_numbers(sentence, language)
    assert [n.value for n in found] == [value], words
    assert found[0].text == words
    assert parse_number(words, language) == value


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(["ru", "uk"]), st.sampled_from([" ", ""]))
def test_slavic_digits_with_space_separators_read_back(value: int, language: str, sep: str) -> None:
    written = f"{value:,}".replace(",", sep)
    assert values(f"Домой вернулись {written} военных.", language) == [value]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Россия передала 1 245 тел, Украина получила 1 003.", [1245, 1003]),
        ("ru", "Всего вернули 6 тыс. тел.", [6000]),
        ("ru", "Всего вернули 6 тыс тел.", [6000]),
        ("ru", "Всего вернули 6 тысяч тел.", [6000]),
        ("ru", "Всего вернули 15 тысяч тел.", [15000]),
        ("ru", "Всего вернули 1,2 тыс. тел.", [1200]),
        ("uk", "Загалом повернули 6 тис. тіл.", [6000]),
        ("uk", "Загалом повернули 6 тисяч тіл.", [6000]),
        ("uk", "Загалом повернули 1,5 тис. тіл.", [1500]),
        ("ru", "Передали полторы тысячи тел.", [1500]),
        ("ru", "Речь шла о полутора тысячах тел.", [1500]),
        ("uk", "Передали півтори тисячі тіл.", [1500]),
        ("ru", "Украина передала тысячу тел.", [1000]),
        ("uk", "Україна отримала тисячу тіл.", [1000]),
        ("ru", "Вернули более тысячи пленных.", [1000]),
        ("uk", "Повернули понад тисячу і близько тисячі тіл.", [1000, 1000]),
        ("ru", "Домой вернулись двадцать шесть человек.", [26]),
        ("ru", "Речь идёт о двадцати шести бойцах.", [26]),
        ("uk", "Мова про двадцятьох шести бійців.", [26]),
        ("ru", "Вернули сто пятьдесят семь военных.", [157]),
        ("ru", "Из ста пятидесяти семи освобождённых трое ранены.", [157, 3]),
        ("ru", "Передали двести тел, а получили около двухсот.", [200, 200]),
        ("ru", "Вернули триста пленных.", [300]),
        ("uk", "Звільнили понад трьохсот полонених.", [300]),
        ("ru", "Вернулись восемьдесят четыре человека.", [84]),
        ("uk", "Повернулися вісімдесят чотири людини.", [84]),
        ("ru", "Передали одна тысяча три тела.", [1003]),
        ("uk", "Передали одну тисячу три тіла.", [1003]),
        ("uk", "Вдома п'ять захисників, ще п'яти надали допомогу.", [5, 5]),
        ("ru", "Пятеро пленных и трое гражданских вернулись.", [5, 3]),
        ("ru", "Среди них нет троих бойцов.", [3]),
        ("uk", "Двоє цивільних і трьох військових звільнено.", [2, 3]),
        ("ru", "Освобождены одиннадцать человек.", [11]),
        ("uk", "Повернули дев'ятсот дев'ять тіл.", [909]),
        ("uk", "Повернули дев\u2019ятсот дев\u2019ять тіл.", [909]),
        ("ru", "ВЕРНУЛИ ДВЕСТИ ТРИ ЧЕЛОВЕКА.", [203]),
        ("ru", "Вернули трёх и четырёх пленных.", [3, 4]),
    ],
)
def test_slavic_figures(language: str, text: str, expected: list[int]) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Один из пленных рассказал о плене."),
        ("ru", "Одного из них ещё ищут."),
        ("uk", "Одна з родин чекає досі."),
        ("ru", "Стороны ещё раз обменялись списками."),
        ("ru", "Тысячи семей ждут новостей."),
        ("uk", "Тисячі родин чекають; десятки тисяч зниклих."),
        ("ru", "Это уже 65-й обмен, он шёл 2,5 часа."),
        ("ru", "Так было в 1990-х."),
        ("ru", "Переговоры шли полтора часа."),
        ("ru", "Боец вернулся в семью."),
        ("uk", "Сьома година ранку."),
    ],
)
def test_slavic_words_that_are_not_figures(language: str, text: str) -> None:
    assert values(text, language) == []


def test_slavic_cardinal_endings_on_digits() -> None:
    assert values("Вернули 5-ти пленных и 2-х гражданских.", "ru") == [5, 2]


def test_parse_number_slavic() -> None:
    assert parse_number("двадцать шесть", "ru") == 26
    assert parse_number("1,2 тыс.", "ru") == 1200
    assert parse_number("1 003", "uk") == 1003
    assert parse_number("полтора", "ru") is None
    assert parse_number("два три", "ru") is None
    assert parse_number("пленных", "ru") is None


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ' 0123456789,.-", max_size=200))
def test_slavic_never_crashes(text: str) -> None:
    for language in ("ru", "uk"):
        for number in find_numbers(text, language):
            assert number.value >= 0
            assert text[number.start : number.end] == number.text


def test_a_thousand_in_the_genitive_counts_remains() -> None:
    from swapledger.extract.numbers import find_numbers

    assert [n.value for n in find_numbers("повернуто тіла тисячі загиблих", "uk")] == [1000]
    assert [n.value for n in find_numbers("переданы тела тысячи погибших", "ru")] == [1000]
    assert find_numbers("тысячи семей ждут", "ru") == []
