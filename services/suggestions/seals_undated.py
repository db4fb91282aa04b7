"""Seals an earlier release dated, sealed again without their moment when the bot starts.

A Fernet token's moment is readable without the key, and an anonymous idea's row is dated to its release on purpose,
a random while after it was sent: a dated seal would tell a reader of the database when it really was. Seals live in
an idea's `author_seal` and, copied, in the outbox: a status DM to its author (kept as long as the idea, under a key
naming it), a relayed pulse message and its sealed sender, an anonymous error DM. Only the running bot can seal them
again (the key is not in the database). A dated seal no secret it holds opens (RELAY_SECRET changed without
RELAY_SECRET_PREVIOUS) is left as it is and counted: the old secret, given back as RELAY_SECRET_PREVIOUS, still opens
it and has it sealed again at the next start (erased, it would be lost for good). Only the places a seal is kept are
looked at: text someone typed that reads like one is never touched. Callers commit.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, Text, bindparam, cast, select, update
from sqlalchemy.orm import Session

from models import Delivery, Suggestion
from services.outbox_keys import RELAYED
from services.suggestions.relay import SEALED, Relay, is_dated


@dataclass
class Undated:
    """How many seals were sealed again, left dated (no secret held opens them), and rows left as they were
    (unreadable)."""

    resealed: int = 0
    unopened: int = 0
    skipped: int = 0


def undate_seals(session: Session, *, relay: Relay) -> Undated:
    """Seal again, undated, every dated seal in ideas and in the outbox. A row it cannot read is left and counted."""
    counts = Undated()
    ideas = select(Suggestion.id, Suggestion.author_seal).where(Suggestion.author_seal.is_not(None))
    _undate_rows(session, ideas.order_by(Suggestion.id), Suggestion.__table__, "author_seal", _undated, relay, counts)
    sealed = select(Delivery.id, Delivery.payload).where(cast(Delivery.payload, Text).contains(f'"{SEALED}'))
    _undate_rows(session, sealed.order_by(Delivery.id), Delivery.__table__, "payload", _payload_undated, relay, counts)
    return counts


def _undate_rows(
    session: Session,
    rows: Executable,
    table: Any,
    column: str,
    undated: Callable[[Relay, Any, Undated], Any],
    relay: Relay,
    counts: Undated,
) -> None:
    """Each row's value undated, written back with one UPDATE a row (a row deleted since it was read, a message
    forgotten or an idea purged, is simply not there)."""
    changed: list[dict[str, Any]] = []
    for row_id, value in session.execute(rows):
        try:
            new = undated(relay, value, counts)
        except ValueError:
            counts.skipped += 1
            continue
        if new != value:
            changed.append({"row": row_id, "new": new})
    if changed:
        statement = update(table).where(table.c.id == bindparam("row")).values({column: bindparam("new")})
        session.execute(statement, changed)


def _payload_undated(relay: Relay, payload: Any, counts: Undated) -> Any:
    """The payload with its seals undated: its recipient (`channel`) and a relayed message's sender, where seals are
    kept; the rest (a relayed message's text among it) is what someone typed."""
    if not isinstance(payload, dict):
        return payload
    new = {**payload, "channel": _undated(relay, payload.get("channel"), counts)} if "channel" in payload else payload
    note = payload.get(RELAYED)
    if isinstance(note, dict) and "sender" in note:
        new = {**new, RELAYED: {**note, "sender": _undated(relay, note["sender"], counts)}}
    return new


def _undated(relay: Relay, value: Any, counts: Undated) -> Any:
    """A dated seal sealed again; left as it is when nothing opens it, and anything else too."""
    if not isinstance(value, str) or not is_dated(value):
        return value
    new = relay.undated(value)
    if new is None:
        counts.unopened += 1
        return value
    counts.resealed += 1
    return new
