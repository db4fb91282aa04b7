"""Finding outbox messages by the start of their idempotency key (a request and its reminders, a round's invitations).

Every key starting with a prefix sorts between the prefix and the prefix followed by the last code point, so the
key's unique index serves the range (a LIKE alone reads every delivery ever made); the LIKE keeps the answer exact
whatever the collation.
"""

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, and_, bindparam, exists, or_, select
from sqlalchemy.orm import Session

from models import Delivery
from services.rows import insert_of

PAST_EVERY_CHARACTER = "\U0010ffff"


def between(
    prefix: str | BindParameter[str], past_prefix: str | BindParameter[str], pattern: str | BindParameter[str]
) -> tuple[ColumnElement[bool], ...]:
    """The keys from `prefix` up to `past_prefix` that match `pattern` (see `prefix_bounds`)."""
    key = Delivery.idempotency_key
    return key >= prefix, key < past_prefix, key.like(pattern, escape="/")


UNDER_PREFIX = between(bindparam("prefix"), bindparam("past_prefix"), bindparam("pattern"))


HOME = "home:"
"""A person's App Home that Slack rate-limited, published once it allows (handlers/home.py)."""


HOME_AGAIN = "home-again:"
"""A person's App Home published again after a hand-over took items from them or gave them some, rendered as it is
sent (handlers/home_again.py); apart from `HOME`, which a round's seal forgets."""


def home_key_prefix(slack_team_id: str, user_id: str = "") -> str:
    """Of the Homes queued in a workspace, or of one person's there."""
    return f"{HOME}{slack_team_id}:{user_id + ':' if user_id else ''}"


def home_again_key_prefix(slack_team_id: str, user_id: str = "") -> str:
    """Of the Homes queued to be published again in a workspace, or of one person's there."""
    return f"{HOME_AGAIN}{slack_team_id}:{user_id + ':' if user_id else ''}"


FORGOTTEN = ("pulse:", "pulse-reminder:", "pulse-anonymous:", "anonymous-dm:", "pulse-relay:", HOME)
"""Keys of messages deleted, sent or not, once their purpose ends, so as not to keep who was told what: a pulse
round's invitations and reminders (who was reminded had not answered), its anonymous DMs and the Homes still saying
questions wait, at its seal; its relayed replies and answers when its replies end; an anonymous idea's author's DMs
within the hour. Each takes a random id below zero (services/unordered_ids.py), never one counted up: a deleted row
would leave a gap in the ids of the messages kept around it, which would date it and count how many went (those not
yet answered, of the people of one time zone reminded together). Nor do their keys reach the log whole
(`logged_prefix`)."""


def forgotten(key: str) -> bool:
    """Whether a message under `key` is one deleted once its purpose ends (`FORGOTTEN`)."""
    return key.startswith(FORGOTTEN)


def logged_prefix(key: str) -> str:
    """What the log may say of a key in `FORGOTTEN`: its kind and workspace (or round), not whom or what it was for."""
    kind, _, rest = key.partition(":")
    return f"{kind}:{rest.partition(':')[0]}:…"


DIGEST_REDRAW = "digest-redraw:"
"""A weekly digest's redraw, drawn as it is sent (handlers/digest_redraws.py): `digest-redraw:<digest key>:<when>`."""

OUR_OWN = "latitude_"
"""A payload key starting so is Latitude's own note on the message (handlers/pulse_relay_outbox.py): never sent."""
RELAYED = f"{OUR_OWN}relayed"
"""A relayed pulse message's note of what was relayed (`kind`: reply or answer), by whom (sealed), and its text."""
HANDOVER_SUMMARY = "handover-summary:"
"""One DM telling a person of the many requests or nominations handed to them at once (handlers/handover_summary.py)."""
WITHHELD_SUMMARY = "withheld-summary:"
"""One DM telling a person whose marked id Slack turned out to know of the many requests or nominations withheld
from them that still wait on them (handlers/withheld_summary.py)."""
IN_SUMMARY_OF = f"{OUR_OWN}summary"
"""On a request's or nomination's hand-over DM written unsent (`IN_SUMMARY`): the key of the summary told instead."""
REQUEST_UNREACHED = "request-unreached:"
"""What HR and a requester hear of a decision request Slack would not deliver to its decider: one-shot, kept no longer
than any other (services/outbox_retention)."""
SLACK_ID_UNKNOWN_TOLD = "slack-id-unknown:"
"""What HR hear, once a week, of the org-file Slack ids Slack has nobody of (handlers/unknown_ids.py): one-shot."""
SUMMARY_TOLD_NOTES = {"resolution": f"{OUR_OWN}requests", "nomination": f"{OUR_OWN}nominations"}
"""On a hand-over summary: the ids of the requests, and of the nominations, it told of, to say how many still wait as
they are decided (handlers/handover_summary.py), and how many a summary Slack refused covered
(handlers/request_refusals.py)."""


def prefix_bounds(key_prefix: str) -> dict[str, str]:
    """The parameters of `UNDER_PREFIX` for keys starting with `key_prefix`."""
    pattern = key_prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
    return {"prefix": key_prefix, "past_prefix": key_prefix + PAST_EVERY_CHARACTER, "pattern": pattern}


