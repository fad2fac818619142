"""Finding date expressions and resolving them against a publication date.

Resolution keeps the precision the text gives: a day (``2025-12-19``), a month
(``2025-11``) or a year (``2025``). Relative expressions ("on Friday", "last
month") need the publication date; without one they are found but left
unresolved, with the reason in ``note``.

Every word comes from the language's lexicon (months and weekdays with all
their inflected forms, role words, year words such as "года"/"року"), so the
same patterns read English, Russian and Ukrainian.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from dateutil.relativedelta import relativedelta

from .lexicon import Lexicon
from .numbers import word_alternation


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str | None  # ISO day, month or year; None when it could not be resolved
    role: str  # "at", "since" (the start of a period) or "asof" (the end of one)
    note: str | None = None


def parse_published(value: str | None) -> dt.date | None:
    """The publication date as a date (accepts ISO dates and ISO date-times)."""
    if not value:
        return None
    return dt.date.fromisoformat(str(value)[:10])


def _words(words: tuple[str, ...] | list[str]) -> str:
    """A case-insensitive pattern for any of these literal words, longest first."""
    if not words:
        return "(?!)"
    return "(?i:" + word_alternation(set(words)) + ")"


def _names(words: list[str], lex: Lexicon) -> str:
    """Month or weekday names. Where names are capitalised (English), only the
    capitalised form is a name: "may" and "march" are other words."""
    if lex.names_capitalized:
        return word_alternation({w.capitalize() for w in words})
    return _words(words)


@dataclass(frozen=True)
class _Index:
    months: dict[str, int]
    short: dict[str, int]
    weekdays: dict[str, int]
    prefixes: dict[str, str]


@cache
def _index(lex: Lexicon) -> _Index:
    def forms(items: tuple[tuple[str, ...], ...]) -> dict[str, int]:
        return {form: i for i, item in enumerate(items) for form in item}

    return _Index(
        months=forms(lex.months),
        short=forms(lex.months_short),
        weekdays=forms(lex.weekdays),
        prefixes={word: kind for kind, words in lex.weekday_prefixes for word in words},
    )


@cache
def _pattern(lex: Lexicon) -> re.Pattern[str]:
    full = _names([f for forms in lex.months for f in forms], lex)
    short = _names([f for forms in lex.months_short for f in forms], lex)
    month = rf"(?P<month>{full}|(?:{short})\.?)"
    # A short form alone ("лист", "мар") is too often another word; only
    # capitalised languages take one without a day.
    alone = month if lex.names_capitalized else rf"(?P<month>{full})"
    weekday = _names([f for forms in lex.weekdays for f in forms], lex)
    prefixes = _words([w for _, words in lex.weekday_prefixes for w in words])
    rel = _words(lex.today + lex.yesterday + lex.last_month + lex.this_month + lex.last_year + lex.this_year)
    rel_year = _words(lex.last_year + lex.this_year)
    role = rf"(?P<role>{_words(lex.role_since + lex.role_asof)}\s+)?"
    ordinal = rf"(?:{_words(lex.ordinal_suffixes)})?" if lex.ordinal_suffixes else ""
    # "19th of December" / "November of 2023"
    of = rf"(?:\s+{_words(lex.date_of)})?" if lex.date_of else ""
    of_year = rf"(?:{_words(lex.date_of)}\s+)?" if lex.date_of else ""
    year_word = rf"\s*{_words(lex.year_words)}" if lex.year_words else ""
    opt_year_word = f"(?:{year_word})?" if year_word else ""
    ranges = "|".join(["-", *(re.escape(w) for w in lex.range_words)])
    parts = [r"(?P<iso>\d{4}-\d{2}-\d{2})"]
    if lex.numeric_dates:
        parts.append(rf"(?P<nd>\d{{1,2}})\.(?P<nm>\d{{1,2}})\.(?P<ny>\d{{4}}|\d{{2}}){opt_year_word}")
    parts.append(
        rf"(?P<d1>\d{{1,2}}){ordinal}{of}\s+{month}"
        rf"(?:,?\s+(?P<y1>\d{{4}}){opt_year_word}|\s+(?P<ry1>{rel_year}))?"
    )
    if lex.month_day:
        parts.append(
            rf"{month.replace('month', 'month2')}\s+(?P<d2>\d{{1,2}}){ordinal}(?:,?\s+(?P<y2>\d{{4}}))?"
        )
    parts += [
        rf"(?:(?P<prefix>{prefixes})\s+)?(?P<weekday>{weekday})",
        rf"{alone.replace('month', 'month3')}"
        rf"(?:\s+{of_year}(?P<y3>\d{{4}}){opt_year_word}|\s+(?P<ry3>{rel_year}))?",
        rf"(?P<rel>{rel})",
        rf"(?P<year>(?:19|20)\d{{2}})(?!\s*(?i:{ranges})\s*\d)(?P<yw>{year_word})?"
        if year_word
        else rf"(?P<year>(?:19|20)\d{{2}})(?!\s*(?i:{ranges})\s*\d)",
    ]
    # Every date starts with a digit or the first letter of one of its words:
    # testing that first spares the long alternations at most word boundaries.
    starts = [
        *lex.role_since,
        *lex.role_asof,
        *(w for _, words in lex.weekday_prefixes for w in words),
        *(f for forms in lex.months + lex.months_short + lex.weekdays for f in forms),
        *lex.today,
        *lex.yesterday,
        *lex.last_month,
        *lex.this_month,
        *lex.last_year,
        *lex.this_year,
    ]
    first = sorted({w[0] for w in starts if w} | {w[0].upper() for w in starts if w})
    gate = "(?=[\\d" + re.escape("".join(first)) + "])"
    return re.compile(rf"\b{gate}{role}(?:{'|'.join(parts)})\b")


# A day or year that opens a range ("с 11 по 16 июня", "з 2022 по 2024 рік").
_DAY_BEFORE = re.compile(r"(?<!\d)(?:\d{1,2}|(?:19|20)\d\d)(?:-\w+)?\s+$")


def find_dates(text: str, published: dt.date | None, lex: Lexicon) -> list[DateMention]:
    """Every date expression in ``text`` with its resolved value.

    ``role`` is "since" after a word that starts a period ("since", "с", "з",
    "починаючи з"), "asof" after one that ends it ("as of", "по состоянию на",
    "станом на", "until"), and "at" otherwise.
    """
    out: list[DateMention] = []
    for m in _pattern(lex).finditer(text):
        role_word = " ".join((m.group("role") or "").lower().split())
        role = "since" if role_word in lex.role_since else "asof" if role_word in lex.role_asof else "at"
        if role_word in lex.range_words and _DAY_BEFORE.search(text, 0, m.start()):
            # "с 11 по 16 июня": "по" closes a range, which reads as its
            # last day, like "from 11 to 16 June".
            role = "at"
        value, note = _resolve(m, published, lex, role)
        if value is None and note is None:
            continue
        if value is not None and len(value) == 10 and role == "at":
            out.extend(_listed_days(text, m.start(), value))
        out.append(DateMention(m.start(), m.end(), value, role, note))
    out.extend(_holidays(text, published, lex))
    return sorted(out, key=lambda d: d.start)


def _holidays(text: str, published: dt.date | None, lex: Lexicon) -> list[DateMention]:
    """Days known by name ("День Незалежності"): the latest one on or before publication."""
    out: list[DateMention] = []
    for month_day, names in lex.holidays:
        for m in _holiday_pattern(names).finditer(text):
            if published is None:
                out.append(
                    DateMention(m.start(), m.end(), None, "at", "a named day needs a publication date")
                )
                continue
            month, day = int(month_day[:2]), int(month_day[3:])
            year = published.year if (month, day) <= (published.month, published.day) else published.year - 1
            out.append(DateMention(m.start(), m.end(), dt.date(year, month, day).isoformat(), "at"))
    return out


@cache
def _holiday_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


# "13, 14 і 15 червня", "17 и 18 мая": days listed before the one that names the month.
_DAY_LIST = re.compile(r"(?:(?<=\s)|^)((?:\d{1,2}\s*(?:,|\bи\b|\bі\b|\bй\b|\bта\b|\band\b)\s*)+)$")
_LISTED_DAY = re.compile(r"\d{1,2}")


def _listed_days(text: str, start: int, value: str) -> list[DateMention]:
    """The days listed before a date, each a date of the same month."""
    found = _DAY_LIST.search(text, max(0, start - 40), start)
    if found is None:
        return []
    # "1 200, 13 і 15 червня": a day list never follows a figure's digits.
    if re.search(r"\d[\s,]*$", text[: found.start()]):
        return []
    day, last = int(value[8:]), 0
    out: list[DateMention] = []
    for mt in _LISTED_DAY.finditer(found.group(1)):
        listed = int(mt.group())
        if not last < listed < day:
            return []
        last = listed
        begin = found.start(1) + mt.start()
        out.append(DateMention(begin, begin + len(mt.group()), f"{value[:8]}{listed:02d}", "at"))
    return out


def _month_no(name: str, lex: Lexicon) -> int:
    index = _index(lex)
    key = name.lower().rstrip(".")
    if key in index.months:
        return index.months[key] + 1
    if key in index.short:
        return index.short[key] + 1
    return index.short[key[:3]] + 1


def _latest_day(month: int, day: int, published: dt.date) -> dt.date | None:
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    return None


def _after(m: re.Match[str], words: tuple[str, ...]) -> bool:
    """Whether the match directly follows one of ``words``."""
    if not words:
        return False
    before = m.string[max(0, m.start() - 40) : m.start()]
    return re.search(rf"(?<![\w']){_words(words)}\s+$", before) is not None


def _governs_noun(m: re.Match[str]) -> bool:
    """Whether a word like "накануне" is followed by the noun it governs
    ("накануне обмена": on the eve of the exchange) rather than standing alone
    ("Накануне Россия передала...": the day before)."""
    after = re.match(r"\s+([^\W\d_][\w']*)", m.string[m.end() :])
    # Short lower-case words are prepositions ("накануне в Стамбуле").
    return after is not None and after.group(1)[0].islower() and len(after.group(1)) > 3


def _resolve(
    m: re.Match[str], published: dt.date | None, lex: Lexicon, role: str
) -> tuple[str | None, str | None]:
    need = "needs a publication date to resolve"
    g = m.groupdict()
    if g["iso"]:
        try:
            return dt.date.fromisoformat(g["iso"]).isoformat(), None
        except ValueError:
            return None, None
    if g.get("nd"):
        year = int(g["ny"]) + (2000 if len(g["ny"]) == 2 else 0)
        try:
            return dt.date(year, int(g["nm"]), int(g["nd"])).isoformat(), None
        except ValueError:
            return None, None
    for dk, mk, yk, rk in (("d1", "month", "y1", "ry1"), ("d2", "month2", "y2", None)):
        if g.get(dk):
            month, day = _month_no(g[mk], lex), int(g[dk])
            if g[yk]:
                try:
                    return dt.date(int(g[yk]), month, day).isoformat(), None
                except ValueError:
                    return None, None
            if published is None:
                return None, f"{m.group().strip()!r} {need}"
            if rk and g[rk]:
                try:
                    return dt.date(_relative_year(g[rk], published, lex), month, day).isoformat(), None
                except ValueError:
                    return None, None
            found = _latest_day(month, day, published)
            return (found.isoformat(), None) if found else (None, None)
    if g["weekday"]:
        name = g["weekday"].lower()
        if (
            name in lex.ambiguous_names
            and not g["prefix"]
            and not g["role"]
            and not _after(m, lex.name_prepositions)
        ):
            return None, None
        if published is None:
            return None, f"{m.group().strip()!r} {need}"
        index = _index(lex)
        target = index.weekdays[name]
        back = (published.weekday() - target) % 7
        kind = index.prefixes.get(" ".join(g["prefix"].lower().split())) if g["prefix"] else None
        if kind == "last" and back == 0:
            back = 7
        if kind == "next":
            return None, None
        return (published - dt.timedelta(days=back)).isoformat(), None
    if g["month3"]:
        name = g["month3"].lower().rstrip(".")
        # "May" alone is too often the verb at the start of a sentence,
        # "лютого" the adjective "fierce".
        if (
            name in lex.ambiguous_names
            and not g["y3"]
            and not g["ry3"]
            and not g["role"]
            and not _after(m, lex.name_prepositions)
        ):
            return None, None
        month = _month_no(g["month3"], lex)
        if g["y3"]:
            return f"{int(g['y3']):04d}-{month:02d}", None
        if published is None:
            return None, f"{m.group().strip()!r} {need}"
        if g["ry3"]:
            return f"{_relative_year(g['ry3'], published, lex):04d}-{month:02d}", None
        year = published.year if month <= published.month else published.year - 1
        return f"{year:04d}-{month:02d}", None
    if g["rel"]:
        word = " ".join(g["rel"].lower().split())
        if word in lex.eve and _governs_noun(m):
            return None, None
        if published is None:
            return None, f"{g['rel']!r} {need}"
        if word in lex.today:
            return published.isoformat(), None
        if word in lex.yesterday:
            return (published - dt.timedelta(days=1)).isoformat(), None
        if word in lex.last_month:
            return (published - relativedelta(months=1)).strftime("%Y-%m"), None
        if word in lex.this_month:
            return published.strftime("%Y-%m"), None
        if word in lex.last_year:
            return str(published.year - 1), None
        if word in lex.this_year:
            return str(published.year), None
    if g["year"]:
        # "передала 2000 тел": a year needs its word ("2000 года"), a
        # preposition ("в 2000") or a "since" word ("с 2022").
        if not lex.bare_year and not g.get("yw") and role != "since" and not _after(m, lex.year_prepositions):
            return None, None
        return g["year"], None
    return None, None


def _relative_year(word: str, published: dt.date, lex: Lexicon) -> int:
    """The year meant by "last year" / "этого года" after a month."""
    key = " ".join(word.lower().split())
    return published.year - 1 if key in lex.last_year else published.year
