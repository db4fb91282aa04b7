"""HTTP mode: Slack's requests on /slack/events (through the gate) and a health check, served by waitress."""

import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, create_server
from waitress.task import WSGITask

from bot.gate import Rejection, SlackGate, connecting_quickly
from handlers.timely import ARRIVED_HEADER

EVENTS_PATH = "/slack/events"
ARRIVED = "HTTP_" + ARRIVED_HEADER.upper().replace("-", "_")  # what Bolt reads back as that header
ARRIVED_AT = "latitude.arrived"  # the WSGI environ's key for `ArrivalStampingParser`'s stamp
READ_BODY = "latitude.read_body"  # the environ's key for the body as the gate read it (`Passed.read`)
HEALTH_PATH = "/healthz"
IDLE_POLL = 0.05
log = logging.getLogger("latitude.requests")
STATUS_LINES = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    413: "413 Payload Too Large",
    503: "503 Service Unavailable",
}


def wsgi_app(app: App, healthy: Callable[[], bool], gate: SlackGate | None = None) -> Callable[..., Iterable[bytes]]:
    """Health check, then Slack's requests; `gate` None serves bare Bolt (only the benchmark does)."""
    slack = _ReadOnce(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            ok = healthy()
            body = json.dumps({"ok": ok}).encode()
            start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "application/json")])
            return [body]
        environ[ARRIVED] = f"{environ.get(ARRIVED_AT) or time.monotonic():.6f}"
        if gate is not None and environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") == EVENTS_PATH:
            with connecting_quickly():
                verdict = gate.inspect(environ)
                if isinstance(verdict, Rejection):
                    return reject(environ, start_response, verdict)
                environ["wsgi.input"] = io.BytesIO(verdict.body)
                environ[READ_BODY] = verdict.read
                return slack(environ, _noting_failures(start_response, environ, lambda: gate.failed(verdict)))
        return slack(environ, start_response)

    return application


class _ReadOnce(SlackRequestHandler):
    """Bolt's WSGI handler, taking the body as the gate read it rather than reading it again."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        read = request.environ.get(READ_BODY)
        if read is None:
            return super().dispatch(request)
        return self.app.dispatch(read_request(request.get_body(), read, request.query_string, request.get_headers()))


def read_request(raw: str, read: dict[str, Any], query: str, headers: dict[str, Any]) -> BoltRequest:
    """An HTTP request with its body already read: Bolt's constructor reads a text body itself and takes a read one
    only as Socket Mode's, so it is made as that and then given its raw text (for Bolt's signature check) and mode."""
    request = BoltRequest(body=read, query=query, headers=headers, mode="socket_mode")
    request.raw_body, request.mode = raw, "http"
    return request


def _noting_failures(
    start_response: Callable[..., Any], environ: dict[str, Any], failed: Callable[[], None]
) -> Callable[..., Any]:
    """`start_response`, which first tells the gate of an event the app answers with a 5xx (`SlackGate.failed`)."""

    def answered(status: str, *args: Any) -> Any:
        if status[:1] == "5" and environ.get("CONTENT_TYPE", "").startswith("application/json"):
            failed()
        return start_response(status, *args)

    return answered


def reject(environ: dict[str, Any], start_response: Callable[..., Any], rejection: Rejection) -> Iterable[bytes]:
    """One short line per request answered here: who sent what kind, and why it was refused; never the body."""
    level, verb = (logging.WARNING, "refused") if rejection.refused else (logging.INFO, "answered")
    log.log(level, "%s %s from %s: %s", verb, EVENTS_PATH, environ.get("REMOTE_ADDR", "?"), rejection.reason)
    body = rejection.body.encode()
    headers = [("Content-Type", rejection.content_type), ("Content-Length", str(len(body)))]
    if rejection.status == 413:
        headers.append(("Connection", "close"))
    start_response(STATUS_LINES[rejection.status], headers)
    return _Answered([body], rejection.then) if rejection.then else [body]


class _Answered(list[bytes]):
    """A body whose `then` runs once the server has taken it: WSGI servers call `close()` after the last chunk."""

    def __init__(self, body: list[bytes], then: Callable[[], object]) -> None:
        super().__init__(body)
        self._then = then

    def close(self) -> None:
        self._then()


class ArrivalStampingParser(HTTPRequestParser):
    """A request stamped, in the server's loop, with the moment its last byte arrived. A burst larger than the
    worker threads waits in waitress's queue: its ack deadline (handlers/timely.py) counts that wait too, so
    the holding answer still reaches Slack within its 3 seconds."""

    arrived: float | None = None

    def received(self, data: bytes) -> int:
        taken: int = super().received(data)
        if self.completed and self.arrived is None:
            self.arrived = time.monotonic()
        return taken


class ArrivalStampedTask(WSGITask):
    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        environ[ARRIVED_AT] = getattr(self.request, "arrived", None)
        return environ


class ArrivalStampingChannel(HTTPChannel):
    parser_class = ArrivalStampingParser
    task_class = ArrivalStampedTask


def make_server(
    app: App, healthy: Callable[[], bool], *, gate: SlackGate, host: str, port: int, threads: int
) -> BaseWSGIServer:
    """A production WSGI server on one address; port 0 picks a free port (see `bound_port`).

    Waitress buffers a whole body before calling the app, so the size cap is its
    `max_request_body_size` too: a larger Content-Length gets 413 before the rest is read.
    """
    server = create_server(
        wsgi_app(app, healthy, gate),
        host=host,
        port=port,
        threads=threads,
        ident="latitude",
        max_request_body_size=gate.max_body + 1,
    )
    assert isinstance(server, BaseWSGIServer), "one host and port give one server"
    server.channel_class = ArrivalStampingChannel
    return server


def bound_port(server: BaseWSGIServer) -> int:
    """The port the server listens on (the one picked for port 0)."""
    return int(server.getsockname()[1])


def stop_server(server: BaseWSGIServer) -> None:
    """Stop a server running in another thread.

    The close runs inside the server's own loop (woken through its trigger): closing its sockets
    from outside while it waits in select() fails with a bad file descriptor.
    """

    def close_everything() -> None:
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)  # type: ignore[attr-defined]

    try:
        server.trigger.pull_trigger(close_everything)  # type: ignore[attr-defined]
    except OSError:
        # The wake-up pipe is already closed. Emptying the loop's map ends the loop at its next wake-up
        # (within a second) without closing a socket it may be selecting on; its sockets are closed after that.
        log.warning("the HTTP server's wake-up pipe was already closed; it stops at its next wake-up")
        # Not the trigger: its descriptor numbers may belong to someone else by now.
        left = {fd: obj for fd, obj in server._map.items() if obj is not server.trigger}  # type: ignore[attr-defined]
        server._map.clear()  # type: ignore[attr-defined]
        server.task_dispatcher.shutdown()
        closer = threading.Timer(2 * server.adj.asyncore_loop_timeout, wasyncore.close_all, args=(left,))
        closer.daemon = True
        closer.start()


def stop_when_idle(server: BaseWSGIServer, *, grace: float) -> None:
    """Stop taking connections at once; stop the server once the requests in hand are answered (at most
    `grace` seconds from now). Runs in a thread of its own: it waits."""
    # Only the listening socket, in the loop: the server's own close() would also close the wake-up pipe that
    # `stop_server` needs below.
    server.trigger.pull_trigger(lambda: wasyncore.dispatcher.close(server))  # type: ignore[attr-defined]
    tasks = server.task_dispatcher
    deadline = time.monotonic() + grace
    while (tasks.active_count or tasks.queue) and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(IDLE_POLL)
    stop_server(server)
