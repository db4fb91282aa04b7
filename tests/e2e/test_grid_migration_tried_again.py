"""A Grid migration's start or finish whose listener the database failed after the ack is run again by the app
itself (handlers/event_retries.py), unless the migration moved on since its delivery."""

import time
from datetime import timedelta

from sqlalchemy import Engine

from handlers.event_attempts import Attempt
from handlers.jobs.drain_outbox import drain_outbox
from models import EventRetry, Workspace
from services import directory
from services.event_retries import WAITS
from tests.conftest import RunningBot
from tests.e2e.test_database_failing import refusing_new_rows_in
from tests.e2e.test_events_tried_again import kept, run_the_job_after
from tests.helpers import load_org_and_policy

STARTED = {"type": "grid_migration_started", "enterprise_id": "E0GROUP"}
FINISHED = {"type": "grid_migration_finished", "enterprise_id": "E0GROUP"}


def migrating(bot: RunningBot) -> bool:
    with bot.sessions() as session:
        workspace = directory.find_workspace(session, bot.driver.team_id)
        assert isinstance(workspace, Workspace)
        return workspace.migrating_since is not None


def approval_requests_sent(bot: RunningBot) -> int:
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    return len(bot.slack.calls("chat.postMessage", channel="U0MGR1"))


def test_a_migration_start_the_database_failed_holds_the_messages_once_the_app_tries_it_again(
    bot: RunningBot, engine: Engine
) -> None:
    """Slack asks apps not to call its API through a migration."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(STARTED, event_id="EvSTART")
    assert not migrating(bot) and kept(bot) == [("EvSTART", 0)]

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert migrating(bot) and kept(bot) == []
    assert approval_requests_sent(bot) == 0, "the request waits for the migration's end"


def test_a_migration_start_tried_after_its_finish_holds_nothing(bot: RunningBot, engine: Engine) -> None:
    """Run after the finish Slack sent since, the start would hold every message for a finish already told."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(STARTED, event_id="EvSTART")
    bot.clock.advance(timedelta(seconds=20))
    bot.driver.event(FINISHED, event_id="EvDONE")

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert not migrating(bot) and kept(bot) == []
    assert approval_requests_sent(bot) == 1


def test_a_migration_finish_the_database_failed_lets_the_messages_go_once_the_app_tries_it_again(
    bot: RunningBot, engine: Engine
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.event(STARTED, event_id="EvSTART")
    assert approval_requests_sent(bot) == 0
    bot.clock.advance(timedelta(hours=1))
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(FINISHED, event_id="EvDONE")
    assert migrating(bot) and kept(bot) == [("EvDONE", 0)]

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert not migrating(bot) and kept(bot) == []
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    assert len(bot.slack.calls("chat.postMessage", channel="U0MGR1")) == 1, "the request waiting since goes"


def test_a_start_and_its_finish_both_tried_late_leave_the_migration_finished(bot: RunningBot, engine: Engine) -> None:
    """Tried in the order they came, the start's try is recorded after the finish's delivery arrived: the finish's try
    goes by when Slack sent each, not by when the app recorded them."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(STARTED, event_id="EvSTART")
        bot.clock.advance(timedelta(seconds=20))
        bot.driver.event(FINISHED, event_id="EvDONE")
    assert not migrating(bot) and sorted(kept(bot)) == [("EvDONE", 0), ("EvSTART", 0)]

    assert run_the_job_after(bot, WAITS[0] - timedelta(seconds=10)) == 1
    assert migrating(bot)
    assert run_the_job_after(bot, timedelta(seconds=15)) == 1

    assert not migrating(bot) and kept(bot) == []
    assert approval_requests_sent(bot) == 1


def test_a_try_whose_event_an_earlier_run_finished_does_nothing(bot: RunningBot, engine: Engine) -> None:
    """A run that outlived its lease was claimed again; the first run finished and forgot the event, then the second
    runs: it finds the event no longer kept and does nothing (the migration may have moved on since)."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(STARTED, event_id="EvSTART")
    with bot.sessions.begin() as session:
        kept_event = session.get_one(EventRetry, "EvSTART")
        body = dict(kept_event.body)
        session.delete(kept_event)

    assert bot.runtime.deps.events_again(body, Attempt("EvSTART", STARTED["type"], number=2)), "its listener ran"
    bot.driver.settle()

    assert not migrating(bot)
    assert approval_requests_sent(bot) == 1


def test_a_start_slack_sent_again_after_its_finish_holds_nothing(bot: RunningBot, engine: Engine) -> None:
    """Slack's retry of the start (the app failed its first delivery in front of the listener) arrives after the
    finish, which was recorded at once: it goes by when Slack sent it (before the finish), not by when its retry
    arrived, and is done with at once, writing nothing (so the audit refusing rows keeps nothing for a try)."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.event(FINISHED, event_id="EvDONE")
    bot.clock.advance(timedelta(seconds=20))
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(STARTED, event_id="EvSTART", retry_num=1, sent_at=int(time.time()) - 60)

    assert not migrating(bot) and kept(bot) == []
    assert run_the_job_after(bot, WAITS[0]) == 0
