"""Slack retries an event it could not deliver (about 1 and 5 minutes on) with its first content, and promises no
order: a `user_change` sent before the last one followed is old news, and a deactivation is made only if Slack still
shows the person deactivated."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.idle import TrackedExecutor
from handlers.jobs.catch_up_departures import catch_up_departures
from handlers.jobs.retry_failed_events import retry_failed_events
from models import Resolution
from services.event_retries import WAITS
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.e2e.test_departures import audit_actions, in_slack, is_active, waiting_on_maya  # noqa: F401  (fixture)
from tests.e2e.test_time_zones_from_slack import maya_learnt_from_slack
from tests.helpers import employee, load_org, load_org_and_policy


def deactivated_then_back(bot: RunningBot, retry_num: int | None) -> None:
    """An admin deactivates Maya while Latitude restarts (that delivery is lost) and undoes it a minute later; then
    the first change comes: Slack's retry, or a delivery out of order."""
    sent = int(time.time()) - 300
    gone = bot.slack.change_user("U0MGR1", deleted=True)
    back = bot.slack.change_user("U0MGR1", deleted=False)
    bot.driver.event(back, event_id="EvBACK", sent_at=sent + 60)
    bot.driver.event(gone, event_id="EvGONE", retry_num=retry_num, sent_at=sent)


@pytest.mark.parametrize("retry_num", [1, None], ids=["slacks-retry", "out-of-order"])
def test_a_deactivation_arriving_after_she_came_back_leaves_her_active_and_her_requests_with_her(
    waiting_on_maya: RunningBot,  # noqa: F811
    retry_num: int | None,
) -> None:
    bot = waiting_on_maya

    deactivated_then_back(bot, retry_num)

    assert is_active(bot, "U0MGR1"), "Slack shows her active"
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "U0MGR1"  # type: ignore[union-attr]
    assert audit_actions(bot) == []
    assert not [c for c in bot.slack.calls("chat.postMessage") if "Slack deactivated" in c.text]


def test_a_deactivation_undone_while_its_read_of_slack_was_on_its_way_leaves_her_active(
    waiting_on_maya: RunningBot,  # noqa: F811
) -> None:
    """Slack answers the deactivation's `users.info` (still deactivated); the admin undoes it a second later and
    another worker follows that before the deactivation's listener takes Maya's row."""
    bot = waiting_on_maya
    listeners = bot.runtime.listeners
    assert isinstance(listeners, TrackedExecutor)
    gone = bot.slack.change_user("U0MGR1", deleted=True)
    read = bot.slack.pause("users.info")
    unsettled = SlackDriver(bot.driver.events_url, SIGNING_SECRET, bot.slack)  # back once acked, its listener running

    unsettled.event(gone)
    read.wait_until_arrived()
    unsettled.event(bot.slack.change_user("U0MGR1", deleted=False))
    listeners.wait_idle(held=1)
    read.release()
    bot.driver.settle()

    assert is_active(bot, "U0MGR1")
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "U0MGR1"  # type: ignore[union-attr]
    assert audit_actions(bot) == []
    assert not [c for c in bot.slack.calls("chat.postMessage") if "Slack deactivated" in c.text]


def test_an_undo_a_second_later_leaves_her_active_though_latitude_s_clock_runs_ahead_of_slack_s(
    waiting_on_maya: RunningBot,  # noqa: F811
) -> None:
    bot = waiting_on_maya
    gone = bot.slack.change_user("U0MGR1", deleted=True)
    bot.clock.set(datetime.fromtimestamp(float(gone["event_ts"]), UTC) + timedelta(seconds=3))

    bot.driver.event(gone)
    assert not is_active(bot, "U0MGR1")
    back = bot.slack.change_user("U0MGR1", deleted=False)
    bot.driver.event({**back, "event_ts": f"{float(gone['event_ts']) + 1:.6f}"})  # the admin undoes it a second later

    assert is_active(bot, "U0MGR1"), "Slack shows her active"
    assert audit_actions(bot) == ["person.left_slack", "person.back_in_slack"]


def test_a_change_slack_dated_in_the_future_holds_up_neither_her_deactivation_nor_the_catch_up(
    waiting_on_maya: RunningBot,  # noqa: F811
) -> None:
    bot = waiting_on_maya
    renamed = bot.slack.change_user("U0MGR1", real_name="Maya R")
    bot.driver.event({**renamed, "event_ts": f"{time.time() + 3 * 86400:.6f}"})  # three days ahead

    bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True))
    assert not is_active(bot, "U0MGR1")

    bot.slack.change_user("U0MGR1", deleted=False)  # its user_change never reached Latitude
    bot.clock.advance(timedelta(days=1))
    catch_up_departures(bot.runtime.deps, bot.runtime.app.client)
    assert is_active(bot, "U0MGR1")


