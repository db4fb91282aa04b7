"""Calendar windows (a local day, a local month) in a person's own time zone, as UTC instants."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


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
