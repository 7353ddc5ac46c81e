"""search newest: an index that tells whether a translation is public and in which language
without reading its row, so that a search can walk its newest matches cheaply
(``store.search`` ranks only the newest ``NEWEST``)

SQLite: ``ix_translations_search_public`` (id, lang, status, item_id). The walk looks up each
full-text match by id; the row itself holds the status past the bodies, a read of several
pages where the index entry is a few bytes. PostgreSQL: nothing to do (its search filters the
language and status beside the ``tsvector``'s GIN index).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_INDEX = "ix_translations_search_public"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.create_index(_INDEX, "translations", ["id", "lang", "status", "item_id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index(_INDEX, table_name="translations")
