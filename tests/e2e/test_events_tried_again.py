"""A state-changing event whose listener fails after the ack on something that may pass is run again by the app
itself: Slack sends it once, and its retries are dropped as repeated."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from handlers.jobs.retry_failed_events import retry_failed_events
from models import EventRetry, Resolution
from services.event_retries import LEASE, WAITS, claim_due, keep
from tests.conftest import RunningBot
from tests.e2e.test_database_failing import refusing_new_rows_in
from tests.e2e.test_departures import in_slack, is_active
from tests.e2e.test_installs import ALPHA_ORG, install_in, oauth_bot  # noqa: F401
from tests.helpers import load_org_and_policy


@pytest.fixture
def waiting_on_maya(any_mode_bot: RunningBot) -> RunningBot:
    """Over HTTP, then in Socket Mode: the app's own tries go through the same app either way."""
    bot = any_mode_bot
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR1", "U0AGENT1")
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    return bot


def kept(bot: RunningBot) -> list[tuple[str, int]]:
    with bot.sessions() as session:
        return [(row.event_id, row.attempts) for row in session.scalars(select(EventRetry))]


def decider(bot: RunningBot) -> str:
    with bot.sessions() as session:
        return session.scalars(select(Resolution)).one().decider.slack_id  # type: ignore[union-attr]


def run_the_job_after(bot: RunningBot, wait: timedelta) -> int:
    bot.clock.advance(wait)
    tried = retry_failed_events(bot.runtime.deps, bot.runtime.app.client)
    bot.driver.settle()
    return tried


def test_a_deactivation_the_database_failed_is_followed_when_the_app_tries_it_again(
    waiting_on_maya: RunningBot, engine: Engine
) -> None:
    bot = waiting_on_maya
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), event_id="EvMAYA")
        assert is_active(bot, "U0MGR1") and decider(bot) == "U0MGR1", "the listener failed: nothing changed"
        assert kept(bot) == [("EvMAYA", 0)]

    bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), event_id="EvMAYA", retry_num=1)
    assert is_active(bot, "U0MGR1"), "Slack's retry of an event already recorded is still dropped"
    assert run_the_job_after(bot, WAITS[0] - timedelta(seconds=1)) == 0, "not due yet"

    assert run_the_job_after(bot, timedelta(seconds=1)) == 1

    assert not is_active(bot, "U0MGR1")
    assert decider(bot) == "U0ADMIN", "what waited on her was handed over"
    assert [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "now waits on you" in c.text]
    assert kept(bot) == [], "the profile Slack sent is deleted once done"
    assert run_the_job_after(bot, timedelta(hours=2)) == 0


def test_an_event_that_keeps_failing_is_given_up_after_the_last_try(
    waiting_on_maya: RunningBot, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    bot = waiting_on_maya
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True, real_name="Maya Secret"), event_id="EvMAYA")
        for attempt, wait in enumerate(WAITS, start=1):
            assert run_the_job_after(bot, wait) == 1
            assert kept(bot) == ([] if attempt == len(WAITS) else [("EvMAYA", attempt)])

    assert is_active(bot, "U0MGR1") and decider(bot) == "U0MGR1"
    gave_up = [r for r in caplog.records if r.levelno == logging.WARNING and "gave up" in r.getMessage()]
    assert [r.getMessage() for r in gave_up] == [
        "gave up event user_change EvMAYA: its listener failed 4 times after Slack's delivery"
    ]
    assert all("Maya" not in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    assert run_the_job_after(bot, timedelta(hours=2)) == 0


def test_an_event_its_listener_cannot_read_is_not_tried_again(waiting_on_maya: RunningBot) -> None:
    bot = waiting_on_maya
    broken = {"type": "user_change", "user": {"id": "U0MGR1", "deleted": True, "profile": "not an object"}}

    bot.driver.event(broken, event_id="EvBROKEN")

    assert kept(bot) == []
    assert run_the_job_after(bot, timedelta(hours=2)) == 0
    assert is_active(bot, "U0MGR1")


def test_an_event_done_at_once_is_not_kept(waiting_on_maya: RunningBot) -> None:
    bot = waiting_on_maya

    bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), event_id="EvMAYA")

    assert not is_active(bot, "U0MGR1") and kept(bot) == []


