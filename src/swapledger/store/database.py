"""Opening a ledger database, upgrading its schema, and writing to it.

One writer: on SQLite every write transaction starts with ``BEGIN IMMEDIATE``
so two writers queue instead of failing half-way; one transaction per
document, so a crash leaves each document fully stored or absent.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from ..errors import StoreError
from ..model import Claim, Document, Event
from . import schema

_BATCH = 5000

FEED_ITEM_STATUSES = ("pending", "failed", "done", "given_up")


@dataclass(frozen=True)
class FeedState:
    """What is remembered about a watched feed between polls (times are ISO, in UTC)."""

    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    retry_at: str | None = None
    last_error: str | None = None
    last_polled_at: str | None = None
    last_changed_at: str | None = None


@dataclass(frozen=True)
class FeedItemRecord:
    """An item seen in a watched feed, and what became of it (status one of FEED_ITEM_STATUSES)."""

    feed_url: str
    key: str
    link: str | None = None
    title: str | None = None
    published: str | None = None
    content: str | None = None
    status: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    document_id: str | None = None


def normalise_url(url: str) -> str:
    """A database URL from what a user typed: a file path or a URL."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event, not the driver, open transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Store:
    """A ledger database: documents, their claims, and the events built from them."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise StoreError(url, "is not a database URL or a file path") from None
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            folder = Path(parsed.database).expanduser().resolve().parent
            if not folder.is_dir():
                raise StoreError(url, f"the folder {folder} does not exist")
        try:
            self.engine = create_engine(self.url, future=True)
        except (ArgumentError, ModuleNotFoundError) as exc:
            raise StoreError(url, f"cannot be opened: {exc}") from None
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _sqlite_pragmas(self.engine)
        self.upgrade()

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            raise StoreError(self.url, f"database error: {exc.orig}") from None

    def upgrade(self) -> None:
        """Create or upgrade the schema to the newest migration (Alembic)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        location = resources.files("swapledger.store").joinpath("migrations")
        config.set_main_option("script_location", str(location))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except OperationalError as exc:
            raise StoreError(self.url, f"cannot be opened: {exc.orig}") from None
        except SQLAlchemyError as exc:
            raise StoreError(self.url, f"cannot be upgraded: {exc}") from None

    # -- writing -------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        with self._errors(), self.engine.connect() as conn:
            found = conn.execute(
                select(schema.documents.c.id).where(schema.documents.c.id == document_id)
            ).first()
        return found is not None

    def add_document(self, document: Document, claims: Sequence[Claim], extractor_version: str) -> bool:
        """Store a document and its claims in one transaction; False if it was stored already."""
        doc_id = document.id
        with self._errors(), self.engine.begin() as conn:
            exists = conn.execute(
                select(schema.documents.c.id).where(schema.documents.c.id == doc_id)
            ).first()
            if exists:
                return False
            conn.execute(
                insert(schema.documents),
                {
                    "id": doc_id,
                    "source": document.source,
                    "url": document.url,
                    "outlet": document.outlet,
                    "published": document.published,
                    "language": document.language,
                    "title": document.title,
                    "text": document.text,
                    "n_claims": len(claims),
                    "extractor_version": extractor_version,
                    "ingested_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
            )
            if claims:
                conn.execute(
                    insert(schema.claims), [_claim_row(doc_id, c, extractor_version) for c in claims]
                )
            self._set_meta(conn, "events_stale", "1")
        return True

    def replace_events(self, events: Iterable[Event]) -> int:
        """Replace every event with ``events`` in one transaction; returns how many."""
        events = list(events)
        with self._errors(), self.engine.begin() as conn:
            conn.execute(delete(schema.event_claims))
            conn.execute(delete(schema.event_flows))
            conn.execute(delete(schema.events))
            for chunk in _chunks(events, _BATCH):
                conn.execute(insert(schema.events), [_event_row(e) for e in chunk])
                flows = [_flow_row(e.id, f) for e in chunk for f in e.flows]
                if flows:
                    conn.execute(insert(schema.event_flows), flows)
            links = ({"event_id": e.id, "claim_id": cid} for e in events for cid in e.claim_ids)
            for chunk in _chunks(links, 50_000):
                conn.execute(insert(schema.event_claims), chunk)
            self._set_meta(conn, "events_stale", "0")
        return len(events)

    def events_stale(self) -> bool:
        """True when documents were added since events were last built."""
        with self._errors(), self.engine.connect() as conn:
            value = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "events_stale")
            ).scalar()
        return value == "1"

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        updated = conn.execute(
            schema.meta.update().where(schema.meta.c.key == key).values(value=value)
        ).rowcount
        if not updated:
            conn.execute(insert(schema.meta), {"key": key, "value": value})

    # -- watched feeds ---------------------------------------------------------

    def feed_states(self, urls: Sequence[str]) -> list[FeedState]:
        """The state of each feed in ``urls``, in that order; feeds not seen before are registered."""
        urls = list(dict.fromkeys(urls))
        known: dict[str, FeedState] = {}
        with self._errors(), self.engine.connect() as conn:
            for chunk in _chunks(urls, 500):
                rows = conn.execute(select(schema.feeds).where(schema.feeds.c.url.in_(chunk)))
                known.update((row.url, FeedState(**row._asdict())) for row in rows)
        missing = [url for url in urls if url not in known]
        if missing:
            with self._errors(), self.engine.begin() as conn:
                conn.execute(
                    self._insert_new(schema.feeds, ["url"]), [{"url": u, "failures": 0} for u in missing]
                )
        return [known.get(url) or FeedState(url) for url in urls]

    def save_feed_poll(self, state: FeedState, items: Sequence[FeedItemRecord] = ()) -> int:
        """Save a feed's state and record its items not seen before, in one transaction; how many were new.

        Saving the validators and the new items together means a crash can
        never leave a feed answering "not modified" while its new items are
        unrecorded.
        """
        row = asdict(state)
        with self._errors(), self.engine.begin() as conn:
            updated = conn.execute(
                schema.feeds.update().where(schema.feeds.c.url == state.url).values(**row)
            ).rowcount
            if not updated:
                conn.execute(insert(schema.feeds), row)
            fresh = list({item.key: item for item in items if item.feed_url == state.url}.values())
            known: set[str] = set()
            for chunk in _chunks([item.key for item in fresh], 500):
                known.update(
                    conn.execute(
                        select(schema.feed_items.c.key).where(
                            schema.feed_items.c.feed_url == state.url, schema.feed_items.c.key.in_(chunk)
                        )
                    ).scalars()
                )
            fresh = [item for item in fresh if item.key not in known]
            now = _now()
            for chunk in _chunks(fresh, _BATCH):
                conn.execute(
                    self._insert_new(schema.feed_items, ["feed_url", "key"]),
                    [{**asdict(item), "first_seen_at": now, "updated_at": now} for item in chunk],
                )
        return len(fresh)

    def pending_feed_items(self, feed_urls: Sequence[str]) -> list[FeedItemRecord]:
        """The items of these feeds still to be read (pending, or failed and not given up), oldest first."""
        table = schema.feed_items
        found: list[FeedItemRecord] = []
        with self._errors(), self.engine.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(feed_urls)), 500):
                rows = conn.execute(
                    select(*[table.c[name] for name in _FEED_ITEM_FIELDS])
                    .where(table.c.feed_url.in_(chunk), table.c.status.in_(("pending", "failed")))
                    .order_by(table.c.first_seen_at, table.c.feed_url, table.c.key)
                )
                found.extend(FeedItemRecord(**row._asdict()) for row in rows)
        return found

    def feed_items(self, feed_url: str) -> list[FeedItemRecord]:
        """Every item recorded for a feed, in the order first seen."""
        table = schema.feed_items
        with self._errors(), self.engine.connect() as conn:
            rows = conn.execute(
                select(*[table.c[name] for name in _FEED_ITEM_FIELDS])
                .where(table.c.feed_url == feed_url)
                .order_by(table.c.first_seen_at, table.c.key)
            )
            return [FeedItemRecord(**row._asdict()) for row in rows]

    def update_feed_item(self, item: FeedItemRecord) -> None:
        """Save what became of an item: status, attempts, last error, document (text dropped once settled)."""
        if item.status not in FEED_ITEM_STATUSES:
            raise ValueError(f"unknown feed item status {item.status!r}")
        settled = item.status in ("done", "given_up")
        with self._errors(), self.engine.begin() as conn:
            conn.execute(
                schema.feed_items.update()
                .where(schema.feed_items.c.feed_url == item.feed_url, schema.feed_items.c.key == item.key)
                .values(
                    status=item.status,
                    attempts=item.attempts,
                    last_error=item.last_error,
                    document_id=item.document_id,
                    content=None if settled else item.content,
                    updated_at=_now(),
                )
            )

    def _insert_new(self, table: Any, keys: list[str]) -> Any:
        """An INSERT that skips rows whose key is already there (another writer may have added them)."""
        if self.dialect == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
        if self.dialect == "sqlite":
            return sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)
        return insert(table)

    def execute_sql(self, sql: str) -> list[tuple[Any, ...]]:
        """Run a read-only SQL statement (for diagnostics and tests)."""
        with self._errors(), self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]


