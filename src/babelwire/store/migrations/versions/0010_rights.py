"""rights of each page (licence, access, robots) and the republishing mode declared per source

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


# Columns are added and dropped in place (SQLite >= 3.35): a batch copy of ``sources`` would
# drop the table, and with it, through ON DELETE CASCADE, every item of every source.
def _columns() -> tuple[tuple[str, sa.Column[Any]], ...]:
    """The new columns, made anew for each run (a column belongs to one table object)."""
    return (
        ("documents", sa.Column("robots_tag", sa.Text(), nullable=False, server_default="[]")),
        ("articles", sa.Column("license", sa.String(length=2048), nullable=True)),
        ("articles", sa.Column("access", sa.String(length=16), nullable=False,
                               server_default="unknown")),
        ("articles", sa.Column("robots", sa.Text(), nullable=False, server_default="[]")),
        ("articles", sa.Column("rights_problems", sa.Text(), nullable=False, server_default="[]")),
        ("sources", sa.Column("republish", sa.String(length=16), nullable=False,
                              server_default="")),
        ("sources", sa.Column("republish_reason", sa.Text(), nullable=False, server_default="")),
    )


def upgrade() -> None:
    for table, column in _columns():
        op.add_column(table, column)


def downgrade() -> None:
    for table, column in reversed(_columns()):
        op.drop_column(table, column.name)
