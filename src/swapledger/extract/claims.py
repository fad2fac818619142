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
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from ..errors import SwapledgerError
from ..model import Claim, Document
from .dates import DateMention, find_dates, parse_published
from .lexicon import LANGUAGES, Matchers, matchers
from .numbers import Number, find_numbers
from .text import Sentence, fold, sentences

EXTRACTOR_VERSION = "1"

# Words that may stand between a figure and the noun it counts.
_NP_STOP = re.compile(
    r"^(?:and|or|while|were|was|had|have|has|in|on|at|by|with|from|to|for|as|after|before|"
    r"who|which|that|than|but|is|are|be|been|being|said|says|each|apiece|across|into|through|"
    r"during|since|under|over|their|its|his|her|home|back|returned|received|handed|released|"
    r"freed|exchanged|swapped|repatriated|transferred|brought|killed)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'.-]+|[^\w\s]")
# What may follow a figure that counts nothing itself ("... for 30.", "Russia 38,").
_BARE_NEXT = re.compile(
    r"^\s*(?:$|[,.;:)]|-for-|(?:in|to|for|and|from|were|was|had|have|has|while|with|on|at|by|"
    r"back|home|each|apiece|respectively|bodies|came|come|went|go|goes|arrived|more|alone|are|is|"
    r"of (?:its|their|our|his|her))\b)",
    re.IGNORECASE,
)
_PUT_AT = re.compile(
    r"\b(?:put|puts|placed|places|gave|gives|set|sets)\s+(?:the\s+)?(?:number|figure|total|count|tally)"
    r"\b(.{0,80}?)\s+at\s+(?:about |around |some |more than |over )?$",
    re.IGNORECASE,
)
_COMPOUND = re.compile(r"^-for-\d|^\s*-\s*for\s*-\s*\d")
_COMPOUND_BEFORE = re.compile(r"\d\s*-\s*for\s*-\s*$")
_STRONG_POW = re.compile(r"\b(?:prisoners? of war|POWs?|swaps?|prisoner exchanges?)\b", re.IGNORECASE)
_SUPERLATIVE_SINCE = re.compile(
    r"\b(?:largest|biggest|first|most|only|single|longest|latest|second|third)\b[^.;]{0,60}?"
    r"\b(?:since|so far|to date|yet|ever|this year|this month|in \d{4})\b[^,.;]*"
    r"|\b(?:in captivity|held|detained|captured|missing|imprisoned)\b[^,.;]{0,20}\bsince\b[^,.;]*",
    re.IGNORECASE,
)
_EACH_SIDE = re.compile(
    r"\beach (?:side|party|country)\b|\beach (?:released|freed|returned|handed over|exchanged|"
    r"swapped|received|brought|got)\b|\b(?:to|on|by|for) each side\b|\bapiece\b|\bfrom each side\b",
    re.IGNORECASE,
)
_PAST_TRANSFER = re.compile(
    r"\b(?:returned|received|repatriated|handed (?:over|back)|released|freed|swapped|exchanged|"
    r"transferred|brought (?:back|home)|got back|came home|were|was|saw|took place|carried out)\b",
    re.IGNORECASE,
)
_FOR = re.compile(r"(?:\b(?:in exchange|in return)?\s*for|-for-|\bfor)\s*$", re.IGNORECASE)
_EACH_AFTER = re.compile(r"^\s*(?:[\w'-]+\s+){0,5}?(?:each|apiece)\b", re.IGNORECASE)
_WE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_WEAK_TOTAL = re.compile(r"\b(?:in total|in all|a total of|overall|altogether|all told)\b", re.I)
_UNDER_DEAL = re.compile(r"\b(?:under|since|as part of|within)\b", re.IGNORECASE)
_DETERMINER_BEFORE = re.compile(
    r"\b(?:a|an|the|one|another|this|that|each|every|first|second|third|last|latest|its|their|"
    r"our|his|her|of)\s+$",
    re.IGNORECASE,
)
_AGREED_BEFORE = re.compile(
    r"\b(?:agreed|agreement|deal|memorandum|accords?|talks|signed|reached|struck|met)\b[^.;]*$", re.IGNORECASE
)
_PERFECT = re.compile(
    r"\b(?:has|have)\s+(?:now\s+|so far\s+|already\s+|in all\s+)?(?:handed|received|returned|"
    r"repatriated|given|taken|got|gotten|brought|secured|completed)\b",
    re.IGNORECASE,
)
_UNDER_IT = re.compile(
    r"\s*(?:under|as part of)\s+(?:it|this|that|the (?:deal|agreement|memorandum|accords?))\s*,",
    re.IGNORECASE,
)
_BY_COUNT = re.compile(r"[^,;]{0,20}?\bby ([\w ]+?)'s? (?:own )?(?:count|tally|figures?)\b", re.I)
_PAIR_GAP = re.compile(
    r"\s*(?:(?:were|was)\s+(?:exchanged|swapped|traded)\s+)?(?:and|for|,|in (?:exchange|return) for)\s*",
    re.IGNORECASE,
)
_PUT_IT_AT = re.compile(
    r"\b(?:put|puts|placed|places|gave|gives)\s+it\s+at\s+(?:about |around |some |more than |over )?$",
    re.IGNORECASE,
)
_FOLLOWED_BY = re.compile(r"\b(?:was|were) followed by\s+(?:about |some |more than |over |another )?$", re.I)
_VOICE = re.compile(
    r"\b([\w']+)\s+(?:officials?|authorities|government|sources|officers?|side)\b", re.IGNORECASE
)
# "... and Russia 38": a party with no verb of its own after a figure.
_ELLIPTIC = re.compile(
    r"(?:^|[,;]|\band\b|\bwhile\b|\bwith\b)\s*(?:(?:and|while|with)\s+)?(?:the\s+)?([\w' -]+?)\s*$",
    re.IGNORECASE,
)
_AGE_BEFORE = re.compile(r"\baged?\s+\d+\s*(?:to|-|–|and)\s*$", re.IGNORECASE)
_RANGE_AGE = re.compile(r"^\s*(?:-|to|and)\s*\d+\s*-?\s*years?", re.IGNORECASE)


