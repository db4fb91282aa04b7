"""With one bot token, someone from another workspace (a shared channel) is told Latitude is not theirs."""

import logging

import pytest
from sqlalchemy import select

from bot.fakeslack import SlackDriver
from bot.server import EVENTS_PATH
from handlers.one_workspace import SERVES_ANOTHER_WORKSPACE
from models import Employee, Resolution, Workspace
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.helpers import count, load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def from_another_workspace(bot: RunningBot) -> SlackDriver:
    bot.slack.add_user("U0EXT", "Eve Elsewhere", team_id="T0OTHER")
    return SlackDriver(
        bot.events_url + EVENTS_PATH, SIGNING_SECRET, bot.slack, settle=bot.driver._settle, team_id="T0OTHER"
    )


def only_the_tokens_workspace_is_known(bot: RunningBot) -> None:
    with bot.sessions() as session:
        assert session.scalars(select(Workspace.slack_team_id)).all() == ["T0LATITUDE"]
        assert session.scalar(select(Employee).where(Employee.slack_id == "U0EXT")) is None


def test_a_command_from_another_workspace_is_refused_and_starts_no_directory(
    ready: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    elsewhere = from_another_workspace(ready)

    with caplog.at_level(logging.WARNING):
        reply = elsewhere.command("U0EXT", "/resolve", "refund 20 order 7 late")

    assert SERVES_ANOTHER_WORKSPACE in reply.text
    assert "refused a command from workspace T0OTHER: this install serves T0LATITUDE" in caplog.text
    only_the_tokens_workspace_is_known(ready)
    with ready.sessions() as session:
        assert count(session, Resolution) == 0


def test_a_click_from_another_workspace_changes_nothing_and_says_why(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "refund 900 order 42 parcel lost in transit")
    [request] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    elsewhere = from_another_workspace(ready)

    elsewhere.click("U0EXT", request, "resolution_approve")

    [refusal] = ready.slack.calls("response_url")
    assert SERVES_ANOTHER_WORKSPACE in refusal.text
    only_the_tokens_workspace_is_known(ready)
    with ready.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["pending"]


def test_the_app_home_opened_from_another_workspace_is_not_published(ready: RunningBot) -> None:
    elsewhere = from_another_workspace(ready)

    elsewhere.open_home("U0EXT")

    assert ready.slack.calls("views.publish") == []
    only_the_tokens_workspace_is_known(ready)


def test_people_of_the_tokens_own_workspace_are_served_as_before(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/boundaries")

    assert SERVES_ANOTHER_WORKSPACE not in reply.text
    assert "refund" in reply.text


def test_someone_of_another_workspace_met_in_a_shared_channel_is_not_taken_into_the_directory(
    ready: RunningBot,
) -> None:
    """Slack answers `users.info` about an external member of a Slack Connect channel, as of their own workspace."""
    ready.slack.add_user(
        "U0EXT", "Eve Elsewhere", team_id="T0OTHER", email="eve@other.example", connected_to=("T0LATITUDE",)
    )

    ready.driver.command("U0AGENT1", "/nominate", "<@U0EXT|eve> praise for helping our customer")

    [answer] = ready.slack.calls("response_url")
    assert "not an active member of this workspace" in answer.text
    assert ready.slack.messages_to("U0EXT") == []
    only_the_tokens_workspace_is_known(ready)
