"""The schedule: each tick fires when it should, one after another, across a daylight-saving change."""

import itertools
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.scheduler import SCHEDULE, build_scheduler, connect_sender_bell
from handlers.deps import Deps

EVERY = {
    "drain_outbox": timedelta(seconds=10),
    "forget_old_events": timedelta(hours=1),
    "follow_up_pending_requests": timedelta(minutes=10),
    "run_pulse_rounds": timedelta(minutes=1),
    "send_weekly_digests": timedelta(minutes=5),
    "propose_boundaries": timedelta(hours=1),
    "warn_of_long_migrations": timedelta(hours=1),
    "forget_anonymous_dms": timedelta(minutes=5),
    "forget_sent_messages": timedelta(hours=1),
    "release_suggestions": timedelta(seconds=30),
    "retry_failed_events": timedelta(minutes=1),
    "catch_up_departures": timedelta(hours=1),
}
# Europe's clocks go back at 01:00 UTC on 2026-10-25; the ticks run on UTC and must not skip or repeat.
AROUND_DST = datetime(2026, 10, 25, 0, 59, 55, tzinfo=UTC)
SOON = timedelta(minutes=1)


@pytest.mark.parametrize("job", SCHEDULE, ids=lambda job: job.name)
def test_each_tick_fires_at_its_interval_across_a_daylight_saving_change(job) -> None:  # type: ignore[no-untyped-def]
    fired = [AROUND_DST]
    for _ in range(3):
        fired.append(job.trigger.get_next_fire_time(fired[-1], fired[-1]))
    assert [later - earlier for earlier, later in itertools.pairwise(fired)] == [EVERY[job.name]] * 3


def test_a_started_scheduler_runs_every_tick_within_its_interval(sessions: sessionmaker[Session]) -> None:
    deps = Deps(sessions=sessions, now=lambda: AROUND_DST)
    scheduler = build_scheduler(deps, WebClient(token="xoxb-x"), lambda: False)
    scheduler.start(paused=True)
    try:
        started = datetime.now(UTC)
        next_runs = {job.id: job.next_run_time for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert set(next_runs) == set(EVERY)
    late = {
        name: when
        for name, when in next_runs.items()
        if not started < when <= started + EVERY[name] + timedelta(seconds=1)
    }
    assert late == {}


def test_waking_the_sender_brings_the_drain_forward(sessions: sessionmaker[Session]) -> None:
    deps = Deps(sessions=sessions, now=lambda: AROUND_DST)
    scheduler = build_scheduler(deps, WebClient(token="xoxb-x"), lambda: False)
    connect_sender_bell(scheduler, deps)
    scheduler.start(paused=True)
    try:
        scheduled = scheduler.get_job("drain_outbox").next_run_time
        deps.sender_bell.ring()
        woken = scheduler.get_job("drain_outbox").next_run_time
    finally:
        scheduler.shutdown(wait=False)
    assert woken < scheduled


def started_scheduler(sessions: sessionmaker[Session], is_leader: Callable[[], bool]) -> BackgroundScheduler:
    """The real schedule in a scheduler that runs nothing by itself: the test fires its jobs."""
    scheduler = build_scheduler(Deps(sessions=sessions, now=lambda: AROUND_DST), WebClient(token="xoxb-x"), is_leader)
    scheduler.start(paused=True)
    return scheduler


def next_runs(scheduler: BackgroundScheduler) -> dict[str, datetime]:
    return {job.id: job.next_run_time for job in scheduler.get_jobs()}


def test_a_process_just_started_runs_every_job_within_a_minute_one_after_another(
    sessions: sessionmaker[Session],
) -> None:
    """A process restarted more often than hourly (deploys, crashes) must still run the hourly jobs."""
    started = datetime.now(UTC)
    scheduler = started_scheduler(sessions, lambda: False)
    try:
        first_runs = next_runs(scheduler)
    finally:
        scheduler.shutdown(wait=False)
    late = {name: when - started for name, when in first_runs.items() if not started < when <= started + SOON}
    assert late == {}
    assert len({when.replace(microsecond=0) for when in first_runs.values()}) == len(first_runs), "not all at once"


def test_a_process_that_takes_over_as_leader_runs_every_job_within_a_minute(sessions: sessionmaker[Session]) -> None:
    """Another process led for an hour; this one ran its jobs as a follower (each doing nothing), so its
    hourly jobs are next due up to an hour from now when the leader dies and this one wins the lock."""
    leading = [False]
    scheduler = started_scheduler(sessions, lambda: leading[0])
    try:
        for job in scheduler.get_jobs():
            job.func()  # as a follower: nothing runs, and the next run is an interval later
            following = job.trigger.get_next_fire_time(job.next_run_time, job.next_run_time)
            scheduler.modify_job(job.id, next_run_time=following)
        leading[0] = True
        took_over = datetime.now(UTC)
        scheduler.get_job("drain_outbox").func()  # the first job to run after the other leader died
        due = next_runs(scheduler)
    finally:
        scheduler.shutdown(wait=False)
    late = {name: when - took_over for name, when in due.items() if when > took_over + SOON}
    assert late == {}


def test_a_job_run_late_because_the_process_was_busy_still_runs(sessions: sessionmaker[Session]) -> None:
    """A first run picked up a few seconds late (a busy start, a slow thread pool) runs rather than waiting
    a whole interval for the next."""
    scheduler = started_scheduler(sessions, lambda: False)
    outcome: list[int] = []
    done = threading.Event()

    def noted(event: JobExecutionEvent) -> None:
        if event.job_id == "forget_old_events":
            outcome.append(event.code)
            done.set()

    scheduler.add_listener(noted, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED | EVENT_JOB_ERROR)
    try:
        for job in scheduler.get_jobs():
            scheduler.modify_job(job.id, next_run_time=datetime.now(UTC) + timedelta(hours=2))
        scheduler.modify_job("forget_old_events", next_run_time=datetime.now(UTC) - timedelta(seconds=30))
        scheduler.resume()
        assert done.wait(timeout=30)
    finally:
        scheduler.shutdown(wait=True)
    assert outcome == [EVENT_JOB_EXECUTED]
