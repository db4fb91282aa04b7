"""Socket Mode: the app opens a WebSocket to Slack with its app-level token (no public URL needed)."""

import logging

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.settings import Settings
from bot.stopping import done_within


def socket_mode_handler(app: App, settings: Settings) -> SocketModeHandler:
    """Bolt's handler on slack_sdk's built-in WebSocket client, with SLACK_APP_TOKEN; `start()` blocks,
    `connect()` does not.

    It reaches Slack through the app's client, so SLACK_API_URL applies to `apps.connections.open` too. Each of
    its workers holds one request until Bolt acks it: as many as LISTENER_THREADS, or a burst held up by the
    database would wait for a free worker before its holding answer's clock even starts (slack_sdk's default is 10).
    """
    if settings.slack_app_token is None:
        raise ValueError("Socket Mode needs SLACK_APP_TOKEN")
    return SocketModeHandler(  # type: ignore[no-untyped-call]
        app, settings.slack_app_token, concurrency=settings.listener_threads
    )


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
