"""A language's grammar: the patterns the claim extractor reads sentences by.

Each language has ``grammars/<language>.yaml``: named regular expressions for
the shapes of its sentences ("N for M", "each side", "by Kyiv's count", the
words that end a noun phrase). Word lists are in ``lexicons/``; a language is
read when it has both. Every pattern is compiled case-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources

import yaml

from ..errors import OptionError


@dataclass(frozen=True)
class Grammar:
    """The compiled patterns of one language."""

    language: str
    age_before: re.Pattern[str]
    agreed_after: re.Pattern[str]
    agreed_before: re.Pattern[str]
    asof_before: re.Pattern[str]
    alternative: re.Pattern[str]
    alternative_before: re.Pattern[str]
    and_word: re.Pattern[str]
    another_before: re.Pattern[str]
    bare_next: re.Pattern[str]
    bodies_of_before: re.Pattern[str]
    by_count: re.Pattern[str]
    civilian_word: re.Pattern[str]
    compound: re.Pattern[str]
    compound_before: re.Pattern[str]
    coordination_gap: re.Pattern[str]
    credit_before: re.Pattern[str]
    determiner_before: re.Pattern[str]
    each_after: re.Pattern[str]
    each_before: re.Pattern[str]
    each_pair_gap: re.Pattern[str]
    each_side: re.Pattern[str]
    each_time: re.Pattern[str]
    elliptic: re.Pattern[str]
    followed_by: re.Pattern[str]
    for_before: re.Pattern[str]
    giver_after: re.Pattern[str]
    harm_after: re.Pattern[str]
    harm_before: re.Pattern[str]
    in_return: re.Pattern[str]
    in_return_next: re.Pattern[str]
    more_after: re.Pattern[str]
    np_stop: re.Pattern[str]
    of_its_after: re.Pattern[str]
    pair_after: re.Pattern[str]
    pair_after_loose: re.Pattern[str]
    pair_before: re.Pattern[str]
    pair_before_loose: re.Pattern[str]
    pair_gap: re.Pattern[str]
    partner_gap: re.Pattern[str]
    passive_before: re.Pattern[str]
    past_transfer: re.Pattern[str]
    people_place_after: re.Pattern[str]
    perfect: re.Pattern[str]
    possessive_after: re.Pattern[str]
    pow_explicit: re.Pattern[str]
    put_at: re.Pattern[str]
    put_it_at: re.Pattern[str]
    range_age: re.Pattern[str]
    receiver_after: re.Pattern[str]
    same_year: re.Pattern[str]
    side_after: re.Pattern[str]
    statement: re.Pattern[str]
    strong_pow: re.Pattern[str]
    superlative_since: re.Pattern[str]
    target_after: re.Pattern[str]
    under_deal: re.Pattern[str]
    under_it: re.Pattern[str]
    verb_right_before: re.Pattern[str]
    voice: re.Pattern[str]
    we_people: re.Pattern[str]
    we_receive: re.Pattern[str]
    we: re.Pattern[str]
    weak_total: re.Pattern[str]


@cache
def grammar(language: str) -> Grammar:
    """The grammar of one language, compiled once."""
    try:
        text = resources.files(__package__).joinpath("grammars", f"{language}.yaml").read_text("utf-8")
    except FileNotFoundError:
        raise OptionError("language", f"no grammar for {language!r}") from None
    data = yaml.safe_load(text)
    names = [f.name for f in fields(Grammar) if f.name != "language"]
    missing = sorted(set(names) - set(data))
    unknown = sorted(set(data) - set(names))
    if missing or unknown:
        raise OptionError(
            "language",
            f"grammars/{language}.yaml: missing patterns {missing}, unknown patterns {unknown}",
        )
    compiled: dict[str, re.Pattern[str]] = {}
    for name in names:
        try:
            compiled[name] = re.compile(str(data[name]), re.IGNORECASE)
        except re.error as exc:
            raise OptionError("language", f"grammars/{language}.yaml: {name}: {exc}") from None
    return Grammar(language=language, **compiled)
