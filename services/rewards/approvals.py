"""Deciding a tangible reward: who approves it, approve or decline, and the grant it becomes. Callers commit."""

from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from models import Employee, Nomination, RewardGrant, Workspace
from services import audit, deciders, directory, follow_ups, org_takeover, request_viewers
from services.calendar import moment_words
from services.errors import AlreadyDone, DomainError, InvalidInput, NotAllowed, NotFound
from services.rereading import as_now
from services.rewards.grant_filing import file_under_managers
from services.rewards.grants import HR_ROLES, next_month_start, reward_policy
from services.rewards.monthly_most import granted_this_month, times_this_month
from services.text import escape_mrkdwn, plural

MAX_REASON = 2000
REQUEST_KEY = "reward-approval:"
"""Where a nomination's approval requests are keyed: its first approver's, its reminder, and those it was handed over
or went up by (handlers/handover.py)."""


def approver_for(session: Session, nominee: Employee, nominator: Employee) -> Employee:
    """The nominee's manager; one level up when that is the nominator; HR when no manager is left."""
    found = _first_able(session, nominee, directory.managers_above(nominee), {nominee.id, nominator.id})
    if found is not None:
        return found
    above = (
        "they have no manager on file"
        if nominee.manager is None
        else "no manager above them can (they are you, them, or no longer active)"
    )
    hr = "besides the two of you" if directory.acts_as(nominee, HR_ROLES) else "besides you"
    hr = f"{hr} who does not report to them"
    hr = hr if hr_people(session, nominee.workspace_id) else "in the directory"
    raise NotAllowed(
        f"Nobody can approve a reward for {directory.name_of(nominee)}: {above}, and there is no HR person or "
        f"admin {hr}. Ask HR to fix the org directory, or send a shout-out."
    )


def approver_above(session: Session, nomination: Nomination) -> Employee | None:
    """Who approves a nomination its approver let wait: their nearest active manager up the nominee's chain, else
    (the approver was HR, an admin, or the top of the chain) HR or an admin, by the same rules as approver_for;
    never the approver who let it wait, nor one who let it wait before. None when nobody else can."""
    chain = directory.managers_above(nomination.nominee)
    approver = nomination.approver
    above = chain[chain.index(approver) + 1 :] if approver is not None and approver in chain else []
    excluded = {nomination.nominee_id, nomination.nominator_id, nomination.approver_id}
    went = follow_ups.went_up(session, nomination, went_up_key_prefix(nomination.id))
    return _first_able(session, nomination.nominee, above, {person for person in excluded if person is not None}, went)


def went_up_key_prefix(nomination_id: int) -> str:
    """Where the DMs a nomination went up by are keyed, numbered in the series of its hand-overs, each ending with its
    recipient's Slack id."""
    return f"{REQUEST_KEY}{nomination_id}:handover:up:"


def approver_taking_over(session: Session, nomination: Nomination) -> Employee | None:
    """Who approves a nomination its approver no longer may (they left, or no longer manage the nominee), by the rules
    of approver_for; one that went up for waiting too long goes on from the highest of the nominee's managers it
    reached (from HR or an admin, to HR or an admin), however many hand-overs ago, back down to whoever let it wait
    only when nobody else can (waiting on someone who left would be worse): None when nobody can. NotAllowed when
    nobody can approve one that never went up."""
    went = follow_ups.went_up(session, nomination, went_up_key_prefix(nomination.id))
    if nomination.escalated_at is not None and nomination.approver is not None:
        went.reached.append(nomination.approver)  # it went up to them, or nobody was above them to go to
    if not went.reached:
        return approver_for(session, nomination.nominee, nomination.nominator)
    chain = directory.managers_above(nomination.nominee)
    managers = follow_ups.still_above(chain, went, lambda person: person.role in HR_ROLES and person not in chain)
    excluded = {nomination.nominee_id, nomination.nominator_id}
    return _first_able(session, nomination.nominee, managers, excluded, went) or _first_able(
        session, nomination.nominee, chain, excluded
    )


def _first_able(
    session: Session,
    nominee: Employee,
    managers: list[Employee],
    excluded: set[int],
    went: follow_ups.WentUp | None = None,
) -> Employee | None:
    """The first active manager of `managers` not excluded; else the first HR person or admin not excluded who does
    not report to the nominee (after going up, one it reached first, never one who let it wait: follow_ups.best_first).
    The nominator, the approver and the recipient are always three people."""
    manager = next((boss for boss in managers if boss.active and boss.id not in excluded), None)
    if manager is not None:
        return manager
    hr_team = hr_people(session, nominee.workspace_id)
    hr_team = follow_ups.best_first(hr_team, went) if went is not None else hr_team
    return next((hr for hr in hr_team if hr.id not in excluded and not directory.answers_to(hr, nominee)), None)


