"""Watch benchmark: CPU time of one poll cycle over many feeds, mostly answering 304 Not Modified.

    .venv/bin/python benchmarks/watch.py [--feeds 200] [--changed 5] [--items 2] [--workers 4]

A local HTTP server, in its own process so that its CPU time is not counted,
serves ``--feeds`` RSS feeds of ``--items`` items each, with ETags and
Last-Modified dates, and an article page per item. The watcher first reads
every feed (the first cycle, every item new), then ``--changed`` feeds publish
one new item each and a second cycle runs: the rest answer 304. A third cycle
finds nothing new at all. CPU is measured with time.process_time in the
watcher's process (every thread of it: fetchers, extraction, SQLite). The
per-host delay is 0 because every feed is on one local host; in real use
it adds waiting, not CPU.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from swapledger.store import Store
from swapledger.watch import CycleReport, Watcher, WatchOptions

CYCLE = 15 * 60  # the target: polling every feed every 15 minutes
START = dt.date(2026, 1, 1)

EXCHANGE = (
    "Ukraine received the bodies of {a:,} soldiers on {weekday}, and {b} were handed over to Russia, "
    "the Coordination Headquarters said. The Red Cross took part in the repatriation."
)
UNRELATED = (
    "Air defence units shot down {a} of {b} drones launched overnight, the air force said.",
    "Power was cut to {a} homes after a strike on a substation, the grid operator reported.",
    "Railway traffic resumed after a {b}-hour halt, the railway company said.",
    "Volunteers delivered {a} generators to hospitals in frontline towns this month.",
)


def page(feed: int, item: int) -> tuple[str, str]:
    """The (title, HTML) of one article; one in four is about an exchange."""
    published = START + dt.timedelta(days=(feed * 3 + item) % 400)
    a, b = 500 + (feed * 37 + item * 11) % 700, 10 + (feed + item) % 40
    if (feed + item) % 4 == 0:
        title = f"{a} bodies returned"
        text = EXCHANGE.format(a=a, b=b, weekday=published.strftime("%A"))
    else:
        title = f"News {feed}-{item}"
        text = " ".join(t.format(a=a + k, b=b + k) for k, t in enumerate(UNRELATED))
    markup = (
        f"<html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{published}T10:00:00+02:00"></head>'
        f"<body><nav>Home</nav><article><h1>{title}</h1><p>{text}</p>"
        f"<p>Report {feed}-{item} of the benchmark wire.</p></article><footer>Contact</footer></body></html>"
    )
    return title, markup


class Feeds:
    """The server's state: each feed's version (one new item per version)."""

    def __init__(self, n_feeds: int, items: int) -> None:
        self.versions = [0] * n_feeds
        self.items = items
        self.lock = threading.Lock()

    def rss(self, feed: int, base: str) -> tuple[str, str, str]:
        with self.lock:
            version = self.versions[feed]
        entries = []
        for item in reversed(range(self.items + version)):
            title, _ = page(feed, item)
            day = START + dt.timedelta(days=(feed * 3 + item) % 400)
            entries.append(
                f"<item><title>{title}</title><link>{base}/page/{feed}/{item}.html</link>"
                f"<guid>bench-{feed}-{item}</guid><pubDate>{day.strftime('%a, %d %b %Y')} 10:00:00 +0200"
                f"</pubDate><description>{title}</description></item>"
            )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Wire {feed}</title><link>{base}/</link><description>x</description>"
            f"{''.join(entries)}</channel></rss>"
        )
        return body, f'"{feed}-{version}"', formatdate(1_770_000_000 + version * 60, usegmt=True)


def serve(n_feeds: int, items: int, port_out: Any) -> None:
    """The server process: feeds, pages, and /_publish?feeds=1,2 to add an item to feeds."""
    state = Feeds(n_feeds, items)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            segments = parts.path.strip("/").split("/")
            if segments[0] == "_publish":
                with state.lock:
                    for feed in parse_qs(parts.query)["feeds"][0].split(","):
                        state.versions[int(feed)] += 1
                self._send(200, "text/plain", "ok")
            elif segments[0] == "feed" and len(segments) == 2:
                body, etag, modified = state.rss(int(segments[1].removesuffix(".rss")), base)
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self._send(200, "application/rss+xml", body, {"ETag": etag, "Last-Modified": modified})
            elif segments[0] == "page" and len(segments) == 3:
                _, markup = page(int(segments[1]), int(segments[2].removesuffix(".html")))
                self._send(200, "text/html; charset=utf-8", markup)
            else:
                self._send(404, "text/plain", "not found")

        def _send(self, status: int, kind: str, body: str, headers: dict[str, str] | None = None) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.request_queue_size = 128
    port_out.put(httpd.server_address[1])
    httpd.serve_forever()


def measured(watcher: Watcher) -> tuple[CycleReport, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    report = watcher.poll_once()
    return report, time.process_time() - cpu, time.perf_counter() - wall


def describe(name: str, report: CycleReport, cpu: float, wall: float) -> None:
    print(
        f"{name}: {report.polled} feeds polled ({report.not_modified} not modified, "
        f"{report.changed} changed, {len(report.failed)} failed), {report.items_read} pages read, "
        f"{report.ingest.new} new documents; "
        f"CPU {cpu:.2f}s, wall {wall:.2f}s; at one cycle every 15 minutes: {cpu / CYCLE:.2%} of one core"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--changed", type=int, default=5, help="feeds that publish a new item")
    parser.add_argument("--items", type=int, default=2, help="items in each feed at first")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    port_out = context.Queue()
    server = context.Process(target=serve, args=(args.feeds, args.items, port_out), daemon=True)
    server.start()
    try:
        base = f"http://127.0.0.1:{port_out.get(timeout=30)}"
        urls = [f"{base}/feed/{i}.rss" for i in range(args.feeds)]
        options = WatchOptions(every=CYCLE, host_delay=0.0, workers=args.workers)
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(str(Path(tmp) / "watch.db"))
            with Watcher(store, urls, options) as watcher:
                describe("first cycle (every item new)", *measured(watcher))
                step = max(1, args.feeds // max(1, args.changed))
                changed = ",".join(str(i) for i in range(0, args.feeds, step)[: args.changed])

                httpx.get(f"{base}/_publish?feeds={changed}").raise_for_status()
                report, cpu, wall = measured(watcher)
                describe(f"second cycle ({args.changed} feeds with a new item)", report, cpu, wall)
                describe("third cycle (nothing new)", *measured(watcher))
            store.close()
        print(
            f"watch: polling {args.feeds} feeds every 15 minutes needs {cpu / CYCLE:.2%} of one core "
            f"(target: under 100%)"
        )
    finally:
        server.terminate()
        server.join(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
