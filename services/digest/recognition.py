"""The digest's recognition part: grants given and received by each team in its week, and who had none in 30 days.

Read-only. One range scan of the workspace's grants (on `granted_at`) serves every manager at once, with the
names from the org the digest has read; a revoked grant counts for nothing. A grant received counts for the
teams of the managers above its recipient when it was granted, and a grant given for those above its nominator
then (services/rewards/grant_filing.py), as HR's export files it: someone who moved since, or whose team lead moved
with their team, leaves it with their old team. The shout-out a *Done* gives a suggestion's author is received, but
given by nobody: nobody chose it (as on `/rewards top` and the App Home). A nudge, not a leaderboard: no ranking.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from models import RewardGrant, Suggestion
from services.digest.org import Person
from services.digest.week import Week
from services.rewards.grant_filing import managers_filed

RECOGNITION_WINDOW = timedelta(days=30)
SHOUTOUT_KIND = "praise"


@dataclass(frozen=True)
class RecognitionPart:
    """Grants (shout-outs and rewards) in the digest week, and the active members without one in 30 days."""

    given: int
    received: int
    unrecognised: tuple[Person, ...]
    rewards_given: int = 0
    rewards_received: int = 0


@dataclass(frozen=True)
class GrantRow:
    recipient_id: int
    recipient_manager_id: int | None
    """The recipient's manager when it was granted."""
    nominator_id: int
    shoutout: bool
    granted_at: datetime
    received_by: tuple[int, ...] = ()
    """Every manager above the recipient when it was granted (none: granted before they were kept)."""
    given_by: tuple[int, ...] = ()
    """Every manager above the nominator when it was granted (none: granted before they were kept)."""
    before_kept: bool = False
    """Granted before the managers above its people were kept: none kept does not mean none then."""
    chosen: bool = True
    """Given by choice; False for the thanks a done suggestion's author gets, which nobody chose to give."""


@dataclass
class Tally:
    given: int = 0
    received: int = 0
    rewards_given: int = 0
    rewards_received: int = 0


def recognition_parts(
    session: Session,
    *,
    workspace_id: int,
    teams: Mapping[int, frozenset[int]],
    weeks: Mapping[int, Week],
    active_people: Mapping[int, Person],
    now: datetime,
    kept_since: datetime | None = None,
) -> dict[int, RecognitionPart]:
    """Per manager: grants in their own week given/received by the team, and who got none in the 30 days to `now`.

    `active_people` are the active people by id: only they can be listed as unrecognised. `kept_since`: from when
    grants keep the managers above their people (None: always); one made since with none had no manager there.
    """
    if not teams:
        return {}
    since = now - RECOGNITION_WINDOW
    low = min(since, *(weeks[m].start for m in teams))
    rows = grant_rows(session, workspace_id, low, max(now, *(weeks[m].end for m in teams)), kept_since)
    above = _managers_above(teams)
    tallies = {manager: Tally() for manager in teams}
    recognised: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        _count(row, above, weeks, tallies)
        if since <= row.granted_at < now:
            for manager in above.get(row.recipient_id, ()):
                recognised[manager].add(row.recipient_id)
    return {
        manager: RecognitionPart(
            given=tally.given,
            received=tally.received,
            unrecognised=_unrecognised(teams[manager] - recognised[manager], active_people),
            rewards_given=tally.rewards_given,
            rewards_received=tally.rewards_received,
        )
        for manager, tally in tallies.items()
    }


def grant_rows(
    session: Session, workspace_id: int, low: datetime, high: datetime, kept_since: datetime | None = None
) -> list[GrantRow]:
    """Grants not revoked in [low, high): a range on (workspace_id, granted_at). Those made before `kept_since`
    (from when the managers above their people are kept; None: always) are marked `before_kept`."""
    g = RewardGrant
    where = (g.workspace_id == workspace_id, g.granted_at >= low, g.granted_at < high, g.status != "revoked")
    thanks = exists().where(Suggestion.nomination_id == g.nomination_id).label("thanks")
    query = select(g.id, g.recipient_id, g.manager_id, g.nominator_id, g.kind, g.granted_at, thanks).where(*where)
    filed = managers_filed(session, *where)
    return [
        GrantRow(
            row.recipient_id,
            row.manager_id,
            row.nominator_id,
            row.kind == SHOUTOUT_KIND,
            row.granted_at,
            received_by=filed.get(row.id, {}).get("received", ()),
            given_by=filed.get(row.id, {}).get("given", ()),
            before_kept=kept_since is not None and row.granted_at < kept_since,
            chosen=not row.thanks,
        )
        for row in session.execute(query)
    ]


def _managers_above(teams: Mapping[int, frozenset[int]]) -> dict[int, list[int]]:
    above: dict[int, list[int]] = defaultdict(list)
    for manager, members in teams.items():
        for member in members:
            above[member].append(manager)
    return above


def _count(row: GrantRow, above: Mapping[int, list[int]], weeks: Mapping[int, Week], tallies: dict[int, Tally]) -> None:
    for manager in _received_by(row, above, tallies):
        if weeks[manager].start <= row.granted_at < weeks[manager].end:
            tallies[manager].received += 1
            tallies[manager].rewards_received += not row.shoutout
    if not row.chosen:
        return
    for manager in row.given_by or (above.get(row.nominator_id, ()) if row.before_kept else ()):
        if manager in tallies and weeks[manager].start <= row.granted_at < weeks[manager].end:
            tallies[manager].given += 1
            tallies[manager].rewards_given += not row.shoutout


def _received_by(row: GrantRow, above: Mapping[int, list[int]], teams: Mapping[int, object]) -> list[int]:
    """The managers whose team received the grant: every manager above the recipient when it was granted; for a grant
    made before they were kept, the recipient's manager then and the managers above that one now."""
    if row.received_by or not row.before_kept:
        return [manager for manager in row.received_by if manager in teams]
    manager = row.recipient_manager_id
    if manager is None:
        return []
    return [manager, *above.get(manager, ())] if manager in teams else list(above.get(manager, ()))


def _unrecognised(members: frozenset[int] | set[int], people: Mapping[int, Person]) -> tuple[Person, ...]:
    return tuple(sorted((people[member] for member in members if member in people), key=lambda p: (p.name, p.id)))
