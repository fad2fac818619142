"""Reconciling the figures for one direction of one event.

The rules, in the order they are tried (``docs/reconciliation.md`` says the
same for readers):

1. *The receiver's own count.* What a side received is best known by that
   side: when officials of the receiving side give a figure, the figure they
   give most often is the best one.
2. *The most-reported figure.* Otherwise the exact figure given by the most
   documents.
3. *The first report.* A tie goes to the figure published first.

Low and high are the smallest and largest exact figures; figures given only as
"more than" or "about" count when no exact figure is there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from ..model import Flow


class FigureRef(NamedTuple):
    value: int
    qualifier: str
    document_id: str
    published: str | None
    speaker: str | None
    speaker_party: str | None


def reconcile(from_side: str | None, to_side: str | None, figures: Sequence[FigureRef]) -> Flow:
    """One flow from every figure reported for that direction."""
    exact = [f for f in figures if f.qualifier == "exact"] or list(figures)
    counts = sorted({f.value for f in exact})
    n_sources = len({f.document_id for f in figures})
    said_by: dict[int, list[str]] = defaultdict(list)
    for f in figures:
        label = f.speaker or "unattributed"
        if label not in said_by[f.value]:
            said_by[f.value].append(label)
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
        n_sources=n_sources,
        rule=rule,
        figures=tuple((c, tuple(said_by[c])) for c in sorted(said_by)),
    )


def _support(figures: Sequence[FigureRef]) -> dict[int, set[str]]:
    support: dict[int, set[str]] = defaultdict(set)
    for f in figures:
        support[f.value].add(f.document_id)
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
