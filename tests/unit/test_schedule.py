"""The schedule: each tick fires when it should, one after another, across a daylight-saving change."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
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
}
# Europe's clocks go back at 01:00 UTC on 2026-10-25; the ticks run on UTC and must not skip or repeat.
AROUND_DST = datetime(2026, 10, 25, 0, 59, 55, tzinfo=UTC)


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
