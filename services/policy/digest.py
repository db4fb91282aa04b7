"""The policy's optional `[digest]` section: when managers get their weekly digest."""

from dataclasses import dataclass
from typing import Any

from services.policy.file import PolicyText

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DIGEST_KEYS = {"enabled", "weekday", "hour"}


@dataclass(frozen=True)
class DigestSettings:
    """Send on `weekday` (0 = Monday) at `hour` o'clock in each manager's own time zone."""

    enabled: bool = True
    weekday: int = 0
    hour: int = 9

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.weekday].capitalize()


def parse_digest(source: PolicyText, raw: Any) -> DigestSettings:
    """Read `[digest]` (absent: Monday 09:00); problems are recorded on `source` with their line."""
    if raw is None:
        return DigestSettings()
    table = source.table(("digest",), raw)
    source.unknown_keys(("digest",), table, DIGEST_KEYS)
    enabled = source.flag(("digest", "enabled"), table.get("enabled"))
    day = source.string(("digest", "weekday"), _lower(table.get("weekday")), choices=WEEKDAYS)
    hour = source.whole(("digest", "hour"), table.get("hour"), minimum=0, maximum=23)
    return DigestSettings(
        enabled=True if enabled is None else enabled,
        weekday=WEEKDAYS.index(day) if day else 0,
        hour=9 if hour is None else hour,
    )


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value