class UnsupportedLanguageError(SwapledgerError):
    """The document's language has no lexicon yet."""

    def __init__(self, source: str, language: str) -> None:
        self.source = source
        self.language = language
        super().__init__(
            f"{source}: language {language!r} is not read yet (languages read: "
            f"{', '.join(LANGUAGES)}); pass --language to override"
        )


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


@dataclass
class _Context:
    """What the document has said so far that later sentences lean on."""

    main_date: str | None = None
    running_date: str | None = None
    paragraph: int = -1
    last_speaker: str | None = None
    last_figure: _Figure | None = None
    last_lead: _Figure | None = None  # the first figure of the last sentence that gave any
    first_speaker: str | None = None
    doc_agreement: str | None = None
    doc_mediators: list[str] = field(default_factory=list)
    # Per category, the side the larger figure of a pair went to, as the document told it.
    orientation: dict[str, str | None] = field(default_factory=dict)


def extract(document: Document, options: ExtractOptions | None = None) -> list[Claim]:
    """Every claim that ``document`` makes, in the order of the text."""
    options = options or ExtractOptions()
    language = (document.language or options.language or "en").lower()
    if language not in LANGUAGES:
        raise UnsupportedLanguageError(document.source, language)
    m = matchers(language, options.conflict)
    folded = fold(document.text)
    if not m.prefilter.search(folded):
        return []
    published = parse_published(document.published or options.published)
    return _Reader(document, folded, published, m).read()


