"""Each workspace's bot token is stored sealed: the database, or a backup of it, gives nobody a token."""

from collections.abc import Iterator

import pytest
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Table, select, update

from bot.fakeslack import FakeSlack
from bot.tokens import workspace_tokens
from models import slack_bots, slack_installations
from services import directory
from tests.conftest import RunningBot, StartBot
from tests.e2e.test_installs import ALPHA_ORG, install_in, oauth_bot, with_installs  # noqa: F401


@pytest.fixture
def rotating(start_bot: StartBot, slack: FakeSlack) -> Iterator[RunningBot]:
    slack.rotate_tokens(lifetime=12 * 3600)
    yield from with_installs(start_bot, token_rotation=True)


def stored_text(bot: RunningBot) -> str:
    """Every value of every row of the install tables, as one text."""
    with bot.sessions() as session:
        rows = [row for table in (slack_installations, slack_bots) for row in session.execute(select(table)).all()]
    return " ".join(str(value) for row in rows for value in row)


def alpha_token(bot: RunningBot) -> str | None:
    assert bot.runtime.deps.tokens is not None
    with bot.sessions() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None
    bot.runtime.deps.tokens.forget(workspace.id)
    return bot.runtime.deps.tokens.token_for(workspace.id)


def test_a_bot_token_is_stored_sealed_and_serves_as_ever(oauth_bot: RunningBot) -> None:  # noqa: F811
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    [issued] = oauth_bot.slack.tokens_of("T0ALPHA")

    answer = alpha.command("U0AAGENT", "/boundaries")

    assert issued not in stored_text(oauth_bot)
    assert "sealed:" in stored_text(oauth_bot)
    assert answer.text and alpha_token(oauth_bot) == issued


def test_a_refresh_token_is_stored_sealed_too(rotating: RunningBot) -> None:
    install_in(rotating, "T0ALPHA", ALPHA_ORG)
    refresh = rotating.slack.state.installs._refresh

    assert refresh, "the install got a refresh token"
    assert not any(token in stored_text(rotating) for token in refresh)


def test_a_token_stored_in_clear_before_serves_until_it_is_sealed(oauth_bot: RunningBot) -> None:  # noqa: F811
    install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    [issued] = oauth_bot.slack.tokens_of("T0ALPHA")
    with oauth_bot.sessions.begin() as session:
        for table in (slack_installations, slack_bots):
            session.execute(clear(table, issued))

    assert alpha_token(oauth_bot) == issued


def test_a_token_stored_in_clear_before_is_sealed_when_the_bot_next_starts(oauth_bot: RunningBot) -> None:  # noqa: F811
    """A token that never rotates is never saved again: left in clear, every backup would hold it."""
    install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    [issued] = oauth_bot.slack.tokens_of("T0ALPHA")
    with oauth_bot.sessions.begin() as session:
        for table in (slack_installations, slack_bots):
            session.execute(clear(table, issued))

    tokens = workspace_tokens(oauth_bot.runtime.settings, oauth_bot.runtime.engine, oauth_bot.sessions)

    assert tokens is not None
    assert issued not in stored_text(oauth_bot)
    assert alpha_token(oauth_bot) == issued


def clear(table: Table, token: str) -> object:
    return update(table).where(table.c.team_id == "T0ALPHA").values(bot_token=token)


def test_a_token_sealed_under_another_client_secret_is_not_used(oauth_bot: RunningBot) -> None:  # noqa: F811
    """A new client secret cannot open the old seals: the workspace's messages wait for the app to be installed
    again rather than go out with garbage."""
    install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    with oauth_bot.sessions.begin() as session:
        for table in (slack_installations, slack_bots):
            session.execute(clear(table, "sealed:gAAAAABnot-a-seal-of-this-secret"))

    assert alpha_token(oauth_bot) is None


def test_a_long_rotating_token_fits_once_sealed(oauth_bot: RunningBot, database_url: str) -> None:  # noqa: F811
    """Slack's rotating tokens run to about 150 characters; sealed, twice that."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite keeps any length in a VARCHAR column: only PostgreSQL holds a column to its width")
    assert oauth_bot.runtime.deps.tokens is not None
    store = oauth_bot.runtime.deps.tokens.store
    token, refresh = "xoxe.xoxb-1-" + "M" * 150, "xoxe-1-" + "R" * 150
    store.save(
        Installation(
            app_id="A0LATITUDE",
            team_id="T0ALPHA",
            user_id="U0AHR",
            bot_token=token,
            bot_refresh_token=refresh,
            bot_token_expires_in=43200,
        )
    )

    found = store.find_installation(enterprise_id=None, team_id="T0ALPHA")

    assert found is not None and (found.bot_token, found.bot_refresh_token) == (token, refresh)
    assert token not in stored_text(oauth_bot)
