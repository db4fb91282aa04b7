"""A decision or a backing is saved, then Slack cannot update its messages just now (busy, rate limited):
nobody is asked to try again, every other copy is still updated, and the outbox updates the rest once Slack is back."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.fakeslack import Call
from handlers.jobs.drain_outbox import drain_outbox
from handlers.message_updates import queue_updates
from models import SuggestionBacker, Workspace
from tests.conftest import RECOGNITION_CHANNEL, RunningBot
from tests.helpers import add_org_people, count, load_org, load_policy, one_after_the_other, skip_unless_writers_overlap
from tests.suggestions_helpers import load_suggestion_org

SLACK_DOWN = {"status": 503, "times": 3}  # the first try and the listener client's two retries


def drain(bot: RunningBot) -> None:
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def shown(bot: RunningBot, message: Call) -> str:
    """The message as it stands in Slack now: its text and every text in its blocks."""
    current = bot.slack.message(message.response["channel"], message.response["ts"])
    return str(current.get("text")) + str(current.get("blocks"))


def answers(bot: RunningBot) -> list[str]:
    return [call.text for call in bot.slack.calls("response_url")]


@pytest.fixture
def two_admins(bot: RunningBot) -> tuple[Call, Call]:
    """A request with no manager above its author, so every admin gets a copy with the buttons."""
    csv_text = (
        "slack_id,name,team,role,manager_slack_id\n"
        "U0ADM1,Ada One,Ops,admin,\nU0ADM2,Bo Two,Ops,admin,\nU0LONE,Lone Agent,Ops,frontline,\n"
    )
    load_org(bot.sessions, bot.clock.now(), csv_text)
    add_org_people(bot.slack, csv_text)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0LONE", "/resolve", "credit 40 big goodwill gesture")
    return bot.slack.calls("chat.postMessage", channel="U0ADM1")[0], bot.slack.calls(
        "chat.postMessage", channel="U0ADM2"
    )[0]


def test_an_approval_slack_could_not_show_is_not_answered_try_again_and_is_shown_once_slack_is_back(
    bot: RunningBot, two_admins: tuple[Call, Call]
) -> None:
    clicked, other = two_admins
    bot.slack.fail("chat.update", **SLACK_DOWN)  # the clicked copy, Slack's first update of this decision

    bot.driver.click("U0ADM1", clicked, "resolution_approve")

    assert not any("try again" in text for text in answers(bot)), answers(bot)
    assert "approved" in bot.slack.calls("chat.postMessage", channel="U0LONE")[-1].text, "the employee is told"
    assert "approved by Ada One" in shown(bot, other), "the other admin's copy keeps live buttons"
    assert "resolution_approve" in shown(bot, clicked)
    drain(bot)
    assert "approved by Ada One" in shown(bot, clicked)
    assert "resolution_approve" not in shown(bot, clicked)


def test_a_rate_limited_update_is_made_after_slacks_retry_after(bot: RunningBot, two_admins: tuple[Call, Call]) -> None:
    clicked, _ = two_admins
    bot.slack.fail("chat.update", status=429, retry_after=30)

    bot.driver.click("U0ADM1", clicked, "resolution_approve")
    drain(bot)

    assert "resolution_approve" in shown(bot, clicked), "updated before Slack's Retry-After"
    bot.clock.advance(timedelta(seconds=31))
    drain(bot)
    assert "approved by Ada One" in shown(bot, clicked)


@pytest.mark.parametrize("refusal", ["invalid_auth", "token_revoked"])
def test_an_update_whose_token_slack_refused_mid_click_is_made_by_the_outbox_not_dropped(
    bot: RunningBot, two_admins: tuple[Call, Call], refusal: str
) -> None:
    """A token Slack refuses says nothing of the message: the outbox waits for a working token (a reinstall another
    process saw), or drops it with the rest once the uninstall is heard, as it does for a post."""
    clicked, _ = two_admins
    bot.slack.fail("chat.update", error=refusal)

    bot.driver.click("U0ADM1", clicked, "resolution_approve")

    assert "resolution_approve" in shown(bot, clicked)
    drain(bot)
    assert "approved by Ada One" in shown(bot, clicked)
    assert "resolution_approve" not in shown(bot, clicked)


@pytest.fixture
def channel_post(bot: RunningBot) -> tuple[Call, Call]:
    """A suggestion's post in the team channel (with "me too") and its owner's card."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "the returns desk needs a second card reader")
    return bot.slack.calls("chat.postMessage", channel="C0EAST")[-1], bot.slack.calls(
        "chat.postMessage", channel="U0MGR1"
    )[-1]


