"""A workspace set up with one SLACK_BOT_TOKEN, then the switch to OAuth installs to add another: until the first is
installed through /slack/install it is stopped as by an uninstall, its people are told so in words they can act on,
the log names it at start, and its data serves again once it is installed."""

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from bot.fakeslack.browser import install
from bot.fakeslack.server import CLIENT_ID, CLIENT_SECRET
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.run_pulse_rounds import run_pulse_rounds
from models import Resolution
from tests.conftest import RunningBot, SharedEngines, bot_settings, running_bot
from tests.e2e.test_installs import ALPHA_ORG, install_in
from tests.helpers import load_org_and_policy


@pytest.fixture
def switched_to_oauth(
    slack: FakeSlack,
    sessions: sessionmaker[Session],
    database_url: str,
    clock: MovableClock,
    bot_engines: SharedEngines | None,
) -> Iterator[RunningBot]:
    """The bot with one bot token served T0LATITUDE (its org, policy and a request waiting on a manager); now it
    runs with OAuth installs on the same database."""
    for first in running_bot(bot_settings(slack, database_url), slack, clock, bot_engines):
        load_org_and_policy(first.sessions, clock.now())
        first.driver.command("U0AGENT1", "/resolve", "refund 70 order 1234 arrived late")
    oauth = bot_settings(
        slack, database_url, slack_bot_token="", slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET
    )
    for bot in running_bot(oauth, slack, clock, bot_engines):
        slack.set_redirect_url(bot.events_url + "/slack/oauth_redirect")
        yield bot


@pytest.fixture
def start_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="bot.installs")
    return caplog


def test_the_start_names_the_workspace_set_up_with_one_token_and_where_to_install_it(
    start_log: pytest.LogCaptureFixture, switched_to_oauth: RunningBot
) -> None:
    warnings = [record.getMessage() for record in start_log.get_records("setup") if record.name == "bot.installs"]

    assert any("T0LATITUDE has no OAuth install" in text and "/slack/install" in text for text in warnings)


def test_someone_of_that_workspace_is_told_an_admin_must_install_it_not_to_reinstall_it_themselves(
    switched_to_oauth: RunningBot,
) -> None:
    bot = switched_to_oauth

    command = bot.driver.command("U0AGENT1", "/boundaries")
    home = bot.driver.open_home("U0AGENT1")

    for reply in (command.text + " ".join(call.text for call in bot.slack.calls("response_url")), home.text):
        assert "Latitude is not installed in this workspace just now, so nothing was done" in reply
        assert "a Slack admin" in reply
        assert "unknown reason" not in reply and "Please reinstall this app" not in reply


def test_once_installed_through_oauth_the_first_workspace_serves_with_its_data_and_the_second_beside_it(
    switched_to_oauth: RunningBot,
) -> None:
    bot = switched_to_oauth
    bot.slack.add_workspace("T0BETA", "Beta")
    beta = install_in(bot, "T0BETA", ALPHA_ORG)
    bot.slack.add_user("U0AGENT1", "Sam Agent")
    bot.slack.installing(team_id="T0LATITUDE", user_id="U0AGENT1")

    assert install(bot.events_url).status == 200
    reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 1234 arrived late")

    assert "Sent your refund of $20 to Maya Manager" in reply.text
    assert "refund $70 (pending)" in reply.text  # the request made with the bot token is still there
    assert "Logged your *refund* of $20" in beta.command("U0AAGENT", "/resolve", "refund 20 order 9 late").text
    with bot.sessions() as session:
        assert len(session.scalars(select(Resolution)).all()) == 3


def test_a_pulse_round_due_before_the_first_workspace_is_installed_asks_its_people_once_it_is(
    switched_to_oauth: RunningBot,
) -> None:
    bot = switched_to_oauth
    bot.clock.advance(timedelta(hours=8))  # the policy's Monday 10:00 has come everywhere

    pulse_tick(bot)
    asked_before = pulse_messages(bot, "U0AGENT1")
    bot.slack.add_user("U0AGENT1", "Sam Agent")
    bot.slack.installing(team_id="T0LATITUDE", user_id="U0AGENT1")
    assert install(bot.events_url).status == 200
    bot.clock.advance(timedelta(minutes=1))
    pulse_tick(bot)

    assert asked_before == []
    asked = pulse_messages(bot, "U0AGENT1")
    assert len(asked) == 1 and "Reminder" not in asked[0]


def pulse_tick(bot: RunningBot) -> None:
    run_pulse_rounds(bot.runtime.deps, bot.runtime.sender_client)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def pulse_messages(bot: RunningBot, user_id: str) -> list[str]:
    return [call.text for call in bot.slack.messages_to(user_id) if "Team pulse" in call.text]
