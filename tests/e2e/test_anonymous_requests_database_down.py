"""While the database is out of reach, the apology given in front of Bolt hands no reference to someone acting
anonymously (a pulse answer or comment, an anonymous suggestion, the answer to a reply to their comment).

The gate logs the outage with the reference, dated to the millisecond: passed on to an admin, it would say "this
person was answering the pulse, or sending an anonymous idea, just then", and their answer or idea follows as soon
as the database is back.
"""

import json
from collections.abc import Callable

import pytest

from bot.fakeslack.driver import Reply
from handlers.blocks import pulse as pulse_blocks
from handlers.blocks import pulse_results as result_blocks
from tests.conftest import RunningBot
from tests.e2e.test_anonymous_errors import failing, references, told_the_author
from tests.e2e.test_database_failing import replay_check_out_of_reach
from tests.e2e.test_pulse_relay import commented_round, reply_from_results
from tests.e2e.test_pulse_rounds import questions_dm, start
from tests.suggestions_helpers import load_suggestion_org

IDEA_AUTHOR = "U0AGENT1"
Act = Callable[[RunningBot], Callable[[], Reply]]
"""Prepares what the person is about to do, and returns the doing of it (done while the database is down)."""


def answering_the_pulse(bot: RunningBot) -> Callable[[], Reply]:
    start(bot)
    dm = questions_dm(bot, "U0A01")
    action = next(
        element["action_id"]
        for block in dm.args["blocks"]
        for element in block.get("elements", [])
        if str(element.get("action_id", "")).startswith(pulse_blocks.ANSWER_PREFIX)
    )
    return lambda: bot.driver.click("U0A01", dm, action)


def opening_the_comment_form(bot: RunningBot) -> Callable[[], Reply]:
    start(bot)
    dm = questions_dm(bot, "U0A01")
    return lambda: bot.driver.click("U0A01", dm, pulse_blocks.COMMENT_ACTION)


def sending_a_comment(bot: RunningBot) -> Callable[[], Reply]:
    start(bot)
    bot.driver.click("U0A01", questions_dm(bot, "U0A01"), pulse_blocks.COMMENT_ACTION)
    form = bot.slack.calls("views.open")[-1].args["view"]
    return lambda: bot.driver.submit("U0A01", form, {"comment": "Too few people on Saturdays"})


def sending_an_anonymous_idea(bot: RunningBot) -> Callable[[], Reply]:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command(IDEA_AUTHOR, "/suggest")
    form = bot.slack.calls("views.open")[-1].args["view"]
    return lambda: bot.driver.submit(IDEA_AUTHOR, form, {"what": "A shorter refund script", "anonymous": ["yes"]})


def opening_the_answer_to_a_reply(bot: RunningBot) -> Callable[[], Reply]:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
    return lambda: bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)


def answering_a_reply(bot: RunningBot) -> Callable[[], Reply]:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    form = bot.slack.calls("views.open")[-1].args["view"]
    return lambda: bot.driver.submit("U0A01", form, {"message": "Saturday mornings"})


@pytest.mark.parametrize(
    "act",
    [
        answering_the_pulse,
        opening_the_comment_form,
        sending_a_comment,
        sending_an_anonymous_idea,
        opening_the_answer_to_a_reply,
        answering_a_reply,
    ],
)
def test_someone_acting_anonymously_while_the_database_is_down_is_told_nothing_was_done_without_a_reference(
    bot: RunningBot, act: Act
) -> None:
    doing = act(bot)
    bot.slack.reset()
    with failing(bot, "never matches") as stream, replay_check_out_of_reach(bot.runtime.engine):
        reply = doing()
        if reply.body == "":  # a click: told through the response URL once acked
            bot.slack.wait_for("response_url")
    log = stream.getvalue()

    told = reply.body + told_the_author(bot, "U0A01") + told_the_author(bot, IDEA_AUTHOR)
    assert "can't use its database right now" in told, "told that nothing was done"
    assert "No reference is given, so that you stay anonymous" in told
    assert references(log), "the outage is logged"
    assert not {ref for ref in references(log) if ref in told}, "a reference the sender could pass on"
    assert "reference `" not in told


def test_someone_sending_a_named_idea_while_the_database_is_down_still_gets_a_reference(bot: RunningBot) -> None:
    doing = sending_an_anonymous_idea(bot)
    form = bot.slack.calls("views.open")[-1].args["view"]
    del doing
    with failing(bot, "never matches") as stream, replay_check_out_of_reach(bot.runtime.engine):
        reply = bot.driver.submit(IDEA_AUTHOR, form, {"what": "A shorter refund script"})

    [ref] = references(stream.getvalue())
    assert f"reference `{ref}`" in json.dumps(reply.json)
