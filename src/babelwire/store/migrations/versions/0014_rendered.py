"""rendered: article bodies sanitised once (``safe_html``, ``safe_lead``), the public order
index with the id for keyset pages, and ``updated_at`` indexes for selective cache invalidation

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("translations") as batch:
        batch.add_column(sa.Column("safe_html", sa.Text(), nullable=True))
        batch.add_column(sa.Column("safe_lead", sa.Text(), nullable=True))
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("safe_html", sa.Text(), nullable=True))
    op.drop_index("ix_translations_lang_status", table_name="translations")
    op.create_index("ix_translations_lang_status_order", "translations",
                    ["lang", "status", "published_at", "id"])
    op.create_index("ix_translations_updated_at", "translations", ["updated_at"])
    op.create_index("ix_items_updated_at", "items", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_items_updated_at", table_name="items")
    op.drop_index("ix_translations_updated_at", table_name="translations")
    op.drop_index("ix_translations_lang_status_order", table_name="translations")
    op.create_index("ix_translations_lang_status", "translations",
                    ["lang", "status", "published_at"])
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("safe_html")
    with op.batch_alter_table("translations") as batch:
        batch.drop_column("safe_lead")
        batch.drop_column("safe_html")