def hr_people(session: Session, workspace_id: int) -> list[Employee]:
    return list(
        session.scalars(
            select(Employee)
            .where(Employee.workspace_id == workspace_id, Employee.role.in_(HR_ROLES), Employee.active)
            .order_by(Employee.role.desc(), Employee.name)
        )
    )


def grant_for(session: Session, nomination: Nomination, *, approver: Employee | None, now: datetime) -> RewardGrant:
    """The grant keeps the recipient's team and manager of this moment: HR's export files it under them."""
    grant = RewardGrant(
        workspace_id=nomination.workspace_id,
        nomination=nomination,
        recipient=nomination.nominee,
        team_id=nomination.nominee.team_id,
        manager_id=nomination.nominee.manager_id,
        nominator=nomination.nominator,
        approver=approver,
        item_key=nomination.item_key,
        title=nomination.title,
        kind=nomination.kind,
        value=nomination.value,
        unit=nomination.unit,
        reason=nomination.reason,
        resolution_id=nomination.resolution_id,
        public=nomination.public,
        status="approved",
        granted_at=now,
    )
    session.add(grant)
    file_under_managers(session, grant)
    return grant


def find_pending(session: Session, workspace: Workspace, nomination_id: int, approver: Employee) -> Nomination:
    """The nomination `approver` may decide now; says why not otherwise. Only a row of their workspace is locked: a
    click forged with another workspace's id never holds up its approver."""
    nomination = session.scalar(
        select(Nomination)
        .where(Nomination.id == nomination_id, Nomination.workspace_id == workspace.id)
        .with_for_update(of=Nomination.__table__)
    )
    if nomination is None:
        raise _missing(session, nomination_id, workspace, approver)
    approver = as_now(session, approver)  # the nomination is locked: who they are now is what they may approve
    if not approver.active:
        raise NotAllowed(directory.NO_LONGER_ACTIVE)
    if not request_viewers.sees_nomination(session, nomination, approver, f"{REQUEST_KEY}{nomination.id}"):
        raise NotAllowed(request_viewers.NOT_YOUR_NOMINATION)  # nor whose it is, nor whether it waits
    if nomination.status != "pending":
        if nomination.approver_id != approver.id:  # who decided, and when, is for the one it waited on
            raise AlreadyDone("This nomination was already decided. Nothing changed.")
        raise AlreadyDone(f"This nomination was already {_decided(session, nomination, approver)}; nothing changed.")
    if nomination.approver_id != approver.id:
        raise NotAllowed(_not_theirs(nomination))
    if approver.id not in (nomination.nominee_id, nomination.nominator_id) and not deciders.approver_fits(
        nomination, approver
    ):  # the nominee or nominator it waits on is told why they may not, as ever
        raise NotAllowed(no_longer_theirs(nomination, approver))
    return nomination


def _missing(session: Session, nomination_id: int, workspace: Workspace, clicker: Employee) -> DomainError:
    """No such nomination here: said as for a request (services/resolutions/decisions.py `_missing`)."""
    left = org_takeover.left_behind(session, Nomination, nomination_id, workspace.id)
    there = request_viewers.as_there(session, clicker, left.workspace_id) if left else None
    key = f"{REQUEST_KEY}{nomination_id}"
    if left is not None and there is not None and request_viewers.sees_nomination(session, left, there, key):
        return NotFound(org_takeover.nomination_left_behind(left))
    clicker = as_now(session, clicker)
    return NotAllowed(request_viewers.NOT_YOUR_NOMINATION if clicker.active else directory.NO_LONGER_ACTIVE)


def _decided(session: Session, nomination: Nomination, approver: Employee) -> str:
    """A revoked nomination keeps its approval's decider and date: said as approved, then when HR revoked it."""
    who = nomination.decided_by_id and session.get(Employee, nomination.decided_by_id)
    by = f" by {directory.name_of(who)}" if isinstance(who, Employee) else ""
    when = f" on {moment_words(nomination.decided_at, approver.tz)}" if nomination.decided_at else ""
    if nomination.status != "revoked":
        return f"{nomination.status}{by}{when}"
    revoked = session.scalar(select(RewardGrant.revoked_at).where(RewardGrant.nomination_id == nomination.id))
    return f"approved{by}{when}, then revoked by HR" + (f" on {moment_words(revoked, approver.tz)}" if revoked else "")


def no_longer_theirs(nomination: Nomination, approver: Employee) -> str:
    """Said to an approver demoted (or moved) whom nobody else could take it from (services/deciders.py)."""
    nominee = directory.name_of(nomination.nominee)
    why = (
        f"you report to {nominee} in the org directory"
        if deciders.reports_to_nominee(nomination, approver)
        else f"the org directory makes you neither HR, an admin nor a manager above {nominee}"
    )
    return (
        f"This nomination waits on you, but you may no longer approve it: {why}, and nobody else could take it over. "
        "Nothing changed: HR decides who does (the org import names it to them)."
    )


