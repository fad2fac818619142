"""The claim extractor: from one document's text to its claims.

A pure function of the document: no I/O, no global state, so the same code
runs in one process, a process pool or a distributed engine.

The work goes sentence by sentence. Each figure is tested for being a count of
people or remains (its noun, or a partner figure it pairs with), then given a
category, the side that received it, a kind (exchange, running total,
target), a qualifier, a date, a speaker, an agreement and mediators. Figures
without a noun of their own ("... and received 26") borrow the category of the
figure they pair with. Sentences that give no figure may still give a status
("swaps are suspended") or the date and agreement that the figures around
them share.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from ..errors import SwapledgerError
from ..model import Claim, Document
from .dates import DateMention, find_dates, parse_published
from .grammar import Grammar, grammar
from .language import detect
from .lexicon import LANGUAGES, Matchers, matchers
from .numbers import Number, find_numbers
from .text import Sentence, fold, sentences

EXTRACTOR_VERSION = "1"

_RANGE_GAP = re.compile(r"\s*(?:(?:-|–|по|до|to|and|і|и)\s*)?", re.IGNORECASE)
_LIST_GAP = re.compile(r"\s*(?:,|и|і|й|та|and)\s*", re.IGNORECASE)
_WORD = re.compile(r"[\w'.-]+|[^\w\s]")


class UnsupportedLanguageError(SwapledgerError):
    """The document's language has no lexicon yet."""

    def __init__(self, source: str, language: str) -> None:
        self.source = source
        self.language = language
        self.problem = (
            f"language {language!r} is not read yet (languages read: {', '.join(LANGUAGES)}); "
            "pass --language to override"
        )
        super().__init__(f"{source}: {self.problem}")


@dataclass(frozen=True)
class ExtractOptions:
    """How to read documents: default language, conflict, and dates to fall back on."""

    language: str = "en"
    conflict: str = "ru-ua"
    published: str | None = None

    def __post_init__(self) -> None:
        if self.published is not None:
            try:
                parse_published(self.published)
            except ValueError:
                raise SwapledgerError(
                    f"published: {self.published!r} is not an ISO date such as 2025-12-19"
                ) from None


@dataclass
class _Figure:
    number: Number
    category: str | None
    np_end: int
    to_side: str | None = None
    from_side: str | None = None
    role: str | None = None  # "give" or "receive": what the subject did
    subject: str | None = None
    each: bool = False
    both: bool = False
    paired: bool = False
    compound: bool = False  # "1,000-for-1,000": the name of a deal
    swap_pair: bool = False  # "193 for 193": one side of a swap
    partner: _Figure | None = None
    same_as: _Figure | None = None  # "Moscow put it at 1,248": another count of that figure
    zone: tuple[int, int] = (0, 0)  # from the figure before to the figure after
    date: str | None = None
    # "17 июля и 19 августа ... по 1000": one figure for each of several listed days.
    run: tuple[str, ...] = ()


@dataclass
class _Context:
    """What the document has said so far that later sentences lean on."""

    main_date: str | None = None
    running_date: str | None = None
    dated_here: bool = False  # whether a sentence of this paragraph set the running date
    transfer_before: bool = False  # the sentence before told of a transfer but gave no figure
    paragraph: int = -1
    last_speaker: str | None = None
    speaker_paragraph: int = -1
    voice: str | None = None  # the author of a document that is one statement
    last_figure: _Figure | None = None
    last_lead: _Figure | None = None  # the first figure of the last sentence that gave any
    lead_paragraph: int = -1
    first_speaker: str | None = None
    doc_agreement: str | None = None
    doc_mediators: list[str] = field(default_factory=list)
    # Per category, the side the larger figure of a pair went to, as the document told it.
    orientation: dict[str, str | None] = field(default_factory=dict)


def extract(document: Document, options: ExtractOptions | None = None) -> list[Claim]:
    """Every claim that ``document`` makes, in the order of the text."""
    options = options or ExtractOptions()
    # The document's own word first, then what its text looks like, then the caller's default.
    language = (document.language or detect(document.text) or options.language or "en").lower()
    if language not in LANGUAGES:
        raise UnsupportedLanguageError(document.source, language)
    m = matchers(language, options.conflict)
    folded = fold(document.text)
    if not m.prefilter.search(folded):
        return []
    published = parse_published(document.published or options.published)
    return _Reader(document, folded, published, m).read()


def _with_sides(claim: Claim, sides: set[tuple[str | None, str | None]]) -> Claim:
    """A sideless exchange claim given the one pair of sides that fits it, if there is one."""
    if claim.kind != "exchange" or claim.to_side is not None or len(sides) != 1:
        return claim
    from_side, to_side = next(iter(sides))
    return replace(claim, from_side=from_side, to_side=to_side)


