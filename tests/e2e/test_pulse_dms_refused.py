"""Pulse messages sent straight to Slack that Slack refuses are told to whoever sent them, never silently lost: the
questions `/pulse` resends, a manager's reply to an anonymous comment and the author's answer, which the outbox
sends after the relay's random wait. Except a reply Slack refuses for good because of its reader: telling the
manager would say who wrote the comment."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.fakeslack import FakeSlack
from bot.runtime import make_deps
from handlers.blocks import pulse_results as result_blocks
from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery, PulseReply
from services.pulse.relay import RELAY_DELAY_MINUTES
from tests.conftest import RunningBot, bot_settings
from tests.e2e.test_pulse_relay import after_the_relay_delay, commented_round, reply_from_results
from tests.e2e.test_pulse_rounds import start, tick

REPLY = "Thanks — which shifts?"


def replies(bot: RunningBot) -> list[PulseReply]:
    with bot.sessions() as session:
        return list(session.scalars(select(PulseReply)))


def test_questions_resent_that_slack_refuses_are_not_promised_in_silence(bot: RunningBot) -> None:
    start(bot)
    bot.slack.reset()
    bot.slack.fail("chat.postMessage", status=503, channel="U0A02")

    reply = bot.driver.command("U0A02", "/pulse")

    assert "I've sent your 3 open pulse questions to our DM" in reply.text
    assert bot.slack.calls("chat.postMessage", channel="U0A02") == []
    [told] = bot.slack.calls("response_url")
    assert told.args["text"].startswith("Your pulse questions did not reach our DM after all. Sorry, something went")


def deliveries(bot: RunningBot) -> list[Delivery]:
    with bot.sessions() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.created_at, Delivery.id)))


@pytest.mark.parametrize("refusal", ["user_not_found", "channel_not_found"])
def what_a_database_reader_sees_of_the_replies(bot: RunningBot) -> list[tuple[object, ...]]:
    rows = [delivery for delivery in deliveries(bot) if delivery.idempotency_key.startswith("pulse-relay:")]
    return [(row.status, row.result, row.last_error, row.attempts) for row in rows]


@pytest.mark.parametrize("refusal", ["user_not_found", "channel_not_found", "user_disabled"])
def test_a_reply_slack_refuses_for_good_tells_neither_the_manager_nor_a_database_reader_anything_of_its_author(
    bot: RunningBot, refusal: str
) -> None:
    """Slack refuses a DM for good because of its reader (they left, their DM is closed): "not delivered" would tell
    the manager that the comment is by whoever left the team since, and a failed row or a withdrawn reply would tell
    a reader of the database the same. So it is to them as a reply delivered and left unanswered."""
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which days?")
    bot.slack.reset()
    reply_from_results(bot, "U0MGR1", REPLY, delivered=False)
    bot.slack.fail("chat.postMessage", error=refusal, channel="U0A01")

    after_the_relay_delay(bot)
    drain_after(bot, 60)

    assert all(REPLY not in call.text for call in bot.slack.messages_to("U0A01"))
    assert bot.slack.messages_to("U0MGR1") == []
    assert len(replies(bot)) == 2, "a withdrawn reply would say its author left"
    assert what_a_database_reader_sees_of_the_replies(bot) == [("sent", {}, None, 1)] * 2
    assert all("U0A01" not in str(delivery.payload) for delivery in deliveries(bot))


@pytest.mark.parametrize("refusal", ["invalid_blocks", "msg_too_long", "missing_scope"])
def test_a_reply_slack_refuses_for_our_own_fault_is_told_to_the_manager(bot: RunningBot, refusal: str) -> None:
    """Refused for what it holds, or a scope the app lacks, it says nothing of the reader: the manager is told it
    was not sent, as when Slack is out of reach."""
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", REPLY, delivered=False)
    bot.slack.fail("chat.postMessage", error=refusal, channel="U0A01")

    after_the_relay_delay(bot)
    drain_after(bot, 60)

    assert replies(bot) == []
    [told] = bot.slack.messages_to("U0MGR1")
    assert "Slack would not deliver your reply to the comment's author, so it was not sent." in told.text


def test_a_reply_whose_seal_no_longer_opens_is_not_withdrawn_in_silence(
    bot: RunningBot, slack: FakeSlack, database_url: str
) -> None:
    """The relay's secret changed with no previous one kept: the reply cannot be sent to anyone, which says nothing
    of its reader. Its manager's notice is queued, as for any reply Slack would not take."""
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", REPLY, delivered=False)
    forgetful = make_deps(bot_settings(slack, database_url, relay_secret="another-secret"), bot.sessions, bot.clock)

    bot.clock.advance(timedelta(minutes=RELAY_DELAY_MINUTES[1], seconds=1))
    drain_outbox(forgetful, bot.runtime.sender_client)

    assert replies(bot) == []
    [reply, notice] = deliveries(bot)
    assert reply.last_error == "relay_cannot_open"
    assert notice.idempotency_key == f"{reply.idempotency_key}:not-delivered", "withdrawn without a word"


