"""Someone the org file does not list, once Slack was asked about them: an answer the response URL refuses (a 5xx)
still says the fix or nomination was recorded, never to try again; an account Slack does not know here is told so,
not to try again; and a form says what is wrong with it, or that it cannot be used, before it closes."""

from handlers.blocks import nominations as nomination_blocks
from models import Nomination, Resolution
from tests.conftest import RunningBot
from tests.e2e.test_slack_guests import known_before_anyone_asked, nothing_written
from tests.e2e.test_unvetted_callers import CANNOT_CHECK, FIX, NOT_YET, THANKS
from tests.helpers import count, load_org_and_policy
from tests.rewards_helpers import set_up

UNKNOWN_ACCOUNT = "Slack says it doesn't know your account in this workspace"


def test_a_fix_in_one_line_whose_answer_slack_refuses_is_told_as_logged_not_to_be_logged_again(
    bot: RunningBot,
) -> None:
    """Nora's first fix is logged once Slack says she is no guest; the response URL answers her confirmation with a
    500. Told nothing, she would log it again: she learns it was logged, and the admin is asked all the same."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    bot.slack.fail("response_url", status=500, times=1)

    bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 7 arrived late")

    [told] = [call for call in bot.slack.calls("response_url") if "reference" in call.text]
    assert "Your fix was logged" in told.text and "try again" not in told.text.lower()
    with bot.sessions() as session:
        assert count(session, Resolution) == 1
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN"), "the admin is asked to decide"


def test_a_nomination_in_one_line_whose_answers_slack_refuses_is_told_as_recorded_in_a_dm(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    bot.slack.fail("response_url", status=500, times=2)

    bot.driver.command("U0AGENT1", "/nominate", "<@U0NEWBIE|nora> a great first week")

    [told] = [dm for dm in bot.slack.messages_to("U0AGENT1") if "reference" in dm.text]
    assert "Your nomination was recorded" in told.text and "try again" not in told.text.lower()
    with bot.sessions() as session:
        assert count(session, Nomination) == 1


def test_a_caller_slack_does_not_know_logs_no_fix_and_is_told_so_not_to_try_again(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    bot.slack.fail("users.info", error="user_not_found", times=50)

    bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 7 arrived late")

    [told] = bot.slack.calls("response_url")
    assert UNKNOWN_ACCOUNT in told.text and "ask your Slack admin" in told.text
    assert NOT_YET not in told.text and "try again" not in told.text.lower()
    assert nothing_written(bot)


def test_a_caller_slack_does_not_show_nominates_nobody_and_is_told_so_not_to_try_again(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    bot.slack.fail("users.info", error="user_not_visible", times=50)

    bot.driver.command("U0NEWBIE", "/nominate", "<@U0AGENT1|sam> thanks for the help")

    [told] = bot.slack.calls("response_url")
    assert UNKNOWN_ACCOUNT in told.text and "try again" not in told.text.lower()
    assert nothing_written(bot)


def test_a_form_sent_while_slack_says_nothing_of_its_author_shows_a_bad_amount_on_the_form(bot: RunningBot) -> None:
    """Gil's form is checked before it closes, though Slack must still say whether he is a guest: a bad amount shows
    under the amount, with what he typed kept, rather than in a DM once the form is gone."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")
    bot.slack.fail("users.info", status=500, times=50)
    bot.driver.command("U0GUEST", "/resolve")
    [opened] = bot.slack.calls("views.open")

    reply = bot.driver.submit("U0GUEST", opened.args["view"], FIX | {"amount": "twenty"})

    assert reply.json["response_action"] == "errors"
    assert bot.slack.calls("chat.postMessage", channel="U0GUEST") == []
    assert nothing_written(bot)


def test_a_form_whose_author_slack_will_not_say_anything_of_does_not_open(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")
    bot.slack.fail("users.info", error="missing_scope", times=50)

    bot.driver.command("U0GUEST", "/resolve")

    assert bot.slack.calls("views.open") == []
    [told] = bot.slack.calls("response_url")
    assert CANNOT_CHECK in told.text and "try again" not in told.text.lower()


def test_a_nomination_form_sent_while_slack_says_nothing_of_its_author_shows_a_reason_without_words_on_the_form(
    bot: RunningBot,
) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")
    bot.slack.fail("users.info", status=500, times=50)
    bot.driver.command("U0GUEST", "/nominate")
    [opened] = bot.slack.calls("views.open")

    reply = bot.driver.submit("U0GUEST", opened.args["view"], THANKS | {nomination_blocks.REASON: "🎉"})

    assert reply.json["response_action"] == "errors"
    assert nomination_blocks.REASON in reply.json["errors"]
    assert bot.slack.calls("chat.postMessage", channel="U0GUEST") == []
    assert nothing_written(bot)


def test_a_nomination_form_whose_author_slack_will_not_say_anything_of_does_not_open(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")
    bot.slack.fail("users.info", error="missing_scope", times=50)

    bot.driver.command("U0GUEST", "/nominate")

    assert bot.slack.calls("views.open") == []
    [told] = bot.slack.calls("response_url")
    assert CANNOT_CHECK in told.text and "try again" not in told.text.lower()
