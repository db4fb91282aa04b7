"""A connection that drops after Slack did what was asked: a DM is not sent again at once (it would arrive twice),
an update or the Home is (the same content again changes nothing)."""

from datetime import timedelta

from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery, Resolution
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy

FIX = {"category": "refund", "amount": "80", "summary": "parcel lost", "customer_ref": "order 42"}


def test_a_dm_slack_posted_before_the_connection_dropped_arrives_once(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    bot.slack.fail("chat.postMessage", hang_up_after_acting=True, channel="U0MGR1")

    bot.driver.submit("U0AGENT1", opened.args["view"], FIX)

    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "needs your decision" in request.text
    [confirmation] = bot.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "sent it to Maya Manager to decide" in confirmation.text


def test_an_update_slack_made_before_the_connection_dropped_is_made_again_not_left_for_later(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    bot.slack.fail("chat.update", hang_up_after_acting=True)

    bot.driver.click("U0MGR1", request, "resolution_approve")

    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).one() == "approved"
        waiting = session.scalars(select(Delivery).where(Delivery.method == "chat.update", Delivery.status != "sent"))
        assert list(waiting) == [], "the update was made on the retry: nothing left for the outbox"
    first, again = bot.slack.calls("chat.update")
    assert first.args["blocks"] == again.args["blocks"]


def test_a_home_slack_published_before_the_connection_dropped_is_published_again(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.publish", hang_up_after_acting=True)

    bot.driver.open_home("U0AGENT1")

    first, again = bot.slack.calls("views.publish")
    assert first.args["view"] == again.args["view"]
    assert bot.slack.messages_to("U0AGENT1") == [], "no apology: the Home was published"


def test_a_dm_the_background_sender_had_posted_before_the_connection_dropped_arrives_once(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    bot.slack.fail("chat.postMessage", status=503, channel="U0AGENT1")  # Sam's confirmation waits in the outbox
    bot.driver.submit("U0AGENT1", opened.args["view"], FIX)
    bot.slack.fail("chat.postMessage", hang_up_after_acting=True, channel="U0AGENT1")

    bot.clock.advance(timedelta(minutes=5))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    [confirmation] = bot.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "sent it to Maya Manager to decide" in confirmation.text
