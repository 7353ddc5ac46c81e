"""stories: index keys (LSH bands, story keys), near-duplicates, stories and their articles

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "index_keys",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("kind", "key", "item_id"),
    )
    op.create_index("ix_index_keys_lookup", "index_keys", ["kind", "key", "at"])
    op.create_index("ix_index_keys_item_id", "index_keys", ["item_id"])
    op.create_table(
        "near_duplicates",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("original_id", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["original_id"], ["items.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id"),
    )
    op.create_index("ix_near_duplicates_original_id", "near_duplicates", ["original_id"])
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stories_updated_at", "stories", ["updated_at"])
    op.create_table(
        "story_items",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id"),
    )
    op.create_index("ix_story_items_story_id", "story_items", ["story_id"])


def downgrade() -> None:
    op.drop_index("ix_story_items_story_id", table_name="story_items")
    op.drop_table("story_items")
    op.drop_index("ix_stories_updated_at", table_name="stories")
    op.drop_table("stories")
    op.drop_index("ix_near_duplicates_original_id", table_name="near_duplicates")
    op.drop_table("near_duplicates")
    op.drop_index("ix_index_keys_item_id", table_name="index_keys")
    op.drop_index("ix_index_keys_lookup", table_name="index_keys")
    op.drop_table("index_keys")