def test_a_reply_slack_gives_no_answer_for_is_told_to_the_manager_once_the_outbox_gives_up(bot: RunningBot) -> None:
    """Slack out of reach for every message says nothing of the reader: the manager is told it was not sent."""
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", REPLY, delivered=False)
    bot.slack.fail("chat.postMessage", status=503, channel="U0A01", times=1000)

    after_the_relay_delay(bot)
    for _ in range(10):
        drain_after(bot, 3600)

    assert replies(bot) == []
    [told] = bot.slack.messages_to("U0MGR1")
    assert "Slack would not deliver your reply to the comment's author, so it was not sent." in told.text
    assert "It is withdrawn" in told.text and REPLY in told.text


def test_a_reply_slack_did_not_answer_is_sent_again_later(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", REPLY, delivered=False)
    bot.slack.fail("chat.postMessage", hang_up=True, channel="U0A01")
    after_the_relay_delay(bot)
    assert all(REPLY not in call.text for call in bot.slack.messages_to("U0A01"))

    drain_after(bot, 31)

    [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
    assert REPLY in to_author.text
    assert len(replies(bot)) == 1 and bot.slack.messages_to("U0MGR1") == []


def answer(bot: RunningBot) -> None:
    [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    answer_form = bot.slack.calls("views.open")[-1]
    bot.driver.submit("U0A01", answer_form.args["view"], {"message": "Saturday mornings"})


def test_an_answer_slack_refuses_for_good_comes_back_to_its_author_through_a_seal(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", REPLY)
    answer(bot)
    bot.slack.fail("chat.postMessage", error="channel_not_found", channel="U0MGR1")

    after_the_relay_delay(bot)

    assert bot.slack.calls("chat.postMessage", channel="U0MGR1") == []
    told = bot.slack.messages_to("U0A01")[-1]
    assert "Slack would not deliver your answer to the manager, so it was not sent." in told.text
    assert "Saturday mornings" in told.text
    notice = deliveries(bot)[-1]
    assert notice.idempotency_key.startswith("pulse-relay:") and notice.status == "sent", "deleted with the relay"
    assert all("U0A01" not in f"{delivery.payload}{delivery.result}" for delivery in deliveries(bot))
    assert "U0A01" not in caplog.text


def drain_after(bot: RunningBot, seconds: int) -> None:
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    bot.clock.advance(timedelta(seconds=seconds))
    for _ in range(2):  # the second drain sends nothing twice
        drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def test_a_reply_slack_rate_limits_reaches_the_author_once_slack_allows_and_names_nobody_meanwhile(
    bot: RunningBot,
) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", REPLY, delivered=False)
    bot.slack.fail("chat.postMessage", status=429, retry_after=30, channel="U0A01")

    after_the_relay_delay(bot)

    assert bot.slack.messages_to("U0MGR1") == [], "nothing to send again: it is on its way"
    assert len(replies(bot)) == 1
    [queued] = deliveries(bot)
    assert "U0A01" not in str(queued.payload), "the outbox row does not name the comment's author"
    assert all(REPLY not in call.text for call in bot.slack.messages_to("U0A01")), "Slack asked for 30 s"
    drain_after(bot, 31)
    [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
    assert REPLY in to_author.text
    [sent] = deliveries(bot)
    assert sent.status == "sent" and "U0A01" not in f"{sent.payload}{sent.result}"


def test_a_reply_kept_for_slack_is_deleted_with_the_relay(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", REPLY)
    assert [delivery.status for delivery in deliveries(bot)] == ["sent"]

    bot.clock.advance(timedelta(days=15))
    tick(bot)

    assert deliveries(bot) == [], "its sealed recipient would outlive the relay"


def test_a_reply_slack_holds_up_past_the_end_of_replies_is_deleted_unsent(bot: RunningBot) -> None:
    commented_round(bot)
    bot.clock.advance(timedelta(days=14) - timedelta(minutes=31))
    reply_from_results(bot, "U0MGR1", REPLY, delivered=False)
    bot.slack.fail("chat.postMessage", status=429, retry_after=3600, channel="U0A01")
    after_the_relay_delay(bot)

    bot.clock.advance(timedelta(minutes=1))
    tick(bot)
    drain_after(bot, 3601)

    assert [d for d in deliveries(bot) if d.idempotency_key.startswith("pulse-relay:")] == []
    assert all(REPLY not in call.text for call in bot.slack.messages_to("U0A01"))


def test_an_answer_slack_rate_limits_reaches_the_manager_once_slack_allows(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", REPLY)
    answer(bot)
    bot.slack.fail("chat.postMessage", status=429, retry_after=30, channel="U0MGR1")

    after_the_relay_delay(bot)

    assert len(bot.slack.messages_to("U0A01")) == 1, "the author is not told to send it again"
    drain_after(bot, 31)
    [to_manager] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "Saturday mornings" in to_manager.text
