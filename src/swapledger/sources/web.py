"""Web pages by URL: bounded fetching with httpx, and fetched pages read into Documents.

Every fetch is bounded, because the pages come from servers we do not control:

- connect and read timeouts, and a total deadline per fetch: a watchdog shuts
  the connection's socket when the deadline passes, so a server that trickles
  bytes (in its body or even in its headers) is cut off, not waited on;
- at most ``max_redirects`` redirects, followed one by one so that a loop is
  named as a loop and every hop is checked to be http or https;
- the size limit (``ReadOptions.max_bytes``) counted while the body streams,
  on the bytes received and on the bytes they decompress to: we ask only for
  gzip or deflate and decompress them ourselves, 64 KiB at a time, so a
  "gzip bomb" stops at the limit instead of filling memory;
- a User-Agent that names swapledger and its version.

Encoding: we decode the body ourselves rather than hand bytes to trafilatura,
so a page gets the same care as a file (``files.decode``): UTF-8 when the
bytes are valid UTF-8, whatever the page declares, else the encoding
charset-normalizer finds among the usual legacy ones and the declared one. A
declared charset is only a candidate because it is often wrong (a cp1251 page
sent as ``charset=utf-8`` or ``latin-1``).
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import socket
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from charset_normalizer import from_bytes

from .. import __version__
from ..errors import (
    BinaryFileError,
    DecodingError,
    EmptyDocumentError,
    FetchError,
    OptionError,
    SourceError,
    TooLargeError,
    UnsupportedTypeError,
)
from ..model import Document
from . import frontmatter, html
from .files import Failure, ReadOptions, fill

USER_AGENT = f"swapledger/{__version__} (reads public reports of humanitarian exchanges)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, text/plain;q=0.8, */*;q=0.1"
)
_CHUNK = 65_536
# Encodings seen on Russian- and Ukrainian-language sites besides UTF-8 (as in files.decode).
_LEGACY_ENCODINGS = ("cp1251", "latin_1", "cp1252", "koi8_r")
_MAX_RETRY_AFTER = 7 * 86_400.0


@dataclass(frozen=True)
class FetchOptions:
    """Limits on one fetch (timeouts and the deadline in seconds, redirects) and the User-Agent."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 60.0
    max_redirects: int = 5
    user_agent: str = USER_AGENT

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "deadline"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and value > 0):
                raise OptionError(name, f"{value!r} is not a positive number of seconds")
        if not (isinstance(self.max_redirects, int) and self.max_redirects >= 0):
            raise OptionError("max_redirects", f"{self.max_redirects!r} is not a whole number >= 0")


@dataclass(frozen=True)
class Response:
    """What one fetch got: the final URL after redirects, the status, the headers and the body.

    Header names are lower case. A 304 (``not_modified``) has an empty body.
    """

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case ('' when the server sent none)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the server declared, if any (a candidate, not the truth)."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


