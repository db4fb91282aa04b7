"""The policy's `quiet_hours`: the nightly window, on each person's own clock, in which no reminder or escalation
reaches them (it waits for the window's end)."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from services.calendar import is_time_zone, zone
from services.policy.file import PolicyText

_TIME = r"([01][0-9]|2[0-3]):([0-5][0-9])"
_WINDOW = re.compile(rf"^\s*{_TIME}\s*[-–]\s*{_TIME}\s*\Z")
"""Spaces around the dash, or an en dash as a phone or word processor types it, read as the same window."""
LONGEST = timedelta(hours=16)
"""A longer night would leave less than a working day for follow-ups to land in."""


@dataclass(frozen=True)
class QuietHours:
    """From `start` until `end` on the reader's wall clock; across midnight when `end` comes first."""

    start: time = time(20)
    end: time = time(8)

    def hold(self, moment: datetime, tz: str | None) -> bool:
        """Whether `moment` falls in the window for someone in zone `tz`, read off their wall clock, so daylight
        saving moves the window with them. Nobody is held on a clock that is not theirs: when their zone is not
        known, their night is not either, and holding on UTC's would delay a New Yorker's reminder from 15:00."""
        if not tz or not is_time_zone(tz):
            return False
        local = moment.astimezone(zone(tz)).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def morning(self, moment: datetime, tz: str | None) -> datetime:
        """When someone in zone `tz` may next be reached from `moment`: at once in their day, else at the window's end
        on their wall clock (the next day's when that end comes after midnight). Compared as instants: on the night
        the clocks go back, the window's end may come twice, and the second pass through it is still ahead."""
        if not self.hold(moment, tz):
            return moment
        here = zone(tz)
        today = datetime.combine(moment.astimezone(here).date(), self.end, tzinfo=here)
        ends = (today, today.replace(fold=1), datetime.combine(today.date() + timedelta(days=1), self.end, tzinfo=here))
        return next(end for end in ends if end.astimezone(UTC) > moment).astimezone(moment.tzinfo)

    @property
    def words(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_quiet_hours(source: PolicyText, raw: Any) -> QuietHours | None:
    """`"20:00-08:00"` (the default when absent), or `false` for none; problems are recorded with their line."""
    if raw is None:
        return QuietHours()
    if raw is False:
        return None
    found = _WINDOW.match(raw) if isinstance(raw, str) else None
    if found is None:
        got = "true" if raw is True else repr(raw)
        source.problem(
            ("quiet_hours",),
            f'must be a window of 24-hour times like "20:00-08:00" (two digits for each hour and minute), or false '
            f"for none, got {got}",
        )
        return QuietHours()
    hour, minute, end_hour, end_minute = (int(part) for part in found.groups())
    window = QuietHours(time(hour, minute), time(end_hour, end_minute))
    if window.start == window.end:
        source.problem(("quiet_hours",), f"starts and ends at {window.start:%H:%M}: write false to hold nothing")
    elif _length(window) > LONGEST:
        source.problem(("quiet_hours",), f"{window.words} lasts longer than 16 hours, which leaves too short a day")
    return window


def _length(window: QuietHours) -> timedelta:
    day = datetime(2000, 1, 1)
    span = datetime.combine(day, window.end) - datetime.combine(day, window.start)
    return span if span > timedelta(0) else span + timedelta(days=1)


def quiet_words(window: QuietHours | None) -> str:
    """How a policy's change list and `policy show` name the window."""
    return window.words if window is not None else "none"
