"""A relayed reply or answer reaches its reader at a random moment minutes later, never as its sender sends it: a
phone lighting up on the floor while the manager watches would name the comment's author."""

import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.fakeslack.driver import Reply
from handlers.blocks import pulse_results as result_blocks
from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery
from services.pulse.relay import RELAY_DELAY_MINUTES
from tests.conftest import RunningBot
from tests.e2e.test_pulse_relay import after_the_relay_delay, commented_round, reply_from_results

REPLY = "Thanks — which shifts?"
ANSWER = "Saturday mornings"
EARLIEST, LATEST = (timedelta(minutes=minutes) for minutes in RELAY_DELAY_MINUTES)


def waiting(bot: RunningBot) -> list[Delivery]:
    with bot.sessions() as session:
        return list(session.scalars(select(Delivery).where(Delivery.status == "pending")))


def drain(bot: RunningBot) -> None:
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def due_within_the_window(bot: RunningBot, sent_at: datetime) -> Delivery:
    [queued] = waiting(bot)
    assert sent_at + EARLIEST <= queued.next_attempt_at <= sent_at + LATEST
    return queued


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """What the bot logs: its own lines at every level; Bolt's and slack_sdk's, kept at WARNING in production, too."""
    ours = ("handlers", "services", "bot", "latitude")
    return "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.split(".")[0] in ours or record.levelno >= logging.WARNING
    )


def told_when(reply: Reply, what: str) -> None:
    said = str(reply.json)
    assert reply.json.get("response_action") == "update", "the form says what happens next"
    assert (
        f"Your {what} is on its way" in said and f"{RELAY_DELAY_MINUTES[0]} to {RELAY_DELAY_MINUTES[1]} minutes" in said
    )
    assert "who looks at their phone" in said, "and why it does not go at once"


def test_a_reply_reaches_the_author_at_a_random_moment_within_the_window_never_as_the_manager_sends_it(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    commented_round(bot)
    sent_at = bot.clock.now()

    told_when(reply_from_results(bot, "U0MGR1", REPLY, delivered=False), "reply")

    assert bot.slack.messages_to("U0A01") == [], "the author's phone does not light up as the manager sends it"
    queued = due_within_the_window(bot, sent_at)
    assert "U0A01" not in str(queued.payload), "the outbox row does not name the comment's author"
    assert queued.idempotency_key.startswith("pulse-relay:"), "under the round's relay prefix: deleted with it"
    bot.clock.advance(EARLIEST - timedelta(seconds=1))
    drain(bot)
    assert bot.slack.messages_to("U0A01") == [], "nothing before the window opens"

    bot.clock.advance(LATEST - EARLIEST + timedelta(seconds=2))
    drain(bot)

    [to_author] = bot.slack.messages_to("U0A01")
    assert REPLY in to_author.text
    with bot.sessions() as session:
        [sent] = session.scalars(select(Delivery)).all()
    assert sent.status == "sent" and "U0A01" not in f"{sent.payload}{sent.result}"
    assert "U0A01" not in logged(caplog) and "East Agent" not in logged(caplog), "no log line names the author"


def test_an_answer_reaches_the_manager_at_a_random_moment_within_the_window_never_as_the_author_sends_it(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", REPLY)
    [to_author] = bot.slack.messages_to("U0A01")
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    form = bot.slack.calls("views.open")[-1].args["view"]
    assert "random moment" in str(form), "the form says, before sending, that it will not go at once"
    sent_at = bot.clock.now()

    told_when(bot.driver.submit("U0A01", form, {"message": ANSWER}), "answer")

    assert bot.slack.messages_to("U0MGR1") == [], "the manager does not hear back as the author sends it"
    queued = due_within_the_window(bot, sent_at)
    assert "U0A01" not in str(queued.payload), "nor does the outbox keep who answered"
    bot.clock.advance(EARLIEST - timedelta(seconds=1))
    drain(bot)
    assert bot.slack.messages_to("U0MGR1") == []
    after_the_relay_delay(bot)
    [to_manager] = bot.slack.messages_to("U0MGR1")
    assert ANSWER in to_manager.text and "U0A01" not in str(to_manager.args)
    assert "U0A01" not in logged(caplog)


def test_the_wait_is_drawn_anew_for_each_message(bot: RunningBot) -> None:
    commented_round(bot)
    sent_at = bot.clock.now()
    for _ in range(4):
        reply_from_results(bot, "U0MGR1", REPLY, delivered=False)
        bot.slack.reset()

    waits = {delivery.next_attempt_at - sent_at for delivery in waiting(bot)}

    assert len(waits) > 1, "one fixed delay would shift the give-away, not hide it"
    assert all(EARLIEST <= wait <= LATEST for wait in waits)


def test_a_reply_too_close_to_the_end_of_replies_is_refused_rather_than_erased_unsent(bot: RunningBot) -> None:
    """Replies end 14 days after close, when what waits in the outbox is erased: one that might wait past that
    would be promised on its way and never arrive."""
    commented_round(bot)
    bot.clock.advance(timedelta(days=14) - LATEST + timedelta(minutes=1))

    refused = reply_from_results(bot, "U0MGR1", REPLY, delivered=False)

    assert refused.json.get("response_action") == "errors"
    assert "too soon to send this" in str(refused.json) and "erased unsent" in str(refused.json)
    assert waiting(bot) == [] and bot.slack.messages_to("U0MGR1") == []
