"""People who leave or move: what waited on them goes to whoever decides it now. Callers commit.

Run by the org import after the directory changed, and when Slack deactivates or brings back someone
(services/departures.py). A pending request or reward nomination moves when the person it waits on is inactive, or is
no longer above the requester in the org (nor an admin, nor HR for rewards), or is an admin (HR for rewards) who
reports to the requester, when someone else may decide it (services/deciders.py). It
moves to the first active manager above the requester, or an active admin (HR for rewards) who does not report to
them when nobody above is left; a request or nomination that went up for waiting too long goes on from the highest
it reached, however many hand-overs ago, never back down to whoever let it wait unless nobody else is left (waiting
on someone who left would be worse). Either one's wait restarts with whoever it
moves to (services/follow_ups.restart). An open suggestion whose owner left, or no
longer fits the reason they hold it (services/suggestions/owners.still_fits), goes where a new one would
(owner_for); an anonymous one goes there without anyone asking who wrote it, even when that is its author
now (see _suggestions).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Employee, Nomination, PolicyVersion, Resolution, Suggestion, Workspace
from models.suggestion import CLOSED_STATUSES
from services import deciders, directory, follow_ups
from services.directory import managers_above
from services.errors import NotAllowed
from services.resolutions import escalations
from services.rewards.approvals import approver_taking_over
from services.suggestions.lifecycle import settings_of
from services.suggestions.owners import owner_for, still_fits


@dataclass(frozen=True)
class Handover:
    kind: str  # "resolution", "nomination" or "suggestion"
    item_id: int
    requester: Employee | None  # None: an anonymous suggestion's author
    previous: Employee | None
    current: Employee
    went_up: bool = False
    """It waited too long for `previous` and went one level up (a nomination, whose DM is then keyed as one that went
    up: approvals.went_up_key_prefix; a request's messages are its own)."""
    number: int | None = None
    """The number people see on a suggestion (#N), which is not its row id (services/suggestions/numbers.py)."""
    held: bool = False
    """An anonymous idea not released yet (services/suggestions/release.py): it moves silently, and only its author
    hears of it; counted or named to HR or an admin, it would tell them an unseen idea exists, sent before then."""


def reported(handovers: list[Handover]) -> list[Handover]:
    """The hand-overs HR and admins may be told of (in a report, a count, a notice, the audit trail)."""
    return [handover for handover in handovers if not handover.held]


Window = tuple[datetime, datetime]
MISSED_WITHIN = timedelta(hours=1)
"""How long around a directory change a request may have begun and still be written while the change was made:
far longer than any request's transaction. Only those are looked at again, however long ago the change was."""


@dataclass(frozen=True)
class Among:
    """Which pending items to look at: every one, or only those created within a window, or only those waiting on
    someone inactive."""

    workspace_id: int
    created_within: Window | None = None
    waiting_on_the_inactive: bool = False

    def where(self, created_at: Any, waits_on: Any) -> tuple[Any, ...]:
        window = self.created_within
        conditions = () if window is None else (created_at >= window[0], created_at <= window[1])
        if self.waiting_on_the_inactive:
            inactive = select(Employee.id).where(Employee.workspace_id == self.workspace_id, Employee.active.is_(False))
            conditions += (waits_on.in_(inactive),)
        return conditions


def hand_over_pending(
    session: Session,
    *,
    workspace: Workspace,
    now: datetime,
    created_within: Window | None = None,
    waiting_on_the_inactive: bool = False,
) -> list[Handover]:
    """Re-route every pending item whose decider left or no longer manages the requester (only those created
    `created_within` a window, or only those waiting on someone inactive, when asked)."""
    among = Among(workspace.id, created_within, waiting_on_the_inactive)
    moved = _resolutions(session, workspace, among, now) + _nominations(session, workspace, among, now)
    return moved + _suggestions(session, workspace, among)


def hand_over_suggestions(session: Session, *, workspace: Workspace) -> list[Handover]:
    """Re-route every open suggestion whose holder no longer fits the reason they hold it: after a policy load
    names another owner for a category, its ideas go to them (the old owner can no longer answer them)."""
    return _suggestions(session, workspace, Among(workspace.id))


def hand_over_missed(session: Session, *, workspace: Workspace, now: datetime) -> list[Handover]:
    """What an org import could not hand over: an item being routed while it ran, committed after the import's
    hand-over had read the pending ones (an uncommitted row is invisible to it). Only an item begun shortly before
    the directory's last change can be one of those, so those are looked at again; and, however old, whatever still
    waits on someone inactive: any later change of anyone (a name or time zone from Slack) moves that window past an
    item, when no tick ran within the hour (the bot down, a new leader), and it would wait on someone who left. So
    too an idea sent while a policy load named another owner for it."""
    changed = session.scalar(select(func.max(Employee.updated_at)).where(Employee.workspace_id == workspace.id))
    moved = []
    if changed is not None:
        window = (changed - MISSED_WITHIN, changed + MISSED_WITHIN)
        moved = hand_over_pending(session, workspace=workspace, now=now, created_within=window)
    moved += _suggestions_missed_by_the_policy_load(session, workspace)
    return moved + hand_over_pending(session, workspace=workspace, now=now, waiting_on_the_inactive=True)


def _suggestions_missed_by_the_policy_load(session: Session, workspace: Workspace) -> list[Handover]:
    """A policy load naming another owner hands over the open ideas it can see (`hand_over_suggestions`), not one
    being sent meanwhile: those begun shortly before the latest version was loaded are looked at again."""
    loaded = session.scalar(select(func.max(PolicyVersion.loaded_at)).where(PolicyVersion.workspace_id == workspace.id))
    if loaded is None:
        return []
    return _suggestions(session, workspace, Among(workspace.id, (loaded - MISSED_WITHIN, loaded + MISSED_WITHIN)))


def _suggestions(session: Session, workspace: Workspace, among: Among) -> list[Handover]:
    """An anonymous suggestion goes to the first in line (its category's owner, else HR, else an admin) even if
    that is its author, who has since become HR or the owner: passing them by, while the others go to them,
    would name them to whoever receives it instead and to whoever reads the import. They still cannot answer
    it (nobody answers their own); HR and admins can."""
    moved = []
    settings, _threshold = settings_of(session, workspace)
    # Re-read as locked (populate_existing): a row this session loaded before (the import's first look at a team's
    # ideas) may have changed since, an idea released meanwhile among them, whose card must follow it.
    open_ones = session.scalars(
        select(Suggestion)
        .where(Suggestion.workspace_id == workspace.id, Suggestion.status.not_in(CLOSED_STATUSES))
        .where(*among.where(Suggestion.created_at, Suggestion.owner_id))
        .order_by(Suggestion.id)  # locked in an order a release meanwhile (its number given) cannot change
        .with_for_update(of=Suggestion.__table__)
        .execution_options(populate_existing=True)
    )
    for suggestion in sorted(open_ones, key=lambda idea: (idea.number is None, idea.number or 0, idea.id)):
        if still_fits(session, settings, suggestion, suggestion.owner):
            continue
        try:
            current = owner_for(session, workspace, settings, suggestion.author, suggestion.category)
        except NotAllowed:
            continue
        if current.id == suggestion.owner_id:
            continue
        held = not suggestion.is_released
        moved.append(
            Handover(
                "suggestion",
                suggestion.id,
                suggestion.author,
                suggestion.owner,
                current,
                number=suggestion.number,
                held=held,
            )
        )
        suggestion.owner = current
    session.flush()
    return moved


def _resolutions(session: Session, workspace: Workspace, among: Among, now: datetime) -> list[Handover]:
    moved = []
    pending = session.scalars(
        select(Resolution)
        .where(Resolution.workspace_id == workspace.id, Resolution.status == "pending")
        .where(*among.where(Resolution.created_at, Resolution.decider_id))
        .order_by(Resolution.id)
        .with_for_update(of=Resolution)
        .execution_options(populate_existing=True)
    )
    for resolution in pending:
        if deciders.decider_fits(resolution, resolution.decider):
            continue
        went = escalations.went_up(session, resolution)
        current = (
            _next_decider(resolution, went)
            or _an_admin(session, workspace, resolution.employee, went)
            or _back_down(resolution.employee)
            or _an_admin(session, workspace, resolution.employee, went, their_own_too=True)
        )
        if current is not None and current.id != resolution.decider_id:
            moved.append(Handover("resolution", resolution.id, resolution.employee, resolution.decider, current))
            resolution.decider = current
            follow_ups.restart(resolution, now)
    session.flush()
    return moved


def _nominations(session: Session, workspace: Workspace, among: Among, now: datetime) -> list[Handover]:
    moved = []
    pending = session.scalars(
        select(Nomination)
        .where(Nomination.workspace_id == workspace.id, Nomination.status == "pending")
        .where(*among.where(Nomination.created_at, Nomination.approver_id))
        .order_by(Nomination.created_at, Nomination.id)
        .with_for_update(of=Nomination.__table__)
        .execution_options(populate_existing=True)
    )
    for nomination in pending:
        if nomination.approver is not None and deciders.approver_fits(nomination, nomination.approver):
            continue
        try:
            current = approver_taking_over(session, nomination)
        except NotAllowed:  # it stays, refused to them (services/deciders.py) and named to HR by the import
            continue
        if current is not None and current.id != nomination.approver_id:
            moved.append(Handover("nomination", nomination.id, nomination.nominee, nomination.approver, current))
            nomination.approver = current
            follow_ups.restart(nomination, now)
    session.flush()
    return moved


def _next_decider(resolution: Resolution, went: follow_ups.WentUp) -> Employee | None:
    """The first active manager above the requester. A request that went up (those below let it wait) goes on from
    the highest of the requester's managers it reached (an admin among them counts as one), never back down; one that
    reached the admins goes to another admin (None here): they stand above every manager."""
    managers = managers_above(resolution.employee)
    chain = follow_ups.still_above(managers, went, lambda person: person.role == "admin" and person not in managers)
    return next((manager for manager in chain if manager.active), None)


def _back_down(requester: Employee) -> Employee | None:
    """Nobody above the highest it reached, and no other admin who does not report to the requester: the first active
    manager above the requester, one who let it wait among them, who may still decide it (their direct manager always
    may); waiting on someone who may no longer decide it would be worse."""
    return next((manager for manager in managers_above(requester) if manager.active), None)


def _an_admin(
    session: Session, workspace: Workspace, requester: Employee, went: follow_ups.WentUp, their_own_too: bool = False
) -> Employee | None:
    """One it reached going up first, one who let it wait only when nobody else is left (follow_ups.best_first); one
    who reports to the requester only `their_own_too`, when nobody else is left at all (as routing chooses them:
    fixes.deciders_for)."""
    admins = [admin for admin in directory.active_admins(session, workspace) if admin.id != requester.id]
    if not their_own_too:
        admins = [admin for admin in admins if not directory.answers_to(admin, requester)]
    return next(iter(follow_ups.best_first_else_any(admins, went)), None)
