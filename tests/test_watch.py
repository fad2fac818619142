"""Watching feeds: conditional polls, new items only, back-off, retries, and the `watch` command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from swapledger.cli import cli
from swapledger.errors import OptionError
from swapledger.model import Document
from swapledger.store import Store
from swapledger.store.database import FeedItemRecord, FeedState
from swapledger.watch import CycleReport, Watcher, WatchOptions, parse_interval

from .test_feeds import BILLION_LAUGHS, NOT_XML, report_item, rss, rss_item
from .test_web import BODIES_FEB, BODIES_JAN, FAST, POWS_FEB, POWS_MAR, LocalServer, serving

OPTIONS = WatchOptions(every=60.0, host_delay=0.0, fetch=FAST)
JAN = "Thu, 29 Jan 2026 09:30:00 +0200"
FEB = "Thu, 05 Feb 2026 19:00:00 +0200"
MAR = "Thu, 05 Mar 2026 18:00:00 +0200"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serving() as local:
        yield local


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Store]:
    """A SQLite ledger, for the tests of polling itself (the store tests run on PostgreSQL too)."""
    with Store(str(tmp_path / "ledger.db")) as store:
        yield store


def serve_feed(server: LocalServer, etag: str, *items: str, path: str = "/feed.rss") -> str:
    """(Re)publish the feed at ``path`` under a new ETag and Last-Modified date."""
    stamp = 1_770_000_000 + int(etag.strip('"v')) * 3600
    return server.add(
        path, rss("Kyiv Test Wire", items), "application/rss+xml", etag=etag, last_modified=stamp
    )


def test_parse_interval() -> None:
    assert [parse_interval(t) for t in ("30s", "15m", "1h", "1h30m", " 2 m ", "1d", "0.5s")] == [
        30,
        900,
        3600,
        5400,
        120,
        86_400,
        0.5,
    ]
    for bad in ("", "15", "fast", "1x", "m", "15m!"):
        with pytest.raises(OptionError, match="write it as 30s, 15m or 1h") as caught:
            parse_interval(bad, "--every")
        assert caught.value.option == "--every"


def test_options_are_checked(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="every"):
        WatchOptions(every=0)
    with pytest.raises(OptionError, match="workers"):
        WatchOptions(workers=0)
    with Store(str(tmp_path / "ledger.db")) as store, pytest.raises(OptionError, match="not an http"):
        Watcher(store, ["feeds/wire.rss"])


def test_feed_state_is_stored(store: Store) -> None:
    url = "https://wire.example/feed.rss"
    assert store.feed_states([url, url]) == [FeedState(url)]
    items = [FeedItemRecord(url, "g1", "https://wire.example/1", "One", "2026-01-29", "<p>text</p>")]
    state = FeedState(url, title="Wire", etag='"abc"', last_modified="Thu, 29 Jan 2026 10:00:00 GMT")
    assert store.save_feed_poll(state, items) == 1
    more = [*items, FeedItemRecord(url, "g2", "https://wire.example/2")]
    assert store.save_feed_poll(state, more) == 1  # g1 is known already
    assert store.feed_states([url]) == [state]
    assert [i.key for i in store.pending_feed_items([url])] == ["g1", "g2"]
    document = Document(text="Ukraine received 1,000 bodies.", source="https://wire.example/1")
    store.add_document(document, [], "test")
    done = dataclasses.replace(items[0], status="done", attempts=1, document_id=document.id)
    store.update_feed_item(done)
    failed = dataclasses.replace(more[1], status="failed", attempts=1, last_error="404")
    store.update_feed_item(failed)
    assert [i.key for i in store.pending_feed_items([url])] == ["g2"]
    recorded = {i.key: i for i in store.feed_items(url)}
    assert recorded["g1"] == dataclasses.replace(done, content=None)  # the text is let go once done
    assert recorded["g2"] == failed
    backing_off = dataclasses.replace(state, failures=2, retry_at="2026-01-29T12:00:00+00:00", last_error="x")
    store.save_feed_poll(backing_off)
    assert store.feed_states([url]) == [backing_off]


def test_new_items_are_ingested_once_then_the_feed_is_not_modified(store: Store, server: LocalServer) -> None:
    url = serve_feed(server, '"v1"', report_item(server, BODIES_JAN, JAN), report_item(server, POWS_FEB, FEB))
    with Watcher(store, [url], OPTIONS) as watcher:
        first = watcher.poll_once()
        assert (first.polled, first.changed, first.new_items, first.items_read) == (1, 1, 2, 2)
        assert (first.ingest.new, first.failed, first.exit_code) == (2, [], 0)
        assert first.events is not None and first.events >= 2
        second = watcher.poll_once()
    assert (second.polled, second.not_modified, second.new_items, second.items_read) == (1, 1, 0, 0)
    assert second.events is None and "events unchanged" in second.line()
    conditional = server.hits("/feed.rss")[1].headers
    assert conditional["if-none-match"] == '"v1"' and conditional["if-modified-since"]
    assert len(server.hits(BODIES_JAN.path)) == 1 and len(server.hits(POWS_FEB.path)) == 1
    stored = store.execute_sql("SELECT url, published FROM documents ORDER BY published")
    assert stored == [(server.url(BODIES_JAN.path), "2026-01-29"), (server.url(POWS_FEB.path), "2026-02-05")]


def test_a_changed_feed_gives_only_its_new_items(ledger: Store, server: LocalServer) -> None:
    old = [report_item(server, BODIES_JAN, JAN), report_item(server, POWS_FEB, FEB)]
    url = serve_feed(server, '"v1"', *old)
    with Watcher(ledger, [url], OPTIONS) as watcher:
        watcher.poll_once()
        serve_feed(server, '"v2"', report_item(server, POWS_MAR, MAR), *old)
        report = watcher.poll_once()
    assert (report.changed, report.new_items, report.ingest.new) == (1, 1, 1)
    assert len(server.hits(POWS_MAR.path)) == 1 and len(server.hits(BODIES_JAN.path)) == 1
    assert server.hits("/feed.rss")[1].headers["if-none-match"] == '"v1"'


def test_a_failing_feed_backs_off_and_the_back_off_is_remembered(store: Store, server: LocalServer) -> None:
    url = server.add("/down.rss", "<h1>Internal error</h1>", status=500)
    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with Watcher(store, [url], OPTIONS) as watcher:
        first = watcher.poll_once(now)
    assert first.exit_code == 2 and len(first.failed_feeds) == 1
    assert "500 Internal Server Error" in first.failed[0][1] and "first failure" in first.failed[0][1]
    state = store.feed_states([url])[0]
    assert (state.failures, state.retry_at) == (1, "2026-03-01T12:02:00+00:00")  # every × 2
    with Watcher(store, [url], OPTIONS) as later:  # a new process, as with cron and --once
        skipped = later.poll_once(now + dt.timedelta(seconds=90))
        assert (skipped.polled, skipped.backing_off) == (0, [(url, state.retry_at)])
        assert len(server.hits("/down.rss")) == 1
        again = later.poll_once(now + dt.timedelta(seconds=121))
        assert "2 failures in a row" in again.failed[0][1]
        assert store.feed_states([url])[0].retry_at == "2026-03-01T12:06:01+00:00"  # every × 4
        serve_feed(server, '"v1"', report_item(server, BODIES_JAN, JAN), path="/down.rss")
        recovered = later.poll_once(now + dt.timedelta(hours=1))
    assert (recovered.changed, recovered.ingest.new, recovered.exit_code) == (1, 1, 0)
    assert store.feed_states([url])[0].failures == 0


def test_retry_after_is_honoured(ledger: Store, server: LocalServer) -> None:
    url = server.add("/busy.rss", "slow down", status=429, headers={"Retry-After": "3600"})
    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with Watcher(ledger, [url], OPTIONS) as watcher:
        watcher.poll_once(now)
    assert ledger.feed_states([url])[0].retry_at == "2026-03-01T13:00:00+00:00"


def test_bad_items_are_retried_then_given_up(ledger: Store, server: LocalServer) -> None:
    url = serve_feed(
        server,
        '"v1"',
        report_item(server, BODIES_JAN, JAN),
        rss_item(server.url("/later.html"), "Not there yet", FEB),
        rss_item(server.url("/never.html"), "Never there", MAR),
    )
    with Watcher(ledger, [url], dataclasses.replace(OPTIONS, max_attempts=2)) as watcher:
        first = watcher.poll_once()
        assert (first.ingest.new, first.exit_code) == (1, 1)
        assert [(source, "attempt 1 of 2" in reason) for source, reason in first.failed_items] == [
            (server.url("/later.html"), True),
            (server.url("/never.html"), True),
        ]
        server.report(dataclasses.replace(BODIES_FEB, path="/later.html"))
        second = watcher.poll_once()  # the feed answers 304; the failed items are tried again
        assert (second.not_modified, second.items_read, second.ingest.new) == (1, 2, 1)
        assert second.failed_items == [
            (
                server.url("/never.html"),
                "the server answered 404 Not Found (check the address) (given up after 2 attempts)",
            )
        ]
        third = watcher.poll_once()
    assert (third.items_read, third.failed) == (0, [])
    assert len(server.hits("/never.html")) == 2
    statuses = {i.link: (i.status, i.attempts) for i in ledger.feed_items(url)}
    assert statuses[server.url("/later.html")] == ("done", 2)
    assert statuses[server.url("/never.html")] == ("given_up", 2)


def test_bad_feeds_do_not_stop_the_good_one(ledger: Store, server: LocalServer) -> None:
    good = serve_feed(server, '"v1"', report_item(server, BODIES_JAN, JAN))
    laughs = server.add("/laughs.rss", BILLION_LAUGHS, "application/rss+xml")
    broken = server.add("/broken.rss", NOT_XML, "application/rss+xml")
    hangs = server.url("/hang")
    with Watcher(ledger, [laughs, good, broken, hangs], OPTIONS) as watcher:
        report = watcher.poll_once()
    assert (report.polled, report.changed, report.ingest.new, report.exit_code) == (4, 1, 1, 1)
    reasons = dict(report.failed_feeds)
    assert "declares the XML entity 'lol'" in reasons[laughs]
    assert "is not XML" in reasons[broken]
    assert "read timeout" in reasons[hangs]


def test_requests_to_one_host_are_spaced(ledger: Store, server: LocalServer) -> None:
    url = serve_feed(server, '"v1"', report_item(server, BODIES_JAN, JAN), report_item(server, POWS_FEB, FEB))
    with Watcher(ledger, [url], dataclasses.replace(OPTIONS, host_delay=0.2)) as watcher:
        watcher.poll_once()
    times = sorted(s.at for s in server.seen)
    assert len(times) == 3
    assert all(b - a >= 0.19 for a, b in itertools.pairwise(times))


def test_run_polls_until_stopped(ledger: Store, server: LocalServer) -> None:
    url = serve_feed(server, '"v1"', report_item(server, BODIES_JAN, JAN))
    reports: list[CycleReport] = []
    stop = threading.Event()

    def on_cycle(report: CycleReport) -> None:
        reports.append(report)
        if len(reports) == 2:
            stop.set()

    with Watcher(ledger, [url], dataclasses.replace(OPTIONS, every=0.05)) as watcher:
        watcher.run(on_cycle, stop)
    assert [(r.changed, r.not_modified) for r in reports] == [(1, 0), (0, 1)]


def test_cli_watch_once(runner: CliRunner, server: LocalServer, db_path: str) -> None:
    url = serve_feed(server, '"v1"', report_item(server, BODIES_JAN, JAN), report_item(server, POWS_FEB, FEB))
    args = ["watch", url, "--once", "--delay", "0s", "--db", db_path]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert (
        "1 of 1 feeds polled (0 not modified, 1 changed, 0 failed, 0 backing off); 2 new items"
        in first.output
    )
    assert "2 new, 0 duplicate, 0 failed documents" in first.output
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert "(1 not modified, 0 changed" in second.output and "events unchanged" in second.output
    assert server.hits("/feed.rss")[1].headers["if-none-match"] == '"v1"'
    events = runner.invoke(cli, ["events", "--db", db_path, "--format", "csv"])
    assert "2026-01-29-bodies" in events.output and "2026-02-05-pows" in events.output


def test_cli_watch_failures_and_bad_arguments(runner: CliRunner, server: LocalServer, db_path: str) -> None:
    down = server.add("/down.rss", "<h1>Internal error</h1>", status=500)
    failed = runner.invoke(cli, ["watch", down, "--once", "--db", db_path])
    assert failed.exit_code == 2
    assert f"failed: {down}: the server answered 500 Internal Server Error" in failed.output
    not_url = runner.invoke(cli, ["watch", "feeds/wire.rss", "--once", "--db", db_path])
    assert not_url.exit_code == 2 and "not an http or https URL" in not_url.output
    bad_every = runner.invoke(cli, ["watch", down, "--every", "15", "--db", db_path])
    assert bad_every.exit_code == 2 and "'15' is not an interval" in bad_every.output
