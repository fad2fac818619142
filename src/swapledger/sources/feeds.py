"""RSS 2.0 and Atom feeds, from a file or a URL: their items, and the documents items point to.

Safety first: feed bytes go through defusedxml before feedparser sees them.
defusedxml refuses any entity declaration (the "billion laughs" expansion
attack) and any external entity (reading local files or URLs, "XXE"), and it
stops at the declaration, so such a feed fails at once with a FeedError. A feed
that is not well-formed XML (real feeds often carry an undeclared ``&nbsp;``)
is still read by feedparser's lenient parser, but only when its bytes declare
no entity at all; bytes that are no feed give a FeedError naming the file or
URL.

Which text an item becomes: its page. Each item's link is fetched and read
like any web page, because a feed often carries only a summary. When the page
cannot be fetched or read and the item carries its full text
(``content:encoded`` in RSS, ``<content>`` in Atom), the document is made from
that text instead and the page's problem is logged as a warning; an item with
neither gives a Failure naming its link. A summary alone is never used: it is
not the report.

Metadata: the item's date as the feed writes it (in the publisher's own time
zone, so "Fri, 19 Dec 2025 01:00 +0200" is 2025-12-19) comes before the date
found in the page; the page's title and site name come before the item's title
and the feed's title; options fill what is still missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
import xml.sax
import xml.sax.handler
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import defusedxml
import defusedxml.sax
import feedparser  # type: ignore[import-untyped]  # it ships no type hints
import httpx
import trafilatura

from ..errors import (
    EmptyDocumentError,
    FeedError,
    NoMainTextError,
    SourceError,
    TooLargeError,
    UnsupportedTypeError,
)
from ..model import Document
from . import html, web
from .files import SUFFIXES, Failure, ReadOptions, fill

logger = logging.getLogger(__name__)

FEED_SUFFIXES = (".xml", ".rss", ".atom")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
XML_TYPES = ("application/xml", "text/xml")
# The root element after the prolog (XML declaration, comments, processing
# instructions, a DOCTYPE with or without an internal subset). Each part can
# end in one place only, so hostile bytes cannot make the match backtrack.
_ROOT = re.compile(
    rb"(?:\s|<\?(?:[^?]|\?(?!>))*\?>|<!--(?:[^-]|-(?!->))*-->|<!DOCTYPE[^\[>]*(?:\[[^\]]*\])?\s*>)*"
    rb"<(?:rss|feed|rdf:RDF)[\s>/]",
    re.IGNORECASE,
)
_ENTITY_DECLARATION = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed. ``key`` identifies it across polls: its guid, else its link."""

    key: str
    link: str | None
    title: str | None
    published: str | None
    summary: str | None
    content: str | None = None  # the full text (HTML) when the feed carries it


@dataclass(frozen=True)
class Feed:
    """A parsed feed: where it came from, its title and its items in feed order."""

    source: str
    title: str | None
    version: str
    items: tuple[FeedItem, ...]


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """True when bytes are RSS or Atom: by a feed media type, else by their root element."""
    if content_type in FEED_TYPES:
        return True
    if content_type in XML_TYPES:  # XML, so parse_feed can say what is wrong, unless it is XHTML
        return web.sniff_type(data) != "text/html"
    if content_type in ("", "text/plain", "application/octet-stream"):
        return bool(_ROOT.match(data[:4096].lstrip(b"\xef\xbb\xbf")))
    return False


def is_feed_file(path: str) -> bool:
    """True for a feed file: a .xml, .rss or .atom suffix, or (no known suffix) RSS or Atom inside."""
    suffix = Path(path).suffix.lower()
    if suffix in FEED_SUFFIXES:
        return True
    if suffix in SUFFIXES:
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False  # a folder, or missing: the other readers say what is wrong
    return looks_like_feed(head)


def parse_feed(data: bytes, source: str, base_url: str | None = None) -> Feed:
    """The feed in ``data``, or a FeedError (unsafe XML, not XML, not RSS or Atom) naming ``source``.

    ``base_url`` (the feed's own URL) makes relative item links absolute.
    """
    xml_problem = _check_safe(data, source)
    headers = {"content-location": base_url} if base_url else {}
    try:
        # Handing feedparser a stream (never a str or bytes) keeps it from
        # treating the input as a file name or a URL to open.
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # feedparser on hostile bytes: our error, never a crash
        raise FeedError(source, f"could not be parsed as a feed: {type(exc).__name__}: {exc}") from None
    version = str(parsed.get("version") or "")
    entries = list(parsed.get("entries") or [])
    if not version and not entries:
        what = f"is not XML ({xml_problem}), so" if xml_problem else "is XML but"
        raise FeedError(
            source,
            f"{what} not an RSS or Atom feed; check that it is the feed itself, not a page about it",
        )
    channel = parsed.get("feed") or {}
    items = tuple(_item(entry, base_url, source, n) for n, entry in enumerate(entries))
    return Feed(source=source, title=_clean(channel.get("title")), version=version, items=items)