def test_a_deactivation_overtaken_by_an_older_change_while_it_was_read_is_read_again(
    waiting_on_maya: RunningBot,  # noqa: F811
) -> None:
    """A profile change sent before the deactivation arrives late, while the deactivation's `users.info` is under way,
    and is followed first: the read may be older than it, so Slack is read again, and still shows her deactivated."""
    bot = waiting_on_maya
    listeners = bot.runtime.listeners
    assert isinstance(listeners, TrackedExecutor)
    renamed = bot.slack.change_user("U0MGR1", real_name="Maya R")
    gone = bot.slack.change_user("U0MGR1", deleted=True)
    read = bot.slack.pause("users.info")
    unsettled = SlackDriver(bot.driver.events_url, SIGNING_SECRET, bot.slack)

    unsettled.event(gone)
    read.wait_until_arrived()
    unsettled.event(renamed)
    listeners.wait_idle(held=1)
    read.release()
    bot.driver.settle()

    assert not is_active(bot, "U0MGR1")
    assert audit_actions(bot) == ["person.left_slack"]
    assert len(bot.slack.calls("users.info")) == 2


def test_a_deactivation_whose_reads_are_both_overtaken_is_followed_when_its_event_is_tried_again(
    waiting_on_maya: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two profile changes sent before the deactivation arrive late, one during each of its `users.info` reads, and
    are followed first: neither read can be trusted, so the kept event is tried again a minute later and reads Slack
    afresh."""
    bot = waiting_on_maya
    listeners = bot.runtime.listeners
    assert isinstance(listeners, TrackedExecutor)
    renamed = bot.slack.change_user("U0MGR1", real_name="Maya R")
    renamed_again = bot.slack.change_user("U0MGR1", real_name="Maya Ro")
    gone = bot.slack.change_user("U0MGR1", deleted=True)
    unsettled = SlackDriver(bot.driver.events_url, SIGNING_SECRET, bot.slack)

    first = bot.slack.pause("users.info")
    unsettled.event(gone, event_id="EvGONE")
    for read, late in ((first, renamed), (bot.slack.pause("users.info"), renamed_again)):
        read.wait_until_arrived()
        unsettled.event(late)
        listeners.wait_idle(held=1)
        read.release()
    bot.driver.settle()
    assert is_active(bot, "U0MGR1"), "both reads were overtaken"

    bot.clock.advance(WAITS[0])
    assert retry_failed_events(bot.runtime.deps, bot.runtime.app.client) == 1
    bot.driver.settle()

    assert not is_active(bot, "U0MGR1")
    assert audit_actions(bot) == ["person.left_slack"]
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "U0ADMIN"  # type: ignore[union-attr]
    assert any(r.levelname == "WARNING" and "read 2 times" in r.getMessage() for r in caplog.records)


def test_hr_s_next_import_listing_her_keeps_her_active(waiting_on_maya: RunningBot) -> None:  # noqa: F811
    bot = waiting_on_maya
    deactivated_then_back(bot, retry_num=2)

    bot.clock.advance(timedelta(days=1))
    load_org(bot.sessions, bot.clock.now())

    assert is_active(bot, "U0MGR1")


def test_a_deactivation_slack_retries_while_it_still_holds_is_made(waiting_on_maya: RunningBot) -> None:  # noqa: F811
    bot = waiting_on_maya

    bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), retry_num=1)

    assert not is_active(bot, "U0MGR1")
    assert audit_actions(bot) == ["person.left_slack"]


def test_an_older_time_zone_delivered_late_does_not_replace_the_newer_one(bot: RunningBot) -> None:
    maya_learnt_from_slack(bot, "America/New_York")
    sent = int(time.time()) - 300
    paris = bot.slack.change_user("U0MGR1", tz="Europe/Paris")
    tokyo = bot.slack.change_user("U0MGR1", tz="Asia/Tokyo")

    bot.driver.event(tokyo, sent_at=sent + 60)
    bot.driver.event(paris, sent_at=sent)

    with bot.sessions() as session:
        assert employee(session, "U0MGR1").tz == "Asia/Tokyo"


def test_slack_s_retry_about_someone_of_another_workspace_changes_nothing(waiting_on_maya: RunningBot) -> None:  # noqa: F811
    bot = waiting_on_maya
    bot.slack.add_user("U0MGR2", "Omar Manager", team_id="T0OTHER")  # as Slack shows him: of another workspace

    bot.driver.event(bot.slack.change_user("U0MGR2", deleted=True), retry_num=1)

    assert is_active(bot, "U0MGR2")
    assert audit_actions(bot) == []


def test_in_either_mode_slack_is_asked_only_for_a_retry_or_a_deactivation(any_mode_bot: RunningBot) -> None:
    bot = any_mode_bot
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR1")

    bot.driver.user_change("U0MGR1", tz="Europe/Paris")  # Socket Mode numbers a first delivery 0: no retry
    assert bot.slack.calls("users.info") == []

    deactivated_then_back(bot, retry_num=1)
    assert is_active(bot, "U0MGR1")
    assert len(bot.slack.calls("users.info")) == 1
