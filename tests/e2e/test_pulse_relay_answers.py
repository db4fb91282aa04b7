"""An anonymous comment's author answers each of a manager's replies once: one reply opens no way to send the manager
any number of anonymous DMs until replies end."""

from bot.fakeslack.server import Call
from handlers.blocks import pulse_results as result_blocks
from tests.conftest import RunningBot
from tests.e2e.test_pulse_relay import after_the_relay_delay, answer_form_reply, commented_round, reply_from_results


def reply_reaching_the_author(bot: RunningBot, text: str) -> Call:
    reply_from_results(bot, "U0MGR1", text)
    return bot.slack.calls("chat.postMessage")[-1]


def answer_form(bot: RunningBot, to_author: Call) -> dict[str, object]:
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    return dict(bot.slack.calls("views.open")[-1].args["view"])


def answers_to_the_manager(bot: RunningBot) -> list[str]:
    return [str(call.text) for call in bot.slack.calls("chat.postMessage") if call.channel == "U0MGR1"]


def test_an_author_answering_the_same_reply_again_is_told_and_nothing_more_reaches_the_manager(
    bot: RunningBot,
) -> None:
    commented_round(bot)
    to_author = reply_reaching_the_author(bot, "Which shifts?")
    first, second = answer_form(bot, to_author), answer_form(bot, to_author)
    bot.driver.submit("U0A01", first, {"message": "Saturday mornings"})

    again = bot.driver.submit("U0A01", second, {"message": "You are the worst manager ever"})
    told = answer_form_reply(bot, "U0A01", to_author)
    after_the_relay_delay(bot)

    assert "already answered this reply" in again.json["errors"][result_blocks.MESSAGE_BLOCK]
    assert "already answered this reply" in told
    [answer] = answers_to_the_manager(bot)
    assert "answered your reply" in answer


def test_a_new_reply_from_the_manager_can_be_answered(bot: RunningBot) -> None:
    commented_round(bot)
    first_reply = reply_reaching_the_author(bot, "Which shifts?")
    bot.driver.submit("U0A01", answer_form(bot, first_reply), {"message": "Saturday mornings"})
    after_the_relay_delay(bot)

    [answer] = [call for call in bot.slack.calls("chat.postMessage") if call.channel == "U0MGR1"]
    bot.driver.click("U0MGR1", answer, result_blocks.REPLY_ACTION)
    bot.driver.submit("U0MGR1", bot.slack.calls("views.open")[-1].args["view"], {"message": "Early or late ones?"})
    after_the_relay_delay(bot)
    second_reply = bot.slack.calls("chat.postMessage")[-1]
    bot.driver.submit("U0A01", answer_form(bot, second_reply), {"message": "Early ones"})
    after_the_relay_delay(bot)

    assert len(answers_to_the_manager(bot)) == 2


def test_an_answer_slack_refused_for_good_may_be_sent_again(bot: RunningBot) -> None:
    commented_round(bot)
    to_author = reply_reaching_the_author(bot, "Which shifts?")
    bot.driver.submit("U0A01", answer_form(bot, to_author), {"message": "Saturday mornings"})
    bot.slack.fail("chat.postMessage", error="channel_not_found", channel="U0MGR1")
    after_the_relay_delay(bot)
    assert "Slack would not deliver your answer" in bot.slack.messages_to("U0A01")[-1].text

    sent = bot.driver.submit("U0A01", answer_form(bot, to_author), {"message": "Saturday mornings, again"})
    after_the_relay_delay(bot)

    assert "errors" not in sent.json
    [answer] = answers_to_the_manager(bot)
    assert "answered your reply" in answer
