"""token buckets of the login and API throttles, shared by every serve process

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttles",
        sa.Column("scope", sa.String(length=120), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
        sa.Column("full_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "client"),
    )
    op.create_index("ix_throttles_full_at", "throttles", ["full_at"])


def downgrade() -> None:
    op.drop_index("ix_throttles_full_at", table_name="throttles")
    op.drop_table("throttles")
