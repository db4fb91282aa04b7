"""A fix logged while Slack refuses a message: the deciders' request is never held up by the employee's own DM,
and nobody is asked to log it again."""

from datetime import timedelta

from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from models import Resolution
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy

FIX = {"category": "refund", "amount": "80", "summary": "parcel lost", "customer_ref": "order 42"}


def test_a_confirmation_slack_refuses_holds_up_no_request_and_is_sent_once_slack_is_back(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    bot.slack.fail("chat.postMessage", status=503, channel="U0AGENT1")  # Sam's own DM: Slack may have posted it

    reply = bot.driver.submit("U0AGENT1", opened.args["view"], FIX)

    assert reply.status == 200 and reply.body == ""
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).one() == "pending"
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "needs your decision" in request.text
    assert bot.slack.calls("chat.postMessage", channel="U0AGENT1") == []
    bot.clock.advance(timedelta(minutes=5))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    [confirmation] = bot.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "sent it to Maya Manager to decide" in confirmation.text


def test_a_newcomer_slack_cannot_say_anything_of_logs_no_fix_and_is_told_once_to_try_again(bot: RunningBot) -> None:
    """Slack must say whether someone the org file does not list is a guest before their fix is logged: while it
    cannot, nothing is logged, so trying again logs it once."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")
    bot.slack.fail("users.info", hang_up=True, times=3)  # the connection drops, retries and all

    reply = bot.driver.command("U0NEWBIE", "/resolve", "refund 10 order 55 arrived late")

    assert reply.body == "", "answered once Slack was asked whether they are a guest"
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).all() == []
    [told] = bot.slack.calls("response_url")
    assert "Try again in a few minutes" in told.text and "refund" not in told.text.lower()


def test_an_approval_recorded_before_slack_failed_does_not_ask_the_manager_to_try_again(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    bot.slack.fail("chat.update", status=503, times=3)

    bot.driver.click("U0MGR1", request, "resolution_approve")

    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).one() == "approved"
    told = [call.args["text"] for call in bot.slack.calls("response_url")]
    assert not any("try again" in text for text in told), f"approved, yet asked to approve again: {told}"
