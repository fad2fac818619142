"""Cutting a document's text into paragraphs and sentences, keeping offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Folding that keeps every character's offset: curly quotes and odd spaces
# become their plain forms, one character for one.
_FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
    }
)

_ABBREVIATIONS = (
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "gen",
    "col",
    "lt",
    "sgt",
    "no",
    "vs",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "approx",
    "est",
    "prof",
    "rep",
    "sen",
    "gov",
    "maj",
    "capt",
    "adm",
    "corp",
    "inc",
    "ltd",
)
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+|$)")
_PARAGRAPH = re.compile(r"[^\n]+")


def fold(text: str) -> str:
    """The text with quotes, dashes and spaces folded, offsets unchanged."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def sentences(text: str) -> list[Sentence]:
    """Split text into sentences, each with its offsets and paragraph number."""
    out: list[Sentence] = []
    for paragraph_no, para in enumerate(_PARAGRAPH.finditer(text)):
        base = para.start()
        chunk = para.group()
        start = 0
        for match in _SENTENCE_END.finditer(chunk):
            end = match.end()
            word = re.search(r"([\w.]+)[.!?]*$", chunk[start : match.start() + 1])
            if word and match.group().startswith(".") and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            # A full stop inside a number or before a lower-case word is not an end.
            following = chunk[end:].lstrip()
            if following and following[0].islower():
                continue
            _add(out, chunk, base, start, end, paragraph_no)
            start = end
        _add(out, chunk, base, start, len(chunk), paragraph_no)
    return out


def _add(out: list[Sentence], chunk: str, base: int, start: int, end: int, paragraph: int) -> None:
    piece = chunk[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = base + start + lead
    out.append(Sentence(s, s + len(stripped), stripped, paragraph))
