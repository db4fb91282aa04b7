"""With token rotation, a token is renewed in the two hours before it expires. Slack not answering the renewal
(a dropped connection, a timeout) while the token is still good serves the request with that token, as a renewal
Slack refuses does, rather than fail it; and the next requests do not wait on Slack again for a minute."""

import logging

import pytest

from bot.installs import NOT_INSTALLED_HERE
from tests.conftest import RunningBot
from tests.e2e.test_installs import ALPHA_ORG, install_in
from tests.e2e.test_installs_tokens import rotating  # noqa: F401


def renewals(bot: RunningBot) -> int:
    return len(bot.slack.calls("oauth.v2.access"))


def test_a_renewal_slack_does_not_answer_serves_the_command_with_the_token_still_good(
    rotating: RunningBot,  # noqa: F811
) -> None:
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.fail("oauth.v2.access", times=10, hang_up=True)
    before = renewals(bot)

    replies = [alpha.command("U0AAGENT", "/boundaries") for _ in range(3)]

    assert all("Your boundaries" in reply.text for reply in replies), [reply.text for reply in replies]
    assert not any(NOT_INSTALLED_HERE in reply.text for reply in replies)
    assert renewals(bot) - before <= 2, "one renewal (and its client's one retry), not one per command"


def test_a_renewal_slack_does_not_answer_is_one_warning_not_slack_sdks_error_lines(
    rotating: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.fail("oauth.v2.access", times=10, hang_up=True)

    with caplog.at_level(logging.INFO):
        alpha.command("U0AAGENT", "/boundaries")
        alpha.command("U0AAGENT", "/boundaries")

    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
    said = [record.getMessage() for record in caplog.records if "did not answer the renewal" in record.getMessage()]
    assert len(said) == 1 and "T0ALPHA" in said[0], said