ASKER_TOLD = (":told-moved:", ":escalation-told:")
"""Under a request's or nomination's key, its asker's DMs saying where it went: theirs, not copies of the request,
so a decision or a later hand-over updating the copies leaves them as they are (keys of every release so far)."""
NOT_ASKER_TOLD = tuple(Delivery.idempotency_key.not_like(f"%{mark}%") for mark in ASKER_TOLD)


IN_SUMMARY = "told in a summary of the requests or nominations handed over at once"
"""The `last_error` of a request's or nomination's hand-over DM written unsent (services/unsent.py): more were handed
to one person at once, and one summary told them of all (handlers/handover_summary.py)."""


def reachable_recipients(session: Session, *, key_prefix: str, summarised: bool = False) -> list[str]:
    """Whom the messages under `key_prefix` went to (their channel), but for those Slack refused for good.
    `summarised`: and those written unsent because another message told them (`told`)."""
    found = session.scalars(select(Delivery).where(*UNDER_PREFIX), prefix_bounds(key_prefix))
    return [
        str(d.payload.get("channel"))
        for d in found
        if (told(d) if summarised else d.status != "failed") and d.payload.get("channel")
    ]


def told(delivery: Delivery) -> bool:
    """Sent, or written unsent because a hand-over summary told of it instead (`IN_SUMMARY`); not refused for good by
    Slack, nor given up before it was sent."""
    return delivery.status != "failed" or delivery.last_error == IN_SUMMARY


WAITING_CHUNK = 200
"""Prefixes looked up per statement by `waiting_untaken`, so that an import touching a thousand people stays a few
statements of bounded size."""


def waiting_untaken(session: Session, *, key_prefixes: list[str]) -> list[str]:
    """The keys under any of `key_prefixes` of messages waiting that no sender ever took, locked until the caller
    commits so that none is taken before what the caller writes can be read. One a sender holds (or held, its lease
    run out mid-send) is not counted: it may be rendered already. Rows another transaction locks are skipped, counted
    as not waiting: at worst one message more, never a wait or a deadlock."""
    found: list[str] = []
    for start in range(0, len(key_prefixes), WAITING_CHUNK):
        chunk = key_prefixes[start : start + WAITING_CHUNK]
        bounds = (prefix_bounds(prefix).items() for prefix in chunk)
        values = {f"{name}_{n}": value for n, named in enumerate(bounds) for name, value in named}
        found.extend(session.scalars(_waiting_under(len(chunk)), values))
    return found


@cache
def _waiting_under(prefixes: int) -> Select[str]:
    """`waiting_untaken`'s statement for so many prefixes, built once for each count (a decision looks up one or two
    people's Homes: building a statement costs more than running it)."""
    under_any = [
        and_(*between(bindparam(f"prefix_{n}"), bindparam(f"past_prefix_{n}"), bindparam(f"pattern_{n}")))
        for n in range(prefixes)
    ]
    return (
        select(Delivery.idempotency_key)
        .where(or_(*under_any), Delivery.status == "pending", Delivery.next_attempt_at == Delivery.created_at)
        .with_for_update(skip_locked=True)
    )


def enqueue_unless_waiting(
    session: Session,
    *,
    workspace_id: int,
    key: str,
    key_prefix: str,
    method: str,
    payload: dict[str, Any],
    now: datetime,
) -> bool:
    """Add a delivery for the scheduled drain, due now, in one statement, unless a message waits untaken under
    `key_prefix` (as `waiting_untaken` finds and locks it) or one with this key exists: True when it was added."""
    statement = _enqueue_unless_waiting(session.get_bind().dialect.name)
    row = {"workspace_id": workspace_id, "key": key, "method": method, "payload": payload, "now": now}
    return session.connection().scalar(statement, {**row, **prefix_bounds(key_prefix)}) is not None


@cache
def _enqueue_unless_waiting(dialect: str) -> Any:
    """INSERT ... SELECT the row WHERE NOT EXISTS a message waiting, ON CONFLICT DO NOTHING RETURNING id. Where one
    waits, nothing is added and the caller's `waiting_untaken` finds and locks it, so that no sender takes it before
    what the caller writes can be read."""
    waiting = select(Delivery.id).where(*UNDER_PREFIX, Delivery.status == "pending")
    waiting = waiting.where(Delivery.next_attempt_at == Delivery.created_at)
    now = bindparam("now", type_=Delivery.created_at.type)
    values = select(
        bindparam("workspace_id", type_=Delivery.workspace_id.type),
        bindparam("key", type_=Delivery.idempotency_key.type),
        bindparam("method", type_=Delivery.method.type),
        bindparam("payload", type_=Delivery.payload.type),
        bindparam("status", "pending", type_=Delivery.status.type),
        bindparam("attempts", 0, type_=Delivery.attempts.type),
        now,
        now,
    ).where(~exists(waiting))
    columns = ["workspace_id", "idempotency_key", "method", "payload", "status", "attempts", "next_attempt_at"]
    insert = insert_of(dialect, Delivery).from_select([*columns, "created_at"], values)
    return insert.on_conflict_do_nothing().returning(Delivery.id)
