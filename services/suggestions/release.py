"""An anonymous suggestion reaches its owner and its team's channel a random few minutes after it was sent, and
nobody but its author sees it before. Callers commit.

Sent at once, its card and post would arrive the second its author sent it, and Slack shows that second: whoever
was seen typing, or putting their phone down, just then would be its author. So it is held for a wait drawn as a
relayed pulse reply's (services/random_wait.py) and left out, meanwhile, of everything others could poll for it
(their lists, the digest, a button), or polling would tell the moment. It is dated from its release from the start, and
numbered on release (services/suggestions/numbers.py): what others see dates and numbers it from then, and nothing
keeps the moment it was sent. On PostgreSQL, inserting it locked the rows its foreign keys name (its owner, the manager
of its team, its team, its workspace), which stamps them with the sending transaction (`xmax`) for a reader of the
database to date against other rows; its release locks them again, so the stamp they keep is the release's, which is
no secret.

An idea whose workspace is not served when its wait ends (the app uninstalled, or the workspace moving into a Grid
org) stays held until it is served again, as that workspace's messages wait: released then, its card would be
dropped and nobody would ever see it. One whose workspace the org's install took over stays with that stopped
workspace, as its open ideas do, and its author is told to send it again (handlers/installs.py).
"""

from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from models import Employee, Suggestion, Team, Workspace
from services import audit
from services.outbox import NOT_SERVED_NOW
from services.random_wait import relay_delay
from services.rows import lock_again
from services.suggestions.numbers import give_numbers

ANONYMOUS_ACTOR = "anonymous"
RELEASED: ColumnElement[bool] = Suggestion.release_at.is_(None)
"""Suggestions others may see: named ones, and anonymous ones once their wait is over."""


def hold(suggestion: Suggestion, now: datetime) -> None:
    """Keep an anonymous suggestion back until a random moment, dated from then already (its sending is kept nowhere);
    a named one goes at once."""
    if suggestion.anonymous:
        suggestion.release_at = suggestion.created_at = suggestion.updated_at = now + relay_delay()


def release_due(session: Session, *, now: datetime) -> list[Suggestion]:
    """Release the suggestions whose wait is over by `now`, each once: a row another process is releasing is skipped
    (`SKIP LOCKED`), and a released one is due no more. The caller queues their cards and posts."""
    due = session.scalars(
        select(Suggestion)
        .where(Suggestion.release_at <= now)
        .where(Suggestion.workspace_id.not_in(select(Workspace.id).where(NOT_SERVED_NOW)))
        .order_by(Suggestion.release_at, Suggestion.id)
        .with_for_update(skip_locked=True, of=Suggestion.__table__)
    ).all()
    lock_again(session, Employee, [p for s in due for p in (s.owner_id, s.team_manager_id) if p is not None])
    lock_again(session, Team, [suggestion.team_id for suggestion in due if suggestion.team_id is not None])
    lock_again(session, Workspace, [suggestion.workspace_id for suggestion in due])
    give_numbers(session, due)  # in the order they are shown: the number says nothing of when each was sent
    released = [(suggestion, suggestion.release_at or now) for suggestion in due]
    for suggestion, released_at in released:
        suggestion.created_at = suggestion.updated_at = released_at
        suggestion.release_at = None
    session.flush()
    for suggestion, released_at in released:
        audit.record(
            session,
            workspace=session.get_one(Workspace, suggestion.workspace_id),
            actor=ANONYMOUS_ACTOR,
            action="suggestion.submit",
            now=released_at,
            subject=f"#{suggestion.number}",
        )
    session.flush()
    return list(due)


def held_in(session: Session, workspace: Workspace) -> list[Suggestion]:
    """The ideas of `workspace` not released yet, the first due first."""
    held = select(Suggestion).where(Suggestion.workspace_id == workspace.id, Suggestion.release_at.is_not(None))
    return list(session.scalars(held.order_by(Suggestion.release_at, Suggestion.id)))
