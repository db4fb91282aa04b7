"""Someone Slack deactivated while Latitude never heard of it (an outage longer than Slack's retries) is caught up by
the daily listing of each workspace's people (`catch_up_departures`), with the same hand-over and notices."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from handlers.jobs.catch_up_departures import catch_up_departures
from handlers.jobs.drain_outbox import drain_outbox
from models import Resolution
from tests.conftest import RunningBot
from tests.e2e.test_departures import audit_actions, is_active, waiting_on_maya  # noqa: F401  (fixture)
from tests.e2e.test_departures_out_of_order import undone


def catch_up(bot: RunningBot) -> int:
    """The tick, then what it queued sent (the background sender would, once rung)."""
    found = catch_up_departures(bot.runtime.deps, bot.runtime.app.client)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    return found


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
    from tests.helpers import load_org_and_policy

    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT3", "Sam Agent")
    bot.driver.user_change("U0AGENT3", deleted=True)
    bot.slack.change_user("U0AGENT3", deleted=False)  # its user_change never reached Latitude
    bot.clock.set(datetime.now(UTC))  # the app's clock agrees with Slack's, which dated the deactivation it followed

    assert catch_up(bot) == 1

    assert is_active(bot, "U0AGENT3")
    assert audit_actions(bot) == ["person.left_slack", "person.back_in_slack"]


def test_someone_brought_back_while_the_catch_up_read_them_stays_active(waiting_on_maya: RunningBot) -> None:  # noqa: F811
    """The catch-up's `users.info` answers Maya deactivated (her event was lost); the admin brings her back and that is
    followed before the catch-up takes her row."""
    bot = waiting_on_maya
    gone = bot.slack.change_user("U0MGR1", deleted=True)
    bot.clock.set(datetime.now(UTC))  # the app's clock agrees with Slack's
    read = bot.slack.pause("users.info")

    with ThreadPoolExecutor(1) as scheduler:
        tick = scheduler.submit(catch_up_departures, bot.runtime.deps, bot.runtime.app.client)
        read.wait_until_arrived()
        bot.driver.event(undone(gone))
        read.release()
        assert tick.result(timeout=10) == 1
    bot.slack.change_user("U0MGR1", deleted=False)  # as Slack shows her since she was brought back

    assert is_active(bot, "U0MGR1")
    assert audit_actions(bot) == []
    assert not [c for c in bot.slack.calls("chat.postMessage") if "Slack deactivated" in c.text]
