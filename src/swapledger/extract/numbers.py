"""Finding figures in text: digits with separators and numbers in words.

English number words are read by ``text2num``. Russian and Ukrainian ones are
read from the tables below, not from a library: ``text2num`` has no Russian or
Ukrainian, and ``number-parser`` (the one PyPI package that reads Russian
number words) was checked and rejected. It gives no offsets (it rewrites the
string), misses collectives ("пятеро", "троє"), "полторы тысячи" and many
Ukrainian case forms ("трьохсот", "дев'ятсот дев'ять", "п'яти"), and it takes
about 2 ms for a 2,000-character text. A number word has a small, closed set of
case forms, so listing every form is both complete and fast: one compiled
pattern finds runs of number words, and a small grammar (hundreds, tens,
units, then "thousand") splits a run into numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from text_to_num import text2num

# 1,003 / 1 003 (also with no-break spaces, folded to spaces) / 1.003 is not
# accepted: in English texts it is a decimal.
_DIGITS = (
    r"(?<![\w.,:/])\d{1,3}(?:(?:,| )\d{3})+(?![\w/%]|:\d|[.,]\d)"
    r"|(?<![\w.,:/])\d+(?![\w/%]|:\d|[.,]\d)"
)

_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
]
_EN_WORD = "(?:" + "|".join(sorted(_EN_UNITS, key=len, reverse=True)) + ")"
_EN_WORDS = rf"(?<![\w-])(?:an?\s+)?{_EN_WORD}(?:(?:\s+and\s+|[\s-]+){_EN_WORD})*(?![\w-])"


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: int
    text: str
    digits: bool


# -- Russian and Ukrainian --------------------------------------------------
#
# Every case and gender form of each number word, written with "е" for "ё"
# (text is matched with either) and "'" for the Ukrainian apostrophe.


def _with(stems: str, endings: str) -> str:
    """Every stem with every ending: the regular paradigms (teens, tens)."""
    return " ".join(s + e for s in stems.split() for e in endings.split(","))


_RU_TEENS = (
    "одиннадцат двенадцат тринадцат четырнадцат пятнадцат шестнадцат семнадцат восемнадцат девятнадцат"
)
_UK_TEENS = (
    "одинадцят дванадцят тринадцят чотирнадцят п'ятнадцят шістнадцят сімнадцят вісімнадцят дев'ятнадцят"
)
_UK_ENDINGS = "ь,и,ьох,ьом,ьма,ьома"

_CARDINALS: dict[str, dict[int, str]] = {
    "ru": {
        1: "один одного одному одним одном одна одной одну одною одно одни одних одними",
        2: "два две двух двум двумя",
        3: "три трех трем тремя",
        4: "четыре четырех четырем четырьмя",
        5: "пять пяти пятью",
        6: "шесть шести шестью",
        7: "семь семи семью",
        8: "восемь восьми восемью восьмью",
        9: "девять девяти девятью",
        10: "десять десяти десятью",
        **{11 + i: _with(stem, "ь,и,ью") for i, stem in enumerate(_RU_TEENS.split())},
        20: _with("двадцат", "ь,и,ью"),
        30: _with("тридцат", "ь,и,ью"),
        40: "сорок сорока",
        50: "пятьдесят пятидесяти пятьюдесятью",
        60: "шестьдесят шестидесяти шестьюдесятью",
        70: "семьдесят семидесяти семьюдесятью",
        80: "восемьдесят восьмидесяти восемьюдесятью восьмьюдесятью",
        90: "девяносто девяноста",
        100: "сто ста",
        200: "двести двухсот двумстам двумястами двухстах",
        300: "триста трехсот тремстам тремястами трехстах",
        400: "четыреста четырехсот четыремстам четырьмястами четырехстах",
        500: "пятьсот пятисот пятистам пятьюстами пятистах",
        600: "шестьсот шестисот шестистам шестьюстами шестистах",
        700: "семьсот семисот семистам семьюстами семистах",
        800: "восемьсот восьмисот восьмистам восемьюстами восьмьюстами восьмистах",
        900: "девятьсот девятисот девятистам девятьюстами девятистах",
    },
    "uk": {
        1: "один одного одному одним однім одна однієї одній одну одною однією одне одно одні одних одними",
        2: "два дві двох двом двома",
        3: "три трьох трьом трьома",
        4: "чотири чотирьох чотирьом чотирма чотирьома",
        5: "п'ять п'яти п'ятьох п'ятьом п'ятьма п'ятьома",
        6: "шість шести шістьох шістьом шістьма шістьома",
        7: "сім семи сімох сімом сьома сімома",
        8: "вісім восьми вісьмох вісьмом вісьма вісьмома",
        9: "дев'ять дев'яти дев'ятьох дев'ятьом дев'ятьма дев'ятьома",
        10: "десять десяти десятьох десятьом десятьма десятьома",
        **{11 + i: _with(stem, _UK_ENDINGS) for i, stem in enumerate(_UK_TEENS.split())},
        20: _with("двадцят", _UK_ENDINGS),
        30: _with("тридцят", _UK_ENDINGS),
        40: "сорок сорока",
        50: _with("п'ятдесят", "," + _UK_ENDINGS[2:]),
        60: _with("шістдесят", "," + _UK_ENDINGS[2:]),
        70: _with("сімдесят", "," + _UK_ENDINGS[2:]),
        80: _with("вісімдесят", "," + _UK_ENDINGS[2:]),
        90: "дев'яносто дев'яноста",
        100: "сто ста",
        200: "двісті двохсот двомстам двомастами двохстах",
        300: "триста трьохсот трьомстам трьомастами трьохстах",
        400: "чотириста чотирьохсот чотирьомстам чотирмастами чотирьохстах",
        500: "п'ятсот п'ятисот п'ятистам п'ятьмастами п'ятьомастами п'ятистах",
        600: "шістсот шестисот шестистам шістьмастами шістьомастами шестистах",
        700: "сімсот семисот семистам сьомастами сімомастами семистах",
        800: "вісімсот восьмисот восьмистам вісьмастами вісьмомастами восьмистах",
        900: "дев'ятсот дев'ятисот дев'ятистам дев'ятьмастами дев'ятьомастами дев'ятистах",
    },
}
# Collective numerals count people ("пятеро пленных", "троє захисників"). Their
# Ukrainian oblique forms are the cardinal ones ("трьох"), already listed above.
_COLLECTIVES: dict[str, dict[int, str]] = {
    "ru": {
        2: "двое двоих двоим двоими",
        3: "трое троих троим троими",
        **{
            n: _with(stem, "о,ых,ым,ыми")
            for n, stem in zip(
                range(4, 11),
                ["четвер", "пятер", "шестер", "семер", "восьмер", "девятер", "десятер"],
                strict=True,
            )
        },
    },
    "uk": {
        n: word
        for n, word in zip(
            range(2, 11),
            ["двоє", "троє", "четверо", "п'ятеро", "шестеро", "семеро", "восьмеро", "дев'ятеро", "десятеро"],
            strict=True,
        )
    },
}
_THOUSANDS = {
    "ru": "тысяча тысячи тысяче тысячу тысячей тысячью тысяч тысячам тысячами тысячах",
    "uk": "тисяча тисячі тисячу тисячею тисяч тисячам тисячами тисячах",
}
# Forms that alone mean one thousand ("передала тысячу тел"). The plural forms
# alone ("тысячи пленных", "тисяч людей") are vague amounts, not figures.
_THOUSAND_ALONE = {
    "ru": frozenset({"тысяча", "тысячу", "тысячей", "тысячью", "тысяче"}),
    "uk": frozenset({"тисяча", "тисячу", "тисячею"}),
}
# "тысячи" / "тисячі" is one thousand only after a comparison ("более тысячи",
# "близько тисячі"), as a share ("по тисячі людей") or as the count of remains
# ("тела тысячи погибших", "тіла тисячі загиблих"); elsewhere it is the plural
# ("тысячи семей").
_THOUSAND_GENITIVE = {"ru": "тысячи", "uk": "тисячі"}
_THOUSAND_BEFORE = {
    "ru": re.compile(
        r"(?<![\w'])(?:более|больше|свыше|около|почти|менее|меньше|порядка|примерно|приблизительно|до|по|тела|тел|"
        r"останки|останков)\s+$",
        re.IGNORECASE,
    ),
    "uk": re.compile(
        r"(?<![\w'])(?:понад|більше|близько|майже|менше|щонайменше|приблизно|до|тіла|тіл|останки|останків|по)\s+$",
        re.IGNORECASE,
    ),
}
_HALVES = {"ru": "полтора полторы полутора", "uk": "півтора півтори"}
_THOUSAND_ABBREVIATIONS = {"ru": "тыс", "uk": "тис"}
# Words that alone are mostly not figures: "one" ("один из", "одного из"), and
# forms shared with common nouns ("семью" is also "family", "сьома" "seventh").
_NOT_ALONE = {"ru": frozenset({"семью"}), "uk": frozenset({"сьома"})}
# "65-й обмен" is the 65th exchange; "5-ти пленных" and "2-х" are cardinals.
_CYRILLIC_SUFFIX = re.compile(r"-([^\W\d_]+)")
_CARDINAL_SUFFIXES = frozenset({"ти", "ми", "ью", "ух", "ох", "ех", "ьох"})

_UNIT, _TEEN, _TEN, _HUNDRED, _THOUSAND, _HALF = range(6)
# Where each kind sits in a group of three digits: a token may follow another
# only if it starts after the slot the other ends in ("сто двадцать пять").
_SLOTS = {_HUNDRED: (0, 0), _TEN: (1, 1), _TEEN: (1, 2), _UNIT: (2, 2)}


@dataclass(frozen=True)
class _Word:
    value: int
    kind: int


def _normalise(word: str) -> str:
    return word.lower().replace("ё", "е").replace("\u2019", "'").replace("\u02bc", "'")


@cache
def _words(language: str) -> dict[str, _Word]:
    table: dict[str, _Word] = {}
    for value, forms in _CARDINALS[language].items():
        kind = _UNIT if value < 10 else _TEEN if value < 20 else _TEN if value < 100 else _HUNDRED
        for form in forms.split():
            table[form] = _Word(value, kind)
    for value, forms in _COLLECTIVES[language].items():
        for form in forms.split():
            table.setdefault(form, _Word(value, _UNIT))
    for form in _THOUSANDS[language].split():
        table[form] = _Word(1000, _THOUSAND)
    for form in _HALVES[language].split():
        table[form] = _Word(0, _HALF)
    return table


_Node = dict[str, "_Node"]


def word_alternation(words: Iterable[str], char: Callable[[str], str] = re.escape) -> str:
    """A regular expression matching any of ``words``, factored by common
    prefixes (a trie), so that matching costs one branch per letter instead of
    one try per word. Longer words are preferred, as in a longest-first
    alternation. ``char`` writes one character as a pattern."""
    tree: _Node = {}
    for word in words:
        node = tree
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}
    return _trie_node(tree, char)


def _trie_node(node: _Node, char: Callable[[str], str]) -> str:
    branches = [char(c) + _trie_node(child, char) for c, child in sorted(node.items()) if c]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # A word may end here or go on: the longer reading is tried first.
    return f"(?:{body})?" if "" in node else body


def _char(char: str) -> str:
    """One letter of a number word: "е" also reads "ё", "'" every apostrophe."""
    if char == "е":
        return "[её]"
    if char == "'":
        return "['\u2019\u02bc]"
    return re.escape(char)


@cache
def _pattern(language: str) -> re.Pattern[str]:
    if language == "en":
        return re.compile(rf"{_DIGITS}|{_EN_WORDS}", re.IGNORECASE)
    if language not in _CARDINALS:
        return re.compile(_DIGITS)
    word = word_alternation(_words(language), _char)
    thousand = word_alternation(_THOUSANDS[language].split(), _char)
    abbreviation = _THOUSAND_ABBREVIATIONS[language]
    # A decimal comma before "тыс." is the one place a comma is not a thousands
    # separator: "1,2 тыс." is 1,200.
    with_thousand = (
        r"(?<![\w.,:/])(?:\d{1,3}(?: \d{3})+|\d+(?:,\d+)?)"
        rf"\s*(?:{abbreviation}\.|{abbreviation}(?![\w'])|{thousand}(?![\w']))"
    )
    words = rf"(?<![\w'])(?P<words>{word}(?:\s+{word})*)(?![\w'])"
    # Every figure starts with a digit or the first letter of a number word:
    # testing that first spares the three alternatives at most positions.
    gate = "(?=[\\d" + "".join(sorted({w[0] for w in _words(language)})) + "])"
    return re.compile(rf"{gate}(?:{with_thousand}|{words}|{_DIGITS})", re.IGNORECASE)


def parse_number(text: str, language: str = "en") -> int | None:
    """The value of a figure written in digits or words, or None."""
    cleaned = text.strip()
    if language in _CARDINALS:
        return _parse_slavic(cleaned, language)
    if re.fullmatch(r"[\d,\s]+", cleaned):
        digits = re.sub(r"[,\s]", "", cleaned)
        return int(digits) if digits else None
    if language != "en":
        return None
    words = re.sub(r"^an?\s+", "one ", cleaned.lower())
    words = words.replace("-", " ")
    words = re.sub(r"\s+", " ", words)
    try:
        value = text2num(words, "en")
    except ValueError:
        return None
    return int(value)


def _parse_slavic(text: str, language: str) -> int | None:
    if re.fullmatch(r"\d{1,3}(?:[, ]\d{3})+|\d+", text):
        return int(re.sub(r"[, ]", "", text))
    head = re.match(r"(\d{1,3}(?: \d{3})+|\d+(?:,\d+)?)\s*(\S+)$", text)
    if head:
        unit = _normalise(head.group(2)).rstrip(".")
        entry = _words(language).get(unit)
        if unit != _THOUSAND_ABBREVIATIONS[language] and (entry is None or entry.kind != _THOUSAND):
            return None
        try:
            value = Decimal(head.group(1).replace(" ", "").replace(",", ".")) * 1000
        except InvalidOperation:
            return None
        return int(value) if value == value.to_integral_value() else None
    tokens = text.split()
    table = _words(language)
    entries = [table.get(_normalise(t)) for t in tokens]
    if not entries or any(e is None for e in entries):
        return None
    groups = _split([e for e in entries if e is not None])
    if len(groups) != 1 or groups[0][1] is None:
        return None
    return groups[0][1]


class _Reader:
    """One number being read word by word, by the grammar of Russian and
    Ukrainian numerals: [hundreds] [tens] [units] [thousand [hundreds] [tens] [units]]."""

    def __init__(self) -> None:
        self.total = 0
        self.group = 0
        self.slot = -1
        self.thousand = False
        self.half = False
        self.count = 0

    def accepts(self, word: _Word) -> bool:
        if word.kind == _THOUSAND:
            return not self.thousand
        if self.half and not self.thousand:
            return False
        if word.kind == _HALF:
            return self.count == 0
        return _SLOTS[word.kind][0] > self.slot

    def add(self, word: _Word) -> None:
        self.count += 1
        if word.kind == _HALF:
            self.half = True
        elif word.kind == _THOUSAND:
            self.total = 1500 if self.half else (self.group or 1) * 1000
            self.group, self.slot, self.thousand = 0, -1, True
        else:
            self.group += word.value
            self.slot = _SLOTS[word.kind][1]

    def value(self) -> int | None:
        if self.half and not self.thousand:
            return None  # "полтора" alone is 1.5, never a count of people
        return self.total + self.group


def _split(words: list[_Word]) -> list[tuple[int, int | None]]:
    """Split a run of number words into numbers: (how many words, value)."""
    out: list[tuple[int, int | None]] = []
    reader = _Reader()
    for word in words:
        if reader.count and not reader.accepts(word):
            out.append((reader.count, reader.value()))
            reader = _Reader()
        reader.add(word)
    if reader.count:
        out.append((reader.count, reader.value()))
    return out


_TOKEN = re.compile(r"[\w'\u2019\u02bc]+")


def _find_slavic_words(text: str, match: re.Match[str], language: str) -> list[Number]:
    table = _words(language)
    tokens = list(_TOKEN.finditer(text, match.start("words"), match.end("words")))
    entries = [table[_normalise(t.group())] for t in tokens]
    out: list[Number] = []
    i = 0
    for count, value in _split(entries):
        first, last = tokens[i], tokens[i + count - 1]
        i += count
        if value is None:
            continue
        if count == 1:
            form = _normalise(first.group())
            entry = table[form]
            if entry.value == 1 or form in _NOT_ALONE[language]:
                continue
            if entry.kind == _THOUSAND and form not in _THOUSAND_ALONE[language]:
                before = text[max(0, first.start() - 40) : first.start()]
                if form != _THOUSAND_GENITIVE[language] or not _THOUSAND_BEFORE[language].search(before):
                    continue
        raw = text[first.start() : last.end()]
        out.append(Number(first.start(), last.end(), value, raw, False))
    return out


def find_numbers(text: str, language: str = "en") -> list[Number]:
    """Every figure in ``text`` (already folded), with its offsets and value."""
    out: list[Number] = []
    slavic = language in _CARDINALS
    for match in _pattern(language).finditer(text):
        if slavic and match.group("words"):
            out.extend(_find_slavic_words(text, match, language))
            continue
        raw = match.group()
        if raw.strip().lower() in {"a", "an", "one", "zero"} and not raw[0].isdigit():
            # "one" alone is mostly a pronoun ("one of the..."); never a figure we need.
            continue
        if slavic and not _cardinal_suffix(text, match.end(), raw):
            continue
        value = parse_number(raw, language)
        if value is None:
            continue
        out.append(Number(match.start(), match.end(), value, raw, raw[0].isdigit()))
    return out


def _cardinal_suffix(text: str, end: int, raw: str) -> bool:
    """False when digits carry an ordinal ending ("65-й", "1990-х")."""
    suffix = _CYRILLIC_SUFFIX.match(text, end)
    if suffix is None:
        return True
    ending = suffix.group(1).lower()
    if ending == "х":
        # "2-х" is "двух", but "90-х" is "the nineties".
        return raw[-1] in "234" and not raw.endswith(("12", "13", "14"))
    return ending in _CARDINAL_SUFFIXES
