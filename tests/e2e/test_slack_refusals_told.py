"""What Slack says when it refuses a message reaches the operator's log: which block it refused, never what it said."""

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logs import configure_logging
from tests.conftest import RunningBot
from tests.e2e.test_resolutions_approvals import request_over_the_limit
from tests.helpers import load_org_and_policy

SLACK_SAYS = "[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]"


@pytest.fixture
def operator_log() -> Iterator[io.StringIO]:
    log = io.StringIO()
    configure_logging(logging.INFO, stream=log)
    try:
        yield log
    finally:
        configure_logging(logging.WARNING)


def test_a_message_slack_refuses_for_its_blocks_is_logged_with_the_block_slack_named(
    bot: RunningBot, operator_log: io.StringIO
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("chat.postMessage", error="invalid_blocks", channel="U0MGR1", messages=(SLACK_SAYS,))

    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")

    [refused] = [line for line in operator_log.getvalue().splitlines() if "refused it for good" in line]
    assert "invalid_blocks" in refused and SLACK_SAYS in refused
    assert "parcel lost" not in operator_log.getvalue()


def test_an_update_slack_refuses_for_its_blocks_is_logged_with_the_block_slack_named(
    bot: RunningBot, operator_log: io.StringIO
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    request = request_over_the_limit(bot)
    bot.slack.fail("chat.update", error="invalid_blocks", messages=(SLACK_SAYS,))

    bot.driver.click("U0MGR1", request, "resolution_approve")

    [refused] = [line for line in operator_log.getvalue().splitlines() if "was not updated" in line]
    assert "invalid_blocks" in refused and SLACK_SAYS in refused
    assert "parcel lost" not in operator_log.getvalue()
