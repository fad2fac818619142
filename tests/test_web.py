"""Web pages by URL, against a real HTTP server on 127.0.0.1 that the tests start.

The server (``LocalServer``) and the reports it serves are also used by
test_feeds.py and test_watch.py.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from swapledger import __version__
from swapledger.cli import cli
from swapledger.errors import FetchError, TooLargeError, UnsupportedTypeError
from swapledger.model import Document
from swapledger.sources import Failure, ReadOptions, read_target
from swapledger.sources.web import FetchOptions, fetch, is_url, read_url
from swapledger.store import Store

# -- the reports (written for these tests from /work/shared/facts/exchanges.csv) --


@dataclass(frozen=True)
class Report:
    path: str
    title: str
    published: str
    paragraphs: tuple[str, ...]

    def html(self, charset: str = "utf-8") -> str:
        body = "".join(f"<p>{p}</p>" for p in self.paragraphs)
        return (
            f'<html><head><meta charset="{charset}"><title>{self.title}</title>'
            f'<meta property="article:published_time" content="{self.published}T09:30:00+02:00">'
            '<meta property="og:site_name" content="Kyiv Test Wire"></head>'
            '<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>'
            f"<article><h1>{self.title}</h1>{body}</article>"
            "<footer>Contact the newsroom</footer></body></html>"
        )


BODIES_JAN = Report(
    "/news/2026/01/29/bodies-returned.html",
    "Bodies of 1,000 soldiers returned to Ukraine",
    "2026-01-29",
    (
        "Ukraine received the bodies of 1,000 soldiers on Thursday, and the bodies of 38 soldiers "
        "went to Russia, the Coordination Headquarters for the Treatment of Prisoners of War said.",
        "The International Committee of the Red Cross helped with the handover, which took place "
        "under the agreements reached in Istanbul.",
    ),
)
POWS_FEB = Report(
    "/news/2026/02/05/prisoner-swap.html",
    "157 prisoners of war freed by each side",
    "2026-02-05",
    (
        "Russia and Ukraine each released 157 prisoners of war on Thursday, the first swap since the "
        "talks in Abu Dhabi, with the United Arab Emirates and the United States as mediators.",
        "Families waited at the border for hours before the buses arrived.",
    ),
)
BODIES_FEB = Report(
    "/news/2026/02/26/repatriation.html",
    "Another repatriation of fallen defenders",
    "2026-02-26",
    (
        "On Thursday Ukraine brought home the bodies of 1,000 fallen defenders, and Russia received "
        "the bodies of 35 soldiers, the Coordination Headquarters said.",
        "The Red Cross took part in the repatriation, as it has in earlier ones.",
    ),
)
POWS_MAR = Report(
    "/news/2026/03/05/swap-200.html",
    "200 for 200: a new prisoner exchange",
    "2026-03-05",
    (
        "Ukraine and Russia exchanged 200 prisoners of war for 200 on Thursday, with mediation by the "
        "United Arab Emirates and the United States.",
        "Most of those freed had been held since 2022, officials said.",
    ),
)
# Cyrillic in it, so that a wrong charset shows: sent as cp1251 but declared otherwise.
POWS_APR = Report(
    "/news/2026/04/24/193-home.html",
    "193 defenders home from captivity",
    "2026-04-24",
    (
        "On Friday 193 Ukrainian defenders came home from Russian captivity and 193 Russian soldiers "
        "were handed over, with the United Arab Emirates as mediator.",
        "«Сьогодні додому повернулися 193 захисники. Ми повернемо всіх», — написав президент "
        "України. Серед звільнених є військові, які обороняли Маріуполь.",
    ),
)
CYRILLIC = "Сьогодні додому повернулися 193 захисники"
REPORTS = (BODIES_JAN, POWS_FEB, BODIES_FEB, POWS_MAR, POWS_APR)


# -- the server --------------------------------------------------------------


@dataclass
class Seen:
    """One request the server got."""

    path: str
    headers: dict[str, str]
    at: float


Handler = Callable[[BaseHTTPRequestHandler], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up on purpose (deadlines, size limits) are expected here


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        owner.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic()))
        handler = owner.routes.get(self.path)
        if handler is None:
            self.send_error(404, "Not Found")
            return
        handler(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class LocalServer:
    """A real HTTP server on 127.0.0.1 with a table of routes, recording every request."""

    routes: dict[str, Handler] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def add(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        *,
        status: int = 200,
        etag: str | None = None,
        last_modified: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> str:
        """Serve ``body`` at ``path`` (answering 304 to a matching conditional request); returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        modified = formatdate(last_modified, usegmt=True) if last_modified is not None else None

        def handle(request: BaseHTTPRequestHandler) -> None:
            match_etag = etag is not None and request.headers.get("If-None-Match") == etag
            match_date = modified is not None and request.headers.get("If-Modified-Since") == modified
            if match_etag or (match_date and request.headers.get("If-None-Match") is None):
                request.send_response(304)
                request.end_headers()
                return
            request.send_response(status)
            request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(data)))
            if etag is not None:
                request.send_header("ETag", etag)
            if modified is not None:
                request.send_header("Last-Modified", modified)
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            request.end_headers()
            request.wfile.write(data)

        self.routes[path] = handle
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        def handle(request: BaseHTTPRequestHandler) -> None:
            request.send_response(status)
            request.send_header("Location", to)
            request.send_header("Content-Length", "0")
            request.end_headers()

        self.routes[path] = handle
        return self.url(path)

    def report(self, report: Report) -> str:
        return self.add(report.path, report.html())


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """The local server, with every report and every kind of bad answer in its routes."""
    with serving() as local:
        yield local


