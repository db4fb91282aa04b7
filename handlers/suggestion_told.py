"""What a suggestion's author hears in a DM as it moves on (a new status, a new owner), queued with the change.

A named author hears at once. An anonymous author's DM waits a random 5 to 30 minutes (services/random_wait.py), as
the idea's release did: sent at the click, it would light up its author's phone while the owner watched, and
*Planned*, *Under review*, *Planned*... would do so on demand (a hand-over, at a moment HR sets by changing a
category's owner or importing the org, likewise). A change made while one still waits gives that one up, and the
news of the latest takes its moment: a quick run of changes reaches the author once, at a time none of them set, and
a status back at the one they were last told of sends nothing new, unless news of another may be reaching them (a
sender held it as it was given up: the latest follows it). Whether an author is told of *Done* by its "you said, we
did" DM is seen as the news is sent, never in what the outbox keeps (`told_otherwise`). Callers commit.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.blocks import suggestions as blocks
from handlers.delivery import Outgoing
from models import Employee, Suggestion, Workspace
from services import messages_tab, outbox, outbox_series, superseded
from services.outbox import Claimed, SendOutcome
from services.outbox_keys import OUR_OWN
from services.random_wait import relay_delay
from services.suggestions import author_news, lifecycle
from services.suggestions.relay import Relay

POST = "chat.postMessage"
FIRST_STATUS = "open"
"""The status an idea is sent with, which its author's "sent" DM told them of."""
UNLESS_TOLD_BY = f"{OUR_OWN}unless_told_by"
"""On an anonymous author's news of *Done*: the key, but for its reader, of the "you said, we did" DM each teammate
gets when the team has no channel (`told_otherwise`)."""
TOLD_OTHERWISE = SendOutcome(ok=True, result={})
"""Recorded as a DM with a sealed channel is once sent: with no result (handlers/delivery.py `send`)."""

status_key_prefix = author_news.status_key_prefix
moves_key_prefix = author_news.moves_key_prefix


def we_did_key(suggestion_id: int) -> str:
    """Of "you said, we did": in a channel, or followed by each teammate's id, by DM."""
    return f"suggestion:{suggestion_id}:we_did"


def status_news(
    session: Session, workspace: Workspace, suggestion: Suggestion, decider: Employee, *, now: datetime
) -> list[Outgoing]:
    """The author's DM of the status `suggestion` has now: returned, for the caller to send at once, to a named author;
    to an anonymous one queued here, waiting (none when they surely know it already, `unchanged`)."""
    prefix = status_key_prefix(suggestion.id)
    status = suggestion.status
    payload = {
        "channel": suggestion.author.slack_id if suggestion.author is not None else suggestion.author_seal,
        "text": blocks.to_the_author(
            suggestion, f"Your suggestion #{suggestion.number}: {lifecycle.STATUS_WORDS[status]}"
        ),
        "blocks": blocks.status_for_author(suggestion, decider.name),
    }
    if suggestion.anonymous and status == "done":  # every anonymous author's, "you said, we did" theirs or not
        payload[UNLESS_TOLD_BY] = f"{we_did_key(suggestion.id)}:"
    news = Outgoing(f"{prefix}{outbox_series.count_under(session, key_prefix=prefix) + 1}:{status}", POST, payload)
    if not suggestion.anonymous:
        return [news]
    waiting = superseded.give_up_waiting(session, key_prefix=prefix)
    if not unchanged(session, suggestion):
        _queue_due(session, workspace, news, waiting=waiting, now=now)
    return []


def unchanged(session: Session, suggestion: Suggestion) -> bool:
    """Whether the author surely knows the status it has now: the news they were last told of (the one it was sent
    with, before any) is of it, and no later news may be reaching them (one a sender took before it was given up)."""
    told = superseded.latest_told(session, key_prefix=status_key_prefix(suggestion.id))
    status = told.key.rsplit(":", 1)[1] if told.key is not None else FIRST_STATUS
    return told.surely and status == suggestion.status


def queue_waiting(
    session: Session, workspace: Workspace, news: Outgoing | None, *, key_prefix: str, now: datetime
) -> None:
    """Give up the news still waiting under `key_prefix` and queue `news` (if any) in its place."""
    waiting = superseded.give_up_waiting(session, key_prefix=key_prefix)
    if news is not None:
        _queue_due(session, workspace, news, waiting=waiting, now=now)


def _queue_due(
    session: Session, workspace: Workspace, news: Outgoing, *, waiting: datetime | None, now: datetime
) -> None:
    """Queue `news` due when the news given up in its place was (`waiting`; at the end of its lease if a sender held
    it), or after a random wait when none was waiting. Queued as of that moment: a sender taking it moves its next
    attempt off its creation, which tells the news that may have reached its reader (superseded.latest_told)."""
    send_at = waiting or now + relay_delay()
    outbox.enqueue(
        session,
        workspace=workspace,
        key=news.key,
        method=news.method,
        payload=news.payload,
        now=send_at,
        send_at=send_at,
    )


def told_otherwise(
    session: Session, relay: Relay | None, claimed: list[Claimed]
) -> tuple[list[Claimed], list[tuple[Claimed, SendOutcome]]]:
    """(to send, recorded sent unsent): an anonymous author's news of *Done* is not sent when "you said, we did" went
    to them as to each teammate, or goes (not given up): a second DM of theirs alone would single them out. Every
    anonymous author's news of it is queued, waits and is recorded sent alike, whether they were among the team told
    or not: what the outbox holds says nothing of it. Looked at as it is sent (it always waits, so the drain sends
    it), the seal opened then as it would be to send it; not where the Messages tab is marked off, where the DM tried
    must reach Slack to learn whether it is on again (handlers/messages_tab.py)."""
    noted = [delivery for delivery in claimed if delivery.payload.get(UNLESS_TOLD_BY)]
    if not noted or relay is None:
        return claimed, []
    off = messages_tab.off_among(session, workspace_ids={delivery.workspace_id for delivery in noted})
    told = {d.id: d for d in noted if d.workspace_id not in off and _told_by(session, relay, d)}
    return [d for d in claimed if d.id not in told], [(delivery, TOLD_OTHERWISE) for delivery in told.values()]


def _told_by(session: Session, relay: Relay, delivery: Claimed) -> bool:
    """The teammates' keys are read and the author's looked for among them here: the database is never asked about
    the author alone (a server logging its statements would pair the idea with them)."""
    reader = relay.open(str(delivery.payload.get("channel")))
    told = str(delivery.payload[UNLESS_TOLD_BY])
    return reader is not None and f"{told}{reader}" in outbox.not_given_up(session, key_prefix=told)