class _Reader:
    def __init__(self, document: Document, folded: str, published: dt.date | None, m: Matchers):
        self.doc = document
        self.text = folded
        self.published = published
        self.m = m
        self.g: Grammar = grammar(m.lex.language)
        self.ctx = _Context()
        self._figures_here: list[_Figure] = []  # the figures of the sentence being read
        self.borrowed: set[int] = set()  # ids of claims dated by the report, not by their sentence

    # -- the document --------------------------------------------------------

    def read(self) -> list[Claim]:
        sents = [s for s in sentences(self.text) if not self.m.skip_line.search(s.text)]
        dated = self._same_year([(s, find_dates(s.text, self.published, self.m.lex)) for s in sents])
        self.ctx.main_date = self._main_date(dated)
        self.ctx.doc_agreement, self.ctx.doc_mediators = self._doc_context(dated)
        self.ctx.voice = self._author(sents)
        # A headline comes before anyone is quoted; the report's first speaker speaks for it.
        for sentence, _ in dated:
            found = self.m.speakers.find(sentence.text)
            if found:
                self.ctx.first_speaker = found[0][2]
                break
        claims: list[Claim] = []
        for sentence, dates in dated:
            if sentence.paragraph != self.ctx.paragraph:
                self.ctx.paragraph = sentence.paragraph
                self.ctx.running_date = self.ctx.main_date
                self.ctx.dated_here = False
                self.ctx.transfer_before = False
            claims.extend(self._sentence(sentence, dates))
        return self._redate(claims)

    def _same_year(
        self, dated: list[tuple[Sentence, list[DateMention]]]
    ) -> list[tuple[Sentence, list[DateMention]]]:
        """ "In December of that year": the year of the date the text gave last."""
        year: str | None = None
        out = []
        for sentence, dates in dated:
            fixed = []
            for d in dates:
                if d.value and year and self.g.same_year.match(sentence.text[d.end :]):
                    d = replace(d, value=year + d.value[4:])
                if d.value:
                    year = d.value[:4]
                fixed.append(d)
            out.append((sentence, fixed))
        return out

    def _redate(self, claims: list[Claim]) -> list[Claim]:
        """A claim that borrowed the report's date takes the date the report gives that same figure.

        A headline with two exchanges ("200 each; three civilians return") borrows the main
        date for both, while the body dates the second one a day later.
        """
        dated: dict[tuple[object, ...], set[str | None]] = defaultdict(set)
        for claim in claims:
            if id(claim) not in self.borrowed and claim.kind == "exchange":
                dated[(claim.category, claim.to_side, claim.count)].add(claim.event_date)
        borrowed = [id(c) in self.borrowed for c in claims]
        # Twice: a headline's "1000" takes its side from the body, then "1003 чи 1000" from it,
        # then the body's bare 1003 from the headline.
        claims = self._alternatives(self._sided(self._alternatives(self._sided(claims))))
        out = []
        for claim, was_borrowed in zip(claims, borrowed, strict=True):
            own = dated.get((claim.category, claim.to_side, claim.count), set())
            if was_borrowed and len(own) == 1 and claim.event_date not in own:
                claim = replace(claim, event_date=next(iter(own)))
            out.append(claim)
        return out

    @staticmethod
    def _sided(claims: list[Claim]) -> list[Claim]:
        """A figure given without a side takes the side the report gives that figure elsewhere,
        when it gives it one side only."""
        sided: dict[tuple[object, ...], set[tuple[str | None, str | None]]] = defaultdict(set)
        for claim in claims:
            if claim.kind == "exchange" and claim.to_side is not None:
                sided[(claim.category, claim.count)].add((claim.from_side, claim.to_side))
        return [_with_sides(c, sided.get((c.category, c.count), set())) for c in claims]

    def _alternatives(self, claims: list[Claim]) -> list[Claim]:
        """ "1003 чи 1000": a figure offered as another count of one with a side shares it."""
        by_span: dict[tuple[int, int], set[tuple[str | None, str | None]]] = defaultdict(set)
        for claim in claims:
            if claim.kind == "exchange" and claim.to_side is not None:
                by_span[claim.span].add((claim.from_side, claim.to_side))
        return [
            _with_sides(c, by_span.get(c.span, set())) if self.g.alternative.search(c.quote) else c
            for c in claims
        ]

    def _is_background(self, value: str | None) -> bool:
        return value is not None and value != self.ctx.main_date

    def _main_date(self, dated: list[tuple[Sentence, list[DateMention]]]) -> str | None:
        """The date of the exchange the report is about: the first recent date given to one."""
        candidates: list[str] = []
        # "Today the first stage of the exchange agreed in Istanbul began": a sentence that also
        # names a deal dates the report only when no plainer sentence does.
        fallback: list[str] = []
        for sentence, dates in dated:
            if not self.m.transfer.search(sentence.text):
                continue
            days = [d.value for d in dates if d.role == "at" and d.value and len(d.value) == 10]
            target = self.m.target.search(sentence.text) and not self.g.past_transfer.search(sentence.text)
            if target or self.m.cumulative.search(self.g.superlative_since.sub("", sentence.text)):
                fallback += days
                continue
            candidates += days
        if not candidates and self.published is not None:
            candidates = [v for v in fallback if 0 <= (self.published - dt.date.fromisoformat(v)).days <= 1]
        if not candidates:
            return None
        if self.published is not None:
            for value in candidates:
                delta = (self.published - dt.date.fromisoformat(value)).days
                if 0 <= delta <= 10:
                    return value
        return candidates[0]

    def _doc_context(self, dated: list[tuple[Sentence, list[DateMention]]]) -> tuple[str | None, list[str]]:
        """The agreement and mediators the report ties its main exchange to."""
        agreement: str | None = None
        mediators: list[str] = []
        for sentence, dates in dated:
            own = [d.value for d in dates if d.role == "at" and d.value]
            if any(self._is_background(v) and v and len(v) >= 7 for v in own) and not any(
                v == self.ctx.main_date for v in own
            ):
                continue
            if agreement is None:
                agreement = self._agreement(sentence.text, None, self.ctx.main_date)
            for _, _, name in self.m.mediators.find(sentence.text):
                if name not in mediators and self.m.transfer.search(sentence.text):
                    mediators.append(name)
        return agreement, mediators

    # -- one sentence --------------------------------------------------------

    def _sentence(self, sentence: Sentence, dates: list[DateMention]) -> list[Claim]:
        text = sentence.text
        m = self.m
        speakers = m.speakers.find(text)
        at_dates = [d for d in dates if d.role == "at" and d.value]
        has_transfer = bool(m.transfer.search(text))
        figures = self._figures(text, dates)
        claims: list[Claim] = []
        if figures:
            self._runs(text, figures, at_dates)
            self._sides(text, figures, dates)
            for i, figure in enumerate(figures):
                figure.zone = (
                    figures[i - 1].np_end if i else 0,
                    figures[i + 1].number.start if i + 1 < len(figures) else len(text),
                )
            self._figures_here = figures
            for figure in figures:
                claims.extend(self._claims(sentence, figure, dates, speakers))
            self.ctx.last_figure = figures[-1]
            self.ctx.last_lead = figures[0]
            self.ctx.lead_paragraph = sentence.paragraph
        elif has_transfer or m.status.search(text):
            status = self._status(sentence, dates, speakers)
            if status is not None:
                claims.append(status)
        if has_transfer and at_dates and not m.target.search(text) and not m.cumulative.search(text):
            self.ctx.running_date = at_dates[-1].value
            self.ctx.dated_here = True
        if speakers:
            self.ctx.last_speaker = speakers[-1][2]
            self.ctx.speaker_paragraph = sentence.paragraph
        self.ctx.transfer_before = has_transfer and not figures
        return claims

    def _figures(self, text: str, dates: list[DateMention]) -> list[_Figure]:
        m = self.m
        out: list[_Figure] = []
        for number in find_numbers(text, m.lex.language):
            if any(d.start <= number.start < d.end for d in dates):
                continue
            # "с 23 по 25 мая": the first day of a range of dates.
            if number.value <= 31 and any(
                number.end < d.start <= number.end + 8 and _RANGE_GAP.fullmatch(text[number.end : d.start])
                for d in dates
            ):
                continue
            before, after = text[: number.start], text[number.end :]
            if m.not_after.search(after) or m.not_before.search(before):
                continue
            if self.g.range_age.search(after) or self.g.age_before.search(before):
                continue
            category, np_end = self._category(text, number)
            if category is None:
                if re.fullmatch(r"(?:19|20)\d\d", number.text):
                    continue
                if not self.g.bare_next.search(after):
                    continue
            if number.value == 0 and category is None:
                continue
            compound = bool(self.g.compound.match(after) or self.g.compound_before.search(before))
            swap_pair = bool(self.g.pair_after.match(after) or self.g.pair_before.search(before))
            out.append(_Figure(number, category, np_end, compound=compound, swap_pair=swap_pair))
        # A figure with no noun borrows one from the figure it pairs with.
        for i, figure in enumerate(out):
            if figure.category is not None:
                continue
            before = text[: figure.number.start]
            if self.g.put_it_at.search(before) or self.g.followed_by.search(before):
                earlier = out[i - 1] if i > 0 and out[i - 1].category else self.ctx.last_lead
                # "о 1000 тел для Украины и 26 — для России, штаб — о 1003": another count of the
                # earlier figure it is closest to.
                counted = [f for f in out[:i] if f.category and f.number.value > 0]
                if counted and figure.number.value > 0:
                    earlier = min(counted, key=lambda f: abs(math.log(f.number.value / figure.number.value)))
                if self.g.put_it_at.search(before) and i == 0:
                    earlier = self.ctx.last_figure
                if earlier is not None and earlier.category is not None:
                    figure.category, figure.paired, figure.partner = earlier.category, True, earlier
                    figure.same_as = earlier
                    continue
            partner = self._partner(text, out, i)
            if partner is not None:
                figure.category, figure.paired, figure.partner = partner.category, True, partner
            elif (
                figure.compound
                or self.g.each_before.search(text[: figure.number.start])
                or self.g.each_after.match(text[figure.number.end :])
                or self.g.pair_after_loose.match(text[figure.number.end :])
                or (i > 0 and self.g.pair_before_loose.search(text[: figure.number.start]))
                # "1003 чи 1000": two bare figures side by side count the same thing.
                or (
                    i + 1 < len(out)
                    and self.g.partner_gap.fullmatch(text[figure.number.end : out[i + 1].number.start])
                )
            ):
                figure.category = self._sentence_category(text)
                figure.paired = True
        if any(f.compound for f in out):
            for f in out:
                if f.compound and f.category is None:
                    f.category = self._sentence_category(text)
        kept = [f for f in out if f.category is not None]
        if not kept:
            return []
        # "the 1,000-for-1,000 figure" names a swap without a verb.
        if (
            not any(f.compound or f.swap_pair or f.same_as for f in kept)
            and not m.transfer.search(text)
            # "Повертаємо наших додому. У День Незалежності — 146 воїнів": the verb came just before.
            and not self.ctx.transfer_before
            and not m.target.search(text)
            and not m.cumulative.search(text)
        ):
            return []
        if m.not_exchange.search(text) and not self.g.strong_pow.search(text):
            return []
        return [f for f in kept if not self._harm(text, f)]

    def _runs(self, text: str, figures: list[_Figure], at: list[DateMention]) -> None:
        """Mark figures given once for each of a list of days ("13, 14 і 15 червня — по 1 200")."""
        days = sorted((d for d in at if d.value and len(d.value) == 10), key=lambda d: d.start)
        for i, figure in enumerate(figures):
            start = figures[i - 1].np_end if i else 0
            before = text[: figure.number.start]
            if not (self.g.each_before.search(before) or self.g.each_time.search(before[start:])):
                continue
            own = [k for k, d in enumerate(days) if start <= d.start and d.end <= figure.number.start]
            if not own:
                # "..., а Россия — по 19": the clause after a run shares it.
                if i and figures[i - 1].run and self.g.elliptic.search(before[start:]):
                    figure.run = figures[i - 1].run
                continue
            k = own[-1]
            run = [days[k]]
            while k > 0 and _LIST_GAP.fullmatch(text[days[k - 1].end : days[k].start]):
                k -= 1
                run.insert(0, days[k])
            if len(run) > 1:
                figure.run = tuple(d.value for d in run if d.value)

    def _sentence_category(self, text: str) -> str | None:
        """The category a sentence speaks of when a figure has no noun of its own."""
        for category in ("bodies", "civilians"):
            if self.m.category_nouns[category].search(text) and not (
                category == "civilians" and self.m.category_nouns["pows"].search(text)
            ):
                return category
        if self.m.category_nouns["pows"].search(text) or self.g.strong_pow.search(text):
            return "pows"
        last = self.ctx.last_figure
        return last.category if last is not None else None

    def _partner(self, text: str, figures: list[_Figure], i: int) -> _Figure | None:
        figure = figures[i]
        before = text[: figure.number.start]
        after = text[figure.number.end :]
        for j in range(i - 1, -1, -1):
            if figures[j].category is not None:
                return figures[j]
        if i + 1 < len(figures) and figures[i + 1].category is not None:
            gap = text[figure.number.end : figures[i + 1].number.start]
            if self.g.partner_gap.fullmatch(gap):
                return figures[i + 1]
        last = self.ctx.last_figure
        if (
            last is not None
            and last.category is not None
            and (
                self.m.receive.search(before)
                or self.m.give.search(before)
                or self.g.for_before.search(before)
                or self.g.in_return_next.match(after)
            )
        ):
            return last
        return None

    def _category(self, text: str, number: Number) -> tuple[str | None, int]:
        """The category of the noun a figure counts, and where that noun ends."""
        m = self.m
        pos = number.end
        possessive = self.g.possessive_after.match(text[pos:])
        if possessive:
            pos += possessive.end()
        np_end = number.end
        found: dict[str, bool] = {}
        people = False
        for count, token in enumerate(_WORD.finditer(text, pos)):
            word = token.group()
            if count >= 6 or (not word[0].isalnum() and word not in {"'", "-"}):
                break
            if self.g.np_stop.match(word) and not (word.lower() == "of" and found):
                break
            piece = text[pos : token.end()]
            for category, pattern in m.category_nouns.items():
                if pattern.search(piece):
                    found[category] = True
            if m.party_people.pattern.fullmatch(word):
                people = True
            np_end = token.end()
        # "the bodies of 1,003 ..." / "the remains of 26 ..."
        before = text[: number.start]
        put = self.g.put_at.search(before)
        if put and not found:
            span = put.group(1)
            for category in ("bodies", "civilians", "pows"):
                if m.category_nouns[category].search(span):
                    return category, np_end
            if m.party_people.pattern.search(span):
                return ("bodies" if m.bodies_context.search(text) else "pows"), np_end
        if self.g.bodies_of_before.search(before):
            return "bodies", np_end
        if not found and not people:
            return None, np_end
        np_text = text[number.end : np_end]
        if m.category_nouns["bodies"].search(np_text) and not self.g.pow_explicit.search(np_text):
            return "bodies", np_end
        if found.get("civilians"):
            return "civilians", np_end
        explicit_pow = self.g.pow_explicit.search(np_text)
        if explicit_pow:
            return "pows", np_end
        if m.bodies_context.search(text):
            return "bodies", np_end
        if self.g.civilian_word.search(text) and not found.get("pows"):
            return "civilians", np_end
        return "pows", np_end

    def _harm(self, text: str, figure: _Figure) -> bool:
        """A figure of people killed or wounded rather than exchanged."""
        if figure.category == "bodies" and not figure.paired:
            return False
        after = text[figure.np_end : figure.np_end + 40]
        if self.g.harm_after.match(after):
            return True
        window = text[max(0, figure.number.start - 40) : figure.number.start]
        return bool(self.g.harm_before.search(window))

    # -- who received --------------------------------------------------------

    def _party_in(self, text: str) -> list[tuple[int, int, str]]:
        return sorted(
            self.m.party_names.find(text)
            + [
                (s, e, code)
                for s, e, code in self.m.party_people.find(text)
                if self.g.side_after.match(text[e:])
            ]
        )

    def _sides(self, text: str, figures: list[_Figure], dates: list[DateMention]) -> None:
        m = self.m
        other = m.conflict.other
        speaker_party = self._speaker_party(text)
        for i, figure in enumerate(figures):
            start = figures[i - 1].np_end if i > 0 else 0
            window = text[start : figure.number.start]
            np_text = text[figure.number.end : figure.np_end]
            after = text[figure.np_end : figures[i + 1].number.start if i + 1 < len(figures) else len(text)]
            # The people the figure counts: "1,003 Ukrainian soldiers" went home to Ukraine;
            # or where they were taken: "25 повернених до Росії тіл".
            people = m.party_people.find(np_text) or m.party_to.find(np_text)
            if people:
                figure.to_side = people[0][2]
            if figure.to_side is None:
                figure.to_side, figure.from_side = self._case_sides(window, after)
            # "Нам переданы тела 27", "19 наших бойцов": the speaker's side received them.
            if (
                figure.to_side is None
                and speaker_party is not None
                and (self.g.we_receive.search(window) or self.g.we_people.search(np_text))
            ):
                figure.to_side = speaker_party
            # Subject and verb first when the verb is right before the figure ("Russia gets 41").
            role0, subject0 = self._subject(window, text[: figure.number.start], speaker_party)
            if (
                figure.to_side is None
                and subject0 not in (None, "both")
                and self.g.verb_right_before.search(window)
                and role0 is not None
                and len(window.split()) <= 6
            ):
                figure.to_side = m.conflict.other(subject0) if role0 == "give" else subject0
            # "... returned to Ukraine", "... handed over by Russia"
            if figure.to_side is None:
                receiver = self.g.receiver_after.match(after)
                if receiver:
                    party = self._leading_party(receiver.group(1))
                    if party is not None:
                        figure.to_side = party
                if figure.to_side is None:
                    giver = self.g.giver_after.match(after)
                    party = self._leading_party(giver.group(1)) if giver else None
                    if party is not None and not m.party_people.pattern.match(
                        giver.group(1) if giver else ""
                    ):
                        figure.from_side, figure.to_side = party, other(party)
            # Subject and verb before the figure: "Russia returned 1,003", "Ukraine received 1,000".
            role, subject = self._subject(window, text[: figure.number.start], speaker_party)
            figure.role, figure.subject = role, subject
            prev = figures[i - 1] if i > 0 else None
            # "а Россия — по 19": the "each" word does not hide the elliptic party.
            elliptic = self.g.elliptic.search(self.g.each_before.sub(" ", window))
            elliptic_party = None
            if elliptic and (m.party_names.pattern.fullmatch(elliptic.group(1).strip())):
                elliptic_party = self._leading_party(elliptic.group(1).strip())
            if elliptic_party is not None:
                role = prev.role if prev is not None and role is None else role
                subject = elliptic_party
                figure.role, figure.subject = role, subject
            if figure.to_side is None and subject is not None and subject != "both":
                figure.to_side = other(subject) if role == "give" else subject if role == "receive" else None
                if role is None and elliptic_party is not None:
                    figure.to_side = elliptic_party
            # "Україна нарахувала 1 245 тіл, тоді як Міноборони РФ — 1 248": another count of the same.
            if (
                figure.to_side is None
                and prev is not None
                and prev.to_side
                and prev.category == figure.category
                and self.g.alternative_before.search(window)
            ):
                figure.to_side = prev.to_side
            # "1,000 for 30": the second went the other way.
            if (
                figure.to_side is None
                and prev is not None
                and prev.to_side
                and self.g.for_before.search(window)
            ):
                figure.to_side = other(prev.to_side)
            if (
                figure.to_side is None
                and prev is not None
                and figure.paired
                and prev.to_side
                and (
                    self.g.another_before.search(window) or self.g.more_after.match(text[figure.number.end :])
                )
                and not self.g.for_before.search(window)
            ):
                figure.to_side = prev.to_side
            # "909 bodies in March and more than 1,200 on June 16": two transfers to one side.
            if (
                figure.to_side is None
                and prev is not None
                and figure.paired
                and role is None
                and prev.to_side is not None
                and any(prev.np_end <= d.start and d.end <= figure.number.start for d in dates)
                and self.g.and_word.search(window)
                and not self.g.for_before.search(window)
                and not self.g.in_return.search(after)
            ):
                figure.to_side = prev.to_side
            if (
                figure.to_side is None
                and prev is not None
                and figure.paired
                and role is None
                and prev.to_side is not None
                and self.g.in_return.search(after)
            ):
                figure.to_side = other(prev.to_side)
            if figure.to_side is None and (
                subject == "both"
                or m.both_sides.search(window)
                or len({p[2] for p in self._party_in(window)}) > 1
            ):
                figure.both = True
            if (
                figure.to_side is None
                and not figure.run
                and (
                    self.g.each_after.match(text[figure.number.end :])
                    or self.g.each_before.search(text[: figure.number.start])
                    or self.g.each_side.search(text)
                    or figure.compound
                )
            ):
                figure.each = True
            # "of its troops": the people belong to the party named before.
            if figure.to_side is None and self.g.of_its_after.match(text[figure.number.end :]):
                named = self._party_in(window)
                if named:
                    figure.to_side = named[-1][2]
            # "1,003 bodies by Ukraine's count": a side counts what it received.
            if figure.to_side is None and not figure.each and not figure.both:
                counted = self.g.by_count.match(after)
                if counted:
                    figure.to_side = self._leading_party(counted.group(1))
            # "came home": home is the side the speaker speaks for.
            if (
                figure.to_side is None
                and not figure.each
                and m.home.search(text)
                and not (subject == "both" or m.both_sides.search(text))
            ):
                home = (
                    (
                        self._voice(text[: figure.number.start])
                        or speaker_party
                        or self._party_of(self.ctx.first_speaker)
                    )
                    if subject is None
                    else None
                )
                if home is not None:
                    figure.to_side = home
            if figure.to_side is None and figure.same_as is not None:
                figure.to_side = figure.same_as.to_side
            # "put the number of Russian bodies received at 79"
            put = self.g.put_at.search(text[: figure.number.start])
            if figure.to_side is None and put:
                people = m.party_people.find(put.group(1))
                if people:
                    figure.to_side = people[0][2]
            # "Україна повернула понад 6 тисяч тіл. 11 червня надійшло 1 212 ...": a sentence that
            # names no party details the one before it.
            lead = self.ctx.last_lead
            if (
                figure.to_side is None
                and not any(f.each or f.both for f in figures[: i + 1])
                and not m.both_sides.search(text)
                and lead is not None
                and lead.to_side is not None
                and lead.category == figure.category
                and self.ctx.lead_paragraph == self.ctx.paragraph
                and not self._party_in(text)
                and not m.speakers.find(text)
            ):
                figure.to_side = lead.to_side
            if figure.to_side is not None:
                figure.from_side = figure.from_side or other(figure.to_side)
        for a, b in itertools.pairwise(figures):
            # "1,212 bodies arrived, when Russia received 27 in return"
            if (
                b.to_side is not None
                and a.to_side in (None, b.to_side)
                and a.category == b.category
                and not a.each
                and self.g.in_return_next.match(text[b.np_end :])
            ):
                a.to_side, a.from_side, a.both = other(b.to_side), b.to_side, False
            # "146 servicemen and eight civilians": one receiver for both.
            if (
                b.to_side is None
                and a.to_side is not None
                and not b.paired
                and not b.each
                and self.g.coordination_gap.fullmatch(text[a.np_end : b.number.start])
            ):
                b.to_side, b.from_side, b.both = a.to_side, a.from_side, False
        # "1,000 Ukrainians: 390 on Friday, 307 on Saturday": the parts go where the whole went.
        for i, whole in enumerate(figures):
            if whole.to_side is None or not re.match(r"\s*:", text[whole.np_end :]):
                continue
            for part in figures[i + 1 :]:
                if part.to_side is None and not part.each and part.category == whole.category:
                    part.to_side, part.from_side, part.both = whole.to_side, whole.from_side, False
        # "84 for 84" between both sides: one figure for each.
        codes = [p.code for p in m.conflict.parties]
        for a, b in itertools.pairwise(figures):
            if a.to_side is not None or b.to_side is not None or a.number.value != b.number.value:
                continue
            if len(codes) == 2 and self.g.each_pair_gap.fullmatch(text[a.np_end : b.number.start]):
                a.to_side, b.to_side = codes[0], codes[1]
                a.from_side, b.from_side = codes[1], codes[0]
                a.both = b.both = a.each = b.each = False
        self._orient(text, figures)

    def _orient(self, text: str, figures: list[_Figure]) -> None:
        """Sides for a bare pair ("1,000 for 19") from the pairs the document has sided so far."""
        other = self.m.conflict.other
        for a, b in itertools.pairwise(figures):
            if a.category is None or a.category != b.category or a.number.value == b.number.value:
                continue
            larger, smaller = (a, b) if a.number.value > b.number.value else (b, a)
            if a.to_side is not None and b.to_side is not None and a.to_side != b.to_side:
                self.ctx.orientation[a.category] = larger.to_side
                continue
            if a.to_side is not None or b.to_side is not None or a.each or b.each:
                continue
            gap = text[a.np_end : b.number.start]
            if not self.g.pair_gap.fullmatch(gap):
                continue
            side = self.ctx.orientation.get(a.category)
            if side is None:
                continue
            larger.to_side, smaller.to_side = side, other(side)
            larger.from_side, smaller.from_side = other(side), side
            a.both = b.both = False

    def _case_sides(self, window: str, after: str) -> tuple[str | None, str | None]:
        """Receiver and giver told by a party's case form in the figure's clause ("Украине", "из плена")."""
        m = self.m
        clause_end = re.search(r"[,;.]", after)
        near = window + (after[: clause_end.start()] if clause_end else after)
        spoken = [(s, e) for s, e, _ in m.speakers.find(near)]

        def free(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
            # "Минобороны России" names a speaker, not a receiver; and a speaker named after the
            # form starts another statement ("26 — для России, украинский штаб — о 1003").
            return [
                f
                for f in found
                if not any(s <= f[0] < e for s, e in spoken)
                and not any(f[1] <= s < len(window) for s, _ in spoken)
            ]

        to = free(m.party_to.find(near))
        if to:
            code = min(to, key=lambda f: abs(f[0] - len(window)))[2]
            return code, m.conflict.other(code)
        given = free(m.party_from.find(near))
        if given:
            code = min(given, key=lambda f: abs(f[0] - len(window)))[2]
            return m.conflict.other(code), code
        return None, None

    def _leading_party(self, text: str) -> str | None:
        found = self.m.party_names.pattern.match(text)
        if found:
            return self.m.party_names.names[found.group().lower()]
        people = self.m.party_people.pattern.match(text)
        if people and self.g.people_place_after.match(text[people.end() :]):
            return self.m.party_people.names[people.group().lower()]
        if people and text[people.end() :].strip() == "":
            return self.m.party_people.names[people.group().lower()]
        return None

    def _subject(self, window: str, before: str, speaker_party: str | None) -> tuple[str | None, str | None]:
        """What the subject before a figure did (give or receive), and who it is."""
        m = self.m
        verbs = [(mt.start(), "give") for mt in m.give.finditer(window)]
        verbs += [(mt.start(), "receive") for mt in m.receive.finditer(window)]
        # "in one transfer", "the return": a noun after a determiner is no verb with a subject.
        verbs = [v for v in verbs if not self.g.determiner_before.search(window[: v[0]])]
        if not verbs:
            return None, None
        position, role = max(verbs)
        if (
            role == "give"
            and m.bring_back.match(window, position)
            and not m.party_to.find(window)
            and not self.g.we_receive.search(window)
        ):
            role = "receive"
        offset = len(before) - len(window)
        head = before[: offset + position]
        # Passive: "... were returned" makes the figure's own noun the thing moved.
        if self.g.passive_before.search(head):
            return role, None
        parties = self._party_in(head)
        clause_start = max(head.rfind(";"), head.rfind(". "))
        parties = [p for p in parties if p[0] > clause_start]
        # "... returned to Ukraine and each side freed 95": the sides come after the party named.
        both = [
            mt.end() for mt in itertools.chain(m.both_sides.finditer(head), self.g.each_side.finditer(head))
        ]
        if both and (not parties or max(both) > parties[-1][1]):
            return role, "both"
        if parties:
            last = parties[-1]
            between = head[last[1] : offset + position]
            if self.g.and_word.search(between) and len(between) < 3:
                return role, "both"
            preceding = [
                p
                for p in parties
                if p[2] != last[2]
                and self.g.and_word.fullmatch(re.sub(r"\s+the$", "", head[p[1] : last[0]].strip()))
            ]
            if preceding:
                return role, "both"
            return role, last[2]
        if m.both_sides.search(head):
            return role, "both"
        if self.g.we.search(head) and speaker_party is not None:
            return role, speaker_party
        return role, None

    def _voice(self, before: str) -> str | None:
        """The side whose officials speak in a clause ("Ukrainian officials said ... had arrived")."""
        for match in self.g.voice.finditer(before):
            found = self.m.party_people.find(match.group(1))
            if found:
                return found[0][2]
        return None

    def _party_of(self, name: str | None) -> str | None:
        speaker = self.m.conflict.speaker(name) if name else None
        return speaker.party if speaker else None

    def _speaker_party(self, text: str) -> str | None:
        found = self.m.speakers.find(text)
        name = found[-1][2] if found else self.ctx.last_speaker or self.ctx.first_speaker
        if name is None:
            return None
        speaker = self.m.conflict.speaker(name)
        return speaker.party if speaker else None

    # -- claims --------------------------------------------------------------

    def _kind(self, text: str, figure: _Figure, dates: list[DateMention]) -> str:
        m = self.m
        if figure.compound:
            return "target"
        before = text[: figure.number.start]
        target = None
        for match in m.target.finditer(before):
            target = match
        if target is not None and not self.g.past_transfer.search(before[target.end() :]):
            return "target"
        after = text[figure.np_end :]
        if self.g.target_after.match(after):
            return "target"
        if self.g.agreed_after.search(after) and not self.g.past_transfer.search(text):
            return "target"
        if self._cumulative(text, figure, dates):
            return "cumulative"
        largest = self.m.conflict.largest_transfer
        # "Ukraine was handed 6,060 bodies and Russia received 78": beside a running total, its
        # partner is one too.
        if largest is not None and any(
            f.number.value > largest
            and f.category == figure.category
            and f.number.start <= figure.number.start
            for f in self._figures_here
        ):
            return "cumulative"
        return "exchange"

    def _cumulative(self, text: str, figure: _Figure, dates: list[DateMention]) -> bool:
        """A running total: a cue in the figure's clause, not "the largest since" or "held since"."""
        plain = self.g.superlative_since.sub(lambda x: " " * len(x.group()), text)
        if any(d.role == "asof" and d.value for d in dates):
            return True
        undated = not any(d.role == "at" and d.value for d in dates)
        # "Russia has handed over 6,060", "Under it, Ukraine received 6,057": a sum, when no day is given.
        if undated and (
            self.g.perfect.search(text[: figure.number.start])
            or self.g.under_it.match(text[: figure.number.start])
        ):
            return True
        for cue in list(self.m.cumulative.finditer(plain)) + [
            d for d in dates if d.role == "since" and plain[d.start : d.end].strip()
        ]:
            start, end = (cue.start(), cue.end()) if isinstance(cue, re.Match) else (cue.start, cue.end)
            if end <= figure.number.start:
                # "In all, 1,000 in three days: 390 on Friday, 307 on Saturday": the parts listed
                # after the colon, each with its own day, are transfers.
                if ":" in plain[end : figure.number.start] and any(
                    d.role == "at"
                    and d.value
                    and len(d.value) == 10
                    and figure.number.end <= d.start <= figure.np_end + 14
                    for d in dates
                ):
                    continue
                return True
            if not re.search(r"[,;]", plain[figure.np_end : start]):
                return True
        return bool(
            self.g.weak_total.search(plain)
            and (self.g.under_deal.search(plain) or self.m.agreements.find(plain))
        )

    def _qualifier(self, text: str, figure: _Figure) -> str:
        before = text[max(0, figure.number.start - 30) : figure.number.start]
        for name, pattern in self.m.qualifiers:
            if pattern.search(before):
                return name
        return "exact"

    def _date(
        self, text: str, kind: str, figure: _Figure, dates: list[DateMention]
    ) -> tuple[str | None, str | None]:
        notes = [d.note for d in dates if d.note]
        note = notes[0] if notes else None
        if kind == "cumulative":
            asof = [d for d in dates if d.role == "asof" and d.value]
            # "на ноябрь 2025 года": an "as of" said with a plain preposition.
            asof += [
                d
                for d in dates
                if d.role == "at"
                and d.value
                and self.g.asof_before.search(text[max(0, d.start - 12) : d.start])
            ]
            return (asof[0].value if asof else None), note
        # "the third this year": a period that ranks the exchange does not date it.
        ranked = [(mt.start(), mt.end()) for mt in self.g.superlative_since.finditer(text)]
        at = [
            d
            for d in dates
            if d.role == "at"
            and d.value
            and not (len(d.value) < 10 and any(s <= d.start < e for s, e in ranked))
        ]
        if kind == "target":
            # A target is dated by its agreement ("agreed in Istanbul in May 2025"), not by the
            # exchanges the sentence also reports.
            agreed = [
                d
                for d in at
                if self.g.agreed_before.search(text[max(0, d.start - 45) : d.start])
                # "сегодня договорились": the date right before the verb of agreeing
                or self.g.agreed_after.match(text[d.end : d.end + 30].lstrip())
            ]
            return (agreed[0].value if agreed else None), note
        if at:
            return self._nearest_date(text, figure, at), note
        if note is None and self.published is None and self.ctx.running_date is None:
            note = "no date in the text"
        return self.ctx.running_date, note

    def _nearest_date(self, text: str, figure: _Figure, at: list[DateMention]) -> str | None:
        """The date a sentence gives one figure, when it gives several."""
        zone_start, zone_end = figure.zone
        # A date right after the figure is its own, unless a clause boundary comes first
        # ("по 157 человек, а в марте — по 200").
        right_after = [
            d
            for d in at
            if figure.number.end <= d.start <= figure.np_end + 14
            and not re.search(r"[,;]", text[figure.number.end : d.start])
        ]
        if right_after:
            return right_after[0].value
        before = [d for d in at if zone_start <= d.start and d.end <= figure.number.start]
        if before:
            return before[-1].value
        if figure.partner is not None and figure.partner.date is not None:
            return figure.partner.date
        after = [d for d in at if figure.np_end <= d.start and d.end <= zone_end]
        if after:
            return after[0].value
        nearest = min(
            at, key=lambda d: min(abs(d.start - figure.number.start), abs(d.end - figure.number.end))
        )
        return nearest.value

    def _agreement(self, text: str, category: str | None, date: str | None) -> str | None:
        places = self.m.agreements.find(text)
        if not places:
            return None
        place = places[0][2].lower()
        candidates = [
            a
            for a in self.m.conflict.agreements
            if place in {x.lower() for x in a.aliases.get(self.m.lex.language, ())}
        ]
        if not candidates:
            return None
        for agreement in candidates:
            hints = agreement.hints.get(self.m.lex.language, ())
            if any(re.search(rf"(?<!\w){re.escape(h)}(?!\w)", text, re.IGNORECASE) for h in hints):
                return agreement.id
        if category is not None:
            candidates = [a for a in candidates if category in a.categories] or candidates
        if date is not None:
            earlier = [a for a in candidates if a.date[: len(date)] <= date]
            candidates = earlier or candidates
        return max(candidates, key=lambda a: a.date).id

    def _claims(
        self,
        sentence: Sentence,
        figure: _Figure,
        dates: list[DateMention],
        speakers: list[tuple[int, int, str]],
    ) -> list[Claim]:
        text = sentence.text
        assert figure.category is not None
        kind = self._kind(text, figure, dates)
        event_date, note = self._date(text, kind, figure, dates)
        figure.date = event_date
        who = self._who(text, figure, speakers)
        agreement = self._agreement(text, figure.category, event_date)
        if agreement is None and kind == "exchange" and self._in_deal_window(event_date):
            agreement = self.ctx.doc_agreement
        # "As of June 16, Ukraine had received 6,057": in a report about one deal, a running total
        # counts under it, unless it counts from a start of its own ("since 2022").
        if (
            agreement is None
            and kind == "cumulative"
            and self.ctx.doc_agreement is not None
            and not any(d.role == "since" for d in dates)
            and figure.category in self.m.conflict.agreement(self.ctx.doc_agreement).categories
        ):
            agreement = self.ctx.doc_agreement
        mediators = tuple(name for _, _, name in self.m.mediators.find(text))
        if kind == "exchange" and event_date == self.ctx.main_date and event_date:
            mediators = tuple(dict.fromkeys(mediators + tuple(self.ctx.doc_mediators)))
        qualifier = self._qualifier(text, figure)
        if figure.each and figure.to_side is None:
            sides: list[tuple[str | None, str | None]] = [
                (self.m.conflict.other(p.code), p.code) for p in self.m.conflict.parties
            ]
        else:
            sides = [(figure.from_side, figure.to_side)]
        quote = self.doc.text[sentence.start : sentence.end]
        days = figure.run if kind == "exchange" and figure.run else (event_date,)
        made = [
            Claim(
                doc=self.doc.source,
                kind=kind,
                category=figure.category,
                from_side=from_side,
                to_side=to_side,
                count=figure.number.value,
                qualifier=qualifier,
                event_date=day,
                attributed_to=who,
                agreement=agreement,
                span=(sentence.start, sentence.end),
                quote=quote,
                mediators=mediators,
                date_note=note,
            )
            for day in days
            for from_side, to_side in sides
        ]
        # A claim with no date of its own in a paragraph that gave none borrowed the report's date.
        if (
            kind == "exchange"
            and not self.ctx.dated_here
            and not any(d.role == "at" and d.value for d in dates)
        ):
            self.borrowed.update(id(c) for c in made)
        return made

    def _in_deal_window(self, event_date: str | None) -> bool:
        """Whether an exchange belongs to the report's deal: its main exchange, or one of the
        transfers of the ten days around it ("1,200 on June 13, another 1,200 on June 14")
        made after the deal was agreed."""
        main, deal = self.ctx.main_date, self.ctx.doc_agreement
        if not event_date or not main or deal is None:
            return False
        if event_date == main:
            return True
        if len(event_date) != 10 or len(main) != 10:
            return False
        day = dt.date.fromisoformat(event_date)
        made = self.m.conflict.agreement(deal).date
        return abs((dt.date.fromisoformat(main) - day).days) <= 10 and event_date > made

    def _who(self, text: str, figure: _Figure, speakers: list[tuple[int, int, str]]) -> str | None:
        """Who the text credits with a figure: a speaker in its sentence, else the author of a
        statement, else the speaker last named in its paragraph."""
        # "Мединский сообщил о 1000 ..., 26 — ..., Коордштаб — о 1003": a speaker named before a
        # figure introduces it; one named after it ("..., the ministry said") only when none is.
        credited = [
            sp
            for sp in speakers
            if figure.number.end <= sp[0] <= figure.zone[1]
            and self.g.credit_before.search(text[figure.number.end : sp[0]])
        ]
        if credited:
            return credited[0][2]
        before = [sp for sp in speakers if sp[1] <= figure.number.start]
        if before:
            return before[-1][2]
        if speakers:
            return speakers[0][2]
        if self.ctx.voice is not None:
            return self.ctx.voice
        if self.ctx.speaker_paragraph == self.ctx.paragraph:
            return self.ctx.last_speaker
        return None

    def _author(self, sents: list[Sentence]) -> str | None:
        """Whose statement the whole document is: a signature or "Source: X" closing it, a
        headline "X: ..." or "statement of X", or the channel of the official who posted it."""
        if self.doc.outlet:
            outlet = fold(self.doc.outlet)
            found = self.m.speakers.find(outlet)
            if found and found[0][1] - found[0][0] >= len(outlet.strip()) - 2:
                return found[0][2]
        if not sents:
            return None
        last = sents[-1].text
        found = self.m.speakers.find(last)
        if found and len(last) <= found[0][1] - found[0][0] + 12:
            return found[0][2]
        for sentence in sents[:3]:
            line = sentence.text
            found = self.m.speakers.find(line)
            if not found or len(line) > 120:
                continue
            if self.g.statement.search(line) or line[found[0][1] :].lstrip().startswith(":"):
                return found[0][2]
        return None

    def _status(
        self, sentence: Sentence, dates: list[DateMention], speakers: list[tuple[int, int, str]]
    ) -> Claim | None:
        text = sentence.text
        m = self.m
        state = m.status.search(text)
        if state is None or not m.status_subjects.search(text):
            return None
        # "the return of the dead goes on, but prisoner swaps are frozen": the state's own subject.
        near = text[max(0, state.start() - 60) : state.start()]
        if self.g.strong_pow.search(near) and not m.category_nouns["bodies"].search(near):
            category = "pows"
        elif m.category_nouns["bodies"].search(text):
            category = "bodies"
        elif self.g.civilian_word.search(text):
            category = "civilians"
        else:
            category = "pows"
        since = [d for d in dates if d.value and d.role == "since"]
        at = [d for d in dates if d.value and d.role == "at"]
        when = since[0].value if since else at[0].value if at else None
        return Claim(
            doc=self.doc.source,
            kind="status",
            category=category,
            from_side=None,
            to_side=None,
            count=None,
            qualifier="exact",
            event_date=when,
            attributed_to=speakers[0][2] if speakers else None,
            agreement=self._agreement(text, category, when),
            span=(sentence.start, sentence.end),
            quote=self.doc.text[sentence.start : sentence.end],
            mediators=(),
            date_note=None,
        )
