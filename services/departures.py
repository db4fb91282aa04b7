"""People Slack deactivates or brings back (`user_change`), and what it says of them: the directory follows at once.
Callers commit.

Someone Slack deactivates while active here is deactivated, and what waited on them is handed over exactly as after
an org import that removes them (services/handover.py), even the last active admin: they can no longer read Slack,
so keeping them active would only route work to nobody; HR is told to name another. Slack reactivating them makes them
active again (what was handed over stays where it went), and what waits on someone who may no longer decide it now
that they are back is handed over as after an org import: a request of an admin's boss, sent to that admin while
nobody else could take it (services/deciders.py), goes to the admin who is back. Someone HR's import deactivated
stays inactive, whatever Slack says. Slack sends `user_change` for every profile change of everyone: a person the
directory does not know, or whose state here already matches, costs a read and changes nothing, and so does Slack's
retry of the same event.
What Slack sent before the last change of theirs followed (a late retry, one delivered out of order: Slack promises no
order) is old news, left alone: events are ordered by Slack's own `event_ts`, never by the app's clock. How Slack shows
them now (`users.info`) is newer than anything followed before the read began, whatever its event says: each change
followed is counted (`Employee.slack_changes_followed`), the read takes the count before asking Slack, and it is
followed only if no change was followed meanwhile (an admin undoing a deactivation a second later, followed by another
worker, wins over what the read found before it); else it is `ReadOvertaken`, for the caller to read again. So the two
clocks are never compared, and an event Slack dated wrongly (in the future) holds up no read.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Employee, Nomination, Resolution, Suggestion, Workspace
from models.suggestion import CLOSED_STATUSES
from services import audit, directory
from services.config_cache import bump
from services.directory import SlackPerson
from services.handover import Handover, hand_over_pending, reported
from services.rewards.approvals import hr_people
from services.suggestions.release import RELEASED

ACTOR = "slack"
"""Who the audit trail says made a change Slack reported."""


@dataclass(frozen=True)
class SlackChange:
    """When Slack sent what it says of a person (`sent_at`, its event's `event_ts`; None: not known) and, when it is
    how Slack shows them now (read from Slack for it), how many changes of theirs were followed before the read began
    (`read_after`, from `changes_followed`; None: not read)."""

    sent_at: datetime | None = None
    read_after: int | None = None


class ReadOvertaken(Exception):
    """A change of theirs was followed while Slack was read: what the read found may be older; nothing was written."""


UNDATED = SlackChange()
"""A change not dated at all (the app's own, from a listing): followed, whatever came before."""


@dataclass(frozen=True)
class Departure:
    """Someone Slack deactivated: what moved, what HR and admins must see to (`needs`), and who they are (`tell`)."""

    person: Employee
    handovers: list[Handover]
    needs: list[str] = field(default_factory=list)
    tell: list[Employee] = field(default_factory=list)


@dataclass(frozen=True)
class Return:
    """Someone Slack brought back, and what moved to whoever may decide it now that they are back."""

    person: Employee
    handovers: list[Handover]


def follow_slack(
    session: Session, *, workspace: Workspace, person: SlackPerson, now: datetime, change: SlackChange = UNDATED
) -> Departure | Return | None:
    """Bring the directory in line with what Slack says of a person; a Departure when it deactivated them here, a
    Return when it brought them back. What Slack sent before the last change of theirs followed changes nothing
    (`_old_news`); a read overtaken by a change followed meanwhile raises `ReadOvertaken`."""
    if person.is_bot:
        return None
    # FOR NO KEY UPDATE: a row naming them may still be written meanwhile (their decision of a request this
    # departure waits for, to hand it over); FOR UPDATE would make that decision wait for the departure in turn.
    employee = session.scalar(
        select(Employee)
        .where(Employee.workspace_id == workspace.id, Employee.slack_id == person.slack_id)
        .with_for_update(of=Employee, key_share=True)
    )
    if employee is None:
        return None
    if change.read_after is not None and change.read_after != employee.slack_changes_followed:
        raise ReadOvertaken(person.slack_id)
    if change.read_after is None and _old_news(employee, change):
        return None
    employee.slack_changes_followed += 1
    _note_sent(employee, change)
    if not person.exists:
        return _left(session, workspace, employee, now) if employee.active else None
    back = None
    if not employee.active and employee.left_slack_at is not None:
        back = _came_back(session, workspace, employee, now)
    named = person.name if person.name != person.slack_id else None
    if directory.update_slack_profile(
        employee, name=named, email=person.email, tz=person.tz, now=now, guest=person.guest
    ):
        directory.profile_updated(session, employee)
    return back


def changes_followed(session: Session, *, workspace_id: int, slack_id: str) -> int:
    """How many changes of theirs were followed so far (0 for someone not known yet): taken before reading Slack."""
    count = session.scalar(
        select(Employee.slack_changes_followed).where(
            Employee.workspace_id == workspace_id, Employee.slack_id == slack_id
        )
    )
    return count or 0


def _old_news(employee: Employee, change: SlackChange) -> bool:
    """Whether Slack sent this event before the last change of theirs followed, on Slack's clock: the state it says is
    older than theirs here (an old deactivation would deactivate someone Slack shows as active)."""
    last, sent = employee.slack_change_sent_at, change.sent_at
    if last is None or sent is None:
        return False
    return sent < last


def _note_sent(employee: Employee, change: SlackChange) -> None:
    """Keep Slack's latest `event_ts` followed. A read keeps the later one too: what it found is newer than both, and
    an event sent between them, delivered later still, must stay old news."""
    last, sent = employee.slack_change_sent_at, change.sent_at
    if sent is not None and (last is None or sent > last):
        employee.slack_change_sent_at = sent


def learn_profile(session: Session, *, employee_id: int, person: SlackPerson, now: datetime) -> None:
    """Fill what the directory lacks of a person from what Slack says (`users.info`), on their row as it is now:
    held until the caller commits (FOR NO KEY UPDATE), so an org import writing them meanwhile is waited for, and
    its values, which win, are the ones kept, not overwritten with Slack's read before."""
    held = select(Employee).where(Employee.id == employee_id).with_for_update(of=Employee, key_share=True)
    employee = session.scalar(held)
    if employee is None:
        return
    named = person.name if person.name != employee.slack_id else None
    if directory.update_slack_profile(
        employee, name=named, email=person.email, tz=person.tz, now=now, guest=person.guest
    ):
        directory.profile_updated(session, employee)


def _left(session: Session, workspace: Workspace, employee: Employee, now: datetime) -> Departure:
    employee.active, employee.left_slack_at, employee.updated_at = False, now, now
    session.flush()
    handovers = hand_over_pending(session, workspace=workspace, now=now)
    needs = _what_needs_hr(session, workspace, employee)
    details = {"rerouted": len(reported(handovers)), "needs": needs}
    audit.record(
        session,
        workspace=workspace,
        actor=ACTOR,
        action="person.left_slack",
        subject=employee.slack_id,
        now=now,
        details=details,
    )
    bump(session, workspace)
    return Departure(employee, handovers, needs, hr_people(session, workspace.id) if needs else [])


def _came_back(session: Session, workspace: Workspace, employee: Employee, now: datetime) -> Return:
    """Active again; what someone else may decide now that they are back moves (hand_over_pending leaves whatever
    waits on someone who still may decide it where it is)."""
    employee.active, employee.left_slack_at, employee.updated_at = True, None, now
    session.flush()
    handovers = hand_over_pending(session, workspace=workspace, now=now)
    audit.record(
        session,
        workspace=workspace,
        actor=ACTOR,
        action="person.back_in_slack",
        subject=employee.slack_id,
        now=now,
        details={"rerouted": len(reported(handovers))},
    )
    bump(session, workspace)
    return Return(employee, handovers)


def _what_needs_hr(session: Session, workspace: Workspace, employee: Employee) -> list[str]:
    """What only HR or an admin can put right after this departure, in words (nothing: nobody is told)."""
    needs = []
    reports = directory.direct_reports(session, employee.id)
    if reports:
        needs.append(
            f"{len(reports)} people report to them in the org file: their requests go to the next active manager "
            "above until the file names a new manager"
        )
    if employee.role == "admin" and not directory.active_admins(session, workspace):
        needs.append("Latitude has no active admin now: name one in the org file")
    stuck = _still_waiting_on(session, employee)
    if stuck:
        needs.append(f"{stuck} request(s), nomination(s) or suggestion(s) still wait on them: nobody can take them")
    return needs


def _still_waiting_on(session: Session, employee: Employee) -> int:
    """What the hand-over found nobody to move to (an idea not released yet is not told of: see release.py)."""
    counts = (
        select(func.count()).where(Resolution.decider_id == employee.id, Resolution.status == "pending"),
        select(func.count()).where(Nomination.approver_id == employee.id, Nomination.status == "pending"),
        select(func.count())
        .where(Suggestion.owner_id == employee.id, Suggestion.status.not_in(CLOSED_STATUSES))
        .where(RELEASED),
    )
    return sum(session.scalar(count) or 0 for count in counts)