def _not_theirs(nomination: Nomination) -> str:
    """A click by someone it does not wait on: another manager, or the approver it waited on before it went up or
    was handed over (their DM is updated to say so, unless the click beat the update)."""
    if nomination.approver is None:
        return "Only the person this nomination waits on can decide it. Nothing changed."
    now_with = directory.name_of(nomination.approver)
    return f"This nomination waits on {now_with}: only they can approve or decline it now. Nothing changed."


def approve(
    session: Session, *, workspace: Workspace, nomination_id: int, approver: Employee, now: datetime
) -> RewardGrant:
    """The approver says yes: the nomination becomes a grant. Nominator, approver and recipient are three people."""
    nomination = find_pending(session, workspace, nomination_id, approver)
    if approver.id in (nomination.nominator_id, nomination.nominee_id):
        raise NotAllowed("You can't approve a reward you gave or received.")
    _refuse_a_leaver(nomination)
    _check_granted_this_month(session, workspace, nomination, approver, now)
    nomination.status, nomination.decided_by_id, nomination.decided_at = "approved", approver.id, now
    grant = grant_for(session, nomination, approver=approver, now=now)
    audit.record(
        session,
        workspace=workspace,
        actor=approver.slack_id,
        action="reward.approve",
        now=now,
        subject=f"nomination {nomination.id}",
    )
    session.flush()
    return grant


def _refuse_a_leaver(nomination: Nomination) -> None:
    """Nobody who left can be nominated; one who left while the nomination waited is not granted it either (HR's
    export would send a reward to someone no longer here)."""
    if not nomination.nominee.active:
        raise NotAllowed(
            f"{directory.name_of(nomination.nominee)} is no longer active in Latitude's directory, so this reward "
            "can't be granted. Nothing changed: decline it, and the nomination goes back to "
            f"{directory.name_of(nomination.nominator)}'s allowance."
        )


def _check_granted_this_month(
    session: Session, workspace: Workspace, nomination: Nomination, approver: Employee, now: datetime
) -> None:
    """A nomination made last month and approved this month counts in this month: the catalog's monthly most
    holds for what is granted, also when two approvers of the same nominee decide at once. The month is UTC's, so
    the refusal says when the next one starts on the approver's clock (in Tokyo, "next month" can be today)."""
    item = reward_policy(session, workspace).catalog.get(nomination.item_key)
    if item is None or item.max_per_month is None:
        return
    directory.lock_people(session, [nomination.nominee])  # two approvals at once: the second counts the first
    received = granted_this_month(session, nomination.nominee_id, item.key, now)
    if received >= item.max_per_month:
        nominee, title = directory.name_of(nomination.nominee), escape_mrkdwn(item.title)
        raise NotAllowed(
            f"{nominee} has already received {title} {times_this_month(received, item.max_per_month)}: decline this "
            "one, or " + _when_to_approve(session, nomination, item.max_per_month, approver, now)
        )


_OTHERS_WAITING = select(func.count(Nomination.id)).where(
    Nomination.nominee_id == bindparam("nominee_id"),
    Nomination.item_key == bindparam("item_key"),
    Nomination.status == "pending",
    Nomination.id != bindparam("nomination_id"),
)


def _when_to_approve(session: Session, nomination: Nomination, most: int, approver: Employee, now: datetime) -> str:
    """The next month has room for this one only if what else waits cannot fill it first (a new nomination counts
    this one as waiting, so it cannot); more waiting than that (the catalog was lowered) makes no date certain."""
    values = {"nominee_id": nomination.nominee_id, "item_key": nomination.item_key, "nomination_id": nomination.id}
    others = int(session.scalar(_OTHERS_WAITING, values) or 0)
    if others < most:
        return f"approve it from {moment_words(next_month_start(now), approver.tz)}, when the next month starts."
    waits = "still waits" if others == 1 else "still wait"
    return (
        f"approve it in a month with room left: {plural(others, 'other nomination')} of "
        f"{directory.name_of(nomination.nominee)} for it {waits} for approval, and the ones approved first count first."
    )


def decline(
    session: Session, *, workspace: Workspace, nomination_id: int, approver: Employee, reason: str, now: datetime
) -> Nomination:
    """The approver says no, with a reason the nominator will read; the allowance is given back."""
    if not reason.strip():
        raise InvalidInput("Say why you decline: the colleague who nominated will read it.")
    nomination = find_pending(session, workspace, nomination_id, approver)
    nomination.status, nomination.decided_by_id, nomination.decided_at = "declined", approver.id, now
    nomination.decline_reason = reason.strip()[:MAX_REASON]
    audit.record(
        session,
        workspace=workspace,
        actor=approver.slack_id,
        action="reward.decline",
        now=now,
        subject=f"nomination {nomination.id}",
    )
    session.flush()
    return nomination
