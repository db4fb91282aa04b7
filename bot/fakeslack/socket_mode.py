"""Slack's side of Socket Mode: a WebSocket server on 127.0.0.1 that sends envelopes and checks every ack.

https://api.slack.com/apis/socket-mode: the app calls `apps.connections.open` with its app-level token and
connects to the returned URL; Slack says `hello`, then sends each request in an envelope
(`events_api`, `slash_commands`, `interactive`) and expects `{"envelope_id": ..., "payload": {...}}` back
within 3 s; `disconnect` (reason `refresh_requested`, `warning`...) asks the app to reconnect to a new URL,
and Slack keeps what it has not delivered for the new connection.
"""

import json
import threading
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from bot.fakeslack.state import ACK_LIMIT, SlackState

CONNECT_LIMIT = 10.0
PING_INTERVAL = 0.05
EVENTS = "events_api"
ACCEPTS_RESPONSE = {"slash_commands": True, "interactive": True, EVENTS: False}


class SocketModeServer:
    """Start with `start()`; the fake Web API's `apps.connections.open` then answers with this server's URL."""

    def __init__(self, state: SlackState) -> None:
        self._state = state
        # Slack pings its clients; pinging often wakes slack_sdk's client, whose reads wait up to 3 s on a plain
        # (non-TLS) socket, so that closing it in a test takes a moment, not 3 s.
        self._server: Server = serve(self._serve, "127.0.0.1", 0, compression=None, ping_interval=PING_INTERVAL)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-socket-mode", daemon=True)
        self._changed = threading.Condition()
        self._live: ServerConnection | None = None
        self._retiring: list[ServerConnection] = []
        self._acks: dict[str, dict[str, Any]] = {}
        self.connections = 0

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}"

    def start(self) -> "SocketModeServer":
        self._thread.start()
        self._state.socket_url = self.url
        return self

    def stop(self) -> None:
        self._state.socket_url = ""
        try:
            self._server.shutdown()
        except OSError:
            # Its listening socket's descriptor was already closed: the socket object is marked closed
            # now, so a second (idempotent) shutdown wakes the accept loop and closes the connections.
            self._server.shutdown()
        self._thread.join(timeout=5)

    # -- what Slack sends --------------------------------------------------------------------
    def send(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0) -> dict[str, Any] | None:
        """Deliver one envelope and wait for its ack; None (and a violation) when none came within 3 s.

        Only an `events_api` envelope says which attempt it is: Slack retries events, never commands or interactions.
        """
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": ACCEPTS_RESPONSE[kind],
        }
        if kind == EVENTS:
            envelope.update(retry_attempt=retry_attempt, retry_reason="timeout" if retry_attempt else "")
        elif retry_attempt:
            raise ValueError(f"Slack never retries {kind}: only Events API deliveries")
        self._deliver(json.dumps(envelope))
        with self._changed:
            acked = self._changed.wait_for(lambda: envelope_id in self._acks, ACK_LIMIT)
            ack = self._acks.pop(envelope_id, None)
        if not acked or ack is None:
            self._state.reject("socket mode", [f"{kind} envelope {envelope_id} not acknowledged within 3 s"])
            return None
        if not isinstance(ack.get("payload", {}), dict):
            self._state.reject("socket mode", [f"the ack of {kind} has a payload that is not an object"])
        return ack

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect, as Slack does every few hours; what follows waits for the new connection."""
        with self._changed:
            live, self._live = self._live, None
            self._retiring += [live] if live is not None else []
        if live is not None:
            live.send(json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-slack"}}))

    def wait_connected(self, timeout: float = CONNECT_LIMIT) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._live is not None, timeout):
                raise TimeoutError(f"the app did not connect to Socket Mode within {timeout}s")

    # -- the connection ----------------------------------------------------------------------
    def _deliver(self, message: str) -> None:
        """Send on the live connection; while there is none (a reconnect), wait for the next one."""
        while True:
            self.wait_connected()
            with self._changed:
                live = self._live
            try:
                assert live is not None
                live.send(message)
                return
            except ConnectionClosed:
                with self._changed:
                    if self._live is live:
                        self._live = None

    def _serve(self, connection: ServerConnection) -> None:
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake-slack", "approximate_connection_time": 18060},
            "connection_info": {"app_id": "A0LATITUDE"},
        }
        connection.send(json.dumps(hello))
        with self._changed:
            self._live = connection
            self.connections += 1
            retiring, self._retiring = self._retiring, []
            self._changed.notify_all()
        for old in retiring:  # like Slack, close the old connection once the new one is up
            old.close()
        try:
            for raw in connection:
                self._acked(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                if self._live is connection:
                    self._live = None

    def _acked(self, raw: str | bytes) -> None:
        message = json.loads(raw)
        if not isinstance(message, dict) or not message.get("envelope_id"):
            self._state.reject("socket mode", [f"a message that is not an ack: {str(raw)[:80]}"])
            return
        with self._changed:
            self._acks[str(message["envelope_id"])] = message
            self._changed.notify_all()
