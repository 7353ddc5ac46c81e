"""pages remembered per site for template learning

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_template_pages",
        sa.Column("site", sa.String(length=300), nullable=False),
        sa.Column("page_key", sa.String(length=2048), nullable=False),
        sa.Column("blocks", sa.Text(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("site", "page_key"),
    )
    op.create_index("ix_site_template_pages_site_seen", "site_template_pages",
                    ["site", "seen_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_site_template_pages_site_seen", table_name="site_template_pages")
    op.drop_table("site_template_pages")
