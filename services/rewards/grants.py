"""Reward grants and what people see of them: catalog, allowance, history, fulfilment and revocation. Callers commit."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, exists, func, literal, select, text, true
from sqlalchemy.orm import Session, aliased

from models import PUBLIC_NOT_REVOKED, Employee, Nomination, RewardGrant, Suggestion, Workspace
from services import audit, directory, plain_sql
from services.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from services.policy.rewards import RewardItem, RewardPolicy, default_shoutout
from services.policy.versions import current_policy
from services.rereading import as_now
from services.unlisted import refused_by_role

HR_ROLES = ("hr", "admin")
SPENDING = ("pending", "approved")

# Every nomination and App Home counts these: built once, since building a statement costs more than running it.
_CHOSEN = ~exists().where(Suggestion.nomination_id == Nomination.id)  # a done suggestion's thanks: not chosen
SPENT = select(func.count(Nomination.id)).where(  # also read with a nomination's checks (services/rewards/nominations)
    Nomination.nominator_id == bindparam("employee_id"),
    Nomination.created_at >= bindparam("since"),
    Nomination.status.in_(SPENDING),
    _CHOSEN,
)
# Given (as on `/rewards top`): grants the person chose to give, in the month they were granted; a reward still
# waiting for approval is not given yet, and is counted apart, whenever it was asked for.
_GIVEN = select(func.count(RewardGrant.id)).where(
    RewardGrant.nominator_id == bindparam("employee_id"),
    RewardGrant.granted_at >= bindparam("since"),
    RewardGrant.status != "revoked",
    ~exists().where(Suggestion.nomination_id == RewardGrant.nomination_id),
)
_WAITING = select(func.count(Nomination.id)).where(
    Nomination.nominator_id == bindparam("employee_id"), Nomination.status == "pending"
)
_RECEIVED = select(func.count(RewardGrant.id)).where(
    RewardGrant.recipient_id == bindparam("employee_id"),
    RewardGrant.granted_at >= bindparam("since"),
    RewardGrant.status != "revoked",
)
# Only the names and the reason: loading whole grants joins both people's teams too, and PostgreSQL spends
# longer planning a six-table join than running it.
_NOMINATOR, _RECIPIENT = aliased(Employee), aliased(Employee)
# The partial index's own filter, its very text (`public = 1`, or a bound 'revoked', keeps SQLite's planner, and
# PostgreSQL's generic plan, off it; the people joined have neither column): only the public grants are read.
_PUBLIC_NOT_REVOKED = text(PUBLIC_NOT_REVOKED)
_LATEST_PUBLIC = (
    select(_NOMINATOR.name.label("nominator"), _RECIPIENT.name.label("recipient"), RewardGrant.reason)
    .add_columns(RewardGrant.granted_at, RewardGrant.id)
    .select_from(RewardGrant)
    .join(_NOMINATOR, RewardGrant.nominator_id == _NOMINATOR.id)
    .join(_RECIPIENT, RewardGrant.recipient_id == _RECIPIENT.id)
    .where(RewardGrant.workspace_id == bindparam("workspace_id"), _PUBLIC_NOT_REVOKED)
    .order_by(RewardGrant.granted_at.desc(), RewardGrant.id.desc())
    .limit(3)
    .subquery()
)
# The counts and the latest shout-outs in one statement: the counts ride on every row, and the shout-outs are joined
# to one row so that the counts come back in a workspace with none (one row, its shout-out columns NULL).
_AT_A_GLANCE = (
    select(*(query.scalar_subquery() for query in (_RECEIVED, _GIVEN, _WAITING, SPENT)))
    .add_columns(_LATEST_PUBLIC.c.id, _LATEST_PUBLIC.c.nominator, _LATEST_PUBLIC.c.recipient, _LATEST_PUBLIC.c.reason)
    .select_from(select(literal(1)).subquery().outerjoin(_LATEST_PUBLIC, true()))
    .order_by(_LATEST_PUBLIC.c.granted_at.desc(), _LATEST_PUBLIC.c.id.desc())
)


class GrantSettled(AlreadyDone):
    """The grant was fulfilled or revoked before: `status` says which and `settled_at` when, for a caller that
    tells a repeat of the same act (nothing to do) from a conflicting one."""

    def __init__(self, grant: RewardGrant) -> None:
        super().__init__(f"Reward grant #{grant.id} is already {grant.status}; nothing changed.")
        self.status = grant.status
        self.settled_at = grant.fulfilled_at if grant.status == "fulfilled" else grant.revoked_at


def reward_policy(session: Session, workspace: Workspace) -> RewardPolicy:
    """The catalog in force; without a policy file, only the default shout-out."""
    active = current_policy(session, workspace)
    if active is None:
        return RewardPolicy(catalog={"shoutout": default_shoutout("USD")})
    return active.policy.rewards


def month_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(now: datetime) -> datetime:
    start = month_start(now)
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


def quarter_start(now: datetime) -> datetime:
    start = month_start(now)
    return start.replace(month=(start.month - 1) // 3 * 3 + 1)


def nominations_given(session: Session, nominator: Employee, *, since: datetime) -> int:
    """Nominations that count against the allowance: declined and revoked ones are given back."""
    return int(session.scalar(SPENT, {"employee_id": nominator.id, "since": since}) or 0)


def allowance_left(session: Session, policy: RewardPolicy, nominator: Employee, *, now: datetime) -> int:
    return max(policy.allowance_per_month - nominations_given(session, nominator, since=month_start(now)), 0)


def catalog_lines(policy: RewardPolicy) -> list[str]:
    return [f"{item.key}: {item.title} ({describe(item)})" for item in policy.catalog.values()]


def describe(item: RewardItem) -> str:
    approval = ", needs approval" if item.needs_approval else ""
    return f"{item.kind.replace('_', ' ')}, {item.describe_value()}{approval}"


@dataclass(frozen=True)
class RewardHistory:
    received: list[RewardGrant]
    given: list[Nomination]
    allowance: int
    allowance_left: int
    renews_at: datetime
    may_nominate: bool
    """False once the person has left, or for a `guest`: their history stays readable, their allowance means nothing."""
    received_total: int = 0
    given_total: int = 0
    """How many there are in all: the lists hold only the latest."""
    guest: bool = False
    """A guest of the Slack workspace the org file leaves out (`directory.unlisted_guest`), who nominates nobody."""


def history(
    session: Session, *, workspace: Workspace, employee: Employee, now: datetime, limit: int = 10
) -> RewardHistory:
    """The caller's latest rewards received and nominations given, how many there are in all, and what is left of
    the allowance."""
    policy = reward_policy(session, workspace)
    mine_received = (RewardGrant.workspace_id == workspace.id, RewardGrant.recipient_id == employee.id)
    mine_given = (Nomination.workspace_id == workspace.id, Nomination.nominator_id == employee.id)
    received = session.scalars(
        select(RewardGrant)
        .where(*mine_received)
        .order_by(RewardGrant.granted_at.desc(), RewardGrant.id.desc())
        .limit(limit)
    )
    given = session.scalars(
        select(Nomination).where(*mine_given).order_by(Nomination.created_at.desc(), Nomination.id.desc()).limit(limit)
    )
    guest = directory.unlisted_guest(employee)
    return RewardHistory(
        received=list(received),
        given=list(given),
        allowance=policy.allowance_per_month,
        allowance_left=allowance_left(session, policy, employee, now=now),
        renews_at=next_month_start(now),
        may_nominate=employee.active and not guest,
        received_total=session.scalar(select(func.count()).select_from(RewardGrant).where(*mine_received)) or 0,
        given_total=session.scalar(select(func.count()).select_from(Nomination).where(*mine_given)) or 0,
        guest=guest,
    )


def require_hr(employee: Employee, what: str) -> None:
    directory.require_active(employee)
    if employee.role not in HR_ROLES:
        raise refused_by_role(employee, what=what, refusal=f"{what} is for HR and admins. Ask HR if you need it.")


def require_not_received(hr: Employee | None, grant: RewardGrant, what: str) -> None:
    """Nobody settles a reward of their own, whatever their role (the command line's operator aside)."""
    if hr is not None and hr.id == grant.recipient_id:
        raise NotAllowed(f"{what} a reward you received is for another HR person or admin. Nothing changed.")


def find_grant(session: Session, workspace: Workspace, grant_id: int) -> RewardGrant:
    here = (RewardGrant.id == grant_id, RewardGrant.workspace_id == workspace.id)  # another workspace's: never locked
    grant = session.scalar(select(RewardGrant).where(*here).with_for_update(of=RewardGrant.__table__))
    if grant is None:
        raise NotFound(f"There is no reward grant #{grant_id} here.")
    return grant


def locked_for_hr(session: Session, workspace: Workspace, grant_id: int, hr: Employee | None, what: str) -> RewardGrant:
    """The grant, locked, once `hr` (None: the command line) may act on it: checked as first read, and again as they
    are once it is locked (demoted or deactivated meanwhile, they no longer may)."""
    if hr is not None:
        require_hr(hr, what)
    grant = find_grant(session, workspace, grant_id)
    if hr is not None:
        require_hr(as_now(session, hr), what)
    return grant


def fulfil_grant(
    session: Session, *, workspace: Workspace, grant_id: int, hr: Employee | None, actor: str, now: datetime
) -> RewardGrant:
    """Mark a tangible reward paid or delivered. `hr` is None on the command line, whose operator holds the database."""
    grant = locked_for_hr(session, workspace, grant_id, hr, "Marking a reward fulfilled")
    require_not_received(hr, grant, "Marking fulfilled")
    if grant.status != "approved":
        raise GrantSettled(grant)
    if grant.value == 0:
        raise InvalidInput(f"Reward grant #{grant.id} is a {grant.title} with no value: there is nothing to fulfil.")
    grant.status, grant.fulfilled_at, grant.fulfilled_by_id = "fulfilled", now, hr.id if hr else None
    audit.record(
        session, workspace=workspace, actor=actor, action="reward.fulfil", now=now, subject=f"grant {grant.id}"
    )
    session.flush()
    return grant


def revocable(session: Session, *, workspace: Workspace, grant_id: int, hr: Employee | None) -> RewardGrant:
    """The grant this person may revoke now, or why not: checked before the reason form opens, and on revoking."""
    grant = locked_for_hr(session, workspace, grant_id, hr, "Revoking a reward")
    require_not_received(hr, grant, "Revoking")
    if hr is not None and hr.id == grant.nomination.nominator_id:
        raise NotAllowed("Revoking a reward you gave is for another HR person or admin. Nothing changed.")
    if grant.status != "approved":
        raise GrantSettled(grant)
    return grant


def revoke_grant(
    session: Session,
    *,
    workspace: Workspace,
    grant_id: int,
    hr: Employee | None,
    actor: str,
    reason: str,
    now: datetime,
) -> RewardGrant:
    """Take back a grant that was not fulfilled; the nomination goes back to the giver's allowance."""
    if hr is not None:
        require_hr(hr, "Revoking a reward")
    if not reason.strip():
        raise InvalidInput("Say why the reward is revoked: the giver and HR will see it.")
    grant = revocable(session, workspace=workspace, grant_id=grant_id, hr=hr)
    grant.status, grant.revoked_at, grant.revoke_reason = "revoked", now, reason.strip()
    grant.revoked_by_id = hr.id if hr else None
    grant.nomination.status = "revoked"
    audit.record(
        session,
        workspace=workspace,
        actor=actor,
        action="reward.revoke",
        now=now,
        subject=f"grant {grant.id}",
        details={"reason": reason.strip()},
    )
    session.flush()
    return grant


@dataclass(frozen=True)
class Shoutout:
    """A public recognition as the App Home's feed shows it."""

    nominator: str
    recipient: str
    reason: str


@dataclass(frozen=True)
class RecognitionSummary:
    """`given` counts grants, as `/rewards top` does; `waiting`, the rewards asked for and not yet approved."""

    received: int
    given: int
    allowance: int
    allowance_left: int
    renews_at: datetime
    latest: list[Shoutout]
    may_nominate: bool
    waiting: int = 0


def summary(session: Session, *, workspace: Workspace, employee: Employee, now: datetime) -> RecognitionSummary:
    """This month at a glance for App Home, and the latest public shout-outs of the workspace."""
    policy = reward_policy(session, workspace)
    since = month_start(now)
    rows = plain_sql.execute(
        session, _AT_A_GLANCE, {"employee_id": employee.id, "since": since, "workspace_id": workspace.id}
    ).all()
    received, given, waiting, spent = (int(count or 0) for count in rows[0][:4])
    return RecognitionSummary(
        received=received,
        given=given,
        allowance=policy.allowance_per_month,
        allowance_left=max(policy.allowance_per_month - spent, 0),
        renews_at=next_month_start(now),
        latest=[Shoutout(row.nominator, row.recipient, row.reason) for row in rows if row.id is not None],
        may_nominate=employee.active and not directory.unlisted_guest(employee),
        waiting=waiting,
    )