def serve_reports(local: LocalServer) -> None:
    for report in REPORTS:
        local.report(report)


class serving:
    """Starts a LocalServer in a thread on a free port, with the reports and bad answers routed."""

    def __enter__(self) -> LocalServer:
        self.local = LocalServer()
        self.httpd = _Server(("127.0.0.1", 0), _RequestHandler)
        self.httpd.owner = self.local
        self.local.port = self.httpd.server_address[1]
        serve_reports(self.local)
        add_bad_answers(self.local)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.daemon = True
        self.thread.start()
        return self.local

    def __exit__(self, *exc: object) -> None:
        self.local.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def add_bad_answers(local: LocalServer) -> None:
    """Routes for every way a server can misbehave."""

    def hang(request: BaseHTTPRequestHandler) -> None:
        local.stopping.wait(5)  # longer than the read timeout

    def trickle_body(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.end_headers()
        request.wfile.write(b"<html><body><p>")
        for _ in range(400):  # a byte every 25 ms: never idle long enough for a read timeout
            if local.stopping.wait(0.025):
                return
            request.wfile.write(b"x")
            request.wfile.flush()

    def trickle_headers(request: BaseHTTPRequestHandler) -> None:
        request.wfile.write(b"HTTP/1.0 200 OK\r\n")
        for n in range(400):
            if local.stopping.wait(0.025):
                return
            request.wfile.write(f"X-Slow-{n}: y\r\n".encode())
            request.wfile.flush()

    def gzip_bomb(request: BaseHTTPRequestHandler) -> None:
        # Up to 1 GiB of spaces, compressed as it is sent (about 1 MB on the
        # wire); the client must hang up long before the end.
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Encoding", "gzip")
        request.end_headers()
        gzip = zlib.compressobj(9, zlib.DEFLATED, 31)
        request.wfile.write(gzip.compress(b"<html><body><p>"))
        spaces = b" " * (1 << 20)
        try:
            for _ in range(1024):
                if local.stopping.is_set():
                    return
                request.wfile.write(gzip.compress(spaces))
            request.wfile.write(gzip.flush())
        except OSError:
            return  # the client hung up, as it should

    def honest_gzip(request: BaseHTTPRequestHandler) -> None:
        data = zlib.compress(BODIES_FEB.html().encode(), wbits=31)
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Encoding", "gzip")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def compressed(coding: str, wbits: int) -> Handler:
        def handle(request: BaseHTTPRequestHandler) -> None:
            packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
            data = packer.compress(POWS_MAR.html().encode()) + packer.flush()
            request.send_response(200)
            request.send_header("Content-Type", "text/html; charset=utf-8")
            request.send_header("Content-Encoding", coding)
            request.end_headers()
            request.wfile.write(data)

        return handle

    local.routes["/deflate"] = compressed("deflate", zlib.MAX_WBITS)
    local.routes["/raw-deflate"] = compressed("deflate", -zlib.MAX_WBITS)
    local.routes["/brotli"] = compressed("br", zlib.MAX_WBITS)
    local.routes["/hang"] = hang
    local.routes["/trickle"] = trickle_body
    local.routes["/trickle-headers"] = trickle_headers
    local.routes["/bomb"] = gzip_bomb
    local.routes["/gzip"] = honest_gzip
    local.redirect("/loop-a", "/loop-b")
    local.redirect("/loop-b", "/loop-a")
    for n in range(1, 10):
        local.redirect(f"/hop/{n}", f"/hop/{n + 1}")
    local.add("/hop/10", POWS_FEB.html())
    local.redirect("/old-address", BODIES_JAN.path, status=301)
    local.redirect("/to-ftp", "ftp://127.0.0.1/file.txt")
    local.add("/cp1251-as-utf8", POWS_APR.html().encode("cp1251"), "text/html; charset=utf-8")
    local.add(
        "/cp1251-as-latin1",
        POWS_APR.html(charset="iso-8859-1").encode("cp1251"),
        "text/html; charset=iso-8859-1",
    )
    local.add("/server-error", "<h1>Internal error</h1>", status=500)
    local.add("/busy", "slow down", status=429, headers={"Retry-After": "120"})
    local.add("/report.pdf", b"%PDF-1.4 not a page", "application/pdf")
    local.add("/big", "<p>" + "x" * 5000 + "</p>")
    local.add("/plain.txt", "---\npublished: 2026-02-26\n---\n" + BODIES_FEB.paragraphs[0], "text/plain")


FAST = FetchOptions(connect_timeout=1.0, read_timeout=0.5, deadline=1.5, max_redirects=3)


def documents(items: Iterator[Document | Failure]) -> tuple[list[Document], list[Failure]]:
    found = list(items)
    return [d for d in found if isinstance(d, Document)], [f for f in found if isinstance(f, Failure)]


# -- the tests ---------------------------------------------------------------


def test_is_url() -> None:
    assert is_url("https://example.org/a") and is_url("http://127.0.0.1:8000/x?y=1")
    for target in ("ftp://example.org/a", "file:///etc/passwd", "data/sample", "report.html", "http://"):
        assert not is_url(target)


def test_fetch_follows_redirects_and_says_who_we_are(server: LocalServer) -> None:
    response = fetch(server.url("/old-address"), fetch_options=FAST)
    assert response.status == 200 and response.url == server.url(BODIES_JAN.path)
    assert response.content_type == "text/html" and b"1,000 soldiers" in response.body
    agent = server.hits("/old-address")[0].headers["user-agent"]
    assert agent.startswith(f"swapledger/{__version__}")


def test_read_url_gives_one_document_with_the_final_url(server: LocalServer) -> None:
    docs, failures = documents(read_url(server.url("/old-address"), fetch_options=FAST))
    assert not failures and len(docs) == 1
    doc = docs[0]
    assert doc.source == server.url("/old-address") and doc.url == server.url(BODIES_JAN.path)
    assert "1,000 soldiers" in doc.text and "Contact the newsroom" not in doc.text
    assert (doc.published, doc.outlet) == ("2026-01-29", "Kyiv Test Wire")


def test_plain_text_page_and_gzip(server: LocalServer) -> None:
    docs, _ = documents(read_url(server.url("/plain.txt"), fetch_options=FAST))
    assert docs[0].published == "2026-02-26" and docs[0].text.startswith("On Thursday")
    docs, _ = documents(read_url(server.url("/gzip"), fetch_options=FAST))
    assert "1,000 fallen defenders" in docs[0].text


def test_deflate_both_ways_and_unknown_encodings(server: LocalServer) -> None:
    for path in ("/deflate", "/raw-deflate"):
        assert b"200 prisoners of war for 200" in fetch(server.url(path), fetch_options=FAST).body
    with pytest.raises(FetchError, match="compressed with 'br', which swapledger cannot undo"):
        fetch(server.url("/brotli"), fetch_options=FAST)


@pytest.mark.parametrize("path", ["/cp1251-as-utf8", "/cp1251-as-latin1"])
def test_wrong_declared_charset(server: LocalServer, path: str) -> None:
    docs, failures = documents(read_url(server.url(path), fetch_options=FAST))
    assert not failures
    assert CYRILLIC in docs[0].text


def test_a_server_that_hangs_times_out(server: LocalServer) -> None:
    started = time.monotonic()
    # Either limit may fire first on a loaded machine; both name themselves.
    with pytest.raises(FetchError, match=r"read timeout|deadline of") as caught:
        fetch(server.url("/hang"), fetch_options=FAST)
    # The server never answers: the client must give up on its own, long before a test runner would.
    assert time.monotonic() - started < 8
    assert caught.value.source == server.url("/hang")


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers"])
def test_a_server_that_trickles_is_cut_off_at_the_deadline(server: LocalServer, path: str) -> None:
    options = dataclasses.replace(FAST, deadline=0.8)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"deadline of 0\.8 s"):
        fetch(server.url(path), fetch_options=options)
    # The server would go on for 10 s; the margin allows for a loaded machine.
    assert time.monotonic() - started < 8


