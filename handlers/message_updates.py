"""Changing a message Latitude sent, in every copy of it: now, or later through the outbox when Slack cannot just now.

A channel Slack keeps closed to changes is told to HR as a refused post is (handlers/channel_refusals.py).
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session

from handlers import channel_refusals
from handlers.blocks.channel_refusals import ChannelUse
from handlers.delivery import send_now
from handlers.delivery_refusals import TOKEN_REFUSED, TRANSIENT_ERRORS
from handlers.deps import Deps
from handlers.slack_answers import retry_after_seconds, slack_says
from models import Workspace
from services import outbox, outbox_series

log = logging.getLogger(__name__)

GONE = ("message_not_found", "cant_update_message")
UPDATED_SINCE = "updated since"
"""Why an update still queued of a message was given up: a newer one was made, or queued in its place."""
CHANNEL_CLOSED = ("channel_not_found", "is_inactive", "not_in_channel", "is_archived")
"""chat.update in a channel the app can no longer see (it was removed from a private one, or the channel deleted),
or an archived one (https://api.slack.com/methods/chat.update#errors): the message stays as it was."""


def update_each(
    deps: Deps,
    client: WebClient,
    workspace_id: int,
    messages: list[tuple[str, str]],
    *,
    channel_use: ChannelUse = "messages",
    queued_dropped: bool = False,
    **content: Any,
) -> None:
    """Show the same content in every copy of a message (every decider's request, every HR person's grant, a
    suggestion's channel post), each copy on its own. One Slack no longer has (deleted, past the workspace's
    retention) or will not change (its channel archived, or closed to the app: HR hears of it, as of a refused post)
    is skipped; one Slack could not change just now (a rate limit, an outage, no answer in time, a token it refused)
    is queued in the outbox, which updates it once Slack is back, or with a token that works, or drops it once the
    uninstall is heard (an update is harmless to repeat). The person who acted is not told
    of an error: what they did is done. `channel_use`: what these messages are where they sit in a channel, as HR is
    told when Slack will not change one there. `queued_dropped`: the caller dropped the updates still queued of these
    copies in the transaction of the change (`drop_queued_updates`), so nothing is written here unless a copy could not
    be changed now or its channel is closed to changes."""
    copies = list(dict.fromkeys((channel, ts) for channel, ts in messages if channel and ts))
    closed: list[channel_refusals.Refusal] = []
    later = {
        (channel, ts): wait
        for channel, ts in copies
        if (wait := _update_one(client, channel, ts, content, closed, (workspace_id, channel_use))) is not None
    }
    if copies and (later or closed or not queued_dropped):
        with deps.sessions.begin() as session:
            queue_updates(session, workspace_id, copies, later, content, now=deps.now(), channel_use=channel_use)
            notices = channel_refusals.hold(
                session, channel_refusals.notices_of(session, closed, deps.now()), now=deps.now()
            )
        send_now(deps, client, notices)


def _update_one(
    client: WebClient,
    channel: str,
    ts: str,
    content: dict[str, Any],
    closed: list[channel_refusals.Refusal],
    whose: tuple[int, ChannelUse],
) -> float | None:
    """None once the copy shows the content, or never will (a channel closed to changes is added to `closed`); else
    how long to wait before the outbox tries again."""
    try:
        client.chat_update(channel=channel, ts=ts, **content)
    except SlackApiError as error:
        code = str(error.response.get("error"))
        workspace_id, use_said = whose
        if code in CHANNEL_CLOSED and (use := channel_refusals.updated_use(channel, use_said)) is not None:
            closed.append(channel_refusals.Refusal(workspace_id, use, channel, code, "update"))
        return _update_refused(channel, error)
    except (OSError, SlackClientError) as error:
        log.warning("a message in %s was not updated now (%s): it will be later", channel, type(error).__name__)
        return 0.0
    return None


def _update_refused(channel: str, error: SlackApiError) -> float | None:
    response = error.response
    code = response.get("error")
    if response.status_code == 429:
        log.warning("a message in %s was not updated now (rate limited): it will be later", channel)
        return retry_after_seconds(response)
    if response.status_code >= 500 or code in TRANSIENT_ERRORS or code in TOKEN_REFUSED:
        log.warning("a message in %s was not updated now (%s): it will be later", channel, code)
        return 0.0
    if code in CHANNEL_CLOSED:
        log.warning("a message in %s was not updated: Slack keeps the channel closed to changes (%s)", channel, code)
    elif code in GONE:
        log.info("a copy in %s was not updated: Slack has it no more (%s)", channel, code)
    else:
        log.error(
            "a message in %s was not updated: Slack refused it for good (%s)%s", channel, code, slack_says(response)
        )
    return None


def updates_prefix(channel: str, ts: str) -> str:
    """The key prefix of the updates queued of one message."""
    return f"update:{channel}:{ts}:"


def drop_queued_updates(
    session: Session, workspace_id: int, copies: list[tuple[str, str]], *, reason: str
) -> list[str]:
    """Never send the updates of these messages still queued, taking turns with any other change of them (two at once
    never number an update alike); the key prefix of each message's updates."""
    prefixes = [updates_prefix(channel, ts) for channel, ts in copies]
    outbox_series.take_turns_under(session, workspace_id=workspace_id, key_prefixes=prefixes)
    for prefix in prefixes:
        outbox.give_up_pending(session, key_prefix=prefix, reason=reason)
    return prefixes


def queue_updates(
    session: Session,
    workspace_id: int,
    copies: list[tuple[str, str]],
    later: dict[tuple[str, str], float],
    content: dict[str, Any],
    *,
    now: datetime,
    channel_use: ChannelUse = "messages",
) -> None:
    """Queue the updates Slack could not make now; an update of the same copy still queued from before is dropped
    either way, so that it never replaces this newer content once Slack is back. Two changes of a copy at once
    take turns here: the later one numbers its update after the first's and drops it."""
    prefixes = drop_queued_updates(session, workspace_id, copies, reason=UPDATED_SINCE)
    for (channel, ts), prefix in zip(copies, prefixes, strict=True):
        if (channel, ts) in later:
            key = f"{prefix}{outbox_series.count_under(session, key_prefix=prefix) + 1}"
            payload = {"channel": channel, "ts": ts, **content, channel_refusals.USE_NOTE: channel_use}
            outbox.enqueue(
                session,
                workspace=session.get_one(Workspace, workspace_id),
                key=key,
                method="chat.update",
                payload=payload,
                now=now,
                send_at=now + timedelta(seconds=later[(channel, ts)]),
            )
