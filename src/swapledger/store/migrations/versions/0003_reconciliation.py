"""Reconciliation: copy detection, the analysts' audit log, findings, event status.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

_DOC = "documents.id"

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_prints",
        sa.Column("document_id", sa.String(16), sa.ForeignKey(_DOC, ondelete="CASCADE"), primary_key=True),
        sa.Column("signature", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "document_bands",
        sa.Column("document_id", sa.String(16), sa.ForeignKey(_DOC, ondelete="CASCADE"), primary_key=True),
        sa.Column("band", sa.Integer, primary_key=True),
        sa.Column("key", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_document_bands_key", "document_bands", ["key"])
    op.create_table(
        "document_copies",
        sa.Column("document_id", sa.String(16), sa.ForeignKey(_DOC, ondelete="CASCADE"), primary_key=True),
        sa.Column("copy_of", sa.String(16), sa.ForeignKey(_DOC, ondelete="CASCADE"), nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
    )
    op.create_index("ix_document_copies_copy_of", "document_copies", ["copy_of"])
    op.create_table(
        "curation",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked_by", sa.Integer),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(64)),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("ix_findings_kind", "findings", ["kind"])
    op.create_index("ix_findings_event", "findings", ["event_id"])
    op.add_column("events", sa.Column("status", sa.String(16), nullable=False, server_default="completed"))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("status")
    op.drop_index("ix_findings_event", "findings")
    op.drop_index("ix_findings_kind", "findings")
    op.drop_table("findings")
    op.drop_table("curation")
    op.drop_index("ix_document_copies_copy_of", "document_copies")
    op.drop_table("document_copies")
    op.drop_index("ix_document_bands_key", "document_bands")
    op.drop_table("document_bands")
    op.drop_table("document_prints")
