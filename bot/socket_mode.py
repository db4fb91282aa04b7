"""Socket Mode: the app opens a WebSocket to Slack with its app-level token (no public URL needed)."""

import logging

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.stopping import done_within


def socket_mode_handler(app: App, app_token: str, *, concurrency: int) -> SocketModeHandler:
    """Bolt's handler on slack_sdk's built-in WebSocket client; `start()` blocks, `connect()` does not.

    It reaches Slack through the app's client, so SLACK_API_URL applies to `apps.connections.open` too. Each of
    its `concurrency` workers holds one request until Bolt acks it: as many as the listener threads, or a burst
    held up by the database would wait for a free worker before its holding answer's clock even starts.
    """
    return SocketModeHandler(app, app_token, concurrency=concurrency)  # type: ignore[no-untyped-call]


log = logging.getLogger(__name__)


def finish(handler: SocketModeHandler, *, grace: float) -> bool:
    """Stop as asked: requests from now on are left unacknowledged (Slack sends them again, to the next
    process), the ones in hand are answered over the connection still open (for `grace` seconds at most),
    and only then it is closed. Whether every request in hand was answered."""
    client = handler.client
    client.socket_mode_request_listeners.clear()
    answered = done_within(grace, lambda: client.message_workers.shutdown(wait=True))
    if not answered:
        log.warning("stopping with requests still unanswered after %g s: Slack will send them again", grace)
    handler.close()  # type: ignore[no-untyped-call]
    return answered
