"""The digest's suggestions part: what waits on each manager (oldest first) and what was done this week. Read-only."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Suggestion
from services.digest.week import Week
from services.suggestions.release import RELEASED

OPEN = ("open", "under_review", "planned")
MAX_ITEMS = 5


@dataclass(frozen=True)
class SuggestionLine:
    number: int
    """As shown (#N); the digest lists released ideas only, which all have one."""
    what: str
    status: str
    backers: int
    at: datetime
    change: str | None = None


@dataclass(frozen=True)
class SuggestionsPart:
    waiting: tuple[SuggestionLine, ...]
    waiting_count: int
    done: tuple[SuggestionLine, ...]


def suggestion_parts(session: Session, *, weeks: dict[int, Week]) -> dict[int, SuggestionsPart]:
    """Per manager: suggestions they own that are still open, and those they closed as done in their week."""
    managers: Collection[int] = list(weeks)
    if not managers:
        return {}
    earliest = min(week.start for week in weeks.values())
    # Two reads on the owner index (owner, status, closed_at). One read with an OR, or one that also names the
    # workspace (the managers are the workspace's already), lures the planner onto the workspace's whole history
    # or onto every suggestion the managers ever closed as done.
    mine = Suggestion.owner_id.in_(managers)
    still_open = select(Suggestion).where(mine, Suggestion.status.in_(OPEN), RELEASED)  # held back: release.py
    done_lately = select(Suggestion).where(mine, Suggestion.status == "done", Suggestion.closed_at >= earliest)
    found = [*session.scalars(still_open), *session.scalars(done_lately)]
    waiting: dict[int, list[SuggestionLine]] = {}
    done: dict[int, list[SuggestionLine]] = {}
    for row in sorted(found, key=lambda s: (s.created_at, s.number or 0)):
        line = SuggestionLine(row.number or 0, row.what, row.status, len(row.backers), row.created_at, row.change)
        week = weeks[row.owner_id]
        if row.status in OPEN:
            waiting.setdefault(row.owner_id, []).append(line)
        elif row.closed_at is not None and _in_week(week, row.closed_at):
            done.setdefault(row.owner_id, []).append(line)
    return {
        manager: SuggestionsPart(
            tuple(waiting.get(manager, [])[:MAX_ITEMS]), len(waiting.get(manager, [])), tuple(done.get(manager, []))
        )
        for manager in managers
        if manager in waiting or manager in done
    }


def _in_week(week: Week, moment: datetime) -> bool:
    """In the week; a week so far ends now, and counts what happened at this very moment."""
    return week.start <= moment < week.end or (week.so_far and week.start <= moment <= week.end)
