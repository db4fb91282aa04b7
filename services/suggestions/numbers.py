"""The number people see on a suggestion (#N), given when it is shown, and a row id that tells nothing. Callers commit.

A number given when an idea is sent would say, once an anonymous one is shown 5 to 30 minutes later, which ideas
were sent before and after it: #41 arriving after Lee's #42 was sent before Lee's. So a named idea is numbered at
once and an anonymous one on its release (services/suggestions/release.py), each the next of its workspace, and
the numbers go in the order ideas are shown. The ones of the workspaces of one Enterprise Grid org follow each other:
a card from before the org's install took a workspace over then never names one of the org's own ideas.

The row id is no number anyone sees. An anonymous idea's is drawn at random (and below zero, where the database's
own counter never goes): counted up as ids are, it would keep the order in which held ideas were sent.
"""

import hashlib
from collections.abc import Iterable

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from models import Suggestion, Workspace
from services import unordered_ids
from services.rows import take_turns

NUMBER_LOCKS = -5
"""The advisory lock space of a workspace's (or Grid org's) numbers: two ideas shown at once take turns."""


def give_numbers(session: Session, suggestions: Iterable[Suggestion]) -> None:
    """Number `suggestions`, in the order given, each the next of its workspace; the lock is held until the caller
    commits, so the next one shown anywhere (another process included) waits and counts on from these. Nothing is
    written here: the caller flushes once each is shown (its number and its release go together)."""
    shown = list(suggestions)
    workspaces = {s.workspace_id: session.get_one(Workspace, s.workspace_id) for s in shown}
    take_turns(session, NUMBER_LOCKS, {_lock_key(workspace) for workspace in workspaces.values()})
    last: dict[str, int] = {}
    with session.no_autoflush:
        for suggestion in shown:
            workspace = workspaces[suggestion.workspace_id]
            scope = _org_key(workspace) or f"workspace:{workspace.id}"
            if scope not in last:
                numbered = select(func.max(Suggestion.number)).where(_numbered_with(workspace))
                last[scope] = session.scalar(numbered) or 0
            last[scope] += 1
            suggestion.number = last[scope]


def add_unnumbered(session: Session, suggestion: Suggestion) -> None:
    """Insert an anonymous idea under a row id drawn at random, below the ids the database counts up (drawn again
    should another idea have it, one sent at the same moment included)."""
    unordered_ids.add(session, suggestion)


def _org_key(workspace: Workspace) -> str | None:
    """The Grid org a workspace belongs to, or is the org-wide install of."""
    return workspace.enterprise_id or (workspace.slack_team_id if workspace.org_wide else None)


def _lock_key(workspace: Workspace) -> int:
    org = _org_key(workspace)
    if org is None:
        return workspace.id
    digest = int.from_bytes(hashlib.sha256(f"suggestions:{org}".encode()).digest()[:4], "big")
    return digest - 2**32 if digest >= 2**31 else digest


def _numbered_with(workspace: Workspace) -> ColumnElement[bool]:
    org = _org_key(workspace)
    if org is None:
        return Suggestion.workspace_id == workspace.id
    same_org = select(Workspace.id).where(or_(Workspace.enterprise_id == org, Workspace.slack_team_id == org))
    return Suggestion.workspace_id.in_(same_org)


def numbered_elsewhere(session: Session, workspace: Workspace, number: int) -> list[Suggestion]:
    """The ideas numbered `number` in the other workspaces of `workspace`'s Grid org (a card of one it took over)."""
    if _org_key(workspace) is None:
        return []
    found = select(Suggestion).where(_numbered_with(workspace), Suggestion.number == number)
    return [s for s in session.scalars(found.where(Suggestion.workspace_id != workspace.id))]
