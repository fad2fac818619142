"""Watching feeds: polite polling, and each new item's page ingested as it appears.

One cycle (``Watcher.poll_once``):

1. Every feed that is due is fetched with the ETag and Last-Modified it last
   sent (a conditional request), within the limits of ``sources.web`` (timeouts,
   a deadline, the size limit), and never sooner than ``host_delay`` seconds
   after the previous request to the same host.

   - 304 Not Modified: nothing else to do.
   - 200: the feed is parsed; its items not seen before (keyed by guid, else
     link) are recorded as pending and the new validators saved, in one
     transaction, so a crash afterwards loses nothing: pending items are read
     by the next cycle even when the feed then answers 304.
   - an error: the feed backs off, ``every × 2^failures`` seconds (capped at
     ``max_backoff``, longer if the server sent Retry-After). The back-off is
     kept in the database, so a cron job running ``--once`` backs off too.

2. Every pending item (and every failed one not yet given up) is read: its page
   fetched, or the feed's full text if the page cannot be read (see
   ``sources.feeds``), then extracted and stored by ``ingest_document`` (one
   transaction per document), then marked done. A failure is recorded with its
   reason and tried again next cycle, up to ``max_attempts`` times.

3. The events are rebuilt when a new document came in (in this cycle, or in
   one that was stopped before it could rebuild them).

Fetches run in a few threads (``workers``), one host at a time per thread, so
a slow host does not hold up the others; extraction and every write to the
database happen in the calling thread (one writer).
"""

from __future__ import annotations

import datetime as dt
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar
from urllib.parse import urlsplit

from .errors import FetchError, OptionError, SourceError, StoreError, SwapledgerError
from .ingest import IngestOptions, IngestReport, bring_up_to_date, ingest_document
from .model import Document
from .sources import feeds, web
from .store import Store
from .store.database import FeedItemRecord, FeedState

J = TypeVar("J")
R = TypeVar("R")

_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86_400.0}
_INTERVAL_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


def parse_interval(text: str, option: str = "--every") -> float:
    """Seconds in an interval written as 30s, 15m, 1h, 1d or a sum such as 1h30m."""
    compact = text.strip().lower().replace(" ", "")
    parts = _INTERVAL_PART.findall(compact)
    if not compact or "".join(number + unit for number, unit in parts) != compact:
        raise OptionError(option, f"{text!r} is not an interval; write it as 30s, 15m or 1h")
    return sum(float(number) * _UNITS[unit] for number, unit in parts)


@dataclass(frozen=True)
class WatchOptions:
    """How to watch: how often and how politely (seconds), and how to fetch and ingest."""

    every: float = 900.0
    host_delay: float = 1.0
    max_backoff: float = 86_400.0
    max_attempts: int = 3
    workers: int = 4
    fetch: web.FetchOptions = field(default_factory=web.FetchOptions)
    ingest: IngestOptions = field(default_factory=IngestOptions)

    def __post_init__(self) -> None:
        if not self.every > 0:
            raise OptionError("every", f"{self.every!r} is not a positive number of seconds")
        if not self.host_delay >= 0:
            raise OptionError("host_delay", f"{self.host_delay!r} is not a number of seconds >= 0")
        if not self.max_backoff >= self.every:
            raise OptionError("max_backoff", f"{self.max_backoff!r} must be at least every ({self.every!r})")
        if self.max_attempts < 1:
            raise OptionError("max_attempts", f"{self.max_attempts!r} must be at least 1")
        if self.workers < 1:
            raise OptionError("workers", f"{self.workers!r} must be at least 1")


@dataclass
class CycleReport:
    """What one poll cycle did: feeds polled and how they answered, items read, documents stored."""

    started_at: str
    feeds: int = 0
    polled: int = 0
    not_modified: int = 0
    changed: int = 0
    backing_off: list[tuple[str, str]] = field(default_factory=list)  # (feed, not before)
    new_items: int = 0
    items_read: int = 0
    ingest: IngestReport = field(default_factory=IngestReport)
    failed_feeds: list[tuple[str, str]] = field(default_factory=list)
    failed_items: list[tuple[str, str]] = field(default_factory=list)
    events: int | None = None  # None when nothing new came in and events were left as they were
    seconds: float = 0.0

    @property
    def failed(self) -> list[tuple[str, str]]:
        """Every failure of the cycle, feeds first: (feed or item URL, reason)."""
        return self.failed_feeds + self.failed_items

    @property
    def exit_code(self) -> int:
        """0 all good, 1 some feeds or items failed, 2 all of them failed."""
        if not self.failed:
            return 0
        return 2 if len(self.failed) >= self.polled + self.items_read else 1

    def line(self) -> str:
        """The cycle in one line."""
        events = "events unchanged" if self.events is None else f"{self.events} events in the ledger"
        return (
            f"{self.started_at} {self.polled} of {self.feeds} feeds polled "
            f"({self.not_modified} not modified, {self.changed} changed, {len(self.failed_feeds)} failed, "
            f"{len(self.backing_off)} backing off); {self.new_items} new items; "
            f"{self.ingest.new} new, {self.ingest.duplicate} duplicate, {len(self.failed_items)} failed "
            f"documents; {self.ingest.claims} claims; {events}"
        )


