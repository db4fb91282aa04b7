"""A nomination nobody decided: its approver is reminded once, after the policy's wait, with the buttons."""

from datetime import timedelta

import pytest

from handlers.blocks import nominations as blocks
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from tests.conftest import RunningBot
from tests.e2e.test_rewards_approval import LEE, action_ids, request_to
from tests.helpers import around_the_clock
from tests.rewards_helpers import load_policy_text, set_up


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    return bot


def test_a_nomination_nobody_decided_is_reminded_once_and_the_reminder_settles_with_the_request(
    ready: RunningBot,
) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    first = request_to(ready, "U0MGR1")
    deps, client = ready.runtime.deps, ready.runtime.sender_client

    ready.clock.advance(timedelta(hours=23))
    follow_up_pending_requests(deps, client)
    too_soon = len(ready.slack.calls("chat.postMessage", channel="U0MGR1"))
    ready.clock.advance(timedelta(hours=2))
    follow_up_pending_requests(deps, client)
    follow_up_pending_requests(deps, client)

    reminders = [c for c in ready.slack.calls("chat.postMessage", channel="U0MGR1") if "Reminder" in c.text]
    assert too_soon == 1 and len(reminders) == 1
    assert reminders[0].args["text"] == "Reminder: Approve Coffee &amp; cake voucher for Lee Senior?"
    ready.driver.click("U0MGR1", reminders[0], blocks.APPROVE)
    for copy in (first, reminders[0]):
        assert action_ids(ready.slack.message(copy.response["channel"], copy.response["ts"])) == []


def test_a_reminder_after_a_short_wait_says_how_many_hours_it_waited(ready: RunningBot) -> None:
    four_hours = around_the_clock().replace("escalation_reminder_hours = 24", "escalation_reminder_hours = 4")
    load_policy_text(ready.sessions, ready.clock.now(), four_hours)
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")

    ready.clock.advance(timedelta(hours=4, minutes=10))
    follow_up_pending_requests(ready.runtime.deps, ready.runtime.sender_client)

    [reminder] = [c for c in ready.slack.calls("chat.postMessage", channel="U0MGR1") if "Reminder" in c.text]
    assert "this has waited for your approval for 4 hours." in str(reminder.args["blocks"])
