"""Replies to anonymous comments: a manager writes to "the author", the author answers, nobody learns who.

Only the route is stored (which comment, which manager); the texts pass straight through to Slack.
Callers commit.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models import Employee, PulseComment, PulseRelay, PulseReply, PulseRound, Workspace
from services import directory
from services.errors import InvalidInput, NotAllowed, NotFound
from services.pulse.anonymity import visibility
from services.pulse.results import answers_of, groups_of
from services.pulse.rounds import ROUND_STARTERS

MAX_REPLY = 2000


@dataclass(frozen=True)
class Relayed:
    """Where to send the text: the recipient's Slack id, the reply thread and the comment it is about."""

    recipient: str
    reply_id: int
    comment_id: int
    comment: str
    text: str


def reply_to_comment(
    session: Session, *, workspace: Workspace, manager: Employee, comment_id: int, text: str, now: datetime
) -> Relayed:
    """A manager replies to a comment they can see in results; the author gets it without the manager learning who."""
    cleaned = _cleaned(text)
    comment = session.get(PulseComment, comment_id)
    if comment is None or not _may_see(session, workspace=workspace, viewer=manager, comment=comment):
        raise NotAllowed("You can reply only to comments shown in your team's results.")
    author = _author(session, comment)
    if author.id == manager.id:
        raise InvalidInput("That comment is your own.")
    reply = PulseReply(comment_id=comment.id, manager_id=manager.id, created_at=now)
    session.add(reply)
    session.flush()
    return Relayed(author.slack_id, reply.id, comment.id, comment.text, cleaned)


def answer_reply(session: Session, *, workspace: Workspace, author: Employee, reply_id: int, text: str) -> Relayed:
    """The comment's author answers a manager's reply; it goes back to that manager, still anonymous."""
    cleaned = _cleaned(text)
    reply = session.get(PulseReply, reply_id)
    comment = session.get(PulseComment, reply.comment_id) if reply is not None else None
    if reply is None or comment is None or _author(session, comment).id != author.id:
        raise NotFound("That conversation does not exist, or it is not yours.")
    manager = session.get_one(Employee, reply.manager_id)
    if manager.workspace_id != workspace.id:
        raise NotFound("That conversation does not exist, or it is not yours.")
    return Relayed(manager.slack_id, reply.id, comment.id, comment.text, cleaned)


def _author(session: Session, comment: PulseComment) -> Employee:
    relay = session.get_one(PulseRelay, comment.relay_handle)
    return session.get_one(Employee, relay.employee_id)


def _cleaned(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("The message is empty. Write something, or cancel.")
    if len(cleaned) > MAX_REPLY:
        raise InvalidInput(f"Please keep it under {MAX_REPLY} characters (it has {len(cleaned)}).")
    return cleaned


def _may_see(session: Session, *, workspace: Workspace, viewer: Employee, comment: PulseComment) -> bool:
    """True when the comment is in results this viewer may see: a team of theirs, shown in that closed round."""
    pulse_round = session.get_one(PulseRound, comment.round_id)
    if pulse_round.workspace_id != workspace.id or pulse_round.status != "closed":
        return False
    groups = groups_of(session, workspace)
    if directory.acts_as(viewer, ROUND_STARTERS):
        keys = set(groups)
    elif viewer.slack_id in groups:
        keys = {viewer.slack_id, *groups[viewer.slack_id].below}
    else:
        return False
    seen = visibility(groups, answers_of(session, pulse_round), pulse_round.anonymity_threshold)
    return any(seen[key].shown and groups[key].holds(comment.group_manager_id) for key in keys)
