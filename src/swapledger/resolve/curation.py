"""Analysts' decisions: merge, split, reject, set, and revoking one of them.

Decisions are an append-only audit log (the `curation` table). They are
applied by pure functions every time events are built, after grouping, so a
decision survives every rebuild; a decision whose target no longer exists is
reported as a Problem, never dropped in silence.

============  =======================  =================================================
action        target                   payload
============  =======================  =================================================
``merge``     the event that remains   ``{"events": [other event ids]}``
``split``     the event to split       ``{"claims": [claim ids that form a new event]}``
``reject``    a claim id               ``{}`` (the claim is left out of every event)
``set``       an event                 ``{"to": side, "count": N}`` (the analyst's figure)
``revoke``    a decision id            ``{}`` (that decision no longer applies)
============  =======================  =================================================

A split's new event is named ``{event id}-split{decision id}``, so its id is as
stable as the decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import OptionError
from .draft import Draft, SetFigure

ACTIONS: tuple[str, ...] = ("merge", "split", "reject", "set", "revoke")
_EVENT_DATE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)-([a-z]+)")


@dataclass(frozen=True)
class Decision:
    """One analyst's decision, as stored: who, why, and when; ``revoked_by`` once withdrawn."""

    id: int
    action: str
    target: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    who: str = ""
    why: str = ""
    created_at: str = ""
    revoked_by: int | None = None

    @property
    def active(self) -> bool:
        """True for a merge, split, reject or set that has not been revoked."""
        return self.action != "revoke" and self.revoked_by is None

    def event_ids(self) -> tuple[str, ...]:
        """The events the decision names."""
        if self.action == "merge":
            return (self.target, *(str(e) for e in self.payload.get("events", ())))
        if self.action in ("split", "set"):
            return (self.target,)
        return ()

    def claim_ids(self) -> tuple[int, ...]:
        """The claims the decision names."""
        if self.action == "reject":
            return (int(self.target),)
        if self.action == "split":
            return tuple(int(c) for c in self.payload.get("claims", ()))
        return ()

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action,
            "target": self.target,
            "payload": dict(self.payload),
            "who": self.who,
            "why": self.why,
            "created_at": self.created_at,
            "revoked_by": self.revoked_by,
        }


@dataclass(frozen=True)
class Problem:
    """A decision that could not be applied, and why (its target is gone, say)."""

    decision_id: int
    reason: str

    def record(self) -> dict[str, Any]:
        return {"decision": self.decision_id, "reason": self.reason}


def validate(action: str, target: str, payload: Mapping[str, Any], who: str, why: str) -> dict[str, Any]:
    """Check a decision before it is stored; its payload, normalised, or OptionError naming the problem."""
    if action not in ACTIONS:
        raise OptionError("action", f"{action!r} is not one of {', '.join(ACTIONS)}")
    if not who.strip():
        raise OptionError("who", "say who decides (a name or handle)")
    if not why.strip():
        raise OptionError("why", "say why, so that readers of the log can judge the decision")
    if action in ("merge", "split", "set") and not event_date(target):
        raise OptionError("event", f"{target!r} is not an event id (such as 2025-12-19-bodies)")
    if action in ("reject", "revoke") and not target.isdigit():
        raise OptionError("id", f"{target!r} is not a number")
    if action == "merge":
        others = [str(e) for e in payload.get("events", ())]
        if not others:
            raise OptionError("events", "a merge needs at least two events")
        for other in others:
            if not event_date(other):
                raise OptionError("event", f"{other!r} is not an event id (such as 2025-12-19-bodies)")
        if target in others or len(set(others)) != len(others):
            raise OptionError("events", "a merge names each event once")
        return {"events": others}
    if action == "split":
        claims = payload.get("claims", ())
        try:
            ids = sorted({int(c) for c in claims})
        except (TypeError, ValueError):
            raise OptionError("claims", f"{claims!r} is not a list of claim ids") from None
        if not ids:
            raise OptionError("claims", "a split names the claims that form the new event")
        return {"claims": ids}
    if action == "set":
        to_side, count = payload.get("to"), payload.get("count")
        if not isinstance(to_side, str) or not to_side:
            raise OptionError("to", "name the side that received (such as UA)")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise OptionError("count", f"{count!r} is not a count (a whole number, 0 or more)")
        return {"to": to_side, "count": count}
    return {}


