"""The schedule: which tick runs when. One scheduler per deployment (see bot/leader.py)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from handlers.deps import Deps
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from handlers.jobs.forget_old_events import forget_old_events
from handlers.jobs.propose_boundaries import propose_boundaries
from handlers.jobs.run_pulse_rounds import run_pulse_rounds
from handlers.jobs.send_weekly_digests import send_weekly_digests

log = logging.getLogger(__name__)
Tick = Callable[[Deps, WebClient], object]


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    tick: Tick
    trigger: BaseTrigger


SCHEDULE: tuple[ScheduledJob, ...] = (
    ScheduledJob("drain_outbox", drain_outbox, IntervalTrigger(seconds=10)),
    ScheduledJob("forget_old_events", forget_old_events, IntervalTrigger(hours=1)),
    ScheduledJob("follow_up_pending_requests", follow_up_pending_requests, IntervalTrigger(minutes=10)),
    ScheduledJob("run_pulse_rounds", run_pulse_rounds, IntervalTrigger(minutes=1)),
    ScheduledJob("send_weekly_digests", send_weekly_digests, IntervalTrigger(minutes=5)),
    ScheduledJob("propose_boundaries", propose_boundaries, IntervalTrigger(hours=1)),
)


def build_scheduler(deps: Deps, client: WebClient, is_leader: Callable[[], bool]) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1})
    for job in SCHEDULE:
        scheduler.add_job(_guarded(job, deps, client, is_leader), job.trigger, id=job.name, name=job.name)
    return scheduler


def connect_sender_bell(scheduler: BackgroundScheduler, deps: Deps) -> None:
    """A listener's fan-out brings the outbox drain forward to now (it still runs only where this process leads)."""
    deps.sender_bell.connect(lambda: scheduler.modify_job("drain_outbox", next_run_time=datetime.now(UTC)))


def _guarded(job: ScheduledJob, deps: Deps, client: WebClient, is_leader: Callable[[], bool]) -> Callable[[], None]:
    """Run the tick only while this process holds the lock (asked afresh each time); log only what matters.

    One line when the tick says it did something (a count above zero, a non-empty result) or failed;
    nothing for a quiet tick, and APScheduler's own per-run lines are switched off (bot/logs.py).
    """

    def run() -> None:
        if not is_leader():
            return
        try:
            result = job.tick(deps, client)
        except Exception:
            log.exception("scheduled job %s failed", job.name)
            return
        if result:
            log.info("scheduled job %s: %s", job.name, result)

    return run
