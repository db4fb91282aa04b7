"""With OAuth installs Bolt's authorize checks each request's token with Slack (`auth.test`) before the ack: a token
Slack accepted is taken as good for a minute, and the check waits for Slack no longer than the ack can, so a Slack
that hangs is an apology within Slack's 3 seconds, not an answer Slack has stopped waiting for."""

import logging
from datetime import timedelta

import pytest

from bot.authorize import CHECK_KEPT_SECONDS
from handlers.form_apologies import SLACK_NOT_ANSWERING
from tests.conftest import RunningBot
from tests.e2e.test_installs import ALPHA_ORG, install_in, oauth_bot  # noqa: F401


def test_a_token_slack_accepted_is_checked_again_only_after_a_minute(oauth_bot: RunningBot) -> None:  # noqa: F811
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    before = len(bot.slack.calls("auth.test"))

    for _ in range(3):
        assert "don't log" not in alpha.command("U0AAGENT", "/boundaries").text
    assert len(bot.slack.calls("auth.test")) == before + 1, "three commands, one check"

    bot.clock.advance(timedelta(seconds=CHECK_KEPT_SECONDS + 1))
    alpha.command("U0AAGENT", "/boundaries")
    assert len(bot.slack.calls("auth.test")) == before + 2, "a minute on, Slack is asked again"


def test_a_command_while_slack_hangs_is_told_to_try_again_within_slacks_three_seconds(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.slow_down("auth.test", 4)

    reply = alpha.command("U0AAGENT", "/resolve", "refund 5 order 1 late")

    assert reply.text == SLACK_NOT_ANSWERING
    assert bot.slack.violations == [], "acked in time"


def test_a_check_slack_drops_is_one_warning_not_slack_sdks_error_lines(
    oauth_bot: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """slack_sdk says `Failed to send a request` at ERROR for each try: the operator reads one warning instead."""
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.fail("auth.test", times=3, hang_up=True)

    with caplog.at_level(logging.INFO):
        alpha.command("U0AAGENT", "/resolve", "refund 5 order 1 late")

    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
    assert [record.levelname for record in caplog.records if "did not authorize" in record.getMessage()] == ["WARNING"]
