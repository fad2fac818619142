"""API tokens for writing through the HTTP API (only a hash of each token is kept); documents by date.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("last_used_at", sa.String(32)),
        sa.Column("revoked_at", sa.String(32)),
    )
    # The API lists documents newest first, a page at a time (keyset on published, id).
    op.create_index("ix_documents_published", "documents", ["published", "id"])


def downgrade() -> None:
    op.drop_index("ix_documents_published", "documents")
    op.drop_table("api_tokens")
