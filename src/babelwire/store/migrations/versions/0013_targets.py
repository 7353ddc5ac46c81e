"""targets: sites babelwire publishes into, and each translation's post on each of them

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("password_file", sa.String(length=2048), nullable=False),
        sa.Column("languages", sa.String(length=200), nullable=False),
        sa.Column("drafts", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )
    op.create_table(
        "target_posts",
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("want", sa.String(length=16), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("done", sa.String(length=16), nullable=False),
        sa.Column("done_version", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=True),
        sa.Column("sort_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_id"], ["targets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("target_id", "item_id", "lang"),
    )
    op.create_index("ix_target_posts_item_id", "target_posts", ["item_id"])
    op.create_index("ix_target_posts_work", "target_posts", ["target_id", "failed", "sort_at"])


def downgrade() -> None:
    op.drop_index("ix_target_posts_work", table_name="target_posts")
    op.drop_index("ix_target_posts_item_id", table_name="target_posts")
    op.drop_table("target_posts")
    op.drop_table("targets")
