"""With one bot token, someone from another workspace (a shared channel) is told Latitude is not theirs."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.fakeslack import SlackDriver
from bot.server import EVENTS_PATH
from handlers.blocks import suggestions as suggestion_blocks
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from handlers.jobs.send_weekly_digests import send_digests
from handlers.one_workspace import SERVES_ANOTHER_WORKSPACE
from models import Employee, Resolution, SuggestionBacker, Workspace
from services import directory
from tests.conftest import SIGNING_SECRET, RunningBot, bot_settings
from tests.helpers import count, load_org_and_policy
from tests.suggestions_helpers import load_suggestion_org


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

    elsewhere.click("U0EXT", request, "resolution_approve", forged=True)

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


def test_a_me_too_from_an_outsider_in_a_shared_team_channel_counts_for_nothing_and_adds_nobody(
    bot: RunningBot,
) -> None:
    """The team channel is a Slack Connect channel: Slack sends the click through this workspace, with the person's
    own workspace in `user.team_id`. Counted, they would read as a colleague backing the idea, and join the
    directory as frontline staff."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0EXT", "Eve Elsewhere", team_id="T0OTHER", connected_to=("T0LATITUDE",))
    bot.driver.command("U0AGENT1", "/suggest", "the returns desk needs a second card reader")
    post = bot.slack.calls("chat.postMessage", channel="C0EAST")[-1]
    before = len(bot.slack.calls())

    bot.driver.click("U0EXT", post, suggestion_blocks.BACK)

    after = bot.slack.calls()[before:]
    assert [call.method for call in after] == ["response_url"], "the post and the manager's card stay as they were"
    assert "Slack says you belong to another one" in after[0].text
    assert after[0].args["response_type"] == "ephemeral"
    only_the_tokens_workspace_is_known(bot)
    with bot.sessions() as session:
        assert count(session, SuggestionBacker) == 0


def test_someone_of_the_org_file_whose_home_is_another_workspace_still_backs_an_idea(bot: RunningBot) -> None:
    """A Grid member of several workspaces clicks with their home workspace in `user.team_id`: the directory knows
    them, so they are served."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT3", "Ines Agent", teams=("T0OTHER", "T0LATITUDE"), enterprise_id="E0GROUP")
    bot.driver.command("U0AGENT1", "/suggest", "the returns desk needs a second card reader")
    post = bot.slack.calls("chat.postMessage", channel="C0EAST")[-1]

    bot.driver.click("U0AGENT3", post, suggestion_blocks.BACK)

    [answer] = bot.slack.calls("response_url")
    assert "You back suggestion #1" in answer.text
    with bot.sessions() as session:
        assert count(session, SuggestionBacker) == 1


def test_a_bot_token_of_another_workspace_ends_all_sending_for_the_first_one(
    ready: RunningBot, database_url: str
) -> None:
    """The operator puts another workspace's token in `.env`, on the same database: what the first workspace holds
    must not go out through the other workspace's bot, not even to someone in both (a Grid user)."""
    ready.slack.add_user("U0MGR1", "Maya Manager", teams=("T0LATITUDE", "T0NEW"), enterprise_id="E0GROUP")
    ready.driver.command("U0AGENT1", "/resolve", "refund 900 order 42 parcel lost in transit")  # waits on Maya
    new_token = ready.slack.add_workspace("T0NEW", "Elsewhere", enterprise_id="E0GROUP")
    restarted = ready.another_runtime(bot_settings(ready.slack, database_url, slack_bot_token=new_token))
    try:
        ready.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(restarted.deps, restarted.app.client)
        send_digests(restarted.deps, restarted.app.client, force=True)

        assert [call for call in ready.slack.calls("chat.postMessage") if call.token == new_token] == []
        with restarted.deps.sessions() as session:
            served = [workspace.slack_team_id for workspace in directory.installed_workspaces(session)]
        assert served == ["T0NEW"]
    finally:
        restarted.close()
