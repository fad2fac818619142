"""Reconciling the figures for one direction of one event.

The rules, in the order they are tried (``docs/reconciliation.md`` says the
same for readers):

0. *An analyst's figure.* When an analyst has set the figure for a direction
   (``swapledger curate set``), it is the best one; the rule names who set it
   and why, and low and high still show what the reports say.
1. *The receiver's own count.* What a side received is best known by that
   side: when officials of the receiving side give a figure, the figure they
   give most often is the best one.
2. *The most-reported figure.* Otherwise the exact figure given by the most
   independent sources.
3. *The first report.* A tie goes to the figure published first.

Low and high are the smallest and largest exact figures; figures given only as
"more than" or "about" count when no exact figure is there.

Sources are counted independently: a report republished under another
masthead (a copy, see copies.py) counts with its original, once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from ..model import Flow
from .draft import SetFigure


class FigureRef(NamedTuple):
    """One figure for one direction, with who gave it where."""

    value: int
    qualifier: str
    document_id: str
    published: str | None
    speaker: str | None
    speaker_party: str | None
    source: str | None = None  # the independent source (a copy's original); the document itself if None

    @property
    def origin(self) -> str:
        return self.source or self.document_id


def reconcile(from_side: str | None, to_side: str | None, figures: Sequence[FigureRef]) -> Flow:
    """One flow from every figure reported for that direction."""
    exact = [f for f in figures if f.qualifier == "exact"] or list(figures)
    counts = sorted({f.value for f in exact})
    own = [f for f in exact if to_side is not None and f.speaker_party == to_side]
    if own:
        best = _most_reported(own)
        rule = "receiver's own count"
    else:
        best = _most_reported(exact)
        rule = "most-reported figure" if len(counts) > 1 else "single figure"
    if len(counts) > 1 and _tied(own or exact):
        rule += ", tie broken by the first report"
    return Flow(
        from_side=from_side,
        to_side=to_side,
        best=best,
        low=counts[0] if counts else None,
        high=counts[-1] if counts else None,
        n_sources=len({f.origin for f in figures}),
        rule=rule,
        figures=_said_by(figures),
    )


def analyst_flow(
    from_side: str | None, to_side: str | None, figures: Sequence[FigureRef], set_by: SetFigure
) -> Flow:
    """The flow when an analyst has set its figure: theirs is the best, the reports keep low and high."""
    exact = [f for f in figures if f.qualifier == "exact"] or list(figures)
    counts = sorted({f.value for f in exact})
    return Flow(
        from_side=from_side,
        to_side=to_side,
        best=set_by.count,
        low=counts[0] if counts else None,
        high=counts[-1] if counts else None,
        n_sources=len({f.origin for f in figures}),
        rule=f"set by analyst {set_by.who}: {set_by.why}",
        figures=_said_by(figures),
    )


def _said_by(figures: Sequence[FigureRef]) -> tuple[tuple[int, tuple[str, ...]], ...]:
    said_by: dict[int, list[str]] = defaultdict(list)
    for f in figures:
        label = f.speaker or "unattributed"
        if label not in said_by[f.value]:
            said_by[f.value].append(label)
    return tuple((c, tuple(said_by[c])) for c in sorted(said_by))


def _support(figures: Sequence[FigureRef]) -> dict[int, set[str]]:
    support: dict[int, set[str]] = defaultdict(set)
    for f in figures:
        support[f.value].add(f.origin)
    return support


def _most_reported(figures: Sequence[FigureRef]) -> int:
    support = _support(figures)
    first: dict[int, str] = {}
    for f in figures:
        key = f.published or "9999"
        if f.value not in first or key < first[f.value]:
            first[f.value] = key

    def order(count: int) -> tuple[int, str, int]:
        return (-len(support[count]), first[count], count)

    return min(support, key=order)


def _tied(figures: Sequence[FigureRef]) -> bool:
    sizes = sorted((len(v) for v in _support(figures).values()), reverse=True)
    return len(sizes) > 1 and sizes[0] == sizes[1]
