"""Limits on what clients may send: body size (ASGI middleware) and the rate of writes."""

from __future__ import annotations

import asyncio
import math
import threading
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import BodyTooLargeError, WebError


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit`` bytes, declared (Content-Length) or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        too_large = declared is not None and declared.isdigit() and int(declared) > self.limit
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            if too_large:
                raise BodyTooLargeError(self.limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLargeError(self.limit)
            return message

        # The error is raised where the app reads the body, so that its handlers answer it in the
        # one error shape; a request whose body is never read costs nothing more.
        await self.app(scope, limited_receive, send)


class RateLimiter:
    """A token bucket per client: ``burst`` requests at once, refilled at ``per_minute``."""

    def __init__(self, per_minute: float, burst: int) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("a rate limit needs a positive rate and a burst of at least 1")
        self.rate = per_minute / 60.0
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> None:
        """Count one request by ``client``; WebError 429 (with Retry-After) when over the limit."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1.0:
                wait = math.ceil((1.0 - tokens) / self.rate)
                self._buckets[client] = (tokens, now)
                raise WebError(
                    429,
                    f"too many writes: at most {self.burst} at once and {self.rate * 60:g} a minute; "
                    f"try again in {wait} s",
                    headers={"Retry-After": str(wait)},
                )
            self._buckets[client] = (tokens - 1.0, now)


class HeadersMiddleware:
    """Add fixed headers (the content security policy and friends) to every response."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class KeptResponses:
    """Answers kept for ``seconds`` by path and query (bounded; ``clear()`` after a write)."""

    def __init__(self, seconds: float, max_entries: int = 4096) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: dict[bytes, tuple[float, Message, list[Message]]] = {}

    def get(self, key: bytes) -> tuple[Message, list[Message]] | None:
        hit = self._entries.get(key)
        if hit is None or time.monotonic() - hit[0] >= self.seconds:
            return None
        return hit[1], hit[2]

    def put(self, key: bytes, start: Message, body: list[Message]) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()  # simple and bounded; the busy pages come back at once
        self._entries[key] = (time.monotonic(), start, body)

    def clear(self) -> None:
        self._entries.clear()


class ResponseCache:
    """Serve anonymous GETs from ``kept``, so that a busy page is rendered once, not once per client.

    Only 200 answers are kept; a request with credentials, a write or a static file
    never comes from here. Writes by other processes show within ``kept.seconds``.
    """

    def __init__(self, app: ASGIApp, kept: KeptResponses) -> None:
        self.app = app
        self.kept = kept
        # One rendering per page at a time: when a kept answer runs out under load, the first
        # request renders it again and the others wait for that, instead of all rendering it.
        self._rendering: dict[bytes, asyncio.Event] = {}

    async def _send_kept(self, key: bytes, send: Send) -> bool:
        hit = self.kept.get(key)
        if hit is None:
            return False
        # Copies: the middleware outside (gzip) adds headers to the message it is given, in place.
        await send({**hit[0], "headers": list(hit[0].get("headers", []))})
        for message in hit[1]:
            await send(dict(message))
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or self.kept.seconds <= 0
            or any(name == b"authorization" for name, _ in scope.get("headers") or [])
            or scope["path"].startswith("/static/")
        ):
            await self.app(scope, receive, send)
            return
        key = scope["path"].encode("utf-8") + b"?" + scope.get("query_string", b"")
        if await self._send_kept(key, send):
            return
        rendering = self._rendering.get(key)
        if rendering is not None:
            await rendering.wait()
            if await self._send_kept(key, send):
                return
        done = self._rendering[key] = asyncio.Event()
        try:
            await self._render(key, scope, receive, send)
        finally:
            done.set()
            if self._rendering.get(key) is done:
                del self._rendering[key]

    async def _render(self, key: bytes, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None
        body: list[Message] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = {**message, "headers": list(message.get("headers", []))}
            elif message["type"] == "http.response.body":
                body.append(dict(message))
            await send(message)

        await self.app(scope, receive, keep)
        if start is not None and start["status"] == 200:
            self.kept.put(key, start, body)
