"""The `/digest` preview: this week so far, of the caller's own team or (HR and admins) of any team. Read-only."""

from datetime import datetime

from sqlalchemy.orm import Session

from models import Employee, Workspace
from services import directory
from services.digest.choice import LOOKERS, Asked, head_asked
from services.digest.weekly import Digest, weekly_digests
from services.errors import NotAllowed, NotFound
from services.text import escape_mrkdwn

PURPOSE = (
    "`/digest` is for managers: it sums up your team's week — fixes for customers, requests waiting on "
    "you, and what needs your attention — and arrives every week as a DM."
)


def preview_for(
    session: Session, *, caller: Employee, team_name: str | None = None, asked: Asked | None = None, now: datetime
) -> Digest:
    """This week so far, for the caller's own team or one they may see (`services.digest.choice`): `asked`, or the
    team `team_name` names."""
    asked = Asked(team=team_name) if team_name is not None else asked
    workspace = session.get_one(Workspace, caller.workspace_id)
    if not caller.active:
        raise NotAllowed(directory.NO_LONGER_ACTIVE)
    head = head_asked(session, workspace, caller, asked) if asked is not None else caller
    digests = weekly_digests(session, workspace=workspace, now=now, managers=[head.id], so_far=True)
    if digests:
        return digests[0]
    if head is not caller:
        raise NotFound(f"Nobody reports to {escape_mrkdwn(head.name)} yet, so they have no digest.")
    hint = " As HR or an admin, you can ask for a team: `/digest team:NAME`." if caller.role in LOOKERS else ""
    raise NotAllowed(f"{PURPOSE} Nobody reports to you in the directory, so there is no digest for you.{hint}")
