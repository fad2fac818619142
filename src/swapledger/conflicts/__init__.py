"""Per-conflict data: parties, officials, mediators and agreements.

A conflict is a YAML file in this folder; nothing in the code names a party.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..errors import OptionError


@dataclass(frozen=True)
class Party:
    code: str
    names: dict[str, tuple[str, ...]]  # language -> names that mean the state ("Russia", "Moscow")
    people: dict[str, tuple[str, ...]]  # language -> words for its people ("Russian", "Ukrainians")
    # In languages with cases the form tells the role: the receiver ("Украине", "в Россию") and
    # the giver ("из украинского плена", "с российской стороны"). English says it with prepositions.
    to: dict[str, tuple[str, ...]] = field(default_factory=dict)
    from_: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Speaker:
    name: str
    party: str | None
    aliases: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Mediator:
    name: str
    aliases: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Term:
    """One undertaking of an agreement for one category: a figure per side, all-for-all, or none.

    ``targets`` gives each side's figure (``per_side`` for every party unless the
    data names sides one by one); ``counts`` lists the categories whose transfers
    count towards it (the 1,000-for-1,000 swap of May 2025 took in civilians as
    well as soldiers); ``groups`` says whom an all-for-all term covers.
    """

    category: str
    per_side: int | None  # None: all-for-all, or no figure given
    note: str
    all_for_all: bool = False
    groups: tuple[str, ...] = ()
    targets: dict[str, int] = field(default_factory=dict)  # side -> how many that side is to receive
    counts: tuple[str, ...] = ()  # categories counted towards the term; empty: just ``category``

    @property
    def counted(self) -> tuple[str, ...]:
        """The categories whose transfers count towards this term."""
        return self.counts or (self.category,)

    def target(self, side: str) -> int | None:
        """How many ``side`` is to receive under this term, or None (all-for-all, no figure)."""
        return self.targets.get(side, self.per_side)

    def describe(self) -> str:
        """The term in a few words: "6,000 per side", "all for all", "no figure agreed"."""
        if self.targets:
            return ", ".join(f"{n:,} to {side}" for side, n in sorted(self.targets.items()))
        if self.per_side is not None:
            return f"{self.per_side:,} per side"
        return "all for all" if self.all_for_all else "no figure agreed"


@dataclass(frozen=True)
class Agreement:
    id: str
    name: str
    date: str
    place: str
    parties: tuple[str, ...]
    mediators: tuple[str, ...]
    terms: tuple[Term, ...]
    aliases: dict[str, tuple[str, ...]]
    hints: dict[str, tuple[str, ...]]  # words that point to this agreement rather than another
    host: str | None = None  # the state that hosted the talks, when it is not a mediator
    summary: str = ""  # what was agreed, in a sentence

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(t.category for t in self.terms)

    def term(self, category: str) -> Term | None:
        """The term whose target transfers of ``category`` count towards, or None."""
        return next((t for t in self.terms if category in t.counted), None)


@dataclass(frozen=True)
class Conflict:
    id: str
    name: str
    parties: tuple[Party, ...]
    speakers: tuple[Speaker, ...]
    mediators: tuple[Mediator, ...]
    agreements: tuple[Agreement, ...]
    # The largest figure one transfer can carry; a larger one reported as a transfer is a running
    # total ("Ukraine received more than 6,000 bodies").
    largest_transfer: int | None = None

    def party(self, code: str) -> Party:
        for party in self.parties:
            if party.code == code:
                return party
        raise KeyError(code)

    def other(self, code: str | None) -> str | None:
        """The other party of a two-party conflict, or None."""
        if code is None or len(self.parties) != 2:
            return None
        return next(p.code for p in self.parties if p.code != code)

    def agreement(self, agreement_id: str) -> Agreement:
        for agreement in self.agreements:
            if agreement.id == agreement_id:
                return agreement
        raise KeyError(agreement_id)

    def speaker(self, name: str) -> Speaker | None:
        return next((s for s in self.speakers if s.name == name), None)


def _by_lang(raw: dict[str, list[str]] | None) -> dict[str, tuple[str, ...]]:
    return {lang: tuple(str(w) for w in words) for lang, words in (raw or {}).items()}


def _term(raw: dict[str, Any]) -> Term:
    return Term(
        category=raw["category"],
        per_side=raw.get("per_side"),
        note=str(raw.get("note", "")),
        all_for_all=bool(raw.get("all_for_all", False)),
        groups=tuple(str(g) for g in raw.get("groups", ())),
        targets={str(k): int(v) for k, v in (raw.get("targets") or {}).items()},
        counts=tuple(str(c) for c in raw.get("counts", ())),
    )


def _parse(conflict_id: str, raw: dict[str, Any]) -> Conflict:
    return Conflict(
        id=conflict_id,
        name=raw["name"],
        parties=tuple(
            Party(
                p["code"],
                _by_lang(p.get("names")),
                _by_lang(p.get("people")),
                _by_lang(p.get("to")),
                _by_lang(p.get("from")),
            )
            for p in raw["parties"]
        ),
        speakers=tuple(
            Speaker(s["name"], s.get("party"), _by_lang(s.get("aliases"))) for s in raw["speakers"]
        ),
        mediators=tuple(Mediator(m["name"], _by_lang(m.get("aliases"))) for m in raw["mediators"]),
        agreements=tuple(
            Agreement(
                id=a["id"],
                name=a["name"],
                date=str(a["date"]),
                place=a["place"],
                parties=tuple(a["parties"]),
                mediators=tuple(a.get("mediators", ())),
                terms=tuple(_term(t) for t in a["terms"]),
                aliases=_by_lang(a.get("aliases")),
                hints=_by_lang(a.get("hints")),
                host=a.get("host"),
                summary=str(a.get("summary", "")),
            )
            for a in raw["agreements"]
        ),
        largest_transfer=raw.get("largest_transfer"),
    )


@cache
def load(conflict_id: str = "ru-ua") -> Conflict:
    """Load a conflict's data file by id (the file name without ``.yaml``)."""
    try:
        text = resources.files(__package__).joinpath(f"{conflict_id}.yaml").read_text("utf-8")
    except FileNotFoundError:
        raise OptionError("conflict", f"no conflict data named {conflict_id!r}") from None
    return _parse(conflict_id, yaml.safe_load(text))
