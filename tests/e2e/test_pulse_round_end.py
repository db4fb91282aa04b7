"""A pulse round takes nothing once past its end, though the tick that seals it comes up to a minute later (longer
right after a restart): answers, comments, `/pulse` and the App Home say it has closed, as after the seal."""

from datetime import timedelta

from sqlalchemy import select

from bot.fakeslack.server import Call
from handlers.blocks import pulse as blocks
from models import PulseComment, PulseResponse, PulseRound
from tests.conftest import RunningBot
from tests.e2e.test_pulse_rounds import answer, answer_ids, questions_dm, start
from tests.helpers import count

CLOSED = "Pulse round 1 has closed, so its answers and comments can't change any more"


def at_the_rounds_end(bot: RunningBot) -> Call:
    """The clock at the end of a round opened by hand (open 72 hours), no tick since: it is not sealed yet.
    Returns U0A01's invitation."""
    start(bot)
    invitation = questions_dm(bot, "U0A01")
    bot.clock.advance(timedelta(hours=72))
    return invitation


def test_an_answer_clicked_at_the_rounds_end_before_the_tick_seals_it_is_refused(bot: RunningBot) -> None:
    start(bot)
    invitation, in_time = questions_dm(bot, "U0A01"), questions_dm(bot, "U0A02")
    bot.clock.advance(timedelta(hours=72) - timedelta(minutes=1))
    bot.driver.click("U0A02", in_time, answer_ids(in_time)[0][0])
    bot.clock.advance(timedelta(minutes=1))  # the round's end; no tick since

    bot.driver.click("U0A01", invitation, answer_ids(invitation)[0][0])

    [told] = bot.slack.calls("response_url")
    assert CLOSED in told.args["text"]
    with bot.sessions() as session:
        assert session.scalars(select(PulseRound.status)).one() == "open", "the tick has not sealed it yet"
        assert count(session, PulseResponse) == 1, "only the answer given a minute before the end"


def test_a_comment_sent_after_the_rounds_end_is_refused_and_its_button_opens_no_form(bot: RunningBot) -> None:
    start(bot)
    invitation = questions_dm(bot, "U0A01")
    bot.driver.click("U0A01", invitation, blocks.COMMENT_ACTION)
    [form] = bot.slack.calls("views.open")
    bot.clock.advance(timedelta(hours=72))

    sent = bot.driver.submit("U0A01", form.args["view"], {"comment": "Too few people on Saturdays"})
    bot.driver.click("U0A01", invitation, blocks.COMMENT_ACTION)

    assert CLOSED in sent.json["errors"][blocks.COMMENT_BLOCK]
    assert len(bot.slack.calls("views.open")) == 1, "no second form"
    [told] = bot.slack.calls("response_url")
    assert CLOSED in told.args["text"]
    with bot.sessions() as session:
        assert count(session, PulseComment) == 0


def test_slash_pulse_and_the_app_home_offer_no_questions_after_the_rounds_end(bot: RunningBot) -> None:
    at_the_rounds_end(bot)

    resent = bot.driver.command("U0A01", "/pulse")
    bot.driver.open_home("U0A01")

    assert CLOSED in resent.text
    [home] = bot.slack.calls("views.publish")
    assert "Team pulse" not in home.text


def test_change_on_a_closed_rounds_message_says_it_closed_and_leaves_the_message_as_it_was(bot: RunningBot) -> None:
    start(bot)
    answer(bot, "U0A03", 0, 4)
    answered = [c for c in bot.slack.messages_to("U0A03") if c.method == "chat.update"][-1]
    bot.driver.command("U0HR", "/pulse", "close")
    assert "Pulse round 2 is open" in bot.driver.command("U0HR", "/pulse", "start").text
    updates = len(bot.slack.calls("chat.update"))

    bot.driver.click("U0A03", answered, answered.args["blocks"][3]["accessory"]["action_id"])

    [told] = bot.slack.calls("response_url")
    assert CLOSED in told.args["text"]
    assert len(bot.slack.calls("chat.update")) == updates, "round 1's message does not turn into round 2's"
