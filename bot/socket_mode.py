"""Socket Mode: the app opens a WebSocket to Slack with its app-level token (no public URL needed)."""

import logging
import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """Bolt's handler on slack_sdk's built-in WebSocket client; `start()` blocks, `connect()` does not.

    It reaches Slack through the app's client, so SLACK_API_URL applies to `apps.connections.open` too.
    """
    return SocketModeHandler(app, app_token)  # type: ignore[no-untyped-call]


log = logging.getLogger(__name__)


def finish(handler: SocketModeHandler, *, grace: float) -> None:
    """Stop as asked: requests from now on are left unacknowledged (Slack sends them again, to the next
    process), the ones in hand are answered over the connection still open (for `grace` seconds at most),
    and only then it is closed."""
    client = handler.client
    client.socket_mode_request_listeners.clear()
    answering = threading.Thread(target=client.message_workers.shutdown, kwargs={"wait": True}, daemon=True)
    answering.start()
    answering.join(grace)
    if answering.is_alive():
        log.warning("stopping with requests still unanswered after %g s: Slack will send them again", grace)
    handler.close()  # type: ignore[no-untyped-call]
