""" "Me too" on a suggestion's post in its team's channel: once per person, not on your own named one. Callers commit.

A suggestion is seen only where it was posted, so a click counts only from that post: one made elsewhere (an id
that is not the post's, or a made-up one) is answered in the same words as an id that never was, and learns
nothing of which suggestions exist, their authors or their status."""

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Employee, Suggestion, SuggestionBacker, Workspace
from services import directory, outbox
from services.errors import AlreadyDone, InvalidInput, NotFound
from services.suggestions.lifecycle import STATUS_WORDS, find, is_author
from services.suggestions.relay import Relay

Message = tuple[str, str]
"""A Slack message as (channel, ts)."""


def channel_posts_key(suggestion_id: int) -> str:
    """The outbox key of a suggestion's post in its team's channel (its "me too" button's only home). Keys name the
    row's id, unique across workspaces (an anonymous idea's is random: services/suggestions/numbers.py), not #N."""
    return f"suggestion:{suggestion_id}:channel"


def back(
    session: Session,
    *,
    workspace: Workspace,
    number: int,
    backer: Employee,
    clicked: Message | None,
    relay: Relay | None,
    now: datetime,
) -> tuple[Suggestion, bool]:
    """Say "me too" from the suggestion's post; returns the suggestion and whether this was new.

    Not on your own named suggestion. On an anonymous one the author may back it like anyone: refusing
    them would make the one teammate who never backs a popular idea its likely author."""
    directory.require_active(backer)
    suggestion = _seen(session, workspace, number, clicked)
    if not suggestion.anonymous and is_author(suggestion, backer, relay):
        raise InvalidInput("That's your own suggestion: ask a colleague to back it instead.")
    if suggestion.is_closed:
        raise AlreadyDone(f"Suggestion #{suggestion.number} is already {STATUS_WORDS[suggestion.status]}.")
    if any(row.employee_id == backer.id for row in suggestion.backers):
        return suggestion, False
    try:
        with session.begin_nested():
            session.add(SuggestionBacker(suggestion_id=suggestion.id, employee_id=backer.id, created_at=now))
    except IntegrityError:
        return suggestion, False
    session.refresh(suggestion, ["backers"])
    return suggestion, True


def _seen(session: Session, workspace: Workspace, number: int, clicked: Message | None) -> Suggestion:
    """The suggestion, if `clicked` is its channel post; else the words a suggestion that never was gets."""
    # Shared-locked: a status change meanwhile waits (Done thanks this backer), or is waited for (and this is refused).
    suggestion = find(session, workspace, number, shared=True)  # or the words a suggestion that never was gets
    if clicked not in outbox.sent_messages(session, key_prefix=channel_posts_key(suggestion.id)):
        raise NotFound(f"There is no suggestion #{number} here.")
    return suggestion
