"""How long a message sent (or given up) stays in the outbox. Callers commit.

Every message Latitude sends stays a row of the outbox under its idempotency key, with what it said (a fix's
customer and summary, a reward's reason, a manager's whole digest). Each kind of key is deleted under one of three
rules below, or kept for a reason written here; none grows for ever with what was said.

One-shots (`ONE_SHOT_PREFIXES`) are deleted once `KEPT` old: each is queued once, under a key no later change queues
again, and nothing reads or updates it after a few weeks. A form's confirmation, a nomination's receipt, a reward's
shout-out and DMs to its nominator and recipient (HR's copies excepted, below), what HR and a requester heard of a
request that never reached its decider, a Home Slack rate-limited or published again after a hand-over, a manager's
weekly digest with its chart and its redraws (a decision clicked in an older digest is made all the same; only that
digest is no longer redrawn; one Slack refused as a bot user's is remembered in the audit trail,
services/digest/unreachable.py), HR's notices
(someone left Slack, a round opened late, a channel refused a post that week, an org-wide install took a workspace
over or lost one, the Messages tab is on again, an org-file Slack id Slack has nobody of, that week of the finding),
an error DM, and the updates of a grant's copies settled from the
command line.

An item's messages serve while it waits and shortly after (`SETTLED_ITEMS`): a request's copies, reminders and
escalations until it is decided, a tangible reward's nomination's until it is, HR's copies of a grant until it is
fulfilled or revoked (either updates every copy, and a grant not fulfilled may be revoked however late), a boundary
proposal's DMs until it is applied or dismissed. Once settled for `KEPT`, nothing reads them again: a late click on an
old copy reads the item itself and says it was already decided (to one the item still names, or who is above its
requester, HR or an admin; one it was only sent to, which only these rows told, then hears what a stranger and a
missing id do: that they can't decide it, or it no longer exists, still true of it, services/request_viewers.py).
They all go then, with the updates of their copies
(`update:`, `settled:`), together in one transaction and only when none of them is still to be sent or younger than
`KEPT`: a numbered series is never left part-way, and none restarts at a number still in use. An older row settled
without saying when counts from when it was made. What still waits keeps its messages however old.

A copy's queued updates (`update:<channel>:<ts>:<n>`, handlers/message_updates.py) go all together once the newest is
`KEPT` old and none is still to be sent, whatever the copy: its message may be gone (a digest's), or still be updated
now and then, whose next update is numbered 1 again. An update owed to a message once it lands (`settled:<its id>`,
services/settled_updates.py) goes once `KEPT` old unless that message is still on its way.

Kept as long as the suggestion (the suggestions table keeps its text anyway, and they grow with ideas, not with
time): a suggestion's posts, owner's cards, status DMs and "you said, we did" DMs. A click to back an idea is matched
against its channel posts, an idea may change status again however late (done, then planned) and every post and card
shows it, and its DMs are numbered and sent once each by their keys. A hand-over summary counts down what it told
of however long that waits: it goes `KEPT` after the last of that is settled (services/summary_retention.py).
Elsewhere: a pulse round's invitations and relays go at its seal or when its relay ends (services/pulse), an
anonymous author's DMs within the hour (services/anonymous_dms.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, bindparam, delete, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from models import BoundaryProposal, Delivery, Nomination, Resolution, RewardGrant
from services import outbox_series, settled_updates
from services.messages_tab import TAB_ON_AGAIN
from services.outbox_keys import (
    DIGEST_REDRAW,
    HOME,
    HOME_AGAIN,
    REQUEST_UNREACHED,
    SLACK_ID_UNKNOWN_TOLD,
    UNDER_PREFIX,
    prefix_bounds,
)
from services.rewards.approvals import REQUEST_KEY

KEPT = timedelta(days=35)
"""Longer than a week's digest can be clicked in usefully (a request waits two reminders' time, then goes up), and
than a message can wait in the outbox while the app is uninstalled and installed again."""
FORGET_BATCH = 5_000
ONE_SHOT_PREFIXES = (
    "resolution-logged:",
    "reward-receipt:",
    "reward-dm:",
    "reward-approved:",
    "reward-declined:",
    "reward-fulfilled:",
    "reward-revoked:",
    "digest:",
    "digest-chart:",
    DIGEST_REDRAW,
    REQUEST_UNREACHED,
    HOME,
    HOME_AGAIN,
    "reward-shoutout:",
    "reward-hr-settled:",
    "left-slack:",
    "pulse-late:",
    "error-dm:",
    "channel-refused:",
    "taken_over_by_org_install:",
    "team_access_revoked:",
    TAB_ON_AGAIN,
    SLACK_ID_UNKNOWN_TOLD,
)
"""Keys of messages that nothing reads or updates once sent (see the module's docstring)."""

_OLD_ONE_SHOTS = select(Delivery.id).where(  # `!= pending`, not `IN (sent, failed)`: SQLite would read the status index
    *UNDER_PREFIX, Delivery.status != "pending", Delivery.created_at < bindparam("before")
)
_FORGET = delete(Delivery).where(Delivery.id.in_(_OLD_ONE_SHOTS.limit(bindparam("batch")).scalar_subquery()))


def forget_old_one_shots(connection: Connection, *, prefix: str, now: datetime, batch: int = FORGET_BATCH) -> int:
    """Delete up to `batch` messages under `prefix`, sent or given up more than `KEPT` ago; returns how many went
    (fewer: none are left). Each prefix is a range of the key's unique index: the rows read are the ones deleted and
    those younger than `KEPT`, however long the history."""
    result = connection.execute(_FORGET, {**prefix_bounds(prefix), "before": now - KEPT, "batch": batch})
    return int(result.rowcount or 0)


Settled = Resolution | Nomination | RewardGrant | BoundaryProposal


@dataclass(frozen=True)
class SettledKind:
    """A kind of item whose messages serve while it waits: where it keys them (`<prefix><id>`, and keys under
    `<prefix><id>:`), its table, its status while it waits, and when it was settled (an older row that never said
    when counts from its creation, and keeps its messages while any of them is younger than `KEPT`)."""

    prefix: str
    model: type[Settled]
    waiting: str
    settled_at: ColumnElement[datetime]


SETTLED_ITEMS = (
    SettledKind("resolution:", Resolution, "pending", func.coalesce(Resolution.decided_at, Resolution.created_at)),
    SettledKind(REQUEST_KEY, Nomination, "pending", func.coalesce(Nomination.decided_at, Nomination.created_at)),
    SettledKind(
        "reward-hr:",
        RewardGrant,
        "approved",
        func.coalesce(RewardGrant.fulfilled_at, RewardGrant.revoked_at, RewardGrant.granted_at),
    ),
    SettledKind(
        "proposal:",
        BoundaryProposal,
        "proposed",
        func.coalesce(BoundaryProposal.applied_at, BoundaryProposal.dismissed_at, BoundaryProposal.created_at),
    ),
)
"""A request's copies until it is decided, a tangible reward's nomination's until it is, HR's copies of a grant until
it is fulfilled or revoked, and a boundary proposal's until it is applied or dismissed (one only noted never waits)."""
SETTLED_PAGE = 500
"""Old messages looked at in one transaction: each item settled among them takes a few statements to delete."""
UPDATE_KEY = "update:"
"""A copy's updates queued for later (handlers/message_updates.py), keyed by the copy's channel and ts."""


@dataclass(frozen=True)
class Page:
    """How many messages of settled items went, and the key to go on after (None: none are left to look at)."""

    gone: int
    after: str | None


def old_keys_page(*columns: InstrumentedAttribute[Any]) -> Select[Any]:
    """`columns` of a page of keys under one prefix (`past_prefix`, `pattern`) made before `before`, past the key
    `after`, in the order of the key's unique index, `batch` at most: a walk through old keys page by page."""
    return (
        select(*columns)
        .where(
            Delivery.idempotency_key > bindparam("after"),
            Delivery.idempotency_key < bindparam("past_prefix"),
            Delivery.idempotency_key.like(bindparam("pattern"), escape="/"),
            Delivery.created_at < bindparam("before"),
        )
        .order_by(Delivery.idempotency_key)
        .limit(bindparam("batch"))
    )


# The rows read are those deleted, those of items still waiting (or settled lately), and those younger than `KEPT`.
_OLD_KEYS = old_keys_page(Delivery.idempotency_key)


def forget_settled_items(
    connection: Connection, *, kind: SettledKind, after: str, now: datetime, batch: int = SETTLED_PAGE
) -> Page:
    """Of up to `batch` messages under `kind.prefix` older than `KEPT` (past the key `after`), delete those of the
    items settled more than `KEPT` ago, with every other message of theirs."""
    before, prefix, model = now - KEPT, kind.prefix, kind.model
    bounds = {**prefix_bounds(prefix), "after": after or prefix, "before": before, "batch": batch}
    keys = list(connection.scalars(_OLD_KEYS, bounds))
    ids = {int(part) for key in keys if (part := key[len(prefix) :].split(":", 1)[0]).isascii() and part.isdigit()}
    settled = select(model.id).where(model.id.in_(ids), model.status != kind.waiting, kind.settled_at < before)
    gone = sum(_forget_item(connection, f"{prefix}{item_id}", before) for item_id in connection.scalars(settled))
    return Page(gone, keys[-1] if len(keys) == batch else None)


_ITEM_ROWS = select(Delivery.id, Delivery.status, Delivery.result, Delivery.created_at).where(
    or_(Delivery.idempotency_key == bindparam("key"), and_(*UNDER_PREFIX))
)
_UPDATE_ROWS = select(Delivery.id, Delivery.status, Delivery.created_at, Delivery.workspace_id).where(*UNDER_PREFIX)
_SETTLED_ROWS = select(Delivery.id, Delivery.status, Delivery.created_at).where(
    Delivery.idempotency_key.in_(bindparam("keys", expanding=True))
)
_FORGET_ROWS = delete(Delivery).where(Delivery.id.in_(bindparam("ids", expanding=True)), Delivery.status != "pending")


def _forget_item(connection: Connection, key: str, before: datetime) -> int:
    """Delete the messages under `key` and `key:`, their copies' updates and those owed to them once landed; none
    while one of them is still to be sent (a rate-limited update, say) or younger than `before`. Returns how many
    went."""
    own = connection.execute(_ITEM_ROWS, {"key": key, **prefix_bounds(f"{key}:")}).all()
    updates = [row for copy in _copies(own) for row in connection.execute(_UPDATE_ROWS, prefix_bounds(copy)).all()]
    owed = [settled_updates.key_of(row.id) for row in own]
    held = connection.execute(_SETTLED_ROWS, {"keys": owed}).all() if owed else []
    return _forget_all(connection, [*own, *updates, *held], before)


def _forget_all(connection: Connection, rows: Sequence[Any], before: datetime) -> int:
    """Delete `rows` together, or none of them while one is still to be sent or younger than `before`: a numbered
    series (`count_under`) is never left part-way, so none restarts at a number still in use."""
    if not rows or any(row.status == "pending" or row.created_at >= before for row in rows):
        return 0
    return int(connection.execute(_FORGET_ROWS, {"ids": [row.id for row in rows]}).rowcount or 0)


def _copies(rows: Sequence[Any]) -> list[str]:
    """The prefix of the updates queued for each message sent among `rows`."""
    landed = [row.result for row in rows if row.status == "sent" and row.result and "ts" in row.result]
    return list(dict.fromkeys(f"{UPDATE_KEY}{result['channel']}:{result['ts']}:" for result in landed))


def forget_old_updates(session: Session, *, after: str, now: datetime, batch: int = SETTLED_PAGE) -> Page:
    """Of up to `batch` queued updates older than `KEPT` (past the key `after`), delete every update of each copy
    whose updates are all older than that and sent or given up: the copy of a message forgotten already (a digest),
    or one still updated now and then (a suggestion's post), whose next update is numbered 1 again. Taking turns with
    whoever queues an update of the same copy (handlers/message_updates.py), so that none is numbered as one kept."""
    before, connection = now - KEPT, session.connection()
    bounds = {**prefix_bounds(UPDATE_KEY), "after": after or UPDATE_KEY, "before": before, "batch": batch}
    keys = list(connection.scalars(_OLD_KEYS, bounds))
    gone = sum(_forget_copy_updates(session, copy, before) for copy in dict.fromkeys(_copy_of(key) for key in keys))
    return Page(gone, keys[-1] if len(keys) == batch else None)


def _copy_of(update_key: str) -> str:
    """`update:<channel>:<ts>:` of `update:<channel>:<ts>:<number>`."""
    return update_key.rsplit(":", 1)[0] + ":"


def _forget_copy_updates(session: Session, copy: str, before: datetime) -> int:
    rows = session.connection().execute(_UPDATE_ROWS, prefix_bounds(copy)).all()
    if not rows:
        return 0
    if not outbox_series.take_turns_under(session, workspace_id=rows[0].workspace_id, key_prefixes=[copy], wait=False):
        return 0  # being updated now: waiting, holding the page's other copies, could deadlock; next hour will do
    return _forget_all(
        session.connection(), session.connection().execute(_UPDATE_ROWS, prefix_bounds(copy)).all(), before
    )


# Whether each is pending is checked here, not in SQL, where SQLite would rather read the status index.
_STATUSES = select(Delivery.id, Delivery.status).where(Delivery.id.in_(bindparam("ids", expanding=True)))
_FORGET_KEYS = delete(Delivery).where(
    Delivery.idempotency_key.in_(bindparam("keys", expanding=True)), Delivery.status != "pending"
)


def forget_old_owed_updates(session: Session, *, after: str, now: datetime, batch: int = SETTLED_PAGE) -> Page:
    """Of up to `batch` updates owed to a message once it lands (`settled:<its id>`) older than `KEPT` (past the key
    `after`), delete those whose message is no longer on its way: it landed (and woke its update) or never will."""
    connection, prefix = session.connection(), settled_updates.KEY_PREFIX
    bounds = {**prefix_bounds(prefix), "after": after or prefix, "before": now - KEPT, "batch": batch}
    keys = list(connection.scalars(_OLD_KEYS, bounds))
    owed = {int(part): key for key in keys if (part := key[len(prefix) :]).isascii() and part.isdigit()}
    statuses = connection.execute(_STATUSES, {"ids": list(owed)}).all() if owed else []
    waiting = {row.id for row in statuses if row.status == "pending"}
    done = [key for message_id, key in owed.items() if message_id not in waiting]
    gone = int(connection.execute(_FORGET_KEYS, {"keys": done}).rowcount or 0) if done else 0
    return Page(gone, keys[-1] if len(keys) == batch else None)
