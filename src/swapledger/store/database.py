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

import numpy as np
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from ..errors import NotFoundError, OptionError, StoreError
from ..model import Claim, Document, Event
from ..resolve import copies
from ..resolve.curation import Decision, Problem, validate
from . import schema

_BATCH = 5000
_PENDING_MAX = 200  # past INCREMENTAL_LIMIT (ledger.py) a rebuild comes anyway

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
            _record_copies(conn, copies.fingerprint(doc_id, document.text, document.published))
            was = self._pending(conn)
            self._set_pending(conn, None if was is None else was | {doc_id}, was is not None)
        return True

    def pending_documents(self) -> set[str] | None:
        """Documents stored since events were last built, or None when too many to list (rebuild)."""
        with self._errors(), self.engine.connect() as conn:
            return self._pending(conn)

    def count_events(self) -> int:
        """How many events the ledger holds."""
        with self._errors(), self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.events)).scalar_one())

    # Documents stored since events were last built, so that an incremental update of all of them
    # can tell that the ledger is current again; past _PENDING_MAX only a rebuild says so.
    def _pending(self, conn: Connection) -> set[str] | None:
        m = schema.meta.c
        found = dict(
            conn.execute(select(m.key, m.value).where(m.key.in_(("pending_documents", "events_stale")))).all()
        )
        value, stale = found.get("pending_documents"), found.get("events_stale")
        if value is None:
            return set() if stale != "1" else None
        loaded = json.loads(value)
        return None if loaded is None else set(loaded)

    def _set_pending(self, conn: Connection, pending: set[str] | None, listed: bool = True) -> None:
        """Save the pending documents; ``listed`` False when they were too many to list already."""
        if pending is not None and len(pending) > _PENDING_MAX:
            pending = None
        if pending is None and not listed:
            return  # nothing changes until a rebuild
        self._set_meta(conn, "pending_documents", json.dumps(None if pending is None else sorted(pending)))
        self._set_meta(conn, "events_stale", "1" if pending is None or pending else "0")

    def fingerprint_missing(self) -> int:
        """Detect copies for documents stored without a fingerprint (older ledgers); how many were done.

        Documents are taken in order of publication, as if ingested then, one
        transaction each.
        """
        p, docs = schema.document_prints.c, schema.documents.c
        query = (
            select(docs.id, docs.published)
            .outerjoin(schema.document_prints, p.document_id == docs.id)
            .where(p.document_id.is_(None))
        )
        with self._errors(), self.engine.connect() as conn:
            missing = sorted(conn.execute(query), key=lambda r: (r.published or "9999", r.id))
        for row in missing:
            with self._errors(), self.engine.begin() as conn:
                text_ = conn.execute(select(docs.text).where(docs.id == row.id)).scalar_one()
                _record_copies(conn, copies.fingerprint(row.id, text_, row.published))
        return len(missing)

    def copies(self) -> list[copies.Copy]:
        """Every recorded copy: which document republishes which original."""
        t = schema.document_copies.c
        with self._errors(), self.engine.connect() as conn:
            rows = conn.execute(select(t.document_id, t.copy_of, t.similarity).order_by(t.document_id))
            return [copies.Copy(r.document_id, r.copy_of, r.similarity) for r in rows]

    def replace_events(self, events: Iterable[Event], problems: Sequence[Problem] = ()) -> int:
        """Replace every event with ``events`` in one transaction; returns how many.

        ``problems`` are the analysts' decisions that could not be applied
        (``curation_problems`` then lists them).
        """
        events = list(events)
        with self._errors(), self.engine.begin() as conn:
            conn.execute(delete(schema.event_claims))
            conn.execute(delete(schema.event_flows))
            conn.execute(delete(schema.events))
            _insert_events(conn, events)
            self._set_meta(conn, "curation_problems", _problems_json({p.decision_id: p for p in problems}))
            self._set_pending(conn, set())
        return len(events)

    def unchanged_events(self, events: Iterable[Event]) -> set[str]:
        """The ids of ``events`` stored already exactly as they are (same record, same claims)."""
        by_id = {e.id: e for e in events}
        ev, ec = schema.events.c, schema.event_claims.c
        stored: dict[str, str] = {}
        links: dict[str, list[int]] = {}
        with self._errors(), self.engine.connect() as conn:
            for chunk in _chunks(sorted(by_id), 500):
                stored.update(
                    (r.id, r.record) for r in conn.execute(select(ev.id, ev.record).where(ev.id.in_(chunk)))
                )
                for event_id, claim_id in conn.execute(
                    select(ec.event_id, ec.claim_id).where(ec.event_id.in_(chunk))
                ):
                    links.setdefault(event_id, []).append(claim_id)
        return {
            event_id
            for event_id, record in stored.items()
            if record == _event_row(by_id[event_id])["record"]
            and tuple(sorted(links.get(event_id, []))) == by_id[event_id].claim_ids
        }

    def replace_some_events(
        self,
        old_ids: Iterable[str],
        events: Iterable[Event],
        documents: Iterable[str] = (),
        decisions: Iterable[int] = (),
        problems: Sequence[Problem] = (),
    ) -> int:
        """Replace the events ``old_ids`` with ``events`` in one transaction (an incremental update).

        ``documents`` are the documents the update took in: once no stored
        document is left out of the events, the ledger is marked current.
        ``decisions`` are the ids of the decisions applied in building
        ``events``: their recorded problems are replaced by ``problems``.
        """
        events = list(events)
        gone = sorted(set(old_ids) | {e.id for e in events})
        with self._errors(), self.engine.begin() as conn:
            for chunk in _chunks(gone, 500):
                conn.execute(delete(schema.event_claims).where(schema.event_claims.c.event_id.in_(chunk)))
                conn.execute(delete(schema.event_flows).where(schema.event_flows.c.event_id.in_(chunk)))
                conn.execute(delete(schema.events).where(schema.events.c.id.in_(chunk)))
            _insert_events(conn, events)
            known = self._problems(conn)
            for decision_id in decisions:
                known.pop(decision_id, None)
            known.update({p.decision_id: p for p in problems})
            self._set_meta(conn, "curation_problems", _problems_json(known))
            pending = self._pending(conn)
            if pending is not None:
                self._set_pending(conn, pending - set(documents))
        return len(events)

    # -- the analysts' decisions ---------------------------------------------

    def add_decision(self, action: str, target: str, payload: dict[str, Any], who: str, why: str) -> int:
        """Append an analyst's decision to the audit log; its id. OptionError when it is malformed.

        The events and claims it names must exist now (NotFoundError; a split's
        claims must be in its event, OptionError). A ``revoke`` marks the
        decision it names as revoked, in the same transaction (NotFoundError
        when there is no such decision). Events are not rebuilt here:
        ``ledger.apply_decision`` does both.
        """
        payload = validate(action, target, payload, who, why)
        row = {
            "action": action,
            "target": target,
            "payload": json.dumps(payload, sort_keys=True),
            "who": who.strip(),
            "why": why.strip(),
            "created_at": _now(),
        }
        t = schema.curation.c
        with self._errors(), self.engine.begin() as conn:
            _check_targets(conn, action, target, payload)
            if action == "revoke":
                found = conn.execute(select(t.id, t.action, t.revoked_by).where(t.id == int(target))).first()
                if found is None or found.action == "revoke":
                    raise NotFoundError("decision", target)
                if found.revoked_by is not None:
                    raise StoreError(
                        self.url, f"decision {target} is revoked already (by {found.revoked_by})"
                    )
            inserted = conn.execute(insert(schema.curation).values(**row)).inserted_primary_key
            assert inserted is not None  # the table has an autoincrement key
            new_id = int(inserted[0])
            if action == "revoke":
                conn.execute(schema.curation.update().where(t.id == int(target)).values(revoked_by=new_id))
        return new_id

    def decisions(self) -> list[Decision]:
        """Every decision in the audit log, oldest first (revoked ones and revocations included)."""
        t = schema.curation.c
        with self._errors(), self.engine.connect() as conn:
            rows = conn.execute(select(schema.curation).order_by(t.id))
            return [
                Decision(
                    id=r.id,
                    action=r.action,
                    target=r.target,
                    payload=json.loads(r.payload),
                    who=r.who,
                    why=r.why,
                    created_at=r.created_at,
                    revoked_by=r.revoked_by,
                )
                for r in rows
            ]

    def decision(self, decision_id: int) -> Decision:
        """One decision, or NotFoundError."""
        found = [d for d in self.decisions() if d.id == decision_id]
        if not found:
            raise NotFoundError("decision", str(decision_id))
        return found[0]

    def curation_problems(self) -> list[Problem]:
        """The decisions that could not be applied when events were last built, and why."""
        with self._errors(), self.engine.connect() as conn:
            return sorted(self._problems(conn).values(), key=lambda p: p.decision_id)

    def _problems(self, conn: Connection) -> dict[int, Problem]:
        value = conn.execute(
            select(schema.meta.c.value).where(schema.meta.c.key == "curation_problems")
        ).scalar()
        return {int(k): Problem(int(k), v) for k, v in json.loads(value or "{}").items()}

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


