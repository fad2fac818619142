"""A language's words, and the patterns built from them and a conflict's data.

Words live in ``lexicons/<language>.yaml``; parties, officials, mediators and
agreements in ``conflicts/<id>.yaml``. This module turns both into compiled
patterns, once per (language, conflict).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .. import conflicts
from ..errors import OptionError

LANGUAGES = ("en", "ru", "uk")


@dataclass(frozen=True)
class Lexicon:
    language: str
    # Dates (read by extract.dates). Months and weekdays list every inflected
    # form of each, January and Monday first.
    months: tuple[tuple[str, ...], ...]
    months_short: tuple[tuple[str, ...], ...]
    weekdays: tuple[tuple[str, ...], ...]
    today: tuple[str, ...]
    yesterday: tuple[str, ...]
    last_month: tuple[str, ...]
    this_month: tuple[str, ...]
    last_year: tuple[str, ...]
    this_year: tuple[str, ...]
    role_since: tuple[str, ...]
    role_asof: tuple[str, ...]
    weekday_prefixes: tuple[tuple[str, tuple[str, ...]], ...]  # ("last" | "this" | "next", words)
    ordinal_suffixes: tuple[str, ...]
    date_of: tuple[str, ...]
    year_words: tuple[str, ...]
    year_prepositions: tuple[str, ...]
    range_words: tuple[str, ...]
    ambiguous_names: tuple[str, ...]
    name_prepositions: tuple[str, ...]
    eve: tuple[str, ...]
    holidays: tuple[tuple[str, tuple[str, ...]], ...]  # ("MM-DD", names of the day)
    names_capitalized: bool
    month_day: bool
    numeric_dates: bool
    bare_year: bool
    raw: tuple[tuple[str, Any], ...]

    def words(self, key: str) -> Any:
        return dict(self.raw)[key]


@cache
def lexicon(language: str) -> Lexicon:
    """The word lists of one language."""
    try:
        text = resources.files(__package__).joinpath("lexicons", f"{language}.yaml").read_text("utf-8")
    except FileNotFoundError:
        raise OptionError(
            "language", f"no lexicon for {language!r}; languages read: {', '.join(LANGUAGES)}"
        ) from None
    data = yaml.safe_load(text)
    date_keys = (
        "months",
        "months_short",
        "weekdays",
        "today",
        "yesterday",
        "last_month",
        "this_month",
        "last_year",
        "this_year",
        "role_since",
        "role_asof",
        "weekday_prefixes",
        "ordinal_suffixes",
        "date_of",
        "year_words",
        "year_prepositions",
        "range_words",
        "ambiguous_names",
        "name_prepositions",
        "eve",
        "holidays",
        "names_capitalized",
        "month_day",
        "numeric_dates",
        "bare_year",
    )
    return Lexicon(
        language=language,
        **{k: _date_words(data[k], forms=k in ("months", "months_short", "weekdays")) for k in date_keys},
        raw=tuple((k, _freeze(v)) for k, v in data.items() if k not in date_keys),
    )


def _date_words(value: Any, *, forms: bool = False) -> Any:
    """A date entry, lower-cased: a flag, a list of words, or a mapping of lists.
    With ``forms`` every item is one month or weekday: a word or a list of its
    inflected forms, read as a tuple of forms either way."""
    if isinstance(value, bool):
        return value
    if isinstance(value, dict):
        return tuple((str(k), _date_words(v)) for k, v in value.items())
    if forms:
        return tuple(_date_words(v if isinstance(v, list) else [v]) for v in value)
    return tuple(str(w).lower() for w in value)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple((k, _freeze(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _alternation(words: Any, *, escape: bool = False) -> str:
    items = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) if escape else w for w in items)


_NEVER = re.compile(r"(?!)")


def _words_re(words: Any, *, escape: bool = False) -> re.Pattern[str]:
    if not words:
        # An empty alternation would match the empty string between any two spaces.
        return _NEVER
    return re.compile(rf"(?<![\w'-])(?:{_alternation(words, escape=escape)})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Named:
    """A pattern whose matches map back to a canonical name or code."""

    pattern: re.Pattern[str]
    names: dict[str, str]

    def find(self, text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), self.names[m.group().lower()]) for m in self.pattern.finditer(text)]


def _named(mapping: dict[str, str]) -> Named:
    return Named(_words_re(mapping, escape=True), {k.lower(): v for k, v in mapping.items()})


@dataclass(frozen=True)
class Matchers:
    """Everything the extractor matches, compiled for one language and conflict."""

    lex: Lexicon
    conflict: conflicts.Conflict
    category_nouns: dict[str, re.Pattern[str]]
    soldier: re.Pattern[str]
    bodies_context: re.Pattern[str]
    transfer: re.Pattern[str]
    give: re.Pattern[str]
    receive: re.Pattern[str]
    each: re.Pattern[str]
    both_sides: re.Pattern[str]
    qualifiers: tuple[tuple[str, re.Pattern[str]], ...]
    cumulative: re.Pattern[str]
    target: re.Pattern[str]
    status: re.Pattern[str]
    status_subjects: re.Pattern[str]
    not_after: re.Pattern[str]
    not_before: re.Pattern[str]
    harm: re.Pattern[str]
    skip_line: re.Pattern[str]
    relevant: re.Pattern[str]
    prefilter: re.Pattern[str]
    not_exchange: re.Pattern[str]
    home: re.Pattern[str]
    bring_back: re.Pattern[str]
    party_names: Named
    party_people: Named
    party_to: Named  # a party named as the receiver by its form ("Украине"), where the language has cases
    party_from: Named  # a party named as the giver by its form ("из украинского плена")
    speakers: Named
    mediators: Named
    agreements: Named


@cache
def matchers(language: str, conflict_id: str = "ru-ua") -> Matchers:
    """Compiled patterns for one language and one conflict."""
    lex = lexicon(language)
    conflict = conflicts.load(conflict_id)
    words = lex.words
    categories = dict(words("categories"))
    qualifiers = tuple(
        (name, re.compile(rf"(?:{_alternation(w)})\s*$", re.IGNORECASE)) for name, w in words("qualifiers")
    )
    names: dict[str, str] = {}
    people: dict[str, str] = {}
    to_forms: dict[str, str] = {}
    from_forms: dict[str, str] = {}
    for party in conflict.parties:
        for alias in party.names.get(language, ()):
            names[alias] = party.code
        for alias in party.people.get(language, ()):
            people[alias] = party.code
        for alias in party.to.get(language, ()):
            to_forms[alias] = party.code
        for alias in party.from_.get(language, ()):
            from_forms[alias] = party.code
    speakers = {a: s.name for s in conflict.speakers for a in s.aliases.get(language, ())}
    mediators = {a: m.name for m in conflict.mediators for a in m.aliases.get(language, ())}
    agreement_places = {a: a for ag in conflict.agreements for a in ag.aliases.get(language, ())}
    all_category = [w for ws in categories.values() for w in ws]
    relevant = rf"(?:{_alternation(all_category)}|{_alternation(words('transfer'))})"
    return Matchers(
        lex=lex,
        conflict=conflict,
        category_nouns={c: _words_re(ws) for c, ws in categories.items()},
        soldier=_words_re(words("soldier_words")),
        bodies_context=_words_re(words("bodies_context")),
        transfer=_words_re(words("transfer")),
        give=_words_re(words("give_verbs")),
        receive=_words_re(words("receive_verbs")),
        each=_words_re(words("each")),
        both_sides=_words_re(words("both_sides")),
        qualifiers=qualifiers,
        cumulative=_words_re(words("cumulative")),
        target=_words_re(words("target")),
        status=_words_re(words("status")),
        status_subjects=_words_re(words("status_subjects")),
        not_after=re.compile(rf"^[\s-]*(?:{_alternation(words('not_people_after'))})(?![\w])", re.IGNORECASE),
        not_before=re.compile(rf"(?<![\w])(?:{_alternation(words('not_people_before'))})\s*$", re.IGNORECASE),
        harm=_words_re(words("harm")),
        skip_line=re.compile(rf"^\W*(?:{_alternation(words('skip_lines'))})\b", re.IGNORECASE),
        relevant=re.compile(relevant, re.IGNORECASE),
        prefilter=re.compile(rf"\b(?:{_alternation(words('prefilter'))})\b", re.IGNORECASE),
        not_exchange=_words_re(words("not_exchange")),
        home=_words_re(words("home_verbs")),
        bring_back=_words_re(words("bring_back_verbs")),
        party_names=_named(names),
        party_people=_named(people),
        party_to=_named(to_forms),
        party_from=_named(from_forms),
        speakers=_named(speakers),
        mediators=_named(mediators),
        agreements=_named(agreement_places),
    )
