"""room for sealed tokens

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 22:00:00.000000

Installs' tokens are now stored sealed (bot/tokens.py), which makes them about twice as long: a rotating token
sealed does not fit in 200 characters. The tokens already stored are sealed when the bot next starts (it holds
the key; a migration does not). Going down narrows the columns again, which fails on PostgreSQL while a
sealed token longer than 200 characters is stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def upgrade() -> None:
    _resize(sa.String(200), sa.String(1000))


def downgrade() -> None:
    _resize(sa.String(1000), sa.String(200))


def _resize(old: sa.String, new: sa.String) -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, existing_type=old, type_=new, existing_nullable=True)