def is_url(target: str) -> bool:
    """True when ``target`` is an http or https URL, the only kinds swapledger fetches."""
    try:
        parts = urlsplit(target.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def new_client(fetch_options: FetchOptions | None = None) -> httpx.Client:
    """An httpx client for ``fetch``, to share between fetches (it is thread-safe).

    Connections are not kept alive: the deadline watchdog finds a fetch's socket
    when the connection is made, which a reused connection would skip.
    """
    options = fetch_options or FetchOptions()
    return httpx.Client(
        timeout=httpx.Timeout(options.read_timeout, connect=options.connect_timeout),
        follow_redirects=False,
        limits=httpx.Limits(max_keepalive_connections=0),
        headers={"User-Agent": options.user_agent},
    )


@contextmanager
def session(
    fetch_options: FetchOptions | None = None, client: httpx.Client | None = None
) -> Iterator[httpx.Client]:
    """The client given, or a new one closed on exit."""
    if client is not None:
        yield client
        return
    with new_client(fetch_options) as own:
        yield own


def fetch(
    url: str,
    options: ReadOptions | None = None,
    fetch_options: FetchOptions | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    client: httpx.Client | None = None,
) -> Response:
    """Fetch one URL within the limits; with ``etag``/``last_modified``, a 304 comes back as not modified.

    Returns a 2xx or 304 Response. Raises FetchError (network, time limits,
    redirects, an error status), TooLargeError (the size limit, also once
    decompressed) or UnsupportedTypeError (not an http or https URL).
    """
    options = options or ReadOptions()
    fetch_options = fetch_options or FetchOptions()
    if not is_url(url):
        raise UnsupportedTypeError(url, "is not an http or https URL; swapledger fetches only those")
    headers = {"User-Agent": fetch_options.user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    watchdog = _Watchdog(fetch_options.deadline)
    try:
        with session(fetch_options, client) as http:
            return _fetch(http, url, headers, options.max_bytes, fetch_options, watchdog)
    except SourceError:
        raise
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        raise _fetch_error(url, exc, fetch_options, watchdog) from None
    finally:
        watchdog.cancel()


def _fetch(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    max_bytes: int,
    options: FetchOptions,
    watchdog: _Watchdog,
) -> Response:
    timeout = httpx.Timeout(options.read_timeout, connect=options.connect_timeout)
    request = client.build_request(
        "GET", url, headers=headers, timeout=timeout, extensions={"trace": watchdog.trace}
    )
    conditional = "If-None-Match" in headers or "If-Modified-Since" in headers
    hops = [url]
    while True:
        response = client.send(request, stream=True, follow_redirects=False)
        try:
            watchdog.watch(response.extensions.get("network_stream"))
            following = response.next_request
            if following is not None:
                target = str(following.url)
                if not is_url(target):
                    raise FetchError(url, f"redirects to {target!r}, which is not an http or https URL")
                if target in hops:
                    chain = " -> ".join([*hops, target])
                    raise FetchError(url, f"redirects in a loop ({chain}); the site is misconfigured")
                if len(hops) > options.max_redirects:
                    raise FetchError(
                        url,
                        f"redirects more than {options.max_redirects} times (last to {target}); "
                        "give the final address instead",
                    )
                hops.append(target)
                request = following
                continue
            status = response.status_code
            record = {k.lower(): v for k, v in response.headers.items()}
            if status == 304 and conditional:
                return Response(str(response.url), status, record)
            if not 200 <= status < 300:
                raise _status_error(url, response)
            body = _read_body(response, url, max_bytes, watchdog)
            return Response(str(response.url), status, record, body)
        finally:
            response.close()


def _status_error(url: str, response: httpx.Response) -> FetchError:
    status = response.status_code
    said = f"{status} {response.reason_phrase}".strip()
    if status in (401, 403):
        advice = "the page is not public"
    elif status in (404, 410):
        advice = "check the address"
    elif status == 429:
        advice = "the server asks us to slow down"
    elif status >= 500:
        advice = "a server error; try again later"
    else:
        advice = "an answer swapledger cannot use"
    return FetchError(
        url,
        f"the server answered {said} ({advice})",
        status=status,
        retry_after=_retry_after(response.headers.get("retry-after")),
    )


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number of seconds or an HTTP date), capped at a week."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), _MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return min(max((when - dt.datetime.now(dt.UTC)).total_seconds(), 0.0), _MAX_RETRY_AFTER)


def _fetch_error(url: str, exc: Exception, options: FetchOptions, watchdog: _Watchdog) -> FetchError:
    if watchdog.passed:
        return FetchError(
            url,
            f"took longer than the deadline of {options.deadline:g} s for one fetch "
            "(the server is too slow or trickles its answer); try again later",
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchError(url, f"could not connect within {options.connect_timeout:g} s; try again later")
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(
            url, f"the server sent nothing for {options.read_timeout:g} s (read timeout); try again later"
        )
    if isinstance(exc, httpx.ConnectError):
        return FetchError(url, f"could not connect: {exc}; check the address or try again later")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.DecodingError):
        return FetchError(url, f"the server's answer is broken: {exc}")
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return FetchError(url, f"is not a URL that can be fetched: {exc}")
    return FetchError(url, f"could not be fetched: {type(exc).__name__}: {exc}")


def _read_body(response: httpx.Response, url: str, max_bytes: int, watchdog: _Watchdog) -> bytes:
    coding = _content_coding(response.headers.get("content-encoding", ""), url)
    length = response.headers.get("content-length", "")
    if coding is None and length.isdigit() and int(length) > max_bytes:
        raise TooLargeError(
            url, f"is {int(length):,} bytes, over the limit of {max_bytes:,} (set SWAPLEDGER_MAX_BYTES)"
        )
    inflater = _Inflater(coding) if coding else None
    body = bytearray()
    received = 0
    for chunk in response.iter_raw(_CHUNK):
        if watchdog.passed:
            raise httpx.ReadError("deadline passed")  # turned into the deadline error by fetch
        received += len(chunk)
        if received > max_bytes:
            raise TooLargeError(
                url, f"sends more than the limit of {max_bytes:,} bytes (set SWAPLEDGER_MAX_BYTES)"
            )
        for piece in inflater.feed(chunk) if inflater else (chunk,):
            body += piece
            if len(body) > max_bytes:
                raise TooLargeError(
                    url,
                    f"expands past the limit of {max_bytes:,} bytes when decompressed "
                    f"(Content-Encoding: {coding}); refused as a possible decompression bomb",
                )
    if inflater is not None:
        body += inflater.flush()
        if len(body) > max_bytes:
            raise TooLargeError(url, f"expands past the limit of {max_bytes:,} bytes when decompressed")
    return bytes(body)


def _content_coding(header: str, url: str) -> str | None:
    """The one compression layer to undo (gzip or deflate), None for none; else a FetchError."""
    codings = [c.strip().lower() for c in header.split(",") if c.strip().lower() not in ("", "identity")]
    if not codings:
        return None
    if len(codings) > 1:
        raise FetchError(url, f"is compressed more than once (Content-Encoding: {header}), which is refused")
    coding = "gzip" if codings[0] == "x-gzip" else codings[0]
    if coding not in ("gzip", "deflate"):
        raise FetchError(
            url, f"is compressed with {coding!r}, which swapledger cannot undo (it asks for gzip or deflate)"
        )
    return coding


class _Inflater:
    """Undoes gzip or deflate in steps of at most 64 KiB of output, so no step can outgrow the limit."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._raw_deflate = False
        self._started = False
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self._started and self.coding == "deflate":
            self._started = True
            try:  # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate
                zlib.decompressobj().decompress(data[:2])
            except zlib.error:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        pending = data
        while pending and not self._zlib.eof:
            try:
                out = self._zlib.decompress(pending, _CHUNK)
            except zlib.error as exc:
                raise httpx.DecodingError(f"the {self.coding} data is corrupt: {exc}") from None
            if not out and self._zlib.unconsumed_tail == pending:
                break  # no progress: wait for more input
            pending = self._zlib.unconsumed_tail
            if out:
                yield out

    def flush(self) -> bytes:
        """What zlib still holds once the input has ended (at most a few hundred bytes)."""
        try:
            return self._zlib.flush()
        except zlib.error as exc:
            raise httpx.DecodingError(f"the {self.coding} data is corrupt: {exc}") from None


class _Watchdog:
    """Shuts the fetch's sockets when the deadline passes, so that no read can outlast it."""

    def __init__(self, seconds: float) -> None:
        self._ends = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    @property
    def passed(self) -> bool:
        return self._expired or time.monotonic() >= self._ends

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore's trace hook: remembers each new connection's socket."""
        if event.endswith(("connect_tcp.complete", "start_tls.complete")):
            self.watch(info.get("return_value"))

    def watch(self, stream: Any) -> None:
        getter = getattr(stream, "get_extra_info", None)
        sock = getter("socket") if callable(getter) else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            late = self._expired
        if late:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket: it wakes a blocked read
    # in the fetching thread without touching the TLS state that read is using.
    # OSError: the socket is closed already, the fetch is over.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def decode_body(body: bytes, source: str, declared: str | None = None) -> str:
    """Text from a fetched body: UTF-8 when it is, else the likeliest legacy or declared encoding."""
    if b"\x00" in body[:8192]:
        raise BinaryFileError(source, "looks binary (it has NUL bytes), not a text page")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    candidates = list(_LEGACY_ENCODINGS)
    try:
        codec = codecs.lookup(declared).name.replace("-", "_") if declared else None
    except LookupError:
        codec = None
    if codec and codec not in ("utf_8", "iso8859_1") and codec not in candidates:
        candidates.append(codec)
    best = from_bytes(body, cp_isolation=candidates).best()
    if best is None:
        raise DecodingError(
            source,
            f"is not UTF-8 and its encoding could not be told (the server said {declared or 'nothing'}); "
            "save the page and convert it to UTF-8",
        )
    return str(best)


def sniff_type(body: bytes) -> str:
    """A media type guessed from the first bytes, for servers that send none."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "text/html"
    if head.startswith(b"<"):
        return "application/xml"
    return "text/plain"


def page_document(response: Response, source: str) -> Document:
    """The Document a fetched page holds (HTML through trafilatura, or plain text), url the final URL.

    Metadata gaps are left for the caller to fill (``files.fill``). Raises a
    SourceError when the page has no text or is not a kind swapledger reads.
    """
    kind = response.content_type or sniff_type(response.body)
    if kind in HTML_TYPES:
        page = html.read(decode_body(response.body, source, response.charset), source, url=response.url)
        document = Document(
            text=page.text,
            source=source,
            url=response.url,
            outlet=page.outlet,
            published=page.published,
            language=page.language,
            title=page.title,
        )
    elif kind == "text/plain":
        fields, text = frontmatter.split(decode_body(response.body, source, response.charset), source)
        document = Document(text=text, source=source, **{"url": response.url, **fields})
    else:
        raise UnsupportedTypeError(
            source,
            f"is served as {kind!r}; swapledger reads HTML pages, plain text, and RSS or Atom feeds",
        )
    if not document.text.strip():
        raise EmptyDocumentError(source, "has no text to read")
    return document


def read_url(
    url: str,
    options: ReadOptions | None = None,
    fetch_options: FetchOptions | None = None,
    *,
    client: httpx.Client | None = None,
) -> Iterator[Document | Failure]:
    """Every document a URL holds: one for a page; for an RSS or Atom feed, one per item's page."""
    # feeds reads its items' pages through this module; importing it here keeps
    # the module-level imports one way (feeds -> web).
    from . import feeds

    options = options or ReadOptions()
    with session(fetch_options, client) as http:
        try:
            response = fetch(url, options, fetch_options, client=http)
            if feeds.looks_like_feed(response.body, response.content_type):
                feed = feeds.parse_feed(response.body, url, base_url=response.url)
            else:
                document = fill(page_document(response, url), options)
                feed = None
        except SourceError as exc:
            yield Failure(exc.source, exc.problem)
            return
        if feed is None:
            yield document
            return
        yield from feeds.read_items(feed, options, fetch_options, client=http)
