"""Cursor pagination: an opaque cursor that carries the last row's key (keyset paging).

A cursor is URL-safe base64 of a small JSON object: the list it belongs to,
the sort, and the key of the last row served. Paging by key rather than by
offset keeps every page as fast as the first on a ledger of millions of rows,
and rows added meanwhile neither repeat nor vanish.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import WebError

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def encode_cursor(kind: str, sort: str, key: Sequence[Any]) -> str:
    raw = json.dumps({"l": kind, "s": sort, "k": list(key)}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None, kind: str, sort: str, size: int) -> list[Any] | None:
    """The key a cursor carries, or None for the first page; WebError 400 if it is not one of ours."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
        key = data["k"]
        ok = data["l"] == kind and data["s"] == sort and isinstance(key, list) and len(key) == size
    except (binascii.Error, ValueError, UnicodeDecodeError, KeyError, TypeError):
        ok = False
    if not ok:
        raise WebError(400, f"cursor: {cursor[:40]!r} is not a cursor from this list (with this sort)")
    return list(key)


@dataclass(frozen=True)
class Page:
    """One page of a list and the cursor to the next, if there is one."""

    items: list[dict[str, Any]]
    next_cursor: str | None
    limit: int

    def record(self) -> dict[str, Any]:
        return {"items": self.items, "next_cursor": self.next_cursor, "limit": self.limit}


def page_of(
    rows: list[dict[str, Any]],
    limit: int,
    kind: str,
    sort: str,
    key: Callable[[dict[str, Any]], Sequence[Any]],
) -> Page:
    """A page from ``limit + 1`` rows fetched: the extra row only says that there is a next page."""
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor(kind, sort, key(rows[-1])) if more and rows else None
    return Page(rows, cursor, limit)


def page_in_memory(
    items: list[dict[str, Any]],
    limit: int,
    cursor: str | None,
    kind: str,
    key: Callable[[dict[str, Any]], list[Any]],
) -> Page:
    """Keyset paging over a short list computed whole (totals, agreements): same cursors, same rules."""
    after = decode_cursor(cursor, kind, "key", len(key(items[0])) if items else 1)
    ordered = sorted(items, key=lambda item: _sortable(key(item)))
    if after is not None:
        ordered = [item for item in ordered if _sortable(key(item)) > _sortable(after)]
    return page_of(ordered[: limit + 1], limit, kind, "key", key)


def _sortable(key: Sequence[Any]) -> tuple[tuple[int, Any], ...]:
    # None sorts first and never meets a value in a comparison.
    return tuple((0, "") if v is None else (1, v) for v in key)
