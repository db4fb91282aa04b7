"""Replies to anonymous comments: a manager writes to "the author", the author answers, nobody learns who.

Only the route is stored (which comment, which manager); each text waits a random few minutes in the outbox under
`relayed_key_prefix`, its recipient sealed, and is deleted, sent or not, when the relay ends.
The way back to the author is a tag, an HMAC of the relay handle and the author under a key the database
never holds (derived from RELAY_SECRET, by default the signing secret): the bot finds the author by recomputing the tag
for each person, a reader of the database cannot. Replies end `relay_days` after the round closes, when
`end_relays` deletes the tags, the replies and any relayed message kept in the outbox. Callers commit.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from models import Employee, PulseComment, PulseRelay, PulseReply, PulseRound, Workspace
from services import directory, outbox, rows, unordered_ids
from services.errors import AlreadyDone, InvalidInput, NotAllowed
from services.pulse.relay_keys import (
    hold_relays,
    refuse_a_second_answer,
    relayed_key_prefix,
    rounds_with_relayed_messages,
)
from services.pulse.relay_tags import RelayKey
from services.pulse.replies_ended import replies_ended, unanswerable
from services.pulse.results import judged
from services.pulse.rounds import ROUND_STARTERS, replies_open
from services.random_wait import RELAY_DELAY_MINUTES as RELAY_DELAY_MINUTES  # each relayed message waits

MAX_REPLY = 2000
OWN_COMMENT = "That comment is your own: a reply goes to the comment's author, so there is nobody else to send it to."
TOO_LATE = (
    "Replies to round {number}'s comments end in less than {high} minutes: too soon to send this. Each message "
    "waits a random {low} to {high} minutes before it goes, to keep the comment's author anonymous, and would be "
    "erased unsent when replies end."
)
LEADS_NOBODY = (
    "Nobody reports to you now, so you no longer reply to comments in your earlier team's pulse results. "
    "Nothing was sent."
)
MANAGER_LEFT = (
    "The manager who replied to your comment has left the organisation, so your answer cannot reach them. "
    "Nothing was sent."
)


@dataclass(frozen=True)
class Relayed:
    """Where to send the text: the recipient's Slack id, the reply thread and the comment it is about."""

    recipient: str
    reply_id: int
    comment_id: int
    comment: str
    text: str
    round_id: int


@dataclass(frozen=True)
class AnswerTo:
    """What the author's Answer button and form carry: the reply, and the id of its comment's round.

    Once the reply's route is deleted, nothing in the database says whose conversation it was; the round's id,
    which the button already holds, is all the bot uses then to say when those replies ended. Its id, not its
    number: numbers start again at 1 in a workspace purged and installed again, ids are never given twice.
    None: a button sent before it carried the id.
    """

    reply_id: int
    round_id: int | None
    comment: str | None = None
    """For a button without the round's id: the comment its message quotes, which names the round when only one of
    the workspace's rounds holds a comment with those words."""
    round_number: int | None = None
    """The round's number, which a button sent before it carried the id carried instead (`reply:number`)."""


def reply_to_comment(
    session: Session,
    *,
    workspace: Workspace,
    manager: Employee,
    comment_id: int,
    text: str,
    relay_key: RelayKey,
    now: datetime,
) -> Relayed:
    """A manager replies to a comment they can see in results; the author gets it without the manager learning who."""
    cleaned = _cleaned(text)
    comment, relay = _comment_to_reply_to(session, workspace, manager, comment_id, relay_key, now, hold=True)
    author = _author(session, workspace, relay, relay_key)
    reply = PulseReply(comment_id=comment.id, manager_id=manager.id, created_at=now)
    unordered_ids.add(session, reply)  # deleted when replies end (or withdrawn): a counted id would leave a gap
    return _relayed(session, author, reply, comment, cleaned, now)


def _relayed(
    session: Session, to: Employee, reply: PulseReply, comment: PulseComment, text: str, now: datetime
) -> Relayed:
    pulse_round = _round_of(session, comment)
    ends = pulse_round.relay_ends_at
    if ends is not None and now + timedelta(minutes=RELAY_DELAY_MINUTES[1]) > ends:
        low, high = RELAY_DELAY_MINUTES
        raise AlreadyDone(TOO_LATE.format(number=pulse_round.number, low=low, high=high))
    return Relayed(to.slack_id, reply.id, comment.id, comment.text, text, pulse_round.id)


