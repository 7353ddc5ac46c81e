"""editors: access tokens, login sessions, translation reviews, human-edited flag

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_admin_tokens_name", "admin_tokens", ["name"])
    op.create_table(
        "admin_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["token_id"], ["admin_tokens.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index("ix_admin_sessions_token_id", "admin_sessions", ["token_id"])
    op.create_table(
        "translation_reviews",
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("machine_title", sa.Text(), nullable=False),
        sa.Column("machine_html", sa.Text(), nullable=False),
        sa.Column("edited_html", sa.Text(), nullable=False),
        sa.Column("edited_by", sa.String(length=100), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["translation_id"], ["translations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("translation_id"),
    )
    # A plain ADD COLUMN, not a batch operation: on SQLite a batch would copy and recreate the
    # translations table, dropping the full-text triggers migration 0002 put on it.
    op.add_column("translations", sa.Column("human_edited", sa.Boolean(), nullable=False,
                                            server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("translations", "human_edited")  # SQLite >= 3.35 drops columns in place
    op.drop_table("translation_reviews")
    op.drop_index("ix_admin_sessions_token_id", table_name="admin_sessions")
    op.drop_table("admin_sessions")
    op.drop_index("ix_admin_tokens_name", table_name="admin_tokens")
    op.drop_table("admin_tokens")