class _Reader:
    def __init__(self, document: Document, folded: str, published: dt.date | None, m: Matchers):
        self.doc = document
        self.text = folded
        self.published = published
        self.m = m
        self.ctx = _Context()
        self.borrowed: set[int] = set()  # ids of claims dated by the report, not by their sentence

    # -- the document --------------------------------------------------------

    def read(self) -> list[Claim]:
        sents = [s for s in sentences(self.text) if not self.m.skip_line.search(s.text)]
        dated = [(s, find_dates(s.text, self.published, self.m.lex)) for s in sents]
        self.ctx.main_date = self._main_date(dated)
        self.ctx.doc_agreement, self.ctx.doc_mediators = self._doc_context(dated)
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
            claims.extend(self._sentence(sentence, dates))
        return self._redate(claims)

    def _redate(self, claims: list[Claim]) -> list[Claim]:
        """A claim that borrowed the report's date takes the date the report gives that same figure.

        A headline with two exchanges ("200 each; three civilians return") borrows the main
        date for both, while the body dates the second one a day later.
        """
        dated: dict[tuple[object, ...], set[str | None]] = defaultdict(set)
        for claim in claims:
            if id(claim) not in self.borrowed and claim.kind == "exchange":
                dated[(claim.category, claim.to_side, claim.count)].add(claim.event_date)
        out = []
        for claim in claims:
            own = dated.get((claim.category, claim.to_side, claim.count), set())
            if id(claim) in self.borrowed and len(own) == 1 and claim.event_date not in own:
                claim = replace(claim, event_date=next(iter(own)))
            out.append(claim)
        return out

    def _is_background(self, value: str | None) -> bool:
        return value is not None and value != self.ctx.main_date

    def _main_date(self, dated: list[tuple[Sentence, list[DateMention]]]) -> str | None:
        """The date of the exchange the report is about: the first recent date given to one."""
        candidates: list[str] = []
        for sentence, dates in dated:
            if not self.m.transfer.search(sentence.text):
                continue
            target = self.m.target.search(sentence.text) and not _PAST_TRANSFER.search(sentence.text)
            if target or self.m.cumulative.search(_SUPERLATIVE_SINCE.sub("", sentence.text)):
                continue
            candidates += [d.value for d in dates if d.role == "at" and d.value and len(d.value) == 10]
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
            self._sides(text, figures, dates)
            for i, figure in enumerate(figures):
                figure.zone = (
                    figures[i - 1].np_end if i else 0,
                    figures[i + 1].number.start if i + 1 < len(figures) else len(text),
                )
            for figure in figures:
                claims.extend(self._claims(sentence, figure, dates, speakers))
            self.ctx.last_figure = figures[-1]
            self.ctx.last_lead = figures[0]
        elif has_transfer or m.status.search(text):
            status = self._status(sentence, dates, speakers)
            if status is not None:
                claims.append(status)
        if has_transfer and at_dates and not m.target.search(text) and not m.cumulative.search(text):
            self.ctx.running_date = at_dates[-1].value
        if speakers:
            self.ctx.last_speaker = speakers[-1][2]
        return claims

    def _figures(self, text: str, dates: list[DateMention]) -> list[_Figure]:
        m = self.m
        out: list[_Figure] = []
        for number in find_numbers(text, m.lex.language):
            if any(d.start <= number.start < d.end for d in dates):
                continue
            before, after = text[: number.start], text[number.end :]
            if m.not_after.search(after) or m.not_before.search(before):
                continue
            if _RANGE_AGE.search(after) or _AGE_BEFORE.search(before):
                continue
            category, np_end = self._category(text, number)
            if category is None:
                if re.fullmatch(r"(?:19|20)\d\d", number.text):
                    continue
                if not _BARE_NEXT.search(after):
                    continue
            if number.value == 0 and category is None:
                continue
            compound = bool(_COMPOUND.match(after) or _COMPOUND_BEFORE.search(before))
            swap_pair = bool(re.match(r"\s+for\s+\d", after) or re.search(r"\d\s+for\s+$", before))
            out.append(_Figure(number, category, np_end, compound=compound, swap_pair=swap_pair))
        # A figure with no noun borrows one from the figure it pairs with.
        for i, figure in enumerate(out):
            if figure.category is not None:
                continue
            before = text[: figure.number.start]
            if _PUT_IT_AT.search(before) or _FOLLOWED_BY.search(before):
                earlier = out[i - 1] if i > 0 and out[i - 1].category else self.ctx.last_lead
                if _PUT_IT_AT.search(before) and i == 0:
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
                or re.match(r"\s*for\s+\d", text[figure.number.end :])
                or (i > 0 and re.search(r"\d\s+for\s*$", text[: figure.number.start]))
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
            and not m.target.search(text)
            and not m.cumulative.search(text)
        ):
            return []
        if m.not_exchange.search(text) and not _STRONG_POW.search(text):
            return []
        return [f for f in kept if not self._harm(text, f)]

    def _sentence_category(self, text: str) -> str | None:
        """The category a sentence speaks of when a figure has no noun of its own."""
        for category in ("bodies", "civilians"):
            if self.m.category_nouns[category].search(text) and not (
                category == "civilians" and self.m.category_nouns["pows"].search(text)
            ):
                return category
        if self.m.category_nouns["pows"].search(text) or _STRONG_POW.search(text):
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
            if re.fullmatch(r"\s*(?:-?for-?|to|and|,)\s*", gap, re.IGNORECASE):
                return figures[i + 1]
        last = self.ctx.last_figure
        if (
            last is not None
            and last.category is not None
            and (
                self.m.receive.search(before)
                or self.m.give.search(before)
                or _FOR.search(before)
                or re.match(r"\s*in (?:return|exchange)", after, re.IGNORECASE)
            )
        ):
            return last
        return None

    def _category(self, text: str, number: Number) -> tuple[str | None, int]:
        """The category of the noun a figure counts, and where that noun ends."""
        m = self.m
        pos = number.end
        possessive = re.match(r"\s+of\s+(?:its|their|our|his|her|them|these|those)\b", text[pos:], re.I)
        if possessive:
            pos += possessive.end()
        np_end = number.end
        found: dict[str, bool] = {}
        people = False
        for count, token in enumerate(_WORD.finditer(text, pos)):
            word = token.group()
            if count >= 6 or (not word[0].isalnum() and word not in {"'", "-"}):
                break
            if _NP_STOP.match(word) and not (word.lower() == "of" and found):
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
        put = _PUT_AT.search(before)
        if put and not found:
            span = put.group(1)
            for category in ("bodies", "civilians", "pows"):
                if m.category_nouns[category].search(span):
                    return category, np_end
            if m.party_people.pattern.search(span):
                return ("bodies" if m.bodies_context.search(text) else "pows"), np_end
        if re.search(r"\b(?:bodies|remains|body)\s+of\s+(?:the\s+)?$", before, re.IGNORECASE):
            return "bodies", np_end
        if not found and not people:
            return None, np_end
        np_text = text[number.end : np_end]
        if m.category_nouns["bodies"].search(np_text) and not re.search(
            r"\b(?:prisoners?|POWs?|captives?)\b", np_text, re.IGNORECASE
        ):
            return "bodies", np_end
        if found.get("civilians"):
            return "civilians", np_end
        explicit_pow = re.search(r"\b(?:prisoners?|POWs?|PoWs?|captives?)\b", np_text, re.IGNORECASE)
        if explicit_pow:
            return "pows", np_end
        if m.bodies_context.search(text):
            return "bodies", np_end
        if re.search(r"\bcivilians?\b", text, re.IGNORECASE) and not found.get("pows"):
            return "civilians", np_end
        return "pows", np_end

    def _harm(self, text: str, figure: _Figure) -> bool:
        """A figure of people killed or wounded rather than exchanged."""
        if figure.category == "bodies" and not figure.paired:
            return False
        after = text[figure.np_end : figure.np_end + 40]
        if re.match(
            r"\s*(?:were|have been|had been|was)?\s*(?:killed|wounded|injured|died|missing|"
            r"captured|taken prisoner|detained|arrested|convicted|sentenced)\b",
            after,
            re.I,
        ):
            return True
        window = text[max(0, figure.number.start - 40) : figure.number.start]
        return bool(
            re.search(
                r"\b(?:killed|wounded|injured|lost|captured|detained|sentenced)\s+"
                r"(?:at least |about |some |nearly |over |more than )?$",
                window,
                re.I,
            )
        )

    # -- who received --------------------------------------------------------

    def _party_in(self, text: str) -> list[tuple[int, int, str]]:
        return sorted(
            self.m.party_names.find(text)
            + [
                (s, e, code)
                for s, e, code in self.m.party_people.find(text)
                if re.match(r"\s*side\b", text[e:], re.IGNORECASE)
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
            # The people the figure counts: "1,003 Ukrainian soldiers" went home to Ukraine.
            people = m.party_people.find(np_text)
            if people:
                figure.to_side = people[0][2]
            # Subject and verb first when the verb is right before the figure ("Russia gets 41").
            role0, subject0 = self._subject(window, text[: figure.number.start], speaker_party)
            if (
                figure.to_side is None
                and subject0 not in (None, "both")
                and re.search(
                    r"\b[\w']+\s+(?:[\w']+\s+)?(?:the\s+)?(?:bodies\s+of\s+|remains\s+of\s+)?"
                    r"(?:about |some |more than |over |at least |nearly )?$",
                    window,
                )
                and role0 is not None
                and len(window.split()) <= 6
            ):
                figure.to_side = m.conflict.other(subject0) if role0 == "give" else subject0
            # "... returned to Ukraine", "... handed over by Russia"
            if figure.to_side is None:
                receiver = re.match(
                    r"\s*(?:[\w'-]+\s+){0,7}?(?:home\s+)?(?:to|into|back to|for|on|onto)\s+(?:the\s+)?"
                    r"([\w' -]+)",
                    after,
                    re.IGNORECASE,
                )
                if receiver:
                    party = self._leading_party(receiver.group(1))
                    if party is not None:
                        figure.to_side = party
                if figure.to_side is None:
                    giver = re.match(
                        r"\s*(?:[\w'-]+\s+){0,4}?(?:from|by)\s+(?:the\s+)?([\w' -]+)", after, re.IGNORECASE
                    )
                    party = self._leading_party(giver.group(1)) if giver else None
                    if party is not None and not m.party_people.pattern.match(
                        giver.group(1) if giver else ""
                    ):
                        figure.from_side, figure.to_side = party, other(party)
            # Subject and verb before the figure: "Russia returned 1,003", "Ukraine received 1,000".
            role, subject = self._subject(window, text[: figure.number.start], speaker_party)
            figure.role, figure.subject = role, subject
            prev = figures[i - 1] if i > 0 else None
            elliptic = _ELLIPTIC.search(window)
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
            # "1,000 for 30": the second went the other way.
            if figure.to_side is None and prev is not None and prev.to_side and _FOR.search(window):
                figure.to_side = other(prev.to_side)
            if (
                figure.to_side is None
                and prev is not None
                and figure.paired
                and prev.to_side
                and (
                    re.search(r"\banother\s*$", window, re.I)
                    or re.match(r"\s*(?:more\b|in another\b)", text[figure.number.end :], re.I)
                )
                and not _FOR.search(window)
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
                and re.search(r"\band\b", window)
                and not _FOR.search(window)
                and not re.search(r"\bin (?:return|exchange)\b", after, re.I)
            ):
                figure.to_side = prev.to_side
            if (
                figure.to_side is None
                and prev is not None
                and figure.paired
                and role is None
                and prev.to_side is not None
                and re.search(r"\bin (?:return|exchange)\b", after, re.I)
            ):
                figure.to_side = other(prev.to_side)
            if figure.to_side is None and (
                subject == "both"
                or m.both_sides.search(window)
                or len({p[2] for p in self._party_in(window)}) > 1
            ):
                figure.both = True
            if figure.to_side is None and (
                _EACH_AFTER.match(text[figure.number.end :]) or _EACH_SIDE.search(text) or figure.compound
            ):
                figure.each = True
            # "of its troops": the people belong to the party named before.
            if figure.to_side is None and re.match(r"\s*of (?:its|their) ", text[figure.number.end :]):
                named = self._party_in(window)
                if named:
                    figure.to_side = named[-1][2]
            # "1,003 bodies by Ukraine's count": a side counts what it received.
            if figure.to_side is None and not figure.each and not figure.both:
                counted = _BY_COUNT.match(after)
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
            put = _PUT_AT.search(text[: figure.number.start])
            if figure.to_side is None and put:
                people = m.party_people.find(put.group(1))
                if people:
                    figure.to_side = people[0][2]
            if figure.to_side is not None:
                figure.from_side = figure.from_side or other(figure.to_side)
        for a, b in itertools.pairwise(figures):
            # "1,212 bodies arrived, when Russia received 27 in return"
            if (
                b.to_side is not None
                and a.to_side in (None, b.to_side)
                and a.category == b.category
                and not a.each
                and re.match(r"\s*in (?:return|exchange)\b", text[b.np_end :], re.I)
            ):
                a.to_side, a.from_side, a.both = other(b.to_side), b.to_side, False
            # "146 servicemen and eight civilians": one receiver for both.
            if (
                b.to_side is None
                and a.to_side is not None
                and not b.paired
                and not b.each
                and re.fullmatch(r"\s*(?:,|and|as well as|plus)\s*", text[a.np_end : b.number.start], re.I)
            ):
                b.to_side, b.from_side, b.both = a.to_side, a.from_side, False
        # "84 for 84" between both sides: one figure for each.
        codes = [p.code for p in m.conflict.parties]
        for a, b in itertools.pairwise(figures):
            if a.to_side is not None or b.to_side is not None or a.number.value != b.number.value:
                continue
            if len(codes) == 2 and re.fullmatch(
                r"\s*-?\s*for\s*-?\s*", text[a.np_end : b.number.start], re.I
            ):
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
            if not _PAIR_GAP.fullmatch(gap):
                continue
            side = self.ctx.orientation.get(a.category)
            if side is None:
                continue
            larger.to_side, smaller.to_side = side, other(side)
            larger.from_side, smaller.from_side = other(side), side
            a.both = b.both = False

    def _leading_party(self, text: str) -> str | None:
        found = self.m.party_names.pattern.match(text)
        if found:
            return self.m.party_names.names[found.group().lower()]
        people = self.m.party_people.pattern.match(text)
        if people and re.match(
            r"\s*-?\s*(?:side|soil|territory|control|controlled|held|hands|region|"
            r"regions|border)",
            text[people.end() :],
            re.I,
        ):
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
        verbs = [v for v in verbs if not _DETERMINER_BEFORE.search(window[: v[0]])]
        if not verbs:
            return None, None
        position, role = max(verbs)
        offset = len(before) - len(window)
        head = before[: offset + position]
        # Passive: "... were returned" makes the figure's own noun the thing moved.
        if re.search(r"\b(?:were|was|been|being|be)\s+$", head, re.IGNORECASE):
            return role, None
        parties = self._party_in(head)
        clause_start = max(head.rfind(";"), head.rfind(". "))
        parties = [p for p in parties if p[0] > clause_start]
        # "... returned to Ukraine and each side freed 95": the sides come after the party named.
        both = [mt.end() for mt in itertools.chain(m.both_sides.finditer(head), _EACH_SIDE.finditer(head))]
        if both and (not parties or max(both) > parties[-1][1]):
            return role, "both"
        if parties:
            last = parties[-1]
            between = head[last[1] : offset + position]
            if re.search(r"\band\b", between) and len(between) < 3:
                return role, "both"
            preceding = [
                p
                for p in parties
                if p[2] != last[2] and head[p[1] : last[0]].strip().lower() in {"and", "and the"}
            ]
            if preceding:
                return role, "both"
            return role, last[2]
        if m.both_sides.search(head):
            return role, "both"
        if _WE.search(head) and speaker_party is not None:
            return role, speaker_party
        return role, None

    def _voice(self, before: str) -> str | None:
        """The side whose officials speak in a clause ("Ukrainian officials said ... had arrived")."""
        for match in _VOICE.finditer(before):
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
        if target is not None and not _PAST_TRANSFER.search(before[target.end() :]):
            return "target"
        after = text[figure.np_end :]
        if re.match(
            r"[^,;]{0,30}?\b(?:to be (?:returned|exchanged|swapped|handed over|released)|"
            r"(?:were|was) agreed)\b",
            after,
            re.I,
        ):
            return "target"
        if re.search(
            r"\b(?:agreed|committed|pledged|promised|planned)\b", after, re.I
        ) and not _PAST_TRANSFER.search(text):
            return "target"
        if self._cumulative(text, figure, dates):
            return "cumulative"
        return "exchange"

    def _cumulative(self, text: str, figure: _Figure, dates: list[DateMention]) -> bool:
        """A running total: a cue in the figure's clause, not "the largest since" or "held since"."""
        plain = _SUPERLATIVE_SINCE.sub(lambda x: " " * len(x.group()), text)
        if any(d.role == "asof" and d.value for d in dates):
            return True
        undated = not any(d.role == "at" and d.value for d in dates)
        # "Russia has handed over 6,060", "Under it, Ukraine received 6,057": a sum, when no day is given.
        if undated and (
            _PERFECT.search(text[: figure.number.start]) or _UNDER_IT.match(text[: figure.number.start])
        ):
            return True
        for cue in list(self.m.cumulative.finditer(plain)) + [
            d for d in dates if d.role == "since" and plain[d.start : d.end].strip()
        ]:
            start, end = (cue.start(), cue.end()) if isinstance(cue, re.Match) else (cue.start, cue.end)
            if end <= figure.number.start:
                return True
            if not re.search(r"[,;]", plain[figure.np_end : start]):
                return True
        return bool(
            _WEAK_TOTAL.search(plain) and (_UNDER_DEAL.search(plain) or self.m.agreements.find(plain))
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
            return (asof[0].value if asof else None), note
        at = [d for d in dates if d.role == "at" and d.value]
        if kind == "target":
            # A target is dated by its agreement ("agreed in Istanbul in May 2025"), not by the
            # exchanges the sentence also reports.
            agreed = [d for d in at if _AGREED_BEFORE.search(text[max(0, d.start - 45) : d.start])]
            return (agreed[0].value if agreed else None), note
        if at:
            return self._nearest_date(figure, at), note
        if note is None and self.published is None and self.ctx.running_date is None:
            note = "no date in the text"
        return self.ctx.running_date, note

    def _nearest_date(self, figure: _Figure, at: list[DateMention]) -> str | None:
        """The date a sentence gives one figure, when it gives several."""
        zone_start, zone_end = figure.zone
        right_after = [d for d in at if figure.np_end <= d.start <= figure.np_end + 14]
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
        who = self._who(figure, speakers)
        agreement = self._agreement(text, figure.category, event_date)
        if agreement is None and kind == "exchange" and event_date == self.ctx.main_date and event_date:
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
        made = [
            Claim(
                doc=self.doc.source,
                kind=kind,
                category=figure.category,
                from_side=from_side,
                to_side=to_side,
                count=figure.number.value,
                qualifier=qualifier,
                event_date=event_date,
                attributed_to=who,
                agreement=agreement,
                span=(sentence.start, sentence.end),
                quote=quote,
                mediators=mediators,
                date_note=note,
            )
            for from_side, to_side in sides
        ]
        if kind == "exchange" and not any(d.role == "at" and d.value for d in dates):
            self.borrowed.update(id(c) for c in made)
        return made

    def _who(self, figure: _Figure, speakers: list[tuple[int, int, str]]) -> str | None:
        if speakers:
            nearest = min(speakers, key=lambda s: abs(s[0] - figure.number.start))
            return nearest[2]
        return self.ctx.last_speaker

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
        if _STRONG_POW.search(near) and not m.category_nouns["bodies"].search(near):
            category = "pows"
        elif m.category_nouns["bodies"].search(text):
            category = "bodies"
        elif re.search(r"\bcivilians?\b", text, re.IGNORECASE):
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
