"""The install pieces that must agree with what they mirror: manifest scopes, slack_sdk's store tables."""

import sqlalchemy
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.fakeslack.manifest import manifest_scopes
from bot.installs import BOT_SCOPES, authorize_url
from models import slack_bots, slack_installations, slack_oauth_states


def shape(table: sqlalchemy.Table) -> list[tuple[str, str, bool]]:
    return [(c.name, repr(c.type), bool(c.nullable)) for c in table.columns]


def test_the_install_asks_for_exactly_the_manifests_scopes() -> None:
    assert frozenset(BOT_SCOPES) == manifest_scopes()


def test_our_migrated_tables_are_the_ones_slack_sdk_builds() -> None:
    metadata = sqlalchemy.MetaData()
    store = SQLAlchemyInstallationStore
    assert shape(store.build_installations_table(metadata, "slack_installations")) == shape(slack_installations)
    assert shape(store.build_bots_table(metadata, "slack_bots")) == shape(slack_bots)
    states = SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    assert shape(states) == shape(slack_oauth_states)


def test_the_authorize_page_sits_beside_the_web_api() -> None:
    assert authorize_url("https://slack.com/api/") == "https://slack.com/oauth/v2/authorize"
    assert authorize_url("http://127.0.0.1:9/api/") == "http://127.0.0.1:9/oauth/v2/authorize"
