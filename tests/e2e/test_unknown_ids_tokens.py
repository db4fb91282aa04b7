"""Slack is asked of someone a Home was refused for with their own workspace's token, whatever token the Home went
with: another workspace's token would have Slack answer `user_not_found` of a right id, and HR told to fix it."""

import logging

import pytest
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from handlers.delivery import Outgoing, queue, send_now
from handlers.delivery_refusals import PUBLISH
from handlers.derived_clients import with_token
from handlers.home_reader_asks import ReaderAsks
from handlers.home_readers import Verdict
from models import AuditEvent
from services import directory
from services.unknown_ids import MARKED
from tests.conftest import RunningBot
from tests.e2e.test_installs import ALPHA_ORG, BETA_ORG, install_in, oauth_bot  # noqa: F401


def test_a_home_sent_with_another_workspaces_token_is_asked_of_with_its_own_and_tells_hr_nothing(
    oauth_bot: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    install_in(oauth_bot, "T0BETA", BETA_ORG)
    [alpha_token], [beta_token] = oauth_bot.slack.tokens_of("T0ALPHA"), oauth_bot.slack.tokens_of("T0BETA")
    with oauth_bot.sessions.begin() as session:
        beta = directory.find_workspace(session, "T0BETA")
        assert beta is not None
        home = Outgoing("home-test:U0BAGENT", PUBLISH, {"user_id": "U0BAGENT", "view": {"type": "home", "blocks": []}})
        held = queue(session, workspace_id=beta.id, messages=[home], now=oauth_bot.clock.now())
    alphas_client = with_token(oauth_bot.runtime.app.client, alpha_token)

    with caplog.at_level(logging.INFO):
        send_now(oauth_bot.runtime.deps, alphas_client, held)

    assert [call.token for call in oauth_bot.slack.calls("users.info", user="U0BAGENT")] == [beta_token]
    assert any("Slack refused the Home of someone it knows" in r.message for r in caplog.records)
    assert oauth_bot.slack.messages_to("U0BHR") == []
    with oauth_bot.sessions() as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == MARKED)).all() == []
    assert all("the token of T0ALPHA used for U0BAGENT" in said for said in oauth_bot.slack.violations)
    oauth_bot.slack.violations.clear()  # the wrong token this test sends the Home with


def test_a_database_failure_reading_the_workspaces_token_leaves_the_person_unconfirmed(bot: RunningBot) -> None:
    """A listener's send reads the workspace's token from the database: failing, Slack is not asked and nobody is
    marked."""

    def token_unreadable(client: WebClient, workspace_id: int) -> WebClient | None:
        raise OperationalError("SELECT token", {}, Exception("server closed the connection"))

    readers = ReaderAsks(bot.runtime.deps.pacer, own=token_unreadable)
    verdict = readers.log_refused(bot.runtime.app.client, 1, "delivery home-test:U0AGENT2", "U0AGENT2")

    assert verdict == Verdict(unconfirmed="no token of the workspace (OperationalError)")
    assert bot.slack.calls("users.info") == []
