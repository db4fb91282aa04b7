"""Where relayed pulse messages wait in the outbox, and the one answer an author gives each reply.

A comment's author is nobody the manager can name, so nothing holds them to account for what they send: one answer
to each reply keeps a manager's reply from opening a way to any number of anonymous DMs to them until replies end.
The manager may reply again, and that reply has its own answer. Callers commit.
"""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Delivery
from services import outbox, outbox_series, rows
from services.errors import AlreadyDone
from services.outbox_keys import UNDER_PREFIX, prefix_bounds

NOT_DELIVERED = ":not-delivered"
"""Ends the key of the notice to a relayed message's sender that it was not delivered: its own key plus this."""
ANSWERED = (
    "You have already answered this reply, so nothing more was sent. If the manager replies again, you can answer that."
)

RELAYED_MESSAGES = "pulse-relay:"
"""Where every relayed pulse message waits, under its round's `relayed_key_prefix`."""


def relayed_key_prefix(round_id: int) -> str:
    """Where a relayed message (and a notice to its sender that it was not delivered) waits in the outbox: deleted,
    sent or not, when the round's relay ends, since its seals open with the relay's secret for as long as that is
    kept."""
    return f"{RELAYED_MESSAGES}{round_id}:"


def rounds_with_relayed_messages(session: Session, *, workspace_id: int) -> set[int]:
    """The rounds whose relayed messages this workspace's outbox still holds: the end of their replies deletes them,
    and so does each later end, of one the first end did not see (a notice the sender queued as it ran)."""
    keys = session.scalars(
        select(Delivery.idempotency_key).where(Delivery.workspace_id == workspace_id, *UNDER_PREFIX),
        prefix_bounds(RELAYED_MESSAGES),
    )
    rounds = (key[len(RELAYED_MESSAGES) :].partition(":")[0] for key in keys)
    return {int(part) for part in rounds if part.isascii() and part.isdigit()}


def answer_key_prefix(round_id: int, reply_id: int) -> str:
    """Where the author's answer to one reply waits, and stays once sent, until the relay ends."""
    return f"{relayed_key_prefix(round_id)}{reply_id}:answer:"


def refuse_a_second_answer(session: Session, *, workspace_id: int, round_id: int, reply_id: int) -> None:
    """Refuse an answer to a reply already answered: one waiting to go or sent, not one Slack refused for good
    (its author was told it was not sent, and may try again). Two answers sent at once take turns here."""
    prefix = answer_key_prefix(round_id, reply_id)
    outbox_series.take_turns_under(session, workspace_id=workspace_id, key_prefixes=[prefix])
    answers = outbox.not_given_up(session, key_prefix=prefix)
    if any(not key.endswith(NOT_DELIVERED) for key in answers):
        raise AlreadyDone(ANSWERED)


RELAY_LOCKS = -6
"""The lock space of pulse relays in `rows.take_turns`, keyed by round (people -1, policy changes -2, messages -3,
installations' renewals -4, suggestion numbers -5)."""


def hold_relays(session: Session, round_ids: Iterable[int]) -> None:
    """Until the caller commits, a reply or an answer to these rounds' comments and the end of their relays take turns.

    An advisory lock, not a row lock: on PostgreSQL locking the relay's row stamps it with the locking transaction
    (`xmax`), which would tell a reader of the database when the comment's author answered, or only opened the form.
    """
    rows.take_turns(session, RELAY_LOCKS, round_ids)
