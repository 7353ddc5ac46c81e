"""article keywords and summary; names kept per source and language

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("keywords", sa.Text(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("summary", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "known_names",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source_id", "lang", "name"),
    )
    op.create_index("ix_known_names_lang_count", "known_names", ["lang", "count"])


def downgrade() -> None:
    op.drop_index("ix_known_names_lang_count", table_name="known_names")
    op.drop_table("known_names")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("summary")
        batch.drop_column("keywords")
