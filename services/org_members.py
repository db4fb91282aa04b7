"""Who works in which workspace of a Grid org installed org-wide, learnt from Slack's listings, and who of the
directory worked only in workspaces Slack removed from the install. Callers commit.

Slack names the workspaces removed from an org-wide install (`team_access_revoked`), not the people in them, and
once removed a workspace can no longer be listed: what is known of it was learnt before, while the install reached it.
Someone counts as working only in removed workspaces when a listing learnt them in one, and a whole listing of every
workspace the install still reaches, taken after the removal, finds them in none. Someone never learnt anywhere is
never counted: not knowing where a person works is no reason to think they left.
"""

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import Employee, OrgMember, Workspace


def learn_members(session: Session, *, workspace: Workspace, team_id: str, slack_ids: Iterable[str]) -> None:
    """The people of one of the org's workspaces, from a whole listing of it, in place of what was learnt before."""
    session.execute(delete(OrgMember).where(OrgMember.workspace_id == workspace.id, OrgMember.team_id == team_id))
    rows = [OrgMember(workspace_id=workspace.id, team_id=team_id, slack_id=slack_id) for slack_id in set(slack_ids)]
    session.add_all(rows)
    session.flush()


def only_in_removed(session: Session, *, workspace: Workspace, removed: list[str], reached: set[str]) -> list[str]:
    """The Slack ids of the directory's active people learnt in a workspace of `removed` and found in none of the
    workspaces the install still reaches (`reached`: everyone of a whole listing of each, taken after the removal)."""
    learnt = select(OrgMember.slack_id).where(OrgMember.workspace_id == workspace.id, OrgMember.team_id.in_(removed))
    active = session.scalars(
        select(Employee.slack_id)
        .where(Employee.workspace_id == workspace.id, Employee.active.is_(True), Employee.slack_id.in_(learnt))
        .order_by(Employee.slack_id)
    ).all()
    return [slack_id for slack_id in active if slack_id not in reached]