def withdraw_reply(session: Session, *, reply_id: int) -> None:
    """Take back a reply Slack would not deliver: its author never got it, so nobody can answer it."""
    session.execute(delete(PulseReply).where(PulseReply.id == reply_id))


def check_reply_allowed(
    session: Session, *, workspace: Workspace, manager: Employee, comment_id: int, relay_key: RelayKey, now: datetime
) -> None:
    """Before the reply form opens: the comment is one this manager may see, not their own, and its replies have
    not ended."""
    _comment_to_reply_to(session, workspace, manager, comment_id, relay_key, now, hold=False)


def _comment_to_reply_to(
    session: Session,
    workspace: Workspace,
    manager: Employee,
    comment_id: int,
    relay_key: RelayKey,
    now: datetime,
    *,
    hold: bool,
) -> tuple[PulseComment, PulseRelay]:
    """The comment and its way back. Whether the manager may see it is judged first, so only someone shown the
    comment learns that its replies ended, and only its author that it is theirs."""
    directory.require_active(manager)  # a manager who left replies no more, from results or a relayed DM
    if not directory.acts_as(manager, ROUND_STARTERS) and not _leads_anyone(session, manager):
        raise NotAllowed(LEADS_NOBODY)
    comment = session.get(PulseComment, comment_id)
    if comment is None or not _may_see(session, workspace=workspace, viewer=manager, comment=comment):
        raise NotAllowed("You can reply only to comments shown in your team's results.")
    relay = _relay_of(session, comment, hold=hold)
    pulse_round = _round_of(session, comment)
    if relay is None or not replies_open(pulse_round, now):
        raise replies_ended(pulse_round, manager)
    if _wrote(relay, manager, relay_key):
        raise InvalidInput(OWN_COMMENT)
    return comment, relay


def answer_reply(
    session: Session,
    *,
    workspace: Workspace,
    author: Employee,
    to: AnswerTo,
    text: str,
    relay_key: RelayKey,
    now: datetime,
) -> Relayed:
    """The comment's author answers a manager's reply; it goes back to that manager, still anonymous."""
    cleaned = _cleaned(text)
    reply, comment, manager = _conversation(session, workspace, author, to, relay_key, now, hold=True)
    return _relayed(session, manager, reply, comment, cleaned, now)


def check_answer_allowed(
    session: Session, *, workspace: Workspace, author: Employee, to: AnswerTo, relay_key: RelayKey, now: datetime
) -> None:
    """Before the answer form opens: the reply was to this person's comment, and its replies have not ended."""
    _conversation(session, workspace, author, to, relay_key, now, hold=False)


def _conversation(
    session: Session,
    workspace: Workspace,
    author: Employee,
    to: AnswerTo,
    relay_key: RelayKey,
    now: datetime,
    *,
    hold: bool,
) -> tuple[PulseReply, PulseComment, Employee]:
    """A manager's reply to this author's comment, the comment and the manager.

    Only the author, proven by the tag, hears about the conversation itself (that its manager has left, say:
    an answer goes to nobody who left). Anyone else, and the author once
    the route is deleted, gets an answer made only of what the button carries and the round's dates, which are
    the same for everyone in the workspace: whether that reply ever existed, or whose it was, changes nothing.
    """
    directory.require_active(author)
    found = _authors_conversation(session, workspace, author, to.reply_id, relay_key, hold)
    if found is None:
        raise unanswerable(
            session, workspace, author, now, round_id=to.round_id, comment=to.comment, round_number=to.round_number
        )
    reply, comment, manager = found
    pulse_round = _round_of(session, comment)
    if not replies_open(pulse_round, now):
        raise replies_ended(pulse_round, author)
    if not manager.active:
        raise NotAllowed(MANAGER_LEFT)  # told only once the tag proves the author: anyone else gets NOT_YOURS
    refuse_a_second_answer(session, workspace_id=workspace.id, round_id=pulse_round.id, reply_id=reply.id)
    return reply, comment, manager


