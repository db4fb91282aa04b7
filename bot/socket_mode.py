"""Socket Mode: the app opens a WebSocket to Slack with its app-level token (no public URL needed)."""

import logging
import time

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

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
    return AckingHandler(  # type: ignore[no-untyped-call]
        app, settings.slack_app_token, concurrency=settings.listener_threads
    )


log = logging.getLogger(__name__)

EVENTS = "events_api"


class AckingHandler(SocketModeHandler):
    """Bolt's handler, which acks only what Bolt answered 200: any other answer it leaves unacknowledged, so Slack
    shows the person an error after 3 s on top of the one already told, and sends an event again and again.

    Slack expects every envelope acknowledged with its `envelope_id` (https://api.slack.com/apis/socket-mode): here,
    as over HTTP, an answer Bolt gave is an answer. A 4xx (no listener for it, a payload refused) is acked with no
    payload, since sending it again changes nothing; so is a 5xx to a command or an interaction, which Slack never
    sends again and whose person the error handler has told. An event Bolt failed (5xx) is left unacknowledged:
    Slack sends it again, as it does an event answered 5xx over HTTP, and the event's id keeps it from counting twice.
    """

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time.time()
        answer: BoltResponse = run_bolt_app(self.app, req)  # type: ignore[no-untyped-call]
        if answer.status == 200:
            send_response(client, req, answer, start)  # type: ignore[no-untyped-call]
        elif answer.status >= 500 and req.type == EVENTS:
            log.warning("an event failed (%s): left unacknowledged, for Slack to send again", answer.status)
        else:
            log.info("a %s request answered %s: acknowledged with no payload", req.type, answer.status)
            _ack(client, req)


def _ack(client: BaseSocketModeClient, req: SocketModeRequest) -> None:
    client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))


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
