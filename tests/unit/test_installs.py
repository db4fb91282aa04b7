"""The install pieces that must agree with what they mirror: manifest scopes, slack_sdk's store tables."""

import sqlalchemy
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.fakeslack.manifest import manifest_scopes
from bot.installs import BOT_SCOPES, authorize_url
from bot.tokens import SECRET_FIELDS
from models import slack_bots, slack_installations, slack_oauth_states
from models.slack_installations import TOKEN_LENGTH


def shape(table: sqlalchemy.Table) -> list[tuple[str, str, bool]]:
    return [(c.name, repr(c.type), bool(c.nullable)) for c in table.columns]


def sealed(table: sqlalchemy.Table) -> list[tuple[str, str, bool]]:
    """slack_sdk's table with room for sealed tokens (bot/tokens.py), as our migrations make it."""
    wide = repr(sqlalchemy.String(TOKEN_LENGTH))
    return [(name, wide if name in SECRET_FIELDS else kind, nullable) for name, kind, nullable in shape(table)]


def test_the_install_asks_for_exactly_the_manifests_scopes() -> None:
    assert frozenset(BOT_SCOPES) == manifest_scopes()


def test_our_migrated_tables_are_the_ones_slack_sdk_builds() -> None:
    metadata = sqlalchemy.MetaData()
    store = SQLAlchemyInstallationStore
    assert sealed(store.build_installations_table(metadata, "slack_installations")) == shape(slack_installations)
    assert sealed(store.build_bots_table(metadata, "slack_bots")) == shape(slack_bots)
    states = SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    assert shape(states) == shape(slack_oauth_states)


def test_the_authorize_page_sits_beside_the_web_api() -> None:
    assert authorize_url("https://slack.com/api/") == "https://slack.com/oauth/v2/authorize"
    assert authorize_url("http://127.0.0.1:9/api/") == "http://127.0.0.1:9/oauth/v2/authorize"