def _check_targets(conn: Connection, action: str, target: str, payload: dict[str, Any]) -> None:
    """The events and claims a new decision names exist (and a split's claims are in its event)."""
    ev, ec, cl = schema.events.c, schema.event_claims.c, schema.claims.c
    if action in ("merge", "split", "set"):
        names = [target, *payload.get("events", [])]
        found = set(conn.execute(select(ev.id).where(ev.id.in_(names))).scalars())
        for name in names:
            if name not in found:
                raise NotFoundError("event", name)
    if action == "reject" and conn.execute(select(cl.id).where(cl.id == int(target))).first() is None:
        raise NotFoundError("claim", target)
    if action == "split":
        wanted = [int(x) for x in payload["claims"]]
        inside = set(
            conn.execute(select(ec.claim_id).where(ec.event_id == target, ec.claim_id.in_(wanted))).scalars()
        )
        if set(wanted) - inside:
            absent = ", ".join(str(x) for x in sorted(set(wanted) - inside))
            raise OptionError(
                "claims", f"claims {absent} are not in event {target} (`swapledger show` lists them)"
            )


def _insert_events(conn: Connection, events: Sequence[Event]) -> None:
    for chunk in _chunks(events, _BATCH):
        conn.execute(insert(schema.events), [_event_row(e) for e in chunk])
        flows = [_flow_row(e.id, f) for e in chunk for f in e.flows]
        if flows:
            conn.execute(insert(schema.event_flows), flows)
    links = ({"event_id": e.id, "claim_id": cid} for e in events for cid in e.claim_ids)
    for chunk in _chunks(links, 50_000):
        conn.execute(insert(schema.event_claims), chunk)


