"""The range of HR's reward export: whole UTC days from FROM to TO, checked against today. The words typed after
`/rewards export` are read in `export_words`, each day in `export_days`."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from services.rewards.export_days import (
    RangeRefused,
    figures_order,
    first_day,
    last_day_after,
    spelt,
    typed_days,
    without_its_year,
)


@dataclass(frozen=True)
class ExportPeriod:
    """Whole UTC days, both ends included."""

    first: date
    last: date
    team: str | None = None
    today: date | None = None
    """UTC's today when the range was read: a range ending later holds only what was granted so far."""
    read_as: str = ""
    """How dates typed without their year were read (`Mar 3` -> 3 March 2025), to be said with the range."""

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=UTC)

    def so_far(self) -> str:
        """Said after the range when it reaches today: a quarter exported before its end is not the whole one, nor a
        month whose last UTC day is still running (HR ahead of UTC says `last month` before UTC's month has ended)."""
        if not self.unfinished:
            return ""
        if self.today is not None and self.last == self.today:
            return f" — UTC's {self.today.isoformat()} has not ended yet, so it holds the grants made so far"
        return f" — it ends after today in UTC ({self.today!s}), so it holds the grants made so far"

    @property
    def unfinished(self) -> bool:
        """Whether its last UTC day has not ended yet, so that more grants may still fall in it."""
        return self.today is not None and self.last >= self.today

    def covered(self) -> "ExportPeriod":
        """The range up to today when it ends later: what the file holds, named so on the file itself (it outlives
        the message that says "so far")."""
        if self.today is None or self.last <= self.today:
            return self
        return replace(self, last=self.today)

    def describe(self) -> str:
        team = f", team {self.team}" if self.team else ""
        return f"{self.first.isoformat()} to {self.last.isoformat()}{team}"


def parse_period(
    first: str | None,
    last: str | None,
    team: str | None,
    *,
    now: datetime,
    names: tuple[str, str] = ("FROM", "TO"),
    said_on: date | None = None,
) -> ExportPeriod:
    """FROM and TO as typed, in Slack or on the command line (`export_days`: a month is its first day as FROM, its last
    as TO), starting no later than today (UTC); by default this month so far. A team named empty stays "" (refused by
    `check_export`), never read as every team. `names` are what the user typed them as. `said_on`: the date from
    which `yesterday`, `last month`... are counted, the requester's own (default: UTC's); the days they name are
    whole UTC days all the same."""
    today = now.astimezone(UTC).date()
    said = said_on or today
    order = figures_order(first) or figures_order(last)
    if first is not None and last is not None and without_its_year(last):  # `Dec 20 to Jan 5`: from FROM on
        start = first_day(first, names[0], "the 1st of this month", today=said, until=None, order=order)
        end = last_day_after(last, names[1], start=start, today=said, order=order)
    else:
        end = typed_days(last, names[1], "today", today=said, order=order)[1] if last is not None else today
        until = end if last is not None else None
        start = (
            first_day(first, names[0], "the 1st of this month", today=said, until=until, order=order)
            if first is not None
            else today.replace(day=1)
        )
    if start > today and (last is None or end >= start):  # a range typed backwards is told as that first
        raise RangeRefused(
            _not_begun_in_utc(start, today, names[0]) if start <= said else _future(start, today, names[0])
        )
    if end < start:
        raise RangeRefused(_reversed(start, end, first, last, names))
    read_as = _read_as([(first, start), (last, end)])
    return ExportPeriod(
        first=start, last=end, team=team.strip() if team is not None else None, today=today, read_as=read_as
    )


def _read_as(ends: list[tuple[str | None, date]]) -> str:
    """`Mar 3` has no year: read as 3 March 2025` — the year taken for each end typed without one, said back."""
    typed = [(text.strip(), day) for text, day in ends if text is not None and without_its_year(text)]
    if not typed:
        return ""
    names = list(dict.fromkeys(f"`{text}`" for text, _ in typed))
    days = " to ".join(dict.fromkeys(spelt(day) for _, day in typed))
    return f"{' and '.join(names)} {'has' if len(names) == 1 else 'have'} no year: read as {days}"


def _future(start: date, today: date, name: str) -> str:
    """A range that has not begun holds no grant: an empty file would pass for a month with no rewards."""
    return (
        f"{name} {start.isoformat()} is after today ({today.isoformat()} in UTC, the clock of the export's days): "
        "nothing has been granted then yet. Check the year and the month."
    )


def _not_begun_in_utc(start: date, today: date, name: str) -> str:
    """Said ahead of UTC (Sydney's morning), `today` or `this month` starts on a day UTC has not reached."""
    return (
        f"{name} {start.isoformat()} has begun on your clock but not yet in UTC, the clock of the export's days (it is "
        f"still {today.isoformat()} there), so nothing has been granted on it yet. Until it begins, "
        f"`{today.isoformat()}` holds what has been granted so far."
    )


def _reversed(start: date, end: date, first: str | None, last: str | None, names: tuple[str, str]) -> str:
    """Say which date is missing when the default of one end falls on the wrong side of the other."""
    start_name, end_name = names
    if first is None:
        return (
            f"{end_name} {end.isoformat()} is before {start.isoformat()}, where the range starts without "
            f"{start_name}: give {start_name} too."
        )
    if last is None:
        return (
            f"{start_name} {start.isoformat()} is after {end.isoformat()}, where the range ends without {end_name}: "
            f"give {end_name} too."
        )
    return f"The range ends ({end.isoformat()}) before it starts ({start.isoformat()}): put the earlier date first."
