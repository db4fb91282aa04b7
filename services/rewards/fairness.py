"""Fairness of recognition: who gives and receives most, and pairs who mostly nominate each other. Read only.

What someone gave is what they chose to give, as the App Home's "Given this month" counts it: the shout-out an
owner's *Done* gives a suggestion's author counts as received by the author, never as given by the owner.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from models import Employee, Nomination, RewardGrant, Suggestion, Team, Workspace
from services import directory
from services.errors import InvalidInput, NotAllowed
from services.rewards.grants import HR_ROLES, SPENDING, month_start, quarter_start, reward_policy
from services.text import echoed

PERIODS = ("month", "quarter")
TOP = 5
PAIR_MINIMUM = 2
_CHOSEN_GRANT = ~exists().where(Suggestion.nomination_id == RewardGrant.nomination_id)
_CHOSEN_NOMINATION = ~exists().where(Suggestion.nomination_id == Nomination.id)


@dataclass(frozen=True)
class Tally:
    name: str
    count: int


@dataclass(frozen=True)
class MutualPair:
    first: str
    second: str
    first_to_second: int
    second_to_first: int


@dataclass(frozen=True)
class Leaderboard:
    period: str
    start: datetime
    givers: list[Tally]
    receivers: list[Tally]
    teams: list[Tally]
    mutual_pairs: list[MutualPair] | None


def leaderboard(session: Session, *, workspace: Workspace, viewer: Employee, period: str, now: datetime) -> Leaderboard:
    """Top givers, receivers and teams since the start of the month or quarter; HR also sees mutual pairs.

    A team counts the grants its people received while in it, as HR's export files them: someone who moved
    leaves their earlier grants with their old team."""
    if period.lower() not in PERIODS:
        raise InvalidInput(f"`{echoed(period)}` is not a period: use month or quarter.")
    period = period.lower()
    if not reward_policy(session, workspace).leaderboards:
        raise NotAllowed("Leaderboards are switched off in this workspace's policy.")
    start = month_start(now) if period == "month" else quarter_start(now)
    in_period = (
        RewardGrant.workspace_id == workspace.id,
        RewardGrant.granted_at >= start,
        RewardGrant.status != "revoked",
    )
    count = func.count(RewardGrant.id)
    givers = select(Employee.name, count).join(Employee, RewardGrant.nominator_id == Employee.id)
    receivers = select(Employee.name, count).join(Employee, RewardGrant.recipient_id == Employee.id)
    teams = select(Team.name, count).join(Team, RewardGrant.team_id == Team.id)  # the team it was granted in
    return Leaderboard(
        period=period,
        start=start,
        givers=_top(session, givers.where(*in_period, _CHOSEN_GRANT).group_by(Employee.id, Employee.name)),
        receivers=_top(session, receivers.where(*in_period).group_by(Employee.id, Employee.name)),
        teams=_top(session, teams.where(*in_period).group_by(Team.id, Team.name)),
        mutual_pairs=mutual_pairs(session, workspace, since=start) if directory.acts_as(viewer, HR_ROLES) else None,
    )


def _top(session: Session, query: Select[*tuple[Any, ...]]) -> list[Tally]:
    rows = session.execute(query)
    tallies = sorted((Tally(str(name), int(number)) for name, number in rows), key=lambda t: (-t.count, t.name))
    return tallies[:TOP]


def mutual_pairs(session: Session, workspace: Workspace, *, since: datetime) -> list[MutualPair]:
    """Pairs where A->B and B->A are each most of what A and B gave: a flag to look at, never a block."""
    rows = session.execute(
        select(Nomination.nominator_id, Nomination.nominee_id, func.count(Nomination.id))
        .where(
            Nomination.workspace_id == workspace.id,
            Nomination.created_at >= since,
            Nomination.status.in_(SPENDING),
            _CHOSEN_NOMINATION,
        )
        .group_by(Nomination.nominator_id, Nomination.nominee_id)
    )
    given: Counter[tuple[int, int]] = Counter({(giver, taker): int(number) for giver, taker, number in rows})
    totals: Counter[int] = Counter()
    for (giver, _), number in given.items():
        totals[giver] += number
    pairs = [
        (a, b)
        for (a, b), number in given.items()
        if a < b and _mostly(number, totals[a]) and _mostly(given[(b, a)], totals[b])
    ]
    return [_pair(session, a, b, given) for a, b in pairs]


def _mostly(number: int, total: int) -> bool:
    return number >= PAIR_MINIMUM and number * 2 > total


def _pair(session: Session, a: int, b: int, given: Counter[tuple[int, int]]) -> MutualPair:
    first, second = session.get_one(Employee, a), session.get_one(Employee, b)
    return MutualPair(first.name, second.name, given[(a, b)], given[(b, a)])
