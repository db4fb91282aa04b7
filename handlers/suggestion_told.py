"""What a suggestion's author hears in a DM as it moves on (a new status, a new owner), queued with the change.

A named author hears at once. An anonymous author's DM waits a random 5 to 30 minutes (services/random_wait.py), as
the idea's release did: sent at the click, it would light up its author's phone while the owner watched, and
*Planned*, *Under review*, *Planned*... would do so on demand (a hand-over, at a moment HR sets by changing a
category's owner or importing the org, likewise). A change made while one still waits gives that one up, and the
news of the latest takes its moment: a quick run of changes reaches the author once, at a time none of them set, and
a status back at the one they were last told of sends nothing new. Callers commit.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.blocks import suggestions as blocks
from handlers.delivery import Outgoing
from handlers.deps import Deps
from models import Employee, Suggestion, Workspace
from services import outbox, superseded
from services.random_wait import relay_delay
from services.suggestions import lifecycle

POST = "chat.postMessage"
FIRST_STATUS = "open"
"""The status an idea is sent with, which its author's "sent" DM told them of."""


def status_key_prefix(suggestion_id: int) -> str:
    return f"suggestion:{suggestion_id}:status:"


def moves_key_prefix(suggestion_id: int) -> str:
    """Of the DMs telling its author who it goes to now (handlers/handover.py)."""
    return f"suggestion:{suggestion_id}:told-moved:"


def status_news(
    session: Session,
    workspace: Workspace,
    suggestion: Suggestion,
    decider: Employee,
    *,
    told_otherwise: bool,
    now: datetime,
) -> list[Outgoing]:
    """The author's DM of the status `suggestion` has now: returned, for the caller to send at once, to a named author;
    to an anonymous one queued here, waiting (none when `told_otherwise`, or back at the status last told)."""
    prefix = status_key_prefix(suggestion.id)
    status = suggestion.status
    news = Outgoing(
        key=f"{prefix}{outbox.count_under(session, key_prefix=prefix) + 1}:{status}",
        method=POST,
        payload={
            "channel": suggestion.author.slack_id if suggestion.author is not None else suggestion.author_seal,
            "text": blocks.to_the_author(
                suggestion, f"Your suggestion #{suggestion.number}: {lifecycle.STATUS_WORDS[status]}"
            ),
            "blocks": blocks.status_for_author(suggestion, decider.name),
        },
    )
    if not suggestion.anonymous:
        return [news]
    unchanged = status == last_told(session, suggestion.id)
    queue_waiting(session, workspace, None if told_otherwise or unchanged else news, key_prefix=prefix, now=now)
    return []


def last_told(session: Session, suggestion_id: int) -> str:
    """The status the author was last sent news of (the one it was sent with, before any)."""
    key = superseded.latest_sent(session, key_prefix=status_key_prefix(suggestion_id))
    return key.rsplit(":", 1)[1] if key is not None else FIRST_STATUS


def queue_waiting(
    session: Session, workspace: Workspace, news: Outgoing | None, *, key_prefix: str, now: datetime
) -> None:
    """Give up the news still waiting under `key_prefix` and queue `news` (if any) in its place, due when it was, or
    after a random wait when none was waiting."""
    waiting = superseded.give_up_waiting(session, key_prefix=key_prefix)
    if news is None:
        return
    send_at = waiting or now + relay_delay()
    outbox.enqueue(
        session, workspace=workspace, key=news.key, method=news.method, payload=news.payload, now=now, send_at=send_at
    )


def told_by_we_did(deps: Deps, suggestion: Suggestion, fan_out: list[Outgoing]) -> bool:
    """Whether "you said, we did", sent by DM to each teammate, reaches an anonymous author among them: it tells them
    as it tells the others, and a second DM of theirs alone would single them out."""
    if not suggestion.anonymous or suggestion.author_seal is None or deps.relay is None:
        return False
    author = deps.relay.open(suggestion.author_seal)
    return author is not None and any(message.payload["channel"] == author for message in fan_out)
