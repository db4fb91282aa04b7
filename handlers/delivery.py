"""The one way a message reaches someone other than the caller: queued with the change, sent after the commit.

1. A listener (or a tick) writes each message it causes to the outbox under an idempotency key, in
   the same transaction as the state change that causes it: the message exists exactly when the
   change does, and a retried click or a rerun queues nothing twice.
2. Right after the commit, a listener sends its own few messages with `send_now` (they are held for
   one lease, so nobody else sends them meanwhile) and records how each went.
3. Whatever is left (a fan-out queued for the background sender, a rate limit, an outage, a crash
   between the commit and the send) is sent by the scheduled `drain_outbox` job; a listener never
   drains the outbox itself.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session

from handlers import channel_refusals, digest_chart, messages_tab, notifications, unknown_ids
from handlers.delivery_refusals import TOKEN_RETRY_SECONDS, TOKEN_UNAVAILABLE, logged_key, refused
from handlers.deps import Deps, InstallGone
from handlers.derived_clients import with_token
from handlers.home_reader_asks import ReaderAsks
from models import Workspace
from models.engine import once_more_if_cut
from services import outbox, workspaces
from services.outbox import Claimed, SendOutcome
from services.outbox_keys import OUR_OWN
from services.suggestions.relay import Relay, is_sealed
from services.unknown_ids import Marked

log = logging.getLogger(__name__)

INSTALL_GONE = frozenset({"token_revoked", "account_inactive"})
"""What `auth.test` answers with the token of a workspace that uninstalled the app (or was deleted)."""
UNANNOUNCED = "token_revoked_unannounced"
NOT_INSTALLED = "not_installed"


@dataclass(frozen=True)
class Outgoing:
    key: str
    method: str
    payload: dict[str, Any]


def queue(session: Session, *, workspace_id: int, messages: list[Outgoing], now: datetime) -> list[Claimed]:
    """Write the messages in the caller's transaction (one INSERT), held for `send_now` (a key already queued is
    skipped).

    While Slack migrates the workspace into a Grid org it asks apps not to call its API: the messages are queued
    for the scheduled drain instead, which sends them once the migration is done."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is not None and workspace.migrating_since is not None:
        for message in messages:
            outbox.enqueue(
                session, workspace=workspace, key=message.key, method=message.method, payload=message.payload, now=now
            )
        return []
    held = [(message.key, message.method, message.payload) for message in messages]
    return outbox.enqueue_all_held(session, workspace_id=workspace_id, messages=held, now=now)


def send_now(
    deps: Deps, client: WebClient, claimed: list[Claimed], *, marked: Marked | None = None
) -> list[tuple[Claimed, SendOutcome]]:
    """Send queued messages after the commit, record how each went in one transaction, and return how; then send the
    updates owed to messages settled meanwhile (services/settled_updates.py) and the notices of a refusal (DMs).
    DMs to an id marked as Slack's nobody are withheld, as the drain does: `marked`, when the caller just read them."""
    if not claimed:
        return []
    sent_from = deps.now()
    claimed, unknown = unknown_ids.withhold_in(deps.sessions, claimed, marked)
    claimed, kept = messages_tab.withhold_in(deps.sessions, claimed, now=sent_from)
    readers = ReaderAsks(deps.pacer, own=partial(client_for, deps))
    outcomes = unknown + kept + [(delivery, send(client, delivery, deps.relay, readers)) for delivery in claimed]
    readers.log_not_asked()
    owed, notices = once_more_if_cut(partial(_recorded, deps, outcomes, sent_from))
    send_now(deps, client, [*owed, *notices])
    return outcomes


def _recorded(
    deps: Deps, outcomes: list[tuple[Claimed, SendOutcome]], sent_from: datetime
) -> tuple[list[Claimed], list[Claimed]]:
    """Record what Slack answered (once more on a fresh connection if the database restarted meanwhile, which would
    leave the messages leased, to go out again when the lease ends): the updates owed, the notices queued."""
    with deps.sessions.begin() as session:
        owed = outbox.record_outcomes(session, outcomes=outcomes, now=deps.now())
        messages_tab.learn(session, outcomes, now=deps.now(), sent_from=sent_from)
        return owed, channel_refusals.queue_held(session, outcomes, now=deps.now())


def client_for(deps: Deps, client: WebClient, workspace_id: int) -> WebClient | None:
    """A client with the workspace's own token (the same client with one workspace); None once it is uninstalled."""
    if deps.tokens is None:
        return client
    token = deps.tokens.token_for(workspace_id)
    if token is None:
        return None
    if token == client.token:
        return client
    return with_token(client, token)