def event_date(event_id: str) -> str | None:
    """The date an event id begins with (``2025-12-19-bodies`` -> ``2025-12-19``), or None."""
    found = _EVENT_DATE.match(event_id)
    return found.group(1) if found else None


def active(decisions: Iterable[Decision]) -> list[Decision]:
    """The decisions that apply, oldest first."""
    return sorted((d for d in decisions if d.active), key=lambda d: d.id)


def rejected(decisions: Iterable[Decision]) -> dict[int, Decision]:
    """Claim id -> the decision that rejects it."""
    return {cid: d for d in active(decisions) if d.action == "reject" for cid in d.claim_ids()}


def apply(drafts: dict[str, Draft], decisions: Sequence[Decision]) -> list[Problem]:
    """Apply merges, splits and analysts' figures to drafted events, in the order decided.

    ``drafts`` is changed in place; decisions whose targets are missing are
    returned as problems. Rejections are applied before grouping (see
    :func:`rejected`) and are not handled here.
    """
    problems: list[Problem] = []
    for decision in active(decisions):
        if decision.action == "merge":
            problem = _merge(drafts, decision)
        elif decision.action == "split":
            problem = _split(drafts, decision)
        elif decision.action == "set":
            problem = _set(drafts, decision)
        else:
            continue
        if problem:
            problems.append(Problem(decision.id, problem))
    return problems


def _by(decision: Decision) -> str:
    return f"decision {decision.id} by {decision.who}: {decision.why}"


def _missing(drafts: Mapping[str, Draft], ids: Iterable[str]) -> str | None:
    gone = [i for i in ids if i not in drafts]
    if not gone:
        return None
    return (
        f"event{'s' if len(gone) > 1 else ''} {', '.join(gone)} no longer exist{'' if len(gone) > 1 else 's'}"
    )


def _merge(drafts: dict[str, Draft], decision: Decision) -> str | None:
    ids = decision.event_ids()
    problem = _missing(drafts, ids)
    if problem:
        return problem
    keep = drafts[decision.target]
    for other_id in ids[1:]:
        other = drafts.pop(other_id)
        keep.add(other.claims, match_on=False)
        keep.notes.extend(other.notes)
        keep.analyst.update(other.analyst)
        keep.notes.append(f"merged with {other_id} ({_by(decision)})")
    return None


def _split(drafts: dict[str, Draft], decision: Decision) -> str | None:
    problem = _missing(drafts, [decision.target])
    if problem:
        return problem
    source = drafts[decision.target]
    wanted = set(decision.claim_ids())
    have = {c.id for c in source.claims}
    if not wanted <= have:
        absent = ", ".join(str(c) for c in sorted(wanted - have))
        return f"claims {absent} are not in event {decision.target}"
    if wanted == have:
        return f"the split names every claim of event {decision.target}: nothing would be left"
    new_id = f"{decision.target}-split{decision.id}"
    part = Draft(new_id, source.category, source.date)
    part.add([c for c in source.claims if c.id in wanted], match_on=False)
    part.notes.append(f"split from {decision.target} ({_by(decision)})")
    source.claims = [c for c in source.claims if c.id not in wanted]
    source.notes.append(f"claims {', '.join(str(c) for c in sorted(wanted))} split off into {new_id}")
    drafts[new_id] = part
    return None


def _set(drafts: dict[str, Draft], decision: Decision) -> str | None:
    problem = _missing(drafts, [decision.target])
    if problem:
        return problem
    to_side, count = str(decision.payload["to"]), int(decision.payload["count"])
    drafts[decision.target].analyst[to_side] = SetFigure(to_side, count, decision.who, decision.why)
    return None