def test_redirect_loop_and_too_many_redirects(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"redirects in a loop \(.*/loop-a -> .*/loop-b -> .*/loop-a\)"):
        fetch(server.url("/loop-a"), fetch_options=FAST)
    with pytest.raises(FetchError, match="redirects more than 3 times"):
        fetch(server.url("/hop/1"), fetch_options=FAST)
    assert fetch(server.url("/hop/8"), fetch_options=FAST).url == server.url("/hop/10")
    with pytest.raises(FetchError, match="not an http or https URL"):
        fetch(server.url("/to-ftp"), fetch_options=FAST)


def test_gzip_bomb_fails_fast(server: LocalServer) -> None:
    started = time.monotonic()
    with pytest.raises(TooLargeError, match="when decompressed"):
        fetch(server.url("/bomb"), ReadOptions(max_bytes=2_000_000), fetch_options=FAST)
    assert time.monotonic() - started < 2.0  # the whole bomb would take minutes


def test_size_limit_from_content_length(server: LocalServer) -> None:
    with pytest.raises(TooLargeError, match="5,007 bytes, over the limit of 1,000"):
        fetch(server.url("/big"), ReadOptions(max_bytes=1000), fetch_options=FAST)


def test_error_statuses_and_bad_addresses(server: LocalServer) -> None:
    with pytest.raises(FetchError, match="404 Not Found") as caught:
        fetch(server.url("/no/such/page"), fetch_options=FAST)
    assert caught.value.status == 404
    with pytest.raises(FetchError, match="429") as caught:
        fetch(server.url("/busy"), fetch_options=FAST)
    assert caught.value.retry_after == 120
    with pytest.raises(UnsupportedTypeError, match="not an http or https URL"):
        fetch("ftp://127.0.0.1/x")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="could not connect"):
        fetch(f"http://127.0.0.1:{port}/", fetch_options=FAST)


