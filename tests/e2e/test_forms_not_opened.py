"""A form Slack would not open (its trigger expired, Slack unavailable or rate limiting) is told to whoever asked for
it: a reward's Decline and Revoke buttons, the /suggest form."""

import logging
from typing import Any

import pytest

from handlers.blocks import nominations as blocks
from handlers.blocks import rewards as reward_blocks
from tests.conftest import RunningBot
from tests.e2e.test_rewards_approval import action_ids, request_to
from tests.rewards_helpers import set_up
from tests.suggestions_helpers import load_suggestion_org

NOT_OPENED = [
    pytest.param({"error": "expired_trigger_id"}, "took longer than Slack allows for opening a form", id="expired"),
    pytest.param({"status": 503, "times": 3}, "something went wrong on our side", id="unavailable"),
    pytest.param({"status": 429, "retry_after": 30}, "something went wrong on our side", id="rate limited"),
]
LEE = "<@U0AGENT2|lee.senior>"


def told(bot: RunningBot) -> str:
    assert bot.slack.calls("views.open") == []
    [answer] = bot.slack.calls("response_url")
    return str(answer.args["text"])


@pytest.mark.parametrize(("failure", "why"), NOT_OPENED)
def test_a_reward_decline_whose_form_did_not_open_tells_the_approver(
    bot: RunningBot, failure: dict[str, Any], why: str
) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 talked a customer round")
    request = request_to(bot, "U0MGR1")
    bot.slack.reset()
    bot.slack.fail("views.open", **failure)

    bot.driver.click("U0MGR1", request, blocks.DECLINE)

    assert why in told(bot)


@pytest.mark.parametrize(("failure", "why"), NOT_OPENED)
def test_a_reward_revoke_whose_form_did_not_open_tells_hr(bot: RunningBot, failure: dict[str, Any], why: str) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    bot.driver.click("U0MGR1", request_to(bot, "U0MGR1"), blocks.APPROVE)
    [to_hr] = [call for call in bot.slack.messages_to("U0HR") if reward_blocks.REVOKE in action_ids(call.args)]
    bot.slack.reset()
    bot.slack.fail("views.open", **failure)

    bot.driver.click("U0HR", to_hr, reward_blocks.REVOKE)

    assert why in told(bot)


@pytest.mark.parametrize(("failure", "why"), NOT_OPENED)
def test_a_suggestion_form_that_did_not_open_says_so(bot: RunningBot, failure: dict[str, Any], why: str) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.slack.fail("views.open", **failure)

    reply = bot.driver.command("U0AGENT1", "/suggest")

    assert reply.body == ""
    assert why in told(bot)


def test_a_form_slack_rate_limited_is_a_warning_for_the_operator_not_an_error_with_a_traceback(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.slack.fail("views.open", status=429, retry_after=30)

    with caplog.at_level(logging.WARNING, logger="latitude.errors"):
        bot.driver.command("U0AGENT1", "/suggest")

    assert "something went wrong on our side" in told(bot)
    [logged] = [record for record in caplog.records if record.name == "latitude.errors"]
    assert logged.levelno == logging.WARNING and logged.exc_info is None
    assert "rate-limited" in logged.getMessage() and "views.open (Retry-After 30 s)" in logged.getMessage()
