"""What resolution works on: the claims it reads, and an event being drafted from them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple


class ClaimRef(NamedTuple):
    """What resolution needs of a stored exchange claim.

    ``source`` is the document this claim's document republishes (copy
    detection), or None when the document is an original: copies and their
    original count as one source.
    """

    id: int
    document_id: str
    kind: str
    category: str
    from_side: str | None
    to_side: str | None
    value: int | None
    qualifier: str
    event_date: str | None
    attributed_to: str | None
    agreement: str | None
    mediators: str
    published: str | None
    source: str | None = None

    @property
    def origin(self) -> str:
        """The independent source of this claim: the original its document copies, or itself."""
        return self.source or self.document_id


Figure = tuple[str | None, int | None]  # (the side that received, the count)


@dataclass(frozen=True)
class SetFigure:
    """An analyst's figure for one direction of an event (curation's `set`)."""

    to_side: str
    count: int
    who: str
    why: str


@dataclass
class Draft:
    """An event being drafted: its claims, notes and analysts' figures, before reconciliation.

    ``figures`` are the figures that later claims are matched against: those of
    claims dated to the day or the month only, so that where a vaguer report
    lands never changes where another one does.
    """

    id: str
    category: str
    date: str
    claims: list[ClaimRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    analyst: dict[str, SetFigure] = field(default_factory=dict)
    figures: set[Figure] = field(default_factory=set)
    values: set[int] = field(default_factory=set)

    def add(self, bundle: Iterable[ClaimRef], match_on: bool = True) -> None:
        """Add a bundle of claims; ``match_on`` says whether later bundles are matched against them."""
        for claim in bundle:
            self.claims.append(claim)
            if match_on:
                self.figures.add((claim.to_side, claim.value))
                if claim.value is not None:
                    self.values.add(claim.value)

    def matches(self, bundle: Iterable[ClaimRef]) -> bool:
        """True when the draft holds every figure of the bundle (a total, with no side, matches any side)."""
        for claim in bundle:
            if claim.to_side is None:
                if claim.value is not None and claim.value not in self.values:
                    return False
            elif (claim.to_side, claim.value) not in self.figures:
                return False
        return True
