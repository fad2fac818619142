"""Watched feeds: their validators and back-off, and the items seen in them.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("retry_at", sa.String(32)),
        sa.Column("last_error", sa.Text),
        sa.Column("last_polled_at", sa.String(32)),
        sa.Column("last_changed_at", sa.String(32)),
    )
    op.create_table(
        "feed_items",
        sa.Column("feed_url", sa.Text, sa.ForeignKey("feeds.url", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("link", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("content", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("document_id", sa.String(16), sa.ForeignKey("documents.id", ondelete="SET NULL")),
        sa.Column("first_seen_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_feed_items_status", "feed_items", ["status"])


def downgrade() -> None:
    op.drop_index("ix_feed_items_status", "feed_items")
    op.drop_table("feed_items")
    op.drop_table("feeds")
