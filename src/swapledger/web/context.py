"""What the web app serves from: its options, the store, and short-lived copies of aggregates."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .. import conflicts
from ..conflicts import Conflict
from ..store import Store
from .limits import KeptResponses, RateLimiter

T = TypeVar("T")


@dataclass(frozen=True)
class WebOptions:
    """How the app runs: its database, conflict, and the limits it holds clients to."""

    db: str = "swapledger.db"
    conflict: str = "ru-ua"
    max_body_bytes: int = 1_000_000
    writes_per_minute: float = 30.0
    write_burst: int = 10
    # Aggregates (totals, the monthly chart, agreement progress) and whole answers to anonymous
    # GETs are computed at most this often; a write through this server refreshes them at once.
    cache_seconds: float = 10.0

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1024:
            raise ValueError(f"max_body_bytes: {self.max_body_bytes} is too small to carry a report")
        if self.cache_seconds < 0:
            raise ValueError("cache_seconds: cannot be negative")


class Ledger:
    """The store the app reads, its conflict's data, the write limiter and the aggregate cache."""

    def __init__(self, store: Store, options: WebOptions) -> None:
        self.store = store
        self.options = options
        self.conflict: Conflict = conflicts.load(options.conflict)
        self.sides: list[str] = [p.code for p in self.conflict.parties]
        self.writes = RateLimiter(options.writes_per_minute, options.write_burst)
        # Checking a report reads it and compares every claim: not a write, but not free either.
        self.checks = RateLimiter(options.writes_per_minute * 2, options.write_burst * 2)
        self._cache: dict[tuple[Any, ...], tuple[float, Any]] = {}
        # Whole answers to anonymous GETs, kept as long as the aggregates (limits.ResponseCache).
        self.responses = KeptResponses(options.cache_seconds)
        self._lock = threading.Lock()

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, remembered for ``cache_seconds`` under ``key``."""
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and now - hit[0] < self.options.cache_seconds:
            return hit[1]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._cache[key] = (now, value)
        return value

    def changed(self) -> None:
        """Forget every remembered aggregate (after a write)."""
        with self._lock:
            self._cache.clear()
        self.responses.clear()