def _authors_conversation(
    session: Session, workspace: Workspace, author: Employee, reply_id: int, relay_key: RelayKey, hold: bool
) -> tuple[PulseReply, PulseComment, Employee] | None:
    reply = session.get(PulseReply, reply_id)
    comment = session.get(PulseComment, reply.comment_id) if reply is not None else None
    relay = _relay_of(session, comment, hold=hold) if comment is not None else None
    if reply is None or comment is None or relay is None:
        return None
    if relay.workspace_id != workspace.id or not _wrote(relay, author, relay_key):
        return None
    return reply, comment, session.get_one(Employee, reply.manager_id)


def end_relays(session: Session, *, workspace: Workspace, now: datetime) -> int:
    """Delete the relays (and the reply routes) of rounds whose reply window has ended, and any relayed message their
    outbox still holds; returns how many rounds."""
    kept = rounds_with_relayed_messages(session, workspace_id=workspace.id)
    ended = list(
        session.scalars(
            select(PulseRound.id).where(
                PulseRound.workspace_id == workspace.id,
                PulseRound.relay_ends_at <= now,
                or_(PulseRound.id.in_(select(PulseRelay.round_id)), PulseRound.id.in_(kept)),
            )
        )
    )
    if ended:
        hold_relays(session, ended)  # a reply or an answer in flight (`_relay_of`) commits first: its rows are seen
        comments = select(PulseComment.id).where(PulseComment.round_id.in_(ended))
        session.execute(delete(PulseReply).where(PulseReply.comment_id.in_(comments)))
        session.execute(update(PulseComment).where(PulseComment.round_id.in_(ended)).values(relay_handle=None))
        session.execute(delete(PulseRelay).where(PulseRelay.round_id.in_(ended)))
        for round_id in ended:
            outbox.forget(session, key_prefix=relayed_key_prefix(round_id))
        rows.lock_again(session, Workspace, [workspace.id])  # a relayed message's key locked it when it was sent
    return len(ended)


def _wrote(relay: PulseRelay, person: Employee, key: RelayKey) -> bool:
    """Whether this person wrote the comment: their own tag, computed once, matches."""
    return key.made(relay.author_tag, relay.handle, person.id)


def _author(session: Session, workspace: Workspace, relay: PulseRelay, key: RelayKey) -> Employee:
    for employee_id in session.scalars(select(Employee.id).where(Employee.workspace_id == workspace.id)):
        if key.made(relay.author_tag, relay.handle, employee_id):
            return session.get_one(Employee, employee_id)  # only ids are read for the others, in a large workspace
    raise AlreadyDone("The author of that comment can no longer be reached.")


def _relay_of(session: Session, comment: PulseComment, *, hold: bool) -> PulseRelay | None:
    """The comment's relay; with `hold`, read once its round's relays are held until the reply or the answer commits:
    `end_relays` then waits to delete it (and so sees the reply's route and the answer's outbox row), or has deleted
    it already and the sender is told replies have ended. Opening a form holds nothing."""
    if comment.relay_handle is None:
        return None
    if hold:
        hold_relays(session, [comment.round_id])
    return session.get(PulseRelay, comment.relay_handle, populate_existing=True)


def _round_of(session: Session, comment: PulseComment) -> PulseRound:
    return session.get_one(PulseRound, comment.round_id)


def _cleaned(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("The message is empty. Write something, or cancel.")
    if len(cleaned) > MAX_REPLY:
        raise InvalidInput(f"Please keep it under {MAX_REPLY} characters (it has {len(cleaned)}).")
    return cleaned


def _leads_anyone(session: Session, manager: Employee) -> bool:
    """Whether anyone active reports to them today: a manager made frontline, or whose team moved to another, reads
    no team's results (`/pulse results`), and so replies from an old results message or relayed DM no more."""
    return session.scalar(select(exists().where(Employee.manager_id == manager.id, Employee.active))) or False


def _may_see(session: Session, *, workspace: Workspace, viewer: Employee, comment: PulseComment) -> bool:
    """True when the comment is in results this viewer may see: a team they led (or one inside it) when that round
    closed, shown in it; HR and admins, any shown group."""
    pulse_round = session.get_one(PulseRound, comment.round_id)
    if pulse_round.workspace_id != workspace.id or pulse_round.status != "closed":
        return False
    reach = None if directory.acts_as(viewer, ROUND_STARTERS) else viewer.slack_id
    loaded = judged(session, [pulse_round], viewer=reach)
    return any(
        loaded.view(key, pulse_round).shown and loaded.group(key, pulse_round).holds(comment.group_manager_id)
        for key in loaded.trees[pulse_round.id]
    )
