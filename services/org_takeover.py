"""Whether a workspace's own install in a Grid org stays taken over by the org's org-wide install.

Once an org admin adds the org-wide install to a workspace that had an install of its own (`team_access_granted`),
the org serves it and the workspace's own install stops (services/workspaces.py `take_over_granted_workspaces`). The
takeover holds while the org-wide install is installed and Slack has not removed that workspace from it since
(`team_access_revoked`): an install made again in the workspace meanwhile must not bring back a second directory of
the same people, sending them reminders twice. The audit trail says what was taken over and what Slack granted.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Employee, Nomination, PulseRound, Resolution, Suggestion, Workspace
from models.suggestion import CLOSED_STATUSES
from services.event_order import Sent, recorded_after, slacks
from services.suggestions.release import RELEASED

TAKEN_OVER = "taken_over_by_org_install"
KEPT_IN_ORG = "install_kept_in_org"
"""The audit action of an install made again in a workspace the org's org-wide install still serves."""
GRANTED, REVOKED = "team_access_granted", "team_access_revoked"
REINSTALLED = "app_reinstalled"
Row = TypeVar("Row", Resolution, Nomination, Suggestion, PulseRound)


def org_still_serving(session: Session, workspace: Workspace) -> Workspace | None:
    """The org whose org-wide install took this workspace over and still serves it; None if there is none."""
    if workspace.org_wide or not workspace.enterprise_id or not _was_taken_over(session, workspace):
        return None
    org = session.scalar(
        select(Workspace).where(Workspace.slack_team_id == workspace.enterprise_id, Workspace.org_wide.is_(True))
    )
    if org is None or not org.installed:
        return None
    return org if _granted_now(session, org, workspace.slack_team_id) else None


def _was_taken_over(session: Session, workspace: Workspace) -> bool:
    taken = select(AuditEvent.id).where(AuditEvent.workspace_id == workspace.id, AuditEvent.action == TAKEN_OVER)
    return session.scalar(taken.limit(1)) is not None


def _granted_now(session: Session, org: Workspace, team_id: str) -> bool:
    return team_id in granted_teams(session, org)


def granted_teams(session: Session, org: Workspace) -> set[str]:
    """The workspaces the org's org-wide install is in as Slack told it: those the last of Slack's team access
    changes naming them added to it (`team_access_granted`), not removed from it since (`team_access_revoked`).
    One added while the app was not listening is missing; those of an earlier install are forgotten at an install made
    again, which an org admin adds to workspaces anew."""
    changes = session.execute(
        select(AuditEvent.action, AuditEvent.details)
        .where(AuditEvent.workspace_id == org.id, AuditEvent.action.in_((GRANTED, REVOKED, REINSTALLED)))
        .order_by(AuditEvent.id)
    ).all()
    granted: set[str] = set()
    for action, details in changes:
        named = set((details or {}).get("team_ids", []))
        granted = {GRANTED: granted | named, REVOKED: granted - named}.get(action, set())
    return granted


@dataclass(frozen=True)
class Grant:
    """Slack adding a workspace to the org-wide install of `org` (its id), `at` when we recorded it; `serving` while
    that install is installed and holds the workspace still."""

    org: str
    at: datetime
    serving: bool


def last_grant(session: Session, team_id: str) -> Grant | None:
    """The last time Slack added this workspace to an org's org-wide install (`team_access_granted`), None if it never
    did: a workspace the org serves has no row of its own until it installs the app itself."""
    grants = session.execute(
        select(Workspace, AuditEvent.at, AuditEvent.details)
        .join(Workspace, Workspace.id == AuditEvent.workspace_id)
        .where(AuditEvent.action == GRANTED)
        .order_by(AuditEvent.id.desc())
    )
    for org, at, details in grants:
        if team_id in (details or {}).get("team_ids", []):
            return Grant(org.slack_team_id, at, org.installed and team_id in granted_teams(session, org))
    return None


