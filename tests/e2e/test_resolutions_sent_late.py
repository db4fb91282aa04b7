"""A request's DM already on its way to Slack when the request is decided: once it lands, it shows the outcome, not
buttons that would only answer "already decided". Each test holds the DM at Slack's door while the decision is made."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from bot.fakeslack import Call
from handlers.blocks import nominations as nomination_blocks
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from tests.conftest import RunningBot
from tests.e2e.test_rewards_approval import LEE, action_ids, request_to
from tests.helpers import load_org_and_policy
from tests.rewards_helpers import set_up


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def shown_now(bot: RunningBot, posted: Call) -> dict[str, Any]:
    return bot.slack.message(str(posted.response["channel"]), str(posted.response["ts"]))


def test_a_reminder_the_sender_holds_as_the_manager_approves_shows_the_approval(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    [request] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    ready.clock.advance(timedelta(hours=25))
    reminder_at_the_door = ready.slack.pause("chat.postMessage", channel="U0MGR1")

    with ThreadPoolExecutor(1) as scheduler:
        tick = scheduler.submit(follow_up_pending_requests, ready.runtime.deps, ready.runtime.app.client)
        reminder_at_the_door.wait_until_arrived()
        ready.driver.click("U0MGR1", request, "resolution_approve")
        reminder_at_the_door.release()
        tick.result(timeout=10)

    reminder = ready.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    assert "Reminder" in str(reminder.args["blocks"])
    shown = shown_now(ready, reminder)
    assert "resolution_approve" not in str(shown["blocks"]), "live buttons on a request already approved"
    assert "approved by Maya Manager" in str(shown["blocks"])


def test_a_reward_reminder_the_sender_holds_as_the_approver_approves_shows_the_approval(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    first = request_to(bot, "U0MGR1")
    bot.clock.advance(timedelta(hours=25))
    reminder_at_the_door = bot.slack.pause("chat.postMessage", channel="U0MGR1")

    with ThreadPoolExecutor(1) as scheduler:
        tick = scheduler.submit(follow_up_pending_requests, bot.runtime.deps, bot.runtime.sender_client)
        reminder_at_the_door.wait_until_arrived()
        bot.driver.click("U0MGR1", first, nomination_blocks.APPROVE)
        reminder_at_the_door.release()
        tick.result(timeout=10)

    reminder = bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    assert reminder.args["text"].startswith("Reminder:")
    assert action_ids(shown_now(bot, reminder)) == [], "live buttons on a nomination already approved"
