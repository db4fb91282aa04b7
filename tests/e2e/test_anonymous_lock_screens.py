"""What a lock screen, a notification banner or a shared screen shows of a DM to someone anonymous: its notification
text. An anonymous suggestion's number is posted for the whole team to see, and the manager knows the comment they
replied to; a notification naming either on one person's screen would say who sent it. The message itself, once
opened, says all of it."""

import io
import logging

import pytest
from sqlalchemy import select

from bot.fakeslack import Call
from bot.logs import configure_logging
from handlers.blocks import pulse_results as result_blocks
from handlers.blocks.kit import PRIVATE_NOTICE
from models import Delivery, Suggestion
from tests.conftest import RunningBot
from tests.e2e.test_anonymous_errors import failing
from tests.e2e.test_people_leaving import reimport
from tests.e2e.test_pulse_relay import after_the_relay_delay, commented_round, reply_from_results
from tests.e2e.test_suggestions_anonymous import suggest_anonymously
from tests.e2e.test_suggestions_people_moving import EAST_UNDER_ADA
from tests.suggestions_helpers import after_the_release, after_the_wait, load_suggestion_org

AUTHOR = "U0AGENT1"


def notifications(bot: RunningBot, person: str) -> list[str]:
    return [str(call.args.get("text")) for call in bot.slack.calls("chat.postMessage", channel=person)]


def test_an_anonymous_suggestions_author_is_shown_neither_its_number_nor_that_it_is_theirs_in_a_notification(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    assert suggest_anonymously(bot) == {}
    after_the_release(bot)
    [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    bot.driver.click("U0MGR1", card, "suggestion_planned")
    reimport(bot.sessions, bot.clock.now(), EAST_UNDER_ADA)  # its owner leaves: it goes on, and the author is told
    after_the_wait(bot)

    told: list[Call] = bot.slack.calls("chat.postMessage", channel=AUTHOR)
    opened = [call.text for call in told]
    assert any("Sent anonymously your suggestion:" in text for text in opened)
    assert any("plans to do your suggestion #1" in text for text in opened)
    assert any("Your suggestion #1 now goes to" in text for text in opened)
    shown = notifications(bot, AUTHOR)
    assert len(shown) == 3
    for text in shown:
        assert "#1" not in text and "suggestion" not in text.lower() and "anonym" not in text.lower(), text


def test_a_named_suggestions_author_still_sees_its_number_in_the_notification(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command(AUTHOR, "/suggest")
    form = bot.slack.calls("views.open")[-1].args["view"]
    bot.driver.submit(AUTHOR, form, {"what": "A shorter refund script"})
    [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    bot.driver.click("U0MGR1", card, "suggestion_planned")

    assert "Your suggestion #1: Planned" in notifications(bot, AUTHOR)


def test_a_reply_to_an_anonymous_comment_does_not_say_so_in_its_authors_notification(bot: RunningBot) -> None:
    """The manager knows which comment they replied to: "Maya replied to your comment" on one phone names its author."""
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    bot.driver.submit("U0A01", bot.slack.calls("views.open")[-1].args["view"], {"message": "Saturday mornings"})
    bot.slack.fail("chat.postMessage", error="channel_not_found", channel="U0MGR1")  # the author is told it failed
    after_the_relay_delay(bot)

    assert "replied to your anonymous pulse comment" in to_author.text
    shown = notifications(bot, "U0A01")
    assert len(shown) == 2, shown
    for text in shown:
        assert "repl" not in text.lower() and "comment" not in text.lower() and "answer" not in text.lower(), text


def test_an_error_told_to_an_anonymous_ideas_author_in_a_dm_does_not_say_so_in_its_notification(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    with failing(bot, "UPDATE deliveries"):
        suggest_anonymously(bot)

    [told] = [call for call in bot.slack.calls("chat.postMessage", channel=AUTHOR) if "went wrong" in call.text]
    assert "Your suggestion was sent anonymously, but then something went wrong" in told.text
    assert told.args["text"] == PRIVATE_NOTICE


def test_a_dm_slack_refuses_for_good_to_an_anonymous_ideas_author_leaves_no_trace_in_the_log_or_the_outbox(
    bot: RunningBot,
) -> None:
    """Slack refuses a DM for good because of its reader (they left): a failed row or a log line dated with the idea's
    status change would say its author is whoever left the team by then."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    suggest_anonymously(bot)
    after_the_release(bot)
    [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    stream = io.StringIO()
    configure_logging(logging.DEBUG, stream=stream)
    try:
        bot.slack.fail("chat.postMessage", error="user_not_found", channel=AUTHOR)
        bot.driver.click("U0MGR1", card, "suggestion_planned")
        after_the_wait(bot)
    finally:
        configure_logging(logging.WARNING)

    assert not [call for call in bot.slack.calls("chat.postMessage", channel=AUTHOR) if "plans to do" in call.text]
    with bot.sessions() as session:
        keys = f"suggestion:{session.scalars(select(Suggestion.id)).one()}:"
        rows = session.scalars(select(Delivery).where(Delivery.idempotency_key.startswith(keys))).all()
        assert {(row.status, row.last_error) for row in rows} == {("sent", None)}
    assert "user_not_found" not in stream.getvalue() and keys not in stream.getvalue()


@pytest.mark.parametrize("refusal", ["missing_scope", "invalid_blocks", "msg_too_long"])
def test_a_dm_to_an_anonymous_ideas_author_slack_refuses_for_our_own_fault_fails_and_is_logged_without_the_author(
    bot: RunningBot, refusal: str
) -> None:
    """A scope the app lacks or blocks Slack will not take say nothing of the reader: the row fails and the log says
    which Slack method refused it and why, for an operator to mend, but neither its key nor its reader."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    suggest_anonymously(bot)
    after_the_release(bot)
    [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    stream = io.StringIO()
    configure_logging(logging.DEBUG, stream=stream)
    try:
        bot.slack.fail("chat.postMessage", error=refusal, channel=AUTHOR)
        bot.driver.click("U0MGR1", card, "suggestion_planned")
        after_the_wait(bot)
    finally:
        configure_logging(logging.WARNING)

    with bot.sessions() as session:
        keys = f"suggestion:{session.scalars(select(Suggestion.id)).one()}:"
        rows = session.scalars(select(Delivery).where(Delivery.idempotency_key.startswith(keys))).all()
        assert ("failed", refusal) in {(row.status, row.last_error) for row in rows}, "marked sent in silence"
    logged = stream.getvalue()
    assert f"chat.postMessage refused it for good, dropped: {refusal}" in logged
    assert keys not in logged and AUTHOR not in logged and "D0AGENT1" not in logged
