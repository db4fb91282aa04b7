"""Socket Mode: the app opens a WebSocket to Slack with its app-level token (no public URL needed)."""

import json
import logging
import threading
import time
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import build_headers, send_response
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.gate import connecting_quickly
from bot.settings import Settings
from bot.stopping import done_within
from handlers.timely import ARRIVED_HEADER


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

    Each envelope is stamped as it comes off the WebSocket, before it waits for a free worker: its holding answer's
    deadline (handlers/timely.py) counts that wait, as Slack's 3 seconds do.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self._arrivals: dict[str, float] = {}
        self._stamping = threading.Lock()
        enqueue = self.client.enqueue_message

        def stamped(message: str) -> None:
            envelope_id = _envelope_id(message)
            if envelope_id is not None:
                with self._stamping:
                    self._arrivals[envelope_id] = time.monotonic()
            enqueue(message)

        self.client.enqueue_message = stamped  # type: ignore[method-assign]

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time.time()
        with connecting_quickly():  # what is done before the ack: as over HTTP (bot/server.py)
            answer = self.app.dispatch(self._stamped_request(req))
        if answer.status == 200:
            send_response(client, req, answer, start)  # type: ignore[no-untyped-call]
        elif answer.status >= 500 and req.type == EVENTS:
            log.warning("an event failed (%s): left unacknowledged, for Slack to send again", answer.status)
        else:
            log.info("a %s request answered %s: acknowledged with no payload", req.type, answer.status)
            _ack(client, req)

    def _stamped_request(self, req: SocketModeRequest) -> BoltRequest:
        with self._stamping:
            arrived = self._arrivals.pop(req.envelope_id, None) or time.monotonic()
        headers = {**(build_headers(req) or {}), ARRIVED_HEADER: f"{arrived:.6f}"}  # type: ignore[no-untyped-call]
        return BoltRequest(mode="socket_mode", body=req.payload, headers=headers)


def _envelope_id(message: str) -> str | None:
    try:
        envelope = json.loads(message)
    except ValueError:
        return None
    envelope_id = envelope.get("envelope_id") if isinstance(envelope, dict) else None
    return envelope_id if isinstance(envelope_id, str) else None


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
