"""Calendar windows (a local day, a local month) in a person's own time zone, as UTC instants."""

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones


def zone(name: str | None) -> ZoneInfo:
    """The named zone, or UTC when the name is empty or not a zone."""
    return ZoneInfo(name) if name and is_time_zone(name) else ZoneInfo("UTC")


def zone_name(name: str | None) -> str:
    """The name of the zone a person's clock is read in: theirs, or `UTC` when it is unknown here."""
    return zone(name).key


def is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA zone. Not a region (`Europe` is a folder of tzdata), nor a file that tzdata
    keeps beside the zones: `localtime` (the server's own clock), `Factory`, `posixrules`, `right/...`."""
    return name in _zone_names()


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones() - _NOT_ZONES)


_NOT_ZONES = {"localtime", "Factory"}
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal"}


def moment_words(moment: datetime, tz: str | None, *, deadline: bool = False) -> str:
    """A moment as a person reads it on their own clock, which it names: `Tuesday 31 March at 20:00 New York
    time`, just the date at their own midnight (a month that starts), and the time in UTC when their zone is unknown.
    A `deadline` always says the time: "open until Thursday" would read as through Thursday, not as it begins."""
    if not tz or not is_time_zone(tz) or tz in _UTC_NAMES:
        local, clock = moment.astimezone(UTC), "UTC"
    else:
        local, clock = moment.astimezone(ZoneInfo(tz)), _clock_name(tz, moment)
    if local.time() == time() and clock != "UTC" and not deadline:
        return f"{local:%A %d %B}"
    return f"{local:%A %d %B} at {local:%H:%M} {clock}"


def _clock_name(tz: str, moment: datetime) -> str:
    """`New York time` for a city's zone; the offset for a fixed one (`Etc/GMT+5` is UTC-05:00: POSIX signs)."""
    if not tz.startswith("Etc/"):
        return tz.rsplit("/", 1)[-1].replace("_", " ") + " time"
    offset = moment.astimezone(ZoneInfo(tz)).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def local_day(now: datetime, tz: str | None) -> tuple[datetime, datetime]:
    local = now.astimezone(zone(tz))
    start = local.replace(hour=0, minute=0, second=0, microsecond=0, fold=0)  # a repeated midnight: the first
    end = start + timedelta(days=1)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_month(now: datetime, tz: str | None) -> tuple[datetime, datetime]:
    local = now.astimezone(zone(tz))
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0, fold=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_date(now: datetime, tz: str | None) -> date:
    """The date on a person's own calendar: in Sydney, 1 April while UTC's is still 31 March."""
    return now.astimezone(zone(tz)).date()