def changed_since(session: Session, org: Workspace, team_ids: list[str], sent: Sent, *, ours_too: bool) -> set[str]:
    """Those of `team_ids` that a team access change Slack sent after the event `sent` named, and with `ours_too`, all
    of them after an install made again since: `sent`, run late, would undo them (services/event_order.py)."""
    changes = recorded_after(session, workspace=org, actions=(GRANTED, REVOKED, REINSTALLED), sent=sent)
    changed: set[str] = set()
    for change in changes:
        if not ours_too and not slacks(change):
            continue
        changed |= set(team_ids) if change.action == REINSTALLED else set((change.details or {}).get("team_ids", []))
    return changed & set(team_ids)


@dataclass(frozen=True)
class LeftOpen:
    """What still waited in a workspace's own directory when the org took it over: it stays there, not moved."""

    requests: int
    nominations: int
    pulse_open: bool
    suggestions: int = 0
    """Suggestions not yet done or turned down: their owners can no longer move them on."""

    @property
    def anything(self) -> bool:
        return bool(self.requests or self.nominations or self.pulse_open or self.suggestions)


def left_open(session: Session, workspace: Workspace) -> LeftOpen:
    def pending(model: type[Resolution] | type[Nomination]) -> int:
        where = (model.workspace_id == workspace.id, model.status == "pending")
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    open_round = select(PulseRound.id).where(PulseRound.workspace_id == workspace.id, PulseRound.status == "open")
    ideas = select(func.count()).select_from(Suggestion)
    ideas = ideas.where(Suggestion.workspace_id == workspace.id, Suggestion.status.not_in(CLOSED_STATUSES), RELEASED)
    pulse_open = session.scalar(open_round.limit(1)) is not None
    return LeftOpen(pending(Resolution), pending(Nomination), pulse_open, int(session.scalar(ideas) or 0))


def requests_to_log_again(session: Session, workspace: Workspace, org: Workspace) -> list[Resolution]:
    """The requests still waiting for a decision in this workspace's own directory, oldest first, of requesters still
    active there and in the org's directory (when it has them yet): someone who left is asked to log nothing again."""
    waiting = select(Resolution).join(Employee, Employee.id == Resolution.employee_id)
    waiting = waiting.where(Resolution.workspace_id == workspace.id, Resolution.status == "pending")
    gone_from_org = select(Employee.slack_id).where(Employee.workspace_id == org.id, Employee.active.is_(False))
    waiting = waiting.where(Employee.active.is_(True), Employee.slack_id.not_in(gone_from_org))
    return list(session.scalars(waiting.order_by(Resolution.created_at, Resolution.id)))


def left_behind(session: Session, model: type[Row], item_id: int, org_id: int) -> Row | None:
    """The request, nomination, suggestion or pulse round `item_id` of a workspace the org (`org_id`) took over and
    still serves: a button on an earlier message of that workspace names it, and the org's directory has no such row.
    None otherwise."""
    row = session.get(model, item_id)
    if row is None or row.workspace_id == org_id:
        return None
    org = org_still_serving(session, session.get_one(Workspace, row.workspace_id))
    return row if org is not None and org.id == org_id else None


def _made_before(what: str) -> str:
    return (
        f"This {what} was made before your org's Latitude took this workspace over. It stays with the workspace's "
        "own Latitude, which has stopped, so nobody can decide it here and nothing changed."
    )


def request_left_behind(resolution: Resolution) -> str:
    """Said only to one who could see the request there (services/request_viewers.py): anyone else hears what a
    missing id does, nothing of whose it was nor even that it was."""
    return f"{_made_before('request')} Ask {_mention(resolution.employee)} to log it again with `/resolve`."


def nomination_left_behind(nomination: Nomination) -> str:
    """Said as a request's is, to those alone."""
    again = f"nominate {_mention(nomination.nominee)} again with `/nominate`"
    return f"{_made_before('nomination')} Ask {_mention(nomination.nominator)} to {again}."


def suggestion_left_behind() -> str:
    """Without its author's name: an anonymous idea must stay so."""
    return f"{_made_before('suggestion')} Whoever sent it can send it again with `/suggest`."


def _mention(person: Employee) -> str:
    """Grid user ids are the same in every workspace of the org, so the old directory's id names them here too."""
    return f"<@{person.slack_id}>"
