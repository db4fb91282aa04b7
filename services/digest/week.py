"""Digest calendar: a manager's local week (Mon–Sun), the ISO week label and this week's send moment."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from services.calendar import zone
from services.policy.digest import DigestSettings

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Week:
    """A reporting window as UTC instants, with the same span one week earlier for comparison."""

    start: datetime
    end: datetime
    previous_start: datetime
    previous_end: datetime
    first_day: date
    last_day: date
    label: str
    so_far: bool = False
    since: date | None = None
    """The local day Latitude started, when that was after the week began: the week holds only what it saw since."""
    compared: bool = True
    """False when last week ended before Latitude started: there is nothing to compare this week with."""


def iso_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def local_monday(now: datetime, tz: str | None) -> date:
    today = now.astimezone(zone(tz)).date()
    return today - timedelta(days=today.weekday())


def _instant(day: date, tz: str | None) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone(tz)).astimezone(UTC)


def _same_time_a_week_before(now: datetime, tz: str | None) -> datetime:
    """Arithmetic on an aware local time is wall-clock arithmetic; the offset is worked out afresh."""
    return (now.astimezone(zone(tz)) - WEEK).astimezone(UTC)


def last_full_week(now: datetime, tz: str | None) -> Week:
    """Monday 00:00 to the next Monday 00:00 before the current local week, daylight saving included."""
    monday = local_monday(now, tz) - timedelta(days=7)
    return Week(
        start=_instant(monday, tz),
        end=_instant(monday + WEEK, tz),
        previous_start=_instant(monday - WEEK, tz),
        previous_end=_instant(monday, tz),
        first_day=monday,
        last_day=monday + timedelta(days=6),
        label=iso_label(monday),
    )


def week_so_far(now: datetime, tz: str | None) -> Week:
    """This local week up to now, against last week up to the same local day and time.

    The span is read on the reader's clock, not counted in hours: across a change of daylight saving
    this week so far is an hour shorter or longer than last week's, as the walls show it."""
    monday = local_monday(now, tz)
    return Week(
        start=_instant(monday, tz),
        end=now,
        previous_start=_instant(monday - WEEK, tz),
        previous_end=_same_time_a_week_before(now, tz),
        first_day=monday,
        last_day=now.astimezone(zone(tz)).date(),
        label=iso_label(monday),
        so_far=True,
    )


def seen_since(week: Week, started: datetime, tz: str | None) -> Week | None:
    """The week as Latitude saw it, having started at `started`: None when a full week ended before that (a week the
    product did not exist reads as a bad one); else from that day on when it started during the week, and not
    compared with a last week that ended before it."""
    if started >= week.end and not week.so_far:
        return None
    since = started.astimezone(zone(tz)).date() if started > week.start else None
    return replace(week, since=since, compared=started < week.previous_end)


def started_within(started: datetime, now: datetime, tz: str | None, window: timedelta) -> date | None:
    """The local day Latitude started, when that was within the `window` up to `now` (which it then did not fill)."""
    return started.astimezone(zone(tz)).date() if started > now - window else None


def send_moment(now: datetime, tz: str | None, settings: DigestSettings) -> datetime:
    """When this local week's digest is due: the policy's weekday and hour in the manager's zone."""
    day = local_monday(now, tz) + timedelta(days=settings.weekday)
    return datetime.combine(day, time(settings.hour), tzinfo=zone(tz)).astimezone(UTC)


def send_week(now: datetime, tz: str | None) -> str:
    """The ISO week a digest is sent in (it reports the week before): part of its outbox key."""
    return iso_label(local_monday(now, tz))
