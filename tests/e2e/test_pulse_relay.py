"""Replying to an anonymous comment: the author gets the reply, answers, and the manager never learns who."""

from datetime import timedelta

from sqlalchemy import select

from bot.fakeslack.server import Call
from handlers.blocks import pulse as blocks
from handlers.blocks import pulse_results as result_blocks
from models import PulseComment, PulseReply
from tests.conftest import RunningBot
from tests.e2e.test_pulse_results import answer_all, close
from tests.e2e.test_pulse_rounds import questions_dm, tick
from tests.pulse_org import PULSE, load_pulse_org

COMMENT = "Too few people on Saturdays"
RELAYED = "reply, and the bot relays it"


def commented_round(bot: RunningBot, pulse: str = PULSE) -> None:
    load_pulse_org(bot.sessions, bot.clock.now(), pulse=pulse)
    assert "Pulse round 1 is open" in bot.driver.command("U0HR", "/pulse", "start").text
    answer_all(bot, ["U0A01", "U0A02", "U0A03", "U0A04", "U0A05"], 4)
    bot.driver.click("U0A01", questions_dm(bot, "U0A01"), blocks.COMMENT_ACTION)
    [opened] = bot.slack.calls("views.open")
    bot.driver.submit("U0A01", opened.args["view"], {"comment": COMMENT})
    close(bot)
    bot.slack.reset()


def reply_from_results(bot: RunningBot, manager: str, text: str) -> None:
    results = bot.driver.command(manager, "/pulse", "results")
    bot.driver.click(manager, Call("ack", results.json, 0), result_blocks.REPLY_ACTION)
    [modal] = bot.slack.calls("views.open")
    bot.driver.submit(manager, modal.args["view"], {"message": text})


def test_a_manager_replies_to_a_comment_and_the_author_answers_without_being_named(bot: RunningBot) -> None:
    commented_round(bot)

    reply_from_results(bot, "U0MGR1", "Thanks — which shifts?")

    [to_author] = bot.slack.calls("chat.postMessage")
    assert to_author.channel == "U0A01"
    assert "Maya Manager replied to your anonymous pulse comment" in to_author.text
    assert COMMENT in to_author.text and "Thanks — which shifts?" in to_author.text
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    answer_modal = bot.slack.calls("views.open")[-1]
    bot.driver.submit("U0A01", answer_modal.args["view"], {"message": "Saturday mornings"})

    to_manager = bot.slack.calls("chat.postMessage")[-1]
    assert to_manager.channel == "U0MGR1"
    assert "Saturday mornings" in to_manager.text and COMMENT in to_manager.text
    assert "U0A01" not in str(to_manager.args) and "East Agent" not in str(to_manager.args)


def test_a_manager_cannot_reply_to_another_teams_comment(bot: RunningBot) -> None:
    commented_round(bot)
    with bot.sessions() as session:
        [comment] = session.scalars(select(PulseComment))
    modal = result_blocks.message_modal(result_blocks.REPLY_CALLBACK, comment.id, "Reply to a comment", "intro")

    reply = bot.driver.submit("U0MGR2", modal, {"message": "Hello?"})

    assert "only to comments shown in your team's results" in reply.json["errors"][result_blocks.MESSAGE_BLOCK]
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert session.scalars(select(PulseReply)).all() == []


def test_only_the_author_can_answer_a_reply(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    with bot.sessions() as session:
        [reply_row] = session.scalars(select(PulseReply))
    modal = result_blocks.message_modal(
        result_blocks.ANSWER_REPLY_CALLBACK, reply_row.id, "Answer anonymously", "intro"
    )

    reply = bot.driver.submit("U0A02", modal, {"message": "It was me!"})

    assert "not yours" in reply.json["errors"][result_blocks.MESSAGE_BLOCK]
    assert [c.channel for c in bot.slack.calls("chat.postMessage")] == ["U0A01"]


def test_results_offer_reply_until_the_relay_ends_then_show_the_comments_without_it(bot: RunningBot) -> None:
    commented_round(bot)
    bot.clock.advance(timedelta(days=14) - timedelta(minutes=1))
    during = bot.driver.command("U0MGR1", "/pulse", "results")
    bot.clock.advance(timedelta(minutes=1))

    after = bot.driver.command("U0MGR1", "/pulse", "results")

    assert RELAYED in during.text and result_blocks.REPLY_ACTION in during.body
    assert COMMENT in after.text
    assert RELAYED not in after.text and result_blocks.REPLY_ACTION not in after.body


def test_with_relay_days_zero_results_never_offer_a_reply(bot: RunningBot) -> None:
    commented_round(bot, PULSE + "relay_days = 0\n")

    results = bot.driver.command("U0MGR1", "/pulse", "results")

    assert COMMENT in results.text
    assert RELAYED not in results.text and result_blocks.REPLY_ACTION not in results.body


def test_a_reply_button_clicked_after_the_relay_ended_says_so_and_opens_no_form(bot: RunningBot) -> None:
    commented_round(bot)
    results = bot.driver.command("U0MGR1", "/pulse", "results")
    bot.clock.advance(timedelta(days=15))
    tick(bot)

    bot.driver.click("U0MGR1", Call("ack", results.json, 0), result_blocks.REPLY_ACTION)

    assert bot.slack.calls("views.open") == []
    [told] = bot.slack.calls("response_url")
    assert "Replies to round 1's comments have ended" in told.args["text"]
    assert told.args["response_type"] == "ephemeral"


def test_the_authors_answer_button_after_the_relay_ended_opens_no_form(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    bot.clock.advance(timedelta(days=14))

    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)

    assert len(bot.slack.calls("views.open")) == 1, "only the manager's reply form opened"
    [told] = bot.slack.calls("response_url")
    assert "Replies to round 1's comments have ended" in told.args["text"]