def send_for_workspace(
    deps: Deps, client: WebClient, delivery: Claimed, readers: ReaderAsks | None = None
) -> SendOutcome:
    """Send with the token of the workspace the delivery belongs to; dropped if the app is no longer there,
    tried again later if its token could not be renewed (only that workspace's messages wait). `readers`: the drain's
    asks of Slack of a refused Home's person (handlers/home_reader_asks.py)."""
    try:
        own = client_for(deps, client, delivery.workspace_id)
    except InstallGone as gone:  # its token expired and Slack refuses its refresh token: nothing was sent to refuse
        stop_unannounced(deps, delivery.workspace_id, refused_renewal(gone))
        return SendOutcome(ok=False, error=NOT_INSTALLED, permanent=True)
    except (SlackClientError, OSError) as error:
        log.warning("delivery %s: no token for its workspace now (%s)", logged_key(delivery), type(error).__name__)
        return SendOutcome(ok=False, error=TOKEN_UNAVAILABLE, retry_after=TOKEN_RETRY_SECONDS)
    if own is None:
        log.info("delivery %s: the app is not installed in its workspace any more, dropped", logged_key(delivery))
        return SendOutcome(ok=False, error=NOT_INSTALLED, permanent=True)
    outcome = send(own, delivery, deps.relay, readers)
    if outcome.error != TOKEN_UNAVAILABLE:
        return outcome
    if deps.tokens is not None:  # perhaps a reinstall another process saw
        deps.tokens.forget(delivery.workspace_id)
        if _token_changed(deps, delivery, own):
            return send_for_workspace(deps, client, delivery, readers)
    if _installed(deps, delivery.workspace_id) and not _install_gone(own):
        return outcome
    stop_unannounced(deps, delivery.workspace_id)  # unless the uninstall was heard while this was being sent
    return SendOutcome(ok=False, error=NOT_INSTALLED, permanent=True)


def refused_renewal(gone: InstallGone) -> str:
    return f" (its refresh token refused: {gone.api_error.response.get('error')})"


def _installed(deps: Deps, workspace_id: int) -> bool:
    with deps.sessions() as session:
        workspace = session.get(Workspace, workspace_id)
        return workspace is not None and workspace.installed


def _install_gone(client: WebClient) -> bool:
    """Slack says the workspace's current token is revoked for good (`auth.test`): the app was uninstalled there.

    Slack retries an event for a few minutes only, so an uninstall while the bot was down is never told; without
    this, that workspace's messages would wait for a new token forever and its data never become purgeable.
    """
    try:
        client.auth_test()
    except SlackApiError as error:
        return error.response.get("error") in INSTALL_GONE
    except (SlackClientError, OSError):
        return False
    return False


def stop_unannounced(deps: Deps, workspace_id: int, why: str = "") -> None:
    """Stop the workspace as uninstalled, Slack having said nothing of it; `why` ends the log line."""
    with deps.sessions.begin() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None or not workspace.installed:
            return
        dropped = workspaces.record_uninstall(session, workspace=workspace, now=deps.now(), reason=UNANNOUNCED)
        key = workspace.slack_team_id
    if deps.tokens is not None:
        deps.tokens.forget(workspace_id)
    log.warning(
        "Slack revoked the token of %s with no word of it: stopped as uninstalled, %d dropped%s", key, dropped, why
    )


def _token_changed(deps: Deps, delivery: Claimed, used: WebClient) -> bool:
    assert deps.tokens is not None
    try:
        return deps.tokens.token_for(delivery.workspace_id) not in (None, used.token)
    except (SlackClientError, OSError):
        return False


def send(
    client: WebClient, delivery: Claimed, relay: Relay | None = None, readers: ReaderAsks | None = None
) -> SendOutcome:
    """One Slack call for one delivery; a failure becomes an outcome (retry later, or give up), never an exception.

    A sealed channel (an anonymous author's DM) is opened only here, and its channel is not kept in the result.
    """
    payload = {key: value for key, value in delivery.payload.items() if not key.startswith(OUR_OWN)}
    sealed = is_sealed(payload.get("channel"))
    if sealed:
        channel = relay.open(str(payload["channel"])) if relay is not None else None
        if channel is None:
            return SendOutcome(ok=False, error="relay_cannot_open", permanent=True)
        payload = {**payload, "channel": channel}
    try:
        if delivery.method == digest_chart.UPLOAD:
            digest_chart.upload_chart(client, payload)
            return SendOutcome(ok=True, result={})
        response = client.api_call(delivery.method, json=notifications.as_notified(payload))
    except SlackApiError as error:
        return refused(client, delivery, error, sealed=sealed, readers=readers)
    except (OSError, SlackClientError) as error:
        log.warning("delivery %s: Slack %s unreachable: %s", logged_key(delivery), delivery.method, error)
        return SendOutcome(ok=False, error="connection_error")
    data = response.data if isinstance(response.data, dict) else {}
    return SendOutcome(ok=True, result={} if sealed else {key: data[key] for key in ("channel", "ts") if key in data})