_FEED_ITEM_FIELDS = tuple(FeedItemRecord.__dataclass_fields__)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _claim_row(doc_id: str, claim: Claim, version: str) -> dict[str, Any]:
    return {
        "document_id": doc_id,
        "kind": claim.kind,
        "category": claim.category,
        "from_side": claim.from_side,
        "to_side": claim.to_side,
        "count": claim.count,
        "qualifier": claim.qualifier,
        "event_date": claim.event_date,
        "attributed_to": claim.attributed_to,
        "agreement": claim.agreement,
        "mediators": ",".join(claim.mediators),
        "span_start": claim.span[0],
        "span_end": claim.span[1],
        "quote": claim.quote,
        "date_note": claim.date_note,
        "extractor_version": version,
    }


def _event_row(event_: Event) -> dict[str, Any]:
    return {
        "id": event_.id,
        "category": event_.category,
        "date": event_.date,
        "agreement": event_.agreement,
        "mediators": ",".join(event_.mediators),
        "n_documents": event_.n_documents,
        "n_claims": len(event_.claim_ids),
        "disputed": event_.disputed,
        "record": json.dumps(event_.record(), ensure_ascii=False),
    }


def _flow_row(event_id: str, flow: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "direction": f"{flow.from_side or '*'}->{flow.to_side or '*'}",
        "from_side": flow.from_side,
        "to_side": flow.to_side,
        "best": flow.best,
        "low": flow.low,
        "high": flow.high,
        "n_sources": flow.n_sources,
        "rule": flow.rule,
    }
