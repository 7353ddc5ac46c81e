"""glossary terms in the store

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "glossary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=300), nullable=False),
        sa.Column("source_lang", sa.String(length=16), nullable=False),
        sa.Column("target_lang", sa.String(length=16), nullable=False),
        sa.Column("translation", sa.Text(), nullable=True),
        sa.Column("case_sensitive", sa.Boolean(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("term", "source_lang", "target_lang", "source_id",
                            name="uq_glossary_term"),
    )
    with op.batch_alter_table("glossary", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_glossary_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("glossary", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_glossary_source_id"))
    op.drop_table("glossary")
