"""Calendar windows (a local day, a local month) in a person's own time zone, as UTC instants."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    """The named zone, or UTC when the name is empty or not a zone."""
    return ZoneInfo(name) if name and is_time_zone(name) else ZoneInfo("UTC")


def is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA zone; a region such as `Europe` is a folder of tzdata, not one."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def moment_words(moment: datetime, tz: str | None) -> str:
    """A moment as a person reads it on their own clock: `Tuesday 31 March at 17:00`, just the date at their
    midnight, and the time in UTC when their zone is unknown."""
    if not tz or not is_time_zone(tz):
        return f"{moment.astimezone(UTC):%A %d %B} at {moment.astimezone(UTC):%H:%M} UTC"
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%A %d %B}" if local.time() == time() else f"{local:%A %d %B} at {local:%H:%M}"


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