class Watcher:
    """Polls feeds into a store: one cycle per ``poll_once``, or ``run`` until stopped."""

    def __init__(self, store: Store, feed_urls: Sequence[str], options: WatchOptions | None = None) -> None:
        for url in feed_urls:
            if not web.is_url(url):
                raise OptionError(
                    "FEED",
                    f"{url!r} is not an http or https URL; to read a feed file once, "
                    "use `swapledger ingest FILE`",
                )
        self.store = store
        self.feeds = list(dict.fromkeys(feed_urls))
        self.options = options or WatchOptions()
        self._throttle = _Throttle(self.options.host_delay)
        self._client = web.new_client(self.options.fetch)
        self._titles: dict[str, str | None] = {}

    def close(self) -> None:
        """Let go of the HTTP client (the store stays open: it is the caller's)."""
        self._client.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def poll_once(self, now: dt.datetime | None = None) -> CycleReport:
        """One cycle: poll the feeds that are due at ``now`` (default: now), read their new items, ingest."""
        started = time.perf_counter()
        now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        report = CycleReport(started_at=_iso(now), feeds=len(self.feeds))
        due: list[FeedState] = []
        for state in self.store.feed_states(self.feeds):
            self._titles.setdefault(state.url, state.title)
            if state.retry_at and dt.datetime.fromisoformat(state.retry_at) > now:
                report.backing_off.append((state.url, state.retry_at))
            else:
                due.append(state)
        for state, polled in self._fan_out(due, lambda s: s.url, self._poll_feed):
            report.polled += 1
            self._settle_feed(state, polled, now, report)
        pending = self.store.pending_feed_items(self.feeds)
        for record, document in self._fan_out(pending, lambda r: r.link, self._read_item):
            report.items_read += 1
            self._settle_item(record, document, report)
        # Stale events too: a cycle stopped after storing documents left them so.
        if report.ingest.new or self.store.events_stale():
            started_resolve = time.perf_counter()
            bring_up_to_date(self.store, self.options.ingest.extract.conflict)
            report.events = self.store.count_events()
            report.ingest.seconds["resolve"] += time.perf_counter() - started_resolve
        report.seconds = time.perf_counter() - started
        return report

    def run(self, on_cycle: Callable[[CycleReport], None], stop: threading.Event | None = None) -> None:
        """Poll one cycle every ``every`` seconds, calling ``on_cycle`` after each, until ``stop`` is set."""
        stop = stop or threading.Event()
        while not stop.is_set():
            started = time.monotonic()
            on_cycle(self.poll_once())
            stop.wait(max(0.0, self.options.every - (time.monotonic() - started)))

    # -- feeds ---------------------------------------------------------------

    def _poll_feed(self, state: FeedState) -> tuple[web.Response, feeds.Feed | None]:
        response = web.fetch(
            state.url,
            self.options.ingest.read,
            self.options.fetch,
            etag=state.etag,
            last_modified=state.last_modified,
            client=self._client,
        )
        if response.not_modified:
            return response, None
        return response, feeds.parse_feed(response.body, state.url, base_url=response.url)

    def _settle_feed(
        self,
        state: FeedState,
        polled: tuple[web.Response, feeds.Feed | None] | SourceError,
        now: dt.datetime,
        report: CycleReport,
    ) -> None:
        if isinstance(polled, SourceError):
            failures = state.failures + 1
            wait = min(self.options.max_backoff, self.options.every * 2**failures)
            if isinstance(polled, FetchError) and polled.retry_after:
                wait = max(wait, polled.retry_after)  # the server's own wish, when it said one
            retry_at = _iso(now + dt.timedelta(seconds=wait))
            self.store.save_feed_poll(
                replace(
                    state,
                    failures=failures,
                    retry_at=retry_at,
                    last_error=polled.problem,
                    last_polled_at=_iso(now),
                )
            )
            in_a_row = "first failure" if failures == 1 else f"{failures} failures in a row"
            note = f"{in_a_row}; next try after {retry_at}"
            report.failed_feeds.append((state.url, f"{polled.problem} ({note})"))
            return
        response, feed = polled
        ok = replace(state, failures=0, retry_at=None, last_error=None, last_polled_at=_iso(now))
        if feed is None:
            report.not_modified += 1
            self.store.save_feed_poll(ok)
            return
        self._titles[state.url] = feed.title or state.title
        items = [
            FeedItemRecord(state.url, item.key, item.link, item.title, item.published, item.content)
            for item in feed.items
        ]
        report.changed += 1
        report.new_items += self.store.save_feed_poll(
            replace(
                ok,
                title=feed.title or state.title,
                etag=response.etag,
                last_modified=response.last_modified,
                last_changed_at=_iso(now),
            ),
            items,
        )

    # -- items ---------------------------------------------------------------

    def _read_item(self, record: FeedItemRecord) -> Document:
        item = feeds.FeedItem(
            key=record.key,
            link=record.link,
            title=record.title,
            published=record.published,
            summary=None,
            content=record.content,
        )
        return feeds.item_document(
            item,
            self.options.ingest.read,
            self.options.fetch,
            feed_title=self._titles.get(record.feed_url),
            client=self._client,
        )

    def _settle_item(self, record: FeedItemRecord, read: Document | SourceError, report: CycleReport) -> None:
        if isinstance(read, SourceError):
            self._item_failed(record, read.source, read.problem, report)
            return
        try:
            ingest_document(self.store, read, self.options.ingest, report.ingest)
        except StoreError:
            raise
        except Exception as exc:  # one bad document never stops a cycle
            reason = str(getattr(exc, "problem", exc)) if isinstance(exc, SwapledgerError) else repr(exc)
            self._item_failed(record, read.source, f"could not be extracted or stored: {reason}", report)
            return
        self.store.update_feed_item(
            replace(record, status="done", attempts=record.attempts + 1, last_error=None, document_id=read.id)
        )

    def _item_failed(self, record: FeedItemRecord, source: str, problem: str, report: CycleReport) -> None:
        attempts = record.attempts + 1
        given_up = attempts >= self.options.max_attempts
        self.store.update_feed_item(
            replace(
                record, status="given_up" if given_up else "failed", attempts=attempts, last_error=problem
            )
        )
        if given_up:
            note = f"given up after {attempts} attempts" if attempts > 1 else "given up"
        else:
            note = f"attempt {attempts} of {self.options.max_attempts}; tried again next cycle"
        report.failed_items.append((source, f"{problem} ({note})"))

    # -- fetching in a few threads ------------------------------------------

    def _fan_out(
        self, jobs: Sequence[J], url_of: Callable[[J], str | None], work: Callable[[J], R]
    ) -> Iterator[tuple[J, R | SourceError]]:
        """``work`` on every job in a few threads, one host per thread at a time; results as they come."""
        if not jobs:
            return
        groups: dict[str, list[J]] = {}
        for job in jobs:
            groups.setdefault(_host(url_of(job)), []).append(job)
        todo: queue.SimpleQueue[list[J]] = queue.SimpleQueue()
        for group in groups.values():
            todo.put(group)
        # Bounded, so that pages fetched faster than they are extracted wait in the fetchers.
        done: queue.Queue[tuple[J, R | SourceError]] = queue.Queue(maxsize=4 * self.options.workers)
        stop = threading.Event()

        def fetcher() -> None:
            while not stop.is_set():
                try:
                    group = todo.get_nowait()
                except queue.Empty:
                    return
                for job in group:
                    if stop.is_set():
                        return
                    result = self._attempt(job, url_of, work)
                    while not stop.is_set():
                        try:
                            done.put((job, result), timeout=0.2)
                            break
                        except queue.Full:
                            continue

        # Daemon threads: Ctrl-C must not wait for a fetch to reach its deadline.
        threads = [
            threading.Thread(target=fetcher, name="swapledger-watch", daemon=True)
            for _ in range(min(self.options.workers, len(groups)))
        ]
        for thread in threads:
            thread.start()
        try:
            for _ in jobs:
                yield _next_result(done, threads)
        finally:
            stop.set()

    def _attempt(self, job: J, url_of: Callable[[J], str | None], work: Callable[[J], R]) -> R | SourceError:
        url = url_of(job)
        if url:
            self._throttle.wait(url)
        try:
            return work(job)
        except SourceError as exc:
            return exc
        except Exception as exc:  # a reader that breaks fails its feed or item, not the cycle
            return SourceError(url or "?", f"unexpected error while reading it: {type(exc).__name__}: {exc}")


def _next_result(done: queue.Queue[tuple[J, R]], threads: list[threading.Thread]) -> tuple[J, R]:
    while True:
        try:
            return done.get(timeout=0.5)
        except queue.Empty:
            if not any(thread.is_alive() for thread in threads) and done.empty():
                raise RuntimeError("the fetching threads stopped before every job was done") from None


class _Throttle:
    """Spaces requests to one host at least ``delay`` seconds apart, across threads and cycles."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str) -> None:
        if self.delay <= 0:
            return
        host = _host(url)
        with self._lock:  # reserve a slot, then sleep outside the lock
            now = time.monotonic()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.delay
        if slot > now:
            time.sleep(slot - now)


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")
