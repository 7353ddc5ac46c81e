"""rendered: article bodies sanitised once (``safe_html``, ``safe_lead``), the public order
index with the id for keyset pages (and per source, with the item's ``source_id`` copied into
``translations``), and ``updated_at`` indexes for selective cache invalidation

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


# Columns are added and dropped in place (SQLite >= 3.35), never through a batch copy: that
# would drop the full-text triggers on ``translations`` and cascade deletes (see 0003, 0010).
_COLUMNS = (("translations", "safe_html"), ("translations", "safe_lead"),
            ("articles", "safe_html"))


def upgrade() -> None:
    for table, name in _COLUMNS:
        op.add_column(table, sa.Column(name, sa.Text(), nullable=True))
    op.add_column("translations", sa.Column("source_id", sa.Integer(), nullable=True))
    op.execute("UPDATE translations SET source_id = "
               "(SELECT items.source_id FROM items WHERE items.id = translations.item_id)")
    op.create_index("ix_translations_source_order", "translations",
                    ["source_id", "lang", "status", "published_at", "id"])
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
    op.drop_index("ix_translations_source_order", table_name="translations")
    op.drop_column("translations", "source_id")
    for table, name in reversed(_COLUMNS):
        op.drop_column(table, name)
