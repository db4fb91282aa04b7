"""A request's DM or a suggestion's card already on its way to Slack when it changes hands: once it lands, it says
who decides it now, not buttons its old decider can no longer use. The message is held at Slack's door meanwhile."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from tests.conftest import RunningBot
from tests.e2e.test_people_leaving import SAM_MOVES_WEST, WITHOUT_MAYA, decider_of_the_request, reimport
from tests.e2e.test_rewards_approval import action_ids
from tests.helpers import load_org_and_policy
from tests.suggestions_helpers import EXTRA_AGENTS, load_suggestion_org


def test_a_reminder_on_its_way_as_the_request_is_handed_over_lands_saying_where_it_went(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    bot.clock.advance(timedelta(hours=25))
    reminder_at_the_door = bot.slack.pause("chat.postMessage", channel="U0MGR1")

    with ThreadPoolExecutor(1) as scheduler:
        tick = scheduler.submit(follow_up_pending_requests, bot.runtime.deps, bot.runtime.app.client)
        reminder_at_the_door.wait_until_arrived()
        reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST)
        reminder_at_the_door.release()
        tick.result(timeout=10)

    assert decider_of_the_request(bot) == "U0MGR2"
    reminder = bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    assert "Reminder" in str(reminder.args["blocks"]) and "resolution_approve" in str(reminder.args["blocks"])
    shown = bot.slack.message(str(reminder.response["channel"]), str(reminder.response["ts"]))
    assert action_ids(shown) == [], "live buttons its old decider can no longer use"
    assert "refund of $80 now waits on *Omar Manager*" in str(shown["blocks"])


def test_a_suggestions_card_on_its_way_as_its_owner_leaves_lands_saying_where_it_went(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.slack.fail("chat.postMessage", status=500, channel="U0MGR1")  # the card is left to the sender
    bot.driver.command("U0AGENT1", "/suggest", "a second card reader at the returns desk")
    bot.clock.advance(timedelta(minutes=10))
    card_at_the_door = bot.slack.pause("chat.postMessage", channel="U0MGR1")

    with ThreadPoolExecutor(1) as sender:
        drained = sender.submit(drain_outbox, bot.runtime.deps, bot.runtime.sender_client)
        card_at_the_door.wait_until_arrived()
        reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA + "\n" + EXTRA_AGENTS.replace(",U0MGR1,", ",U0ADMIN,"))
        card_at_the_door.release()
        drained.result(timeout=10)

    [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "suggestion_planned" in str(card.args["blocks"])
    shown = bot.slack.message(str(card.response["channel"]), str(card.response["ts"]))
    assert "suggestion_planned" not in str(shown["blocks"]), "live buttons on a card its old owner cannot use"
    assert "now goes to Ada Admin" in shown["text"]
