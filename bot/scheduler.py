"""The schedule: which tick runs when. One scheduler per deployment (see bot/leader.py).

Every tick first runs within seconds of the start, one after another, and again within seconds of this
process becoming the leader: a process restarted more often than hourly (deploys, crashes, autoscaling)
or a leader taking over from one that died must not wait a whole interval. The ticks are idempotent.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from handlers.deps import Deps
from handlers.jobs.catch_up_departures import catch_up_departures
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from handlers.jobs.forget_anonymous_dms import forget_anonymous_dms
from handlers.jobs.forget_old_events import forget_old_events
from handlers.jobs.forget_sent_messages import forget_sent_messages
from handlers.jobs.propose_boundaries import propose_boundaries
from handlers.jobs.release_suggestions import release_suggestions
from handlers.jobs.retry_failed_events import retry_failed_events
from handlers.jobs.run_pulse_rounds import run_pulse_rounds
from handlers.jobs.send_weekly_digests import send_weekly_digests
from handlers.jobs.warn_of_long_migrations import warn_of_long_migrations

log = logging.getLogger(__name__)
Tick = Callable[[Deps, WebClient], object]


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    tick: Tick
    trigger: BaseTrigger


SCHEDULE: tuple[ScheduledJob, ...] = (
    ScheduledJob("drain_outbox", drain_outbox, IntervalTrigger(seconds=10)),
    ScheduledJob("release_suggestions", release_suggestions, IntervalTrigger(seconds=30)),
    ScheduledJob("forget_old_events", forget_old_events, IntervalTrigger(hours=1)),
    ScheduledJob("follow_up_pending_requests", follow_up_pending_requests, IntervalTrigger(minutes=10)),
    ScheduledJob("run_pulse_rounds", run_pulse_rounds, IntervalTrigger(minutes=1)),
    ScheduledJob("send_weekly_digests", send_weekly_digests, IntervalTrigger(minutes=5)),
    ScheduledJob("propose_boundaries", propose_boundaries, IntervalTrigger(hours=1)),
    ScheduledJob("warn_of_long_migrations", warn_of_long_migrations, IntervalTrigger(hours=1)),
    ScheduledJob("forget_anonymous_dms", forget_anonymous_dms, IntervalTrigger(minutes=5)),
    ScheduledJob("forget_sent_messages", forget_sent_messages, IntervalTrigger(hours=1)),
    ScheduledJob("retry_failed_events", retry_failed_events, IntervalTrigger(minutes=1)),
    ScheduledJob("catch_up_departures", catch_up_departures, IntervalTrigger(hours=1)),
)


FIRST_RUN = timedelta(seconds=2)
STAGGER = timedelta(seconds=5)


def build_scheduler(deps: Deps, client: WebClient, is_leader: Callable[[], bool]) -> BackgroundScheduler:
    """Runs that come late (a busy start, a slow thread pool) still run, once (`coalesce`), rather than wait
    for the next interval: APScheduler's default is to drop a run more than a second late."""
    scheduler = BackgroundScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    )
    leading = Leading(is_leader, on_win=lambda: bring_every_job_forward(scheduler))
    first_runs = soon(datetime.now(UTC))
    for job in SCHEDULE:
        run = _guarded(job, deps, client, leading)
        scheduler.add_job(run, job.trigger, id=job.name, name=job.name, next_run_time=first_runs[job.name])
    return scheduler


def soon(now: datetime) -> dict[str, datetime]:
    """When each job runs first after `now`: a few seconds apart, in the order of the schedule."""
    return {job.name: now + FIRST_RUN + STAGGER * position for position, job in enumerate(SCHEDULE)}


def bring_every_job_forward(scheduler: BackgroundScheduler) -> None:
    """Every job runs soon (none is put off): this process has just become the leader."""
    first_runs = soon(datetime.now(UTC))
    for job in scheduler.get_jobs():
        due = first_runs.get(job.id)
        if due is not None and job.next_run_time is not None and job.next_run_time > due:
            scheduler.modify_job(job.id, next_run_time=due)


class Leading:
    """Whether this process leads, asked afresh each time; `on_win` runs when it starts to lead."""

    def __init__(self, is_leader: Callable[[], bool], on_win: Callable[[], None]) -> None:
        self._is_leader = is_leader
        self._on_win = on_win
        self._leading = False
        self._lock = threading.Lock()

    def __call__(self) -> bool:
        with self._lock:
            leading = self._is_leader()
            won = leading and not self._leading
            self._leading = leading
        if won:
            self._on_win()
        return leading


def connect_sender_bell(scheduler: BackgroundScheduler, deps: Deps) -> None:
    """A listener's fan-out brings the outbox drain forward to now (it still runs only where this process leads)."""
    deps.sender_bell.connect(lambda: scheduler.modify_job("drain_outbox", next_run_time=datetime.now(UTC)))


def _guarded(job: ScheduledJob, deps: Deps, client: WebClient, is_leader: Callable[[], bool]) -> Callable[[], None]:
    """Run the tick only while this process holds the lock (asked afresh each time); log only what matters.

    One line when the tick says it did something (a count above zero, a non-empty result). A failure is logged with
    its traceback when it starts; while the same error goes on (the database down, its disk full, its file made
    read-only) the next runs say nothing, and one line says when the job works again and how many runs failed.
    The outbox sender runs every 10 s: a traceback each time would bury everything else in the log.
    APScheduler's own per-run lines are switched off (bot/logs.py).
    """
    failing = Failing(job.name)

    def run() -> None:
        if not is_leader():
            return
        try:
            result = job.tick(deps, client)
        except Exception as error:
            failing.failed(error)
            return
        failing.worked()
        if result:
            log.info("scheduled job %s: %s", job.name, result)

    return run


class Failing:
    """One job's run of failures: the same error again is counted, not logged again."""

    def __init__(self, job: str) -> None:
        self.job = job
        self.runs = 0
        self.kind = ""

    def failed(self, error: Exception) -> None:
        kind = f"{type(error).__name__}/{type(getattr(error, 'orig', None)).__name__}"
        if self.runs == 0 or kind != self.kind:
            log.error("scheduled job %s failed", self.job, exc_info=error)
        self.runs, self.kind = self.runs + 1, kind

    def worked(self) -> None:
        if self.runs:
            log.warning("scheduled job %s works again, after %d failed runs", self.job, self.runs)
        self.runs, self.kind = 0, ""
