"""rights of each page (licence, access, robots) and the republishing mode declared per source

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("robots_tag", sa.Text(), nullable=False, server_default="[]"))
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("license", sa.String(length=2048), nullable=True))
        batch.add_column(sa.Column("access", sa.String(length=16), nullable=False,
                                   server_default="unknown"))
        batch.add_column(sa.Column("robots", sa.Text(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("rights_problems", sa.Text(), nullable=False,
                                   server_default="[]"))
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("republish", sa.String(length=16), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("republish_reason", sa.Text(), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("republish_reason")
        batch.drop_column("republish")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("rights_problems")
        batch.drop_column("robots")
        batch.drop_column("access")
        batch.drop_column("license")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("robots_tag")
