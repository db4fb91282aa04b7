"""The tables of slack_sdk's SQLAlchemy installation and OAuth state stores, on our metadata.

slack_sdk builds these tables itself (`SQLAlchemyInstallationStore.build_*_table`); they are
declared here, column for column, so that Alembic owns them like every other table. bot/ hands
them to the stores, and a test checks they still match what slack_sdk builds.
"""

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Table, func

from models.base import Base


def _bot_columns() -> list[Column[object]]:
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
    ]


TOKEN_LENGTH = 1000
"""Room for a token sealed (bot/tokens.py): a rotating token of 150 characters takes about 300."""


def _team_bot_columns() -> list[Column[object]]:
    """The workspace and its bot token: the same columns, in the same order, in both tables."""
    return [
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        Column("bot_token", String(TOKEN_LENGTH)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", String(TOKEN_LENGTH)),
        Column("bot_token_expires_at", DateTime),
    ]


slack_installations = Table(
    "slack_installations",
    Base.metadata,
    *_bot_columns(),
    Column("enterprise_url", String(200)),
    *_team_bot_columns(),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(TOKEN_LENGTH)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(TOKEN_LENGTH)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)

slack_bots = Table(
    "slack_bots",
    Base.metadata,
    *_bot_columns(),
    *_team_bot_columns(),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    "slack_oauth_states",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
