"""title marks: a translation's title as HTML, its words left in another language marked
(``translations.title_html``), as its body already has them

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


# Added and dropped in place, never through a batch copy (see 0014).
def upgrade() -> None:
    op.add_column("translations", sa.Column("title_html", sa.Text(), nullable=False,
                                            server_default=""))


def downgrade() -> None:
    op.drop_column("translations", "title_html")
