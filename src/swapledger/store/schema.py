"""The database tables, as SQLAlchemy Core metadata (the migrations build them)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("published", String(10)),
    Column("language", String(8)),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("n_claims", Integer, nullable=False),
    Column("extractor_version", String(16), nullable=False),
    Column("ingested_at", String(32), nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("category", String(16), nullable=False),
    Column("from_side", String(8)),
    Column("to_side", String(8)),
    Column("count", Integer),
    Column("qualifier", String(16), nullable=False),
    Column("event_date", String(10)),
    Column("attributed_to", Text),
    Column("agreement", String(64)),
    Column("mediators", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("quote", Text, nullable=False),
    Column("date_note", Text),
    Column("extractor_version", String(16), nullable=False),
    Index("ix_claims_document", "document_id"),
    Index("ix_claims_kind_category_date", "kind", "category", "event_date"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("category", String(16), nullable=False),
    Column("date", String(10), nullable=False),
    Column("agreement", String(64)),
    Column("mediators", Text, nullable=False),
    Column("n_documents", Integer, nullable=False),
    Column("n_claims", Integer, nullable=False),
    Column("disputed", Boolean, nullable=False),
    Column("record", Text, nullable=False),
    Column("status", String(16), nullable=False, server_default="completed"),
    Index("ix_events_date", "date"),
)

event_flows = Table(
    "event_flows",
    metadata,
    Column("event_id", String(64), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("direction", String(20), primary_key=True),
    Column("from_side", String(8)),
    Column("to_side", String(8)),
    Column("best", Integer),
    Column("low", Integer),
    Column("high", Integer),
    Column("n_sources", Integer, nullable=False),
    Column("rule", Text, nullable=False),
)

event_claims = Table(
    "event_claims",
    metadata,
    Column("event_id", String(64), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_event_claims_claim", "claim_id"),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Feeds that `swapledger watch` polls: the validators for conditional requests
# and the back-off after errors, so that a cron job running `--once` is as
# polite as a long-running watcher.
feeds = Table(
    "feeds",
    metadata,
    Column("url", Text, primary_key=True),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("failures", Integer, nullable=False),
    Column("retry_at", String(32)),  # ISO time in UTC; not polled before it
    Column("last_error", Text),
    Column("last_polled_at", String(32)),
    Column("last_changed_at", String(32)),
)

# Every item seen in a watched feed, keyed by its guid (else its link) within
# the feed; `pending` and `failed` items are (re)tried, `done` and `given_up`
# never again.
feed_items = Table(
    "feed_items",
    metadata,
    Column("feed_url", Text, ForeignKey("feeds.url", ondelete="CASCADE"), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("link", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("content", Text),  # the feed's full text, kept until the item is done
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="SET NULL")),
    Column("first_seen_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Index("ix_feed_items_status", "status"),
)

# Copy detection (resolve/copies.py): each document's MinHash signature and
# its band keys, indexed so that the candidates of a new document are one
# query away; and which document republishes which.
document_prints = Table(
    "document_prints",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)

document_bands = Table(
    "document_bands",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("band", Integer, primary_key=True),
    Column("key", BigInteger, nullable=False),
    Index("ix_document_bands_key", "key"),
)

document_copies = Table(
    "document_copies",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("copy_of", String(16), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("similarity", Float, nullable=False),
    Index("ix_document_copies_copy_of", "copy_of"),
)

# The analysts' decisions (merge, split, reject, set): an append-only audit
# log, applied every time events are built, so it survives every rebuild. A
# decision is withdrawn by a later one that names it in `revoked_by`.
curation = Table(
    "curation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(16), nullable=False),
    Column("target", Text, nullable=False),
    Column("payload", Text, nullable=False),  # JSON: the decision's arguments
    Column("who", Text, nullable=False),
    Column("why", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked_by", Integer),
)

# Findings are derived with events and replaced with them.
findings = Table(
    "findings",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("event_id", String(64)),
    Column("summary", Text, nullable=False),
    Column("record", Text, nullable=False),  # JSON: the claims and quotes behind it
    Index("ix_findings_kind", "kind"),
    Index("ix_findings_event", "event_id"),
)

# Tokens that may write through the HTTP API (store/tokens.py): only the
# SHA-256 of each token is kept, so a stolen database gives no working token.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("last_used_at", String(32)),
    Column("revoked_at", String(32)),
)

# The API lists documents newest first, a page at a time (keyset on published, id).
Index("ix_documents_published", documents.c.published, documents.c.id)