def test_a_backing_slack_could_not_show_is_not_answered_try_again_and_is_shown_once_slack_is_back(
    bot: RunningBot, channel_post: tuple[Call, Call]
) -> None:
    post, card = channel_post
    bot.slack.fail("chat.update", **SLACK_DOWN)

    bot.driver.click("U0AGENT2", post, "suggestion_back")

    [told] = answers(bot)
    assert "You back suggestion" in told
    assert "1 colleague" in shown(bot, card), "the owner's card is updated although the channel post was not"
    assert "1 colleague" not in shown(bot, post)
    drain(bot)
    assert "1 colleague" in shown(bot, post)


def test_backing_again_shows_the_count_a_busy_slack_did_not(bot: RunningBot, channel_post: tuple[Call, Call]) -> None:
    post, card = channel_post
    bot.slack.fail("chat.update", status=503, times=6)  # both the channel post and the card
    bot.driver.click("U0AGENT2", post, "suggestion_back")
    assert "1 colleague" not in shown(bot, card)

    bot.driver.click("U0AGENT2", post, "suggestion_back")

    assert "already back" in answers(bot)[-1]
    assert "1 colleague" in shown(bot, card)
    with bot.sessions() as session:
        assert count(session, SuggestionBacker) == 1


def test_an_update_queued_while_slack_was_busy_never_replaces_a_newer_one(
    bot: RunningBot, channel_post: tuple[Call, Call]
) -> None:
    post, card = channel_post
    bot.slack.fail("chat.update", status=503, times=6)  # both the channel post and the card
    bot.driver.click("U0AGENT2", post, "suggestion_back")  # "1 colleague", queued for later
    bot.driver.click("U0AGENT3", post, "suggestion_back")  # "2 colleagues", shown at once

    drain(bot)

    assert "2 colleagues" in shown(bot, card)
    assert "2 colleagues" in shown(bot, post)


def test_two_updates_of_one_message_queued_at_once_leave_the_newer_one_to_be_made(
    bot: RunningBot, workspace: Workspace, engine: Engine
) -> None:
    """Slack is busy while two people move a suggestion on, one right after the other, in two processes."""
    skip_unless_writers_overlap(engine)
    posted = bot.runtime.sender_client.chat_postMessage(channel=RECOGNITION_CHANNEL, text="Open")
    message = (str(posted["channel"]), str(posted["ts"]))

    def queue(status: str) -> Callable[[Session], None]:
        content = {"text": status}
        return lambda session: queue_updates(
            session, workspace.id, [message], {message: 0.0}, content, now=bot.clock.now()
        )

    one_after_the_other(bot.sessions, engine, queue("Under review"), queue("Planned"))
    drain(bot)

    assert bot.slack.message(*message)["text"] == "Planned"


def test_an_update_still_being_queued_when_a_newer_one_is_shown_at_once_is_dropped(
    bot: RunningBot, workspace: Workspace, engine: Engine
) -> None:
    """Slack was busy for the first change and is back for the second, made while the first is being queued."""
    skip_unless_writers_overlap(engine)
    client = bot.runtime.sender_client
    posted = client.chat_postMessage(channel=RECOGNITION_CHANNEL, text="Open")
    message = (str(posted["channel"]), str(posted["ts"]))

    def queued_for_later(session: Session) -> None:
        queue_updates(session, workspace.id, [message], {message: 0.0}, {"text": "Under review"}, now=bot.clock.now())

    def shown_at_once(session: Session) -> None:
        client.chat_update(channel=message[0], ts=message[1], text="Planned")
        queue_updates(session, workspace.id, [message], {}, {"text": "Planned"}, now=bot.clock.now())

    one_after_the_other(bot.sessions, engine, queued_for_later, shown_at_once)
    drain(bot)

    assert bot.slack.message(*message)["text"] == "Planned"


def test_updates_of_a_request_queued_before_its_decision_never_replace_it(
    bot: RunningBot, two_admins: tuple[Call, Call]
) -> None:
    """The copy clicked and the other admin's each had an update queued while Slack was busy: the decision drops
    both."""
    clicked, other = two_admins
    copies = [(str(call.response["channel"]), str(call.response["ts"])) for call in (clicked, other)]
    with bot.sessions.begin() as session:
        workspace_id = session.query(Workspace.id).scalar()
        queue_updates(session, workspace_id, copies, dict.fromkeys(copies, 0.0), {"text": "Older"}, now=bot.clock.now())

    bot.driver.click("U0ADM1", clicked, "resolution_approve")
    drain(bot)

    for copy in (clicked, other):
        assert "approved by Ada One" in shown(bot, copy)
        assert "Older" not in shown(bot, copy)
