"""Replies to anonymous comments: a manager writes to "the author", the author answers, nobody learns who.

Only the route is stored (which comment, which manager); the texts pass straight through to Slack. The
way back to the author is a tag, an HMAC of the relay handle and the author under a key the database
never holds (derived from RELAY_SECRET, by default the signing secret): the bot finds the author by recomputing the tag
for each person, a reader of the database cannot. Replies end `relay_days` after the round closes, when
`end_relays` deletes the tags and the replies. Callers commit.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models import Employee, PulseComment, PulseRelay, PulseReply, PulseRound, Workspace
from services import directory
from services.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from services.pulse.results import groups_of, judge
from services.pulse.rounds import ROUND_STARTERS, replies_open

MAX_REPLY = 2000


@dataclass(frozen=True)
class Relayed:
    """Where to send the text: the recipient's Slack id, the reply thread and the comment it is about."""

    recipient: str
    reply_id: int
    comment_id: int
    comment: str
    text: str


def relay_key_from(secret: str) -> bytes:
    """The relay's key, derived from a secret the process holds and the database does not."""
    return hmac.new(secret.encode(), b"latitude pulse relay", hashlib.sha256).digest()


def author_tag(key: bytes, handle: str, employee_id: int) -> str:
    return hmac.new(key, f"{handle}:{employee_id}".encode(), hashlib.sha256).hexdigest()


def reply_to_comment(
    session: Session,
    *,
    workspace: Workspace,
    manager: Employee,
    comment_id: int,
    text: str,
    relay_key: bytes,
    now: datetime,
) -> Relayed:
    """A manager replies to a comment they can see in results; the author gets it without the manager learning who."""
    cleaned = _cleaned(text)
    comment = _comment_to_reply_to(session, workspace=workspace, manager=manager, comment_id=comment_id, now=now)
    author = _author(session, workspace, comment, relay_key, now)
    if author.id == manager.id:
        raise InvalidInput("That comment is your own.")
    reply = PulseReply(comment_id=comment.id, manager_id=manager.id, created_at=now)
    session.add(reply)
    session.flush()
    return Relayed(author.slack_id, reply.id, comment.id, comment.text, cleaned)


def check_reply_allowed(
    session: Session, *, workspace: Workspace, manager: Employee, comment_id: int, now: datetime
) -> None:
    """Before the reply form opens: the comment is one this manager may see, and its replies have not ended."""
    _comment_to_reply_to(session, workspace=workspace, manager=manager, comment_id=comment_id, now=now)


def _comment_to_reply_to(
    session: Session, *, workspace: Workspace, manager: Employee, comment_id: int, now: datetime
) -> PulseComment:
    directory.require_active(manager)  # a manager who left replies no more, from results or a relayed DM
    comment = session.get(PulseComment, comment_id)
    if comment is None or not _may_see(session, workspace=workspace, viewer=manager, comment=comment):
        raise NotAllowed("You can reply only to comments shown in your team's results.")
    _relay_of(session, comment, now)
    return comment


def answer_reply(
    session: Session,
    *,
    workspace: Workspace,
    author: Employee,
    reply_id: int,
    text: str,
    relay_key: bytes,
    now: datetime,
) -> Relayed:
    """The comment's author answers a manager's reply; it goes back to that manager, still anonymous."""
    cleaned = _cleaned(text)
    reply, comment, manager = _conversation(session, workspace, author, reply_id, relay_key, now)
    return Relayed(manager.slack_id, reply.id, comment.id, comment.text, cleaned)


def check_answer_allowed(
    session: Session, *, workspace: Workspace, author: Employee, reply_id: int, relay_key: bytes, now: datetime
) -> None:
    """Before the answer form opens: the reply was to this person's comment, and its replies have not ended."""
    _conversation(session, workspace, author, reply_id, relay_key, now)


def _conversation(
    session: Session, workspace: Workspace, author: Employee, reply_id: int, relay_key: bytes, now: datetime
) -> tuple[PulseReply, PulseComment, Employee]:
    """A manager's reply to this author's comment, the comment and the manager."""
    directory.require_active(author)
    reply = session.get(PulseReply, reply_id)
    comment = session.get(PulseComment, reply.comment_id) if reply is not None else None
    if reply is None or comment is None or _author(session, workspace, comment, relay_key, now).id != author.id:
        raise NotFound("That conversation does not exist, or it is not yours.")
    manager = session.get_one(Employee, reply.manager_id)
    if manager.workspace_id != workspace.id:
        raise NotFound("That conversation does not exist, or it is not yours.")
    return reply, comment, manager


def end_relays(session: Session, *, workspace: Workspace, now: datetime) -> int:
    """Delete the relays (and the reply routes) of rounds whose reply window has ended; returns how many rounds."""
    ended = list(
        session.scalars(
            select(PulseRound.id).where(
                PulseRound.workspace_id == workspace.id,
                PulseRound.relay_ends_at <= now,
                PulseRound.id.in_(select(PulseRelay.round_id)),
            )
        )
    )
    if ended:
        comments = select(PulseComment.id).where(PulseComment.round_id.in_(ended))
        session.execute(delete(PulseReply).where(PulseReply.comment_id.in_(comments)))
        session.execute(update(PulseComment).where(PulseComment.round_id.in_(ended)).values(relay_handle=None))
        session.execute(delete(PulseRelay).where(PulseRelay.round_id.in_(ended)))
    return len(ended)


def _author(session: Session, workspace: Workspace, comment: PulseComment, key: bytes, now: datetime) -> Employee:
    relay = _relay_of(session, comment, now)
    for employee_id in session.scalars(select(Employee.id).where(Employee.workspace_id == workspace.id)):
        if hmac.compare_digest(author_tag(key, relay.handle, employee_id), relay.author_tag):
            return session.get_one(Employee, employee_id)  # only ids are read for the others, in a large workspace
    raise AlreadyDone("The author of that comment can no longer be reached.")


def _relay_of(session: Session, comment: PulseComment, now: datetime) -> PulseRelay:
    """The comment's way back to its author, while its round's replies have not ended."""
    relay = session.get(PulseRelay, comment.relay_handle) if comment.relay_handle else None
    pulse_round = session.get_one(PulseRound, comment.round_id)
    if relay is None or not replies_open(pulse_round, now):
        raise AlreadyDone(
            f"Replies to round {pulse_round.number}'s comments have ended: the way back to their authors "
            "is erased a fixed time after the round closes, to keep them anonymous."
        )
    return relay


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
    seen = judge(session, pulse_round, groups)
    return any(seen[key].shown and groups[key].holds(comment.group_manager_id) for key in keys)
