"""HTTP mode: Slack's requests on /slack/events and a health check, served by waitress."""

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def wsgi_app(app: App, healthy: Callable[[], bool]) -> Callable[..., Iterable[bytes]]:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            ok = healthy()
            body = json.dumps({"ok": ok}).encode()
            start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "application/json")])
            return [body]
        return slack(environ, start_response)

    return application


def make_server(app: App, healthy: Callable[[], bool], *, host: str, port: int, threads: int) -> BaseWSGIServer:
    """A production WSGI server on one address; port 0 picks a free port (see `.effective_port`)."""
    server = create_server(wsgi_app(app, healthy), host=host, port=port, threads=threads, ident="latitude")
    assert isinstance(server, BaseWSGIServer), "one host and port give one server"
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

    server.trigger.pull_trigger(close_everything)  # type: ignore[attr-defined]