def test_conditional_request_gets_not_modified(server: LocalServer) -> None:
    url = server.add("/versioned", POWS_MAR.html(), etag='"v1"', last_modified=1_770_000_000)
    first = fetch(url, fetch_options=FAST)
    assert first.status == 200 and first.etag == '"v1"' and first.last_modified
    second = fetch(url, fetch_options=FAST, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    sent = server.hits("/versioned")[1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == first.last_modified


def test_read_target_reports_each_bad_url_as_a_failure(server: LocalServer) -> None:
    for path, words in [
        ("/report.pdf", "is served as 'application/pdf'"),
        ("/server-error", "500 Internal Server Error"),
    ]:
        docs, failures = documents(read_target(server.url(path)))
        assert not docs and len(failures) == 1
        assert failures[0].source == server.url(path) and words in failures[0].problem


def test_cli_ingest_by_url(runner: CliRunner, server: LocalServer, db_path: str) -> None:
    good = [server.url(r.path) for r in (BODIES_JAN, POWS_FEB)]
    result = runner.invoke(cli, ["ingest", *good, server.url("/no/such/page"), "--db", db_path])
    assert result.exit_code == 1, result.output
    assert "2 new, 0 duplicate, 1 failed documents" in result.output
    assert f"failed: {server.url('/no/such/page')}: the server answered 404" in result.output
    store = Store(db_path)
    try:
        rows = store.execute_sql("SELECT url, published FROM documents ORDER BY published")
        assert rows == [(good[0], "2026-01-29"), (good[1], "2026-02-05")]
        events = store.execute_sql("SELECT id FROM events ORDER BY id")
        assert ("2026-01-29-bodies",) in events and ("2026-02-05-pows",) in events
    finally:
        store.close()
    again = runner.invoke(cli, ["ingest", good[0], "--db", db_path])
    assert again.exit_code == 0 and "0 new, 1 duplicate" in again.output


def test_report_files_are_unaffected(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    path.write_text(BODIES_JAN.html(), encoding="utf-8")
    docs, failures = documents(read_target(str(path)))
    assert not failures and docs[0].published == "2026-01-29"