def test_the_apps_own_try_meets_the_checks_slacks_delivery_meets(
    bot: RunningBot, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """A kept event of a workspace this install does not serve (the bot restarted with another workspace's token
    meanwhile) is refused as Slack's delivery would be now, and forgotten."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR1")
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), event_id="EvMAYA")
    with bot.sessions.begin() as session:
        row = session.get_one(EventRetry, "EvMAYA")
        row.body = {**row.body, "team_id": "T0ELSEWHERE", "authorizations": [{"team_id": "T0ELSEWHERE"}]}

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert "refused a event_callback from workspace T0ELSEWHERE" in caplog.text
    assert is_active(bot, "U0MGR1") and kept(bot) == []


@contextmanager
def install_lookup_failing_once(engine: Engine) -> Iterator[list[str]]:
    """The next read of a workspace's install is refused (a lock timeout); the ones after it are answered."""
    dbapi_error = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]
    refused: list[str] = []

    def refuse_once(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if not refused and statement.lstrip().upper().startswith("SELECT") and "slack_installations" in statement:
            refused.append(statement)
            raise dbapi_error("canceling statement due to lock timeout")

    event.listen(engine, "before_cursor_execute", refuse_once)
    try:
        yield refused
    finally:
        event.remove(engine, "before_cursor_execute", refuse_once)


def test_an_apps_try_stopped_in_front_of_the_listener_by_a_passing_failure_is_kept_for_the_next(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """The install could not be read for the app's first try (a lock timeout): the event waits for its next try."""
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    with refusing_new_rows_in(engine, "audit_events"):
        alpha.event(bot.slack.change_user("U0AMGR", deleted=True), event_id="EvAL")
    assert kept(bot) == [("EvAL", 0)]

    with install_lookup_failing_once(bot.runtime.engine) as refused:
        assert run_the_job_after(bot, WAITS[0]) == 1
    assert refused, "the install was read, and refused"
    assert is_active(bot, "U0AMGR") and kept(bot) == [("EvAL", 1)], "kept for its next try"

    assert run_the_job_after(bot, WAITS[1]) == 1
    assert not is_active(bot, "U0AMGR") and kept(bot) == []


def test_an_event_whose_run_is_still_going_after_a_minute_is_not_run_a_second_time(bot: RunningBot) -> None:
    """Slack's delivery or the app's try still running or queued is not due; one a stopping process cut short is,
    once its lease is over."""
    start = bot.clock.now()
    with bot.sessions.begin() as session:
        keep(session.connection(), event_id="EvLONG", event_type="user_change", body={}, now=start)

    def due_at(wait: timedelta) -> list[str]:
        with bot.sessions.begin() as session:
            due, _ = claim_due(session, now=start + wait)
        return [event.event_id for event in due]

    assert due_at(WAITS[0]) == [] and due_at(LEASE - timedelta(seconds=1)) == []
    assert due_at(LEASE) == ["EvLONG"]
    assert due_at(LEASE + WAITS[1]) == [], "the app's own try is given its lease too"
    assert due_at(LEASE * 2) == ["EvLONG"]


def test_a_kept_deactivation_tried_after_her_reactivation_follows_slack_as_it_is_now(
    waiting_on_maya: RunningBot, engine: Engine
) -> None:
    """Maya's deactivation failed and her reactivation went through: the app's try reads her as Slack shows her now,
    active, and does not deactivate her again."""
    bot = waiting_on_maya
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), event_id="EvGONE")
    bot.driver.event(bot.slack.change_user("U0MGR1", deleted=False, tz="Europe/Paris"), event_id="EvBACK")

    assert run_the_job_after(bot, WAITS[0]) == 1
    assert is_active(bot, "U0MGR1") and decider(bot) == "U0MGR1"
    assert not [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "now waits on you" in c.text]
    assert kept(bot) == []


def test_a_kept_change_holds_the_persons_ids_and_none_of_their_profile(
    waiting_on_maya: RunningBot, engine: Engine
) -> None:
    bot = waiting_on_maya
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), event_id="EvGONE")

    with bot.sessions() as session:
        body = session.scalars(select(EventRetry.body)).one()
    assert set(body["event"]["user"]) == {"id", "team_id"}
    assert "Maya" not in str(body)


def test_a_kept_change_of_someone_else_is_still_run(waiting_on_maya: RunningBot, engine: Engine) -> None:
    bot = waiting_on_maya
    in_slack(bot, "U0AGENT2")
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), event_id="EvGONE")
    bot.driver.event(bot.slack.change_user("U0AGENT2", tz="Europe/Paris"), event_id="EvOTHER")

    assert kept(bot) == [("EvGONE", 0)]
    assert run_the_job_after(bot, WAITS[0]) == 1
    assert not is_active(bot, "U0MGR1")


@contextmanager
def first_keep_answered_with_an_error(engine: Engine) -> Iterator[list[str]]:
    """The commit of the next replay check that kept an event is done, and then answered with an error, as when the
    connection drops after the database committed: the event is kept, its delivery fails in front of its listener."""
    dbapi_error = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]
    keeping: list[object] = []
    failed: list[str] = []

    def note_keep(connection: Any, _cursor: object, statement: str, *_: object) -> None:
        if not failed and statement.lstrip().upper().startswith("INSERT INTO EVENT_RETRIES"):
            keeping.append(connection)

    def commit_then_fail(connection: Any) -> None:
        if connection in keeping and not failed:
            connection.connection.dbapi_connection.commit()
            failed.append("committed")
            raise dbapi_error("server closed the connection unexpectedly")

    event.listen(engine, "before_cursor_execute", note_keep)
    event.listen(engine, "commit", commit_then_fail)
    try:
        yield failed
    finally:
        event.remove(engine, "before_cursor_execute", note_keep)
        event.remove(engine, "commit", commit_then_fail)


@pytest.mark.own_engine  # it fails commits: on an engine of its own, no other test's transaction meets its listener
def test_a_delivery_kept_and_failed_in_front_of_its_listener_is_tried_after_the_first_wait(bot: RunningBot) -> None:
    """No run of it is going (its listener never started): it is tried a minute later, not after the lease. Over
    HTTP: Slack sends it again (the 500) only to be dropped as repeated."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR1", "U0AGENT1")
    with first_keep_answered_with_an_error(bot.runtime.engine) as failed:
        bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), event_id="EvMAYA")
    assert failed, "the keep was committed, and answered with an error"
    assert is_active(bot, "U0MGR1") and kept(bot) == [("EvMAYA", 0)]
    bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), event_id="EvMAYA", retry_num=1)
    assert is_active(bot, "U0MGR1"), "Slack's retry is dropped as repeated"

    assert run_the_job_after(bot, WAITS[0]) == 1
    assert not is_active(bot, "U0MGR1") and kept(bot) == []