def _check_safe(data: bytes, source: str) -> str | None:
    """Refuses entity declarations and external entities; returns why the XML is ill-formed, if it is."""
    try:
        defusedxml.sax.parseString(
            data,
            xml.sax.handler.ContentHandler(),
            forbid_dtd=False,
            forbid_entities=True,
            forbid_external=True,
        )
    except defusedxml.EntitiesForbidden as exc:
        raise FeedError(
            source,
            f"declares the XML entity {exc.name!r}; swapledger refuses feeds that declare entities "
            "(that is how 'billion laughs' and external-entity attacks work)",
        ) from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden, defusedxml.NotSupportedError):
        raise FeedError(
            source, "refers to external XML entities, which swapledger refuses to load; it is unsafe"
        ) from None
    except (xml.sax.SAXException, ValueError, UnicodeError) as exc:
        # Not well-formed: expat stopped early, maybe before a declaration.
        # NULs are dropped so that UTF-16 text is searched too.
        if _ENTITY_DECLARATION.search(data.replace(b"\x00", b"")):
            raise FeedError(
                source,
                "declares XML entities and is not well-formed XML; refused, as entities can be an attack",
            ) from None
        if isinstance(exc, xml.sax.SAXParseException):
            return f"{exc.getMessage()} at line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
        return str(exc)
    return None


def _item(entry: Mapping[str, Any], base_url: str | None, source: str, index: int) -> FeedItem:
    link = _clean(entry.get("link"))
    if link and base_url:
        link = urljoin(base_url, link)
    title = _clean(entry.get("title"))
    summary = _clean(entry.get("summary"))
    content = None
    for part in entry.get("content") or ():
        value = _clean(part.get("value")) if isinstance(part, Mapping) else None
        if value:
            content = value
            break
    key = _clean(entry.get("id")) or link
    if not key:  # neither guid nor link: the item's own words identify it
        digest = hashlib.sha256(f"{title}\n{summary}\n{content}".encode()).hexdigest()[:16]
        key = f"{source}#item-{digest}" if (title or summary or content) else f"{source}#item-{index}"
    return FeedItem(
        key=key, link=link, title=title, published=_published(entry), summary=summary, content=content
    )


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _published(entry: Mapping[str, Any]) -> str | None:
    """The item's date, YYYY-MM-DD, in the time zone the feed writes it in."""
    for name in ("published", "updated", "created"):
        raw = entry.get(name)
        if isinstance(raw, str) and raw.strip():
            day = _parse_day(raw.strip())
            if day:
                return day
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)  # feedparser's reading of other formats, in UTC
        if parsed:
            return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None


def _parse_day(raw: str) -> str | None:
    try:
        return parsedate_to_datetime(raw).date().isoformat()  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.datetime.fromisoformat(raw).date().isoformat()  # Atom: RFC 3339
    except ValueError:
        return None


def item_document(
    item: FeedItem,
    options: ReadOptions | None = None,
    fetch_options: web.FetchOptions | None = None,
    *,
    feed_title: str | None = None,
    client: httpx.Client | None = None,
) -> Document:
    """The document an item stands for: its page, else the full text the feed carries; else a SourceError."""
    options = options or ReadOptions()
    problem: SourceError | None = None
    if item.link and web.is_url(item.link):
        try:
            response = web.fetch(item.link, options, fetch_options, client=client)
            page = web.page_document(response, item.link)
        except SourceError as exc:
            problem = exc
        else:
            return _merge(page, item, feed_title, options)
    elif item.link:
        problem = UnsupportedTypeError(item.link, "the item's link is not an http or https URL")
    source = item.link or item.key
    if item.content:
        text = _content_text(item.content, source)
        if text:
            if problem is not None:
                logger.warning("%s; using the full text the feed carries instead", problem)
            document = Document(text=text, source=source, url=item.link)
            return _merge(document, item, feed_title, options)
    if problem is not None:
        raise problem
    raise EmptyDocumentError(source, "the feed item has no link and no text")


def _merge(document: Document, item: FeedItem, feed_title: str | None, options: ReadOptions) -> Document:
    merged = replace(
        document,
        published=item.published or document.published,
        title=document.title or item.title,
        outlet=document.outlet or feed_title,
    )
    return fill(merged, options)


def _content_text(markup: str, source: str) -> str:
    """The text of an item's HTML content: the article extractor first, all its text if that finds none."""
    try:
        return html.read(f"<html><body><article>{markup}</article></body></html>", source).text
    except NoMainTextError:
        return str(trafilatura.html2txt(markup) or "").strip()


def read_items(
    feed: Feed,
    options: ReadOptions | None = None,
    fetch_options: web.FetchOptions | None = None,
    *,
    client: httpx.Client | None = None,
) -> Iterator[Document | Failure]:
    """A Document for each item of ``feed``, in feed order; a Failure for each item that gives none."""
    options = options or ReadOptions()
    with web.session(fetch_options, client) as http:
        for item in feed.items:
            try:
                yield item_document(item, options, fetch_options, feed_title=feed.title, client=http)
            except SourceError as exc:
                yield Failure(exc.source, exc.problem)


def read_feed_bytes(path: str, max_bytes: int) -> bytes:
    """A feed file's bytes, or a SourceError naming it (missing, unreadable, over the limit)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise FeedError(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise TooLargeError(path, f"is over the limit of {max_bytes:,} bytes (set SWAPLEDGER_MAX_BYTES)")
    return data


def read_feed_file(
    path: str, options: ReadOptions | None = None, fetch_options: web.FetchOptions | None = None
) -> Iterator[Document | Failure]:
    """The documents a feed file's items stand for (each item's page is fetched), in feed order."""
    options = options or ReadOptions()
    try:
        feed = parse_feed(read_feed_bytes(path, options.max_bytes), path)
    except SourceError as exc:
        yield Failure(exc.source, exc.problem)
        return
    yield from read_items(feed, options, fetch_options)
