"""How long a message sent (or given up) stays in the outbox. Callers commit.

Every message Latitude sends stays a row of the outbox under its idempotency key, with what it said (a fix's
customer and summary, a reward's reason, a manager's whole digest). Most rows keep a purpose after the send: a
request's copies are updated when it is decided, a suggestion's posts when its status changes, and numbered series
(`count_under`) must not start again at a number still in use. The messages below have none once a few weeks have
passed: each is queued once, under a key no later change queues again, and no later change reads or updates it. They
are deleted once `KEPT` old, so that a year of fixes and digests does not pile up in the database: a form's
confirmation, a nomination's receipt, a reward's DM to its recipient, a Home Slack rate-limited, and a manager's
weekly digest with its chart (a decision clicked in a digest older than that is made all the same; only that digest
is no longer redrawn).
"""

from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, select

from models import Delivery
from services.outbox_keys import HOME, UNDER_PREFIX, prefix_bounds

KEPT = timedelta(days=35)
"""Longer than a week's digest can be clicked in usefully (a request waits two reminders' time, then goes up), and
than a message can wait in the outbox while the app is uninstalled and installed again."""
FORGET_BATCH = 5_000
ONE_SHOT_PREFIXES = ("resolution-logged:", "reward-receipt:", "reward-dm:", "digest:", "digest-chart:", HOME)
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
