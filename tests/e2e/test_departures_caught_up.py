"""Someone Slack deactivated while Latitude never heard of it (an outage longer than Slack's retries) is caught up by
the daily listing of each workspace's people (`catch_up_departures`), with the same hand-over and notices."""

import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import select

from handlers.jobs.catch_up_departures import READ_EVERY, catch_up_departures
from handlers.jobs.drain_outbox import drain_outbox
from models import Resolution
from tests.conftest import RunningBot
from tests.e2e.test_departures import audit_actions, in_slack, is_active, waiting_on_maya  # noqa: F401  (fixture)
from tests.helpers import load_org_and_policy

PEOPLE_LISTED = 3000
HELD_AT_MOST = 2_500_000
"""Bytes: a page or two of user objects at a time (about 1.2 MB here); all 3,000 held until the end take 4.5 MB."""


def catch_up(bot: RunningBot, **limits: int) -> int:
    """The tick, then what it queued sent: the background sender, rung, is waited for (it holds what it sends, which
    a drain alongside skips), and whatever it left is sent."""
    found = catch_up_departures(bot.runtime.deps, bot.runtime.app.client, **limits)
    bot.driver.settle()
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    return found


def two_gone_unheard(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0AGENT2", "U0AGENT3")
    for slack_id in ("U0AGENT2", "U0AGENT3"):
        bot.slack.change_user(slack_id, deleted=True)  # their user_change never reached Latitude


def still_active(bot: RunningBot) -> list[bool]:
    return [is_active(bot, slack_id) for slack_id in ("U0AGENT2", "U0AGENT3")]


def test_a_deactivation_whose_event_was_lost_is_caught_up_with_the_hand_over_and_hr_told(
    waiting_on_maya: RunningBot,  # noqa: F811
) -> None:
    bot = waiting_on_maya
    bot.slack.change_user("U0MGR1", deleted=True)  # its user_change never reached Latitude

    assert catch_up(bot) == 1

    assert not is_active(bot, "U0MGR1")
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "U0ADMIN"  # type: ignore[union-attr]
    assert [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "now waits on you" in c.text]
    [notice] = [c for c in bot.slack.calls("chat.postMessage", channel="U0HR") if "Slack deactivated" in c.text]
    assert "Maya Manager" in notice.text
    assert audit_actions(bot) == ["person.left_slack"]


def test_each_workspace_is_listed_once_a_day_and_a_listing_slack_refuses_is_tried_at_the_next_tick(
    waiting_on_maya: RunningBot,  # noqa: F811
) -> None:
    bot = waiting_on_maya
    bot.slack.fail("users.list", error="internal_error")
    catch_up(bot)
    bot.clock.advance(timedelta(hours=1))
    catch_up(bot)
    listings = len(bot.slack.calls("users.list"))

    bot.clock.advance(timedelta(hours=23))
    bot.slack.change_user("U0MGR1", deleted=True)
    assert catch_up(bot) == 0 and len(bot.slack.calls("users.list")) == listings
    assert is_active(bot, "U0MGR1")
    bot.clock.advance(timedelta(hours=1))
    assert catch_up(bot) == 1 and not is_active(bot, "U0MGR1")


def test_a_listing_slack_rate_limits_waits_and_goes_on(waiting_on_maya: RunningBot) -> None:  # noqa: F811
    bot = waiting_on_maya
    bot.slack.change_user("U0MGR1", deleted=True)
    bot.slack.fail("users.list", status=429, retry_after=30)

    assert catch_up(bot) == 1


def test_someone_slack_brought_back_while_latitude_did_not_hear_is_active_again(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT3", "Sam Agent")
    bot.driver.user_change("U0AGENT3", deleted=True)
    bot.slack.change_user("U0AGENT3", deleted=False)  # its user_change never reached Latitude

    assert catch_up(bot) == 1

    assert is_active(bot, "U0AGENT3")
    assert audit_actions(bot) == ["person.left_slack", "person.back_in_slack"]


def test_someone_brought_back_while_the_catch_up_read_them_stays_active(waiting_on_maya: RunningBot) -> None:  # noqa: F811
    """The catch-up's `users.info` answers Maya deactivated (her event was lost); the admin brings her back and that is
    followed before the catch-up takes her row."""
    bot = waiting_on_maya
    bot.slack.change_user("U0MGR1", deleted=True)
    read = bot.slack.pause("users.info")

    with ThreadPoolExecutor(1) as scheduler:
        tick = scheduler.submit(catch_up_departures, bot.runtime.deps, bot.runtime.app.client)
        read.wait_until_arrived()
        bot.driver.event(bot.slack.change_user("U0MGR1", deleted=False))
        read.release()
        assert tick.result(timeout=10) == 1

    assert is_active(bot, "U0MGR1")
    assert audit_actions(bot) == []
    assert not [c for c in bot.slack.calls("chat.postMessage") if "Slack deactivated" in c.text]


def test_someone_whose_reads_are_both_overtaken_leaves_the_workspace_due_for_the_next_tick(
    waiting_on_maya: RunningBot,  # noqa: F811
) -> None:
    """Two profile changes Maya made before Slack deactivated her (its event lost) arrive late, one during each of the
    catch-up's reads of her: neither read can be trusted, so the next tick lists the workspace and reads her again."""
    bot = waiting_on_maya
    renamed = bot.slack.change_user("U0MGR1", real_name="Maya R")
    renamed_again = bot.slack.change_user("U0MGR1", real_name="Maya Ro")
    bot.slack.change_user("U0MGR1", deleted=True)
    first = bot.slack.pause("users.info")

    with ThreadPoolExecutor(1) as scheduler:
        tick = scheduler.submit(catch_up_departures, bot.runtime.deps, bot.runtime.app.client)
        for read, late in ((first, renamed), (bot.slack.pause("users.info"), renamed_again)):
            read.wait_until_arrived()
            bot.driver.event(late)
            read.release()
        assert tick.result(timeout=10) == 1
    assert is_active(bot, "U0MGR1"), "both reads were overtaken"

    bot.clock.advance(timedelta(hours=1))
    assert catch_up(bot) == 1

    assert not is_active(bot, "U0MGR1")
    assert audit_actions(bot) == ["person.left_slack"]


def test_a_tick_reads_again_at_most_its_share_and_leaves_the_rest_to_the_next(bot: RunningBot) -> None:
    two_gone_unheard(bot)

    assert catch_up(bot, reads=1) == 2
    assert still_active(bot) == [False, True]
    bot.clock.advance(timedelta(hours=1))
    assert catch_up(bot, reads=1) == 1
    assert still_active(bot) == [False, False]
    listings = len(bot.slack.calls("users.list"))
    bot.clock.advance(timedelta(hours=1))
    assert catch_up(bot) == 0 and len(bot.slack.calls("users.list")) == listings, "listed whole a day"


def test_someone_a_read_changed_is_read_again_when_the_same_listing_finds_them_out_of_step_again(
    bot: RunningBot,
) -> None:
    """A read that changed someone is no reason to pass them over: brought back in Slack after it, the event lost too,
    they are read at the next tick, not left deactivated until tomorrow's listing."""
    two_gone_unheard(bot)
    assert catch_up(bot, reads=1) == 2
    assert still_active(bot) == [False, True]
    bot.slack.change_user("U0AGENT2", deleted=False)  # back in Slack; this user_change never reached Latitude either

    bot.clock.advance(timedelta(hours=1))
    catch_up(bot, reads=1)
    bot.clock.advance(timedelta(hours=1))
    catch_up(bot, reads=1)

    assert still_active(bot) == [True, False]


def test_the_reads_again_are_paced(bot: RunningBot) -> None:
    two_gone_unheard(bot)
    before = bot.clock.now()

    assert catch_up(bot) == 2

    assert bot.clock.now() - before == timedelta(seconds=READ_EVERY)


def test_a_process_stopping_in_the_middle_leaves_the_rest_to_the_next_tick(bot: RunningBot) -> None:
    two_gone_unheard(bot)
    deps = bot.runtime.deps
    read = bot.slack.pause("users.info")

    with ThreadPoolExecutor(1) as scheduler:
        tick = scheduler.submit(catch_up_departures, deps, bot.runtime.app.client)
        read.wait_until_arrived()
        deps.stopping.set()
        read.release()
        tick.result(timeout=10)
    deps.stopping.clear()  # started again
    assert still_active(bot) == [False, True]
    assert len(bot.slack.calls("users.info")) == 1

    bot.clock.advance(timedelta(hours=1))
    assert catch_up(bot) == 1
    assert still_active(bot) == [False, False]


def test_a_large_workspace_s_user_objects_are_not_all_held_at_once(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    for number in range(PEOPLE_LISTED):
        bot.slack.add_user(f"U1{number:07d}", f"Person {number}", tz="Europe/Paris", email=f"p{number}@example.com")

    tracemalloc.start()
    try:
        assert catch_up(bot) == 0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < HELD_AT_MOST, f"{peak} bytes held at once"
