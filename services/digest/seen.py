"""What Latitude saw of a manager's team: from when it first knew the manager (the org file listed them, or their
first use, both after the install). A week, or the days of a window, before that read as a team doing nothing."""

from collections.abc import Callable
from datetime import date, datetime

from models import Workspace
from services.digest.org import Person
from services.digest.recognition import RECOGNITION_WINDOW
from services.digest.week import Week, seen_since, started_within

WeekOf = Callable[[datetime, str | None], Week]


def weeks_seen(workspace: Workspace, heads: list[Person], week_of: WeekOf, now: datetime) -> dict[int, Week]:
    """Each manager's week as Latitude saw it; none for a week that ended before it knew them."""
    weeks: dict[int, Week] = {}
    for manager in heads:
        week = seen_since(week_of(now, manager.tz), started(workspace, manager), manager.tz)
        if week is not None:
            weeks[manager.id] = week
    return weeks


def recognised_since(workspace: Workspace, manager: Person, now: datetime) -> date | None:
    """The local day Latitude started, when within the 30 days the "nobody has recognised" nudge looks back."""
    return started_within(started(workspace, manager), now, manager.tz, RECOGNITION_WINDOW)


def started(workspace: Workspace, manager: Person) -> datetime:
    return manager.listed_at or workspace.created_at
