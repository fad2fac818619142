"""Finding figures in text: digits with separators and numbers in words."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@cache
def _pattern(language: str) -> re.Pattern[str]:
    if language == "en":
        return re.compile(rf"{_DIGITS}|{_EN_WORDS}", re.IGNORECASE)
    return re.compile(_DIGITS)


def parse_number(text: str, language: str = "en") -> int | None:
    """The value of a figure written in digits or words, or None."""
    cleaned = text.strip()
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


def find_numbers(text: str, language: str = "en") -> list[Number]:
    """Every figure in ``text`` (already folded), with its offsets and value."""
    out: list[Number] = []
    for match in _pattern(language).finditer(text):
        raw = match.group()
        if raw.strip().lower() in {"a", "an", "one", "zero"} and not raw[0].isdigit():
            # "one" alone is mostly a pronoun ("one of the..."); never a figure we need.
            continue
        value = parse_number(raw, language)
        if value is None:
            continue
        out.append(Number(match.start(), match.end(), value, raw, raw[0].isdigit()))
    return out