def _problems_json(problems: dict[int, Problem]) -> str:
    return json.dumps({str(k): p.reason for k, p in sorted(problems.items())})


def _pack(signature: Sequence[int]) -> bytes:
    return b"".join(int(v).to_bytes(8, "big") for v in signature)


def _unpack(blob: bytes) -> tuple[int, ...]:
    return tuple(np.frombuffer(blob, dtype=">u8").tolist())


def _record_copies(conn: Connection, fp: copies.Fingerprint) -> None:
    """Store a document's fingerprint and the copy relations it has with stored documents.

    Candidates come from the band index in one query. A copy points at the
    first original of its chain; when the new document is older than
    documents already stored that copy it, they (and their own copies) are
    pointed at it instead.
    """
    keys = fp.bands()
    conn.execute(
        insert(schema.document_prints), {"document_id": fp.document_id, "signature": _pack(fp.signature)}
    )
    conn.execute(
        insert(schema.document_bands),
        [{"document_id": fp.document_id, "band": i, "key": k} for i, k in enumerate(keys)],
    )
    b, cp = schema.document_bands.c, schema.document_copies.c
    near = conn.execute(
        select(b.document_id, cp.copy_of)
        .outerjoin(schema.document_copies, cp.document_id == b.document_id)
        .where(b.key.in_(keys), b.document_id != fp.document_id)
        .distinct()
    ).all()
    if not near:
        return
    root_of: dict[str, str | None] = {r.document_id: r.copy_of for r in near}
    # Originals first: a report republished fifty times is compared once, with its original;
    # the copies are compared one by one only where their original is not a match.
    candidates = _prints(conn, {root or doc for doc, root in root_of.items()})
    found = copies.match(fp, candidates.values())
    matched = {c.copy_of if c.document_id == fp.document_id else c.document_id for c in found}
    rest = sorted(doc for doc, root in root_of.items() if root is not None and root not in matched)
    if rest:
        extra = _prints(conn, rest)
        candidates.update(extra)
        found += copies.match(fp, extra.values())
    mine = [c for c in found if c.document_id == fp.document_id]
    root: str | None = None
    if mine:
        best = min(mine, key=lambda c: _order(candidates[c.copy_of]))
        root = root_of.get(best.copy_of) or best.copy_of
        conn.execute(
            insert(schema.document_copies),
            {"document_id": fp.document_id, "copy_of": root, "similarity": best.similarity},
        )
    new_root = root or fp.document_id
    for copy in found:
        if copy.copy_of != fp.document_id:
            continue
        current = root_of.get(copy.document_id)
        if current is not None and (current not in candidates or _order(candidates[current]) <= _order(fp)):
            continue  # it keeps the older original it has
        # Documents that copied the one now found to be a copy follow it to the older original.
        conn.execute(
            schema.document_copies.update().where(cp.copy_of == copy.document_id).values(copy_of=new_root)
        )
        conn.execute(delete(schema.document_copies).where(cp.document_id == copy.document_id))
        conn.execute(
            insert(schema.document_copies),
            {"document_id": copy.document_id, "copy_of": new_root, "similarity": copy.similarity},
        )


def _prints(conn: Connection, ids: Iterable[str]) -> dict[str, copies.Fingerprint]:
    """The stored fingerprints of these documents."""
    p, docs = schema.document_prints.c, schema.documents.c
    out: dict[str, copies.Fingerprint] = {}
    for chunk in _chunks(sorted(ids), 500):
        rows = conn.execute(
            select(p.document_id, p.signature, docs.published)
            .join(schema.documents, docs.id == p.document_id)
            .where(p.document_id.in_(chunk))
        )
        out.update(
            (r.document_id, copies.Fingerprint(r.document_id, r.published, _unpack(r.signature)))
            for r in rows
        )
    return out


def _order(fp: copies.Fingerprint) -> tuple[str, str]:
    return (fp.published or "9999", fp.document_id)


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
        "status": event_.status,
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
