"""The pulse cadence: which scheduled round is due, opened while its local hour comes around the Earth, or late
when nothing opened it then (the bot was not running). Callers commit.

A round opens late only if it still fits its period: open for its full `open_hours` from now and closed before
the next scheduled round's hour first comes, and filed under the day it was due (biweekly rounds keep to every
other week from the latest scheduled one), so a late round never pushes the next one back. Never for a period
that had a round (scheduled or by hand) open when its hour came or since, nor when the policy in force then did
not schedule one.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from models import AuditEvent, PulseRound, Workspace
from services.errors import AlreadyDone
from services.policy.pulse import PulseSettings
from services.policy.versions import current_policy, policy_in_force_at
from services.pulse.rounds import EARLIEST_OFFSET, create_round, due_window, open_round
from services.unlisted import ORG_IMPORT, org_file_imported
from services.workspaces import REINSTALLED

LATE_REASON = "Latitude was not running while it was due, so nobody was asked then"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """A scheduled round's day and the span in which its local hour comes around the Earth."""

    day: date
    starts: datetime
    ends: datetime


def open_scheduled_round(session: Session, *, workspace: Workspace, now: datetime) -> PulseRound | None:
    """Open the round the cadence says is due, once its local hour has come somewhere on Earth, or late."""
    active = current_policy(session, workspace)
    if active is None or not active.policy.pulse.enabled or not org_file_imported(session, workspace.id):
        return None  # a policy loaded before the org file: a round would ask nobody
    settings = active.policy.pulse
    due = due_round(settings, now, phase=_biweekly_phase(session, workspace, settings))
    late = now >= due.ends
    if late and not _fits_before_next(settings, due, now):
        return None
    if open_round(session, workspace) is not None or not _gap_allows(session, workspace, settings, due.day):
        return None
    if late and not _missed(session, workspace, due):
        return None
    try:
        opened = create_round(
            session,
            workspace=workspace,
            settings=settings,
            opens_on=due.day,
            local_time=settings.local_time,
            actor="schedule",
            now=now,
            late=_late_details(due, settings) if late else None,
        )
    except AlreadyDone:  # another process's tick opened it at this very moment
        return None
    _log_opening(opened, due, settings, late=late)
    return opened


def due_round(settings: PulseSettings, now: datetime, phase: date | None = None) -> Due:
    """The latest scheduled round whose local hour has come somewhere on Earth by `now` (`phase`: see
    `scheduled_date`)."""
    hour = time.fromisoformat(settings.local_time)
    first_there = now.astimezone(UTC) + EARLIEST_OFFSET - timedelta(hours=hour.hour, minutes=hour.minute)
    return _due(scheduled_date(settings, first_there.date(), phase), settings)


def scheduled_date(settings: PulseSettings, today: date, phase: date | None = None) -> date:
    """The latest day on or before `today` on which the cadence opens a round. Biweekly rounds fall every other
    week from `phase` (the latest scheduled round's day; none yet: any week), so a round that opened late is filed
    under its own day and the next one keeps its date."""
    back = (today.weekday() - settings.weekday_number) % 7
    day = today - timedelta(days=back)
    if settings.cadence == "biweekly" and phase is not None and _weeks_apart(phase, day) % 2:
        return day - timedelta(days=7)
    if settings.cadence != "monthly":
        return day
    first = _first_weekday(today.replace(day=1), settings.weekday_number)
    if first <= today:
        return first
    previous = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return _first_weekday(previous, settings.weekday_number)


def next_scheduled_date(settings: PulseSettings, day: date) -> date:
    """The day of the scheduled round after the one of `day`."""
    if settings.cadence != "monthly":
        return day + timedelta(days=14 if settings.cadence == "biweekly" else 7)
    next_month = (day.replace(day=1) + timedelta(days=31)).replace(day=1)
    return _first_weekday(next_month, settings.weekday_number)


def _due(day: date, settings: PulseSettings) -> Due:
    starts, ends = due_window(day, settings.local_time)
    return Due(day, starts, ends)


def _weeks_apart(earlier: date, later: date) -> int:
    """Weeks from the Monday of `earlier`'s week to that of `later`'s (so also across a change of `weekday`)."""
    return ((later - timedelta(days=later.weekday())) - (earlier - timedelta(days=earlier.weekday()))).days // 7


def _biweekly_phase(session: Session, workspace: Workspace, settings: PulseSettings) -> date | None:
    """The day of the latest round the schedule opened (rounds opened by hand have no local hour), for biweekly."""
    if settings.cadence != "biweekly":
        return None
    return session.scalar(
        select(func.max(PulseRound.opens_on)).where(
            PulseRound.workspace_id == workspace.id, PulseRound.local_time.is_not(None)
        )
    )


def _first_weekday(first_of_month: date, weekday: int) -> date:
    return first_of_month + timedelta(days=(weekday - first_of_month.weekday()) % 7)


def _min_gap_days(settings: PulseSettings) -> int:
    return {"weekly": 1, "biweekly": 8, "monthly": 8}[settings.cadence]


def _gap_allows(session: Session, workspace: Workspace, settings: PulseSettings, day: date) -> bool:
    """Far enough from the latest round's day (so also never twice for one day, nor for a period that had one)."""
    last = session.scalar(select(func.max(PulseRound.opens_on)).where(PulseRound.workspace_id == workspace.id))
    return last is None or (day - last).days >= _min_gap_days(settings)


def _fits_before_next(settings: PulseSettings, due: Due, now: datetime) -> bool:
    following = _due(next_scheduled_date(settings, due.day), settings)
    return now + timedelta(hours=settings.open_hours) <= following.starts


def _missed(session: Session, workspace: Workspace, due: Due) -> bool:
    """Nothing ran while the round was due: no round was open when its hour came or since (one past its end was
    not, though the tick that sealed it came later: the bot was down then too), the schedule then would have opened
    it (a policy was loaded, with the pulse on, and an org file imported before its hour had come everywhere: a round
    would otherwise have asked nobody), and the app was installed (a reinstall since starts from then, not a
    backlog)."""
    overlapping = session.scalar(
        select(PulseRound.id)
        .where(
            PulseRound.workspace_id == workspace.id,
            or_(PulseRound.closed_at.is_(None), PulseRound.closed_at > due.starts),
            PulseRound.closes_at > due.starts,
        )
        .limit(1)
    )
    reinstalled = _audited(session, workspace, REINSTALLED, AuditEvent.at > due.starts)
    imported = _audited(session, workspace, ORG_IMPORT, AuditEvent.at < due.ends)
    if overlapping is not None or reinstalled or not imported:
        return False
    then = policy_in_force_at(session, workspace, due.starts)
    return then is not None and then.pulse.enabled


def _audited(session: Session, workspace: Workspace, action: str, when: ColumnElement[bool]) -> bool:
    """Whether the workspace's audit trail holds `action` at a moment `when` allows."""
    found = select(AuditEvent.id).where(AuditEvent.workspace_id == workspace.id, AuditEvent.action == action, when)
    return session.scalar(found.limit(1)) is not None


def _late_details(due: Due, settings: PulseSettings) -> dict[str, str]:
    return {"due_on": due.day.isoformat(), "local_time": settings.local_time, "reason": LATE_REASON}


def _log_opening(opened: PulseRound, due: Due, settings: PulseSettings, *, late: bool) -> None:
    if not late:
        log.info("pulse round %s opened on schedule for %s", opened.number, due.day.isoformat())
        return
    log.warning(
        "pulse round %s opened late: it was due on %s at %s in each person's time zone; %s",
        opened.number,
        due.day.isoformat(),
        settings.local_time,
        LATE_REASON,
    )
