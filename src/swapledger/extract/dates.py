"""Finding date expressions and resolving them against a publication date.

Resolution keeps the precision the text gives: a day (``2025-12-19``), a month
(``2025-11``) or a year (``2025``). Relative expressions ("on Friday", "last
month") need the publication date; without one they are found but left
unresolved, with the reason in ``note``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from dateutil.relativedelta import relativedelta

from .lexicon import Lexicon


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


@cache
def _pattern(lex: Lexicon) -> re.Pattern[str]:
    months = "|".join(m.capitalize() for m in lex.months)
    short = "|".join(m.capitalize() for m in lex.months_short)
    month = rf"(?P<month>{months}|(?:{short})\.?)"
    weekday = "|".join(w.capitalize() for w in lex.weekdays)
    rel = "|".join(
        re.escape(w)
        for w in sorted(
            lex.today + lex.yesterday + lex.last_month + lex.this_month + lex.last_year + lex.this_year,
            key=len,
            reverse=True,
        )
    )
    role = r"(?P<role>(?i:since|as of|as at|by|until|from|starting)\s+)?"
    parts = [
        r"(?P<iso>\d{4}-\d{2}-\d{2})",
        rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{month}(?:,?\s+(?P<y1>\d{{4}}))?",
        rf"{month.replace('month', 'month2')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?",
        rf"(?:(?P<prefix>last|this|next)\s+)?(?P<weekday>{weekday})",
        rf"{month.replace('month', 'month3')}(?:\s+(?:of\s+)?(?P<y3>\d{{4}}))?",
        rf"(?P<rel>(?i:{rel}))",
        r"(?P<year>(?:19|20)\d{2})(?!\s*(?:-|to)\s*\d)",
    ]
    return re.compile(rf"\b{role}(?:{'|'.join(parts)})\b")


def find_dates(text: str, published: dt.date | None, lex: Lexicon) -> list[DateMention]:
    """Every date expression in ``text`` with its resolved value."""
    out: list[DateMention] = []
    for m in _pattern(lex).finditer(text):
        role_word = (m.group("role") or "").strip().lower()
        role = (
            "since"
            if role_word in {"since", "from", "starting"}
            else "asof"
            if role_word in {"as of", "as at", "by", "until"}
            else "at"
        )
        value, note = _resolve(m, published, lex)
        if value is None and note is None:
            continue
        out.append(DateMention(m.start(), m.end(), value, role, note))
    return out


def _month_no(name: str, lex: Lexicon) -> int:
    key = name.lower().rstrip(".")
    if key in lex.months:
        return lex.months.index(key) + 1
    return lex.months_short.index(key[:3]) + 1


def _latest_day(month: int, day: int, published: dt.date) -> dt.date | None:
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    return None


def _resolve(m: re.Match[str], published: dt.date | None, lex: Lexicon) -> tuple[str | None, str | None]:
    need = "needs a publication date to resolve"
    g = m.groupdict()
    if g["iso"]:
        try:
            return dt.date.fromisoformat(g["iso"]).isoformat(), None
        except ValueError:
            return None, None
    for dk, mk, yk in (("d1", "month", "y1"), ("d2", "month2", "y2")):
        if g[dk]:
            month, day = _month_no(g[mk], lex), int(g[dk])
            if g[yk]:
                try:
                    return dt.date(int(g[yk]), month, day).isoformat(), None
                except ValueError:
                    return None, None
            if published is None:
                return None, f"{m.group().strip()!r} {need}"
            found = _latest_day(month, day, published)
            return (found.isoformat(), None) if found else (None, None)
    if g["weekday"]:
        if published is None:
            return None, f"{m.group().strip()!r} {need}"
        target = lex.weekdays.index(g["weekday"].lower())
        back = (published.weekday() - target) % 7
        if g["prefix"] == "last" and back == 0:
            back = 7
        if g["prefix"] == "next":
            return None, None
        return (published - dt.timedelta(days=back)).isoformat(), None
    if g["month3"]:
        if g["month3"].lower().rstrip(".") == "may" and not g["y3"] and not m.group("role"):
            # "May" alone is too often the verb at the start of a sentence.
            before = m.string[max(0, m.start() - 4) : m.start()].lower()
            if not before.endswith(("in ", "of ")):
                return None, None
        month = _month_no(g["month3"], lex)
        if g["y3"]:
            return f"{int(g['y3']):04d}-{month:02d}", None
        if published is None:
            return None, f"{m.group().strip()!r} {need}"
        year = published.year if month <= published.month else published.year - 1
        return f"{year:04d}-{month:02d}", None
    if g["rel"]:
        word = g["rel"].lower()
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
        return g["year"], None
    return None, None
