"""The fake Slack's HTTP side: `/api/<method>`, upload URLs and response URLs, on a threaded server on 127.0.0.1,
over plain HTTP or, given a TLS context, HTTPS."""

import base64
import contextlib
import json
import socket
import ssl
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.fakeslack import uploads, view_methods  # noqa: F401 (register the files.* and views.* methods)
from bot.fakeslack.faults import HANG_UP
from bot.fakeslack.methods import ApiReply, call_method
from bot.fakeslack.responses import answer_response_url
from bot.fakeslack.state import Call, SlackState

API_PATH = "/api/"
AUTHORIZE_PATH = "/oauth/v2/authorize"
UPLOAD_PATH = "/upload/"
RESPOND_PATH = "/respond/"
JSON_FIELDS = ("blocks", "attachments", "view", "files")


class _Server(ThreadingHTTPServer):
    """Closing, it hangs up the connections clients keep open, as a Slack gone away would: their threads end, and
    no client sends its next call to this server's state through a connection kept to a port another took since."""

    daemon_threads = True

    def __init__(self, state: SlackState, tls: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), _handler_for(state))
        self._state = state
        self._tls = tls
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        """Over HTTPS, the handshake is made by the connection's own thread as it first reads, not here by the one
        thread that accepts every connection: a slow client's handshake holds up no other."""
        connection, address = super().get_request()
        if self._tls is None:
            return connection, address
        return self._tls.wrap_socket(connection, server_side=True, do_handshake_on_connect=False), address

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
            self._state.connections_made += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        with self._open_lock:
            still_open = list(self._open)
        for connection in still_open:
            with contextlib.suppress(OSError):  # closed by the client meanwhile
                connection.shutdown(socket.SHUT_RDWR)


def make_http_server(state: SlackState, tls: ssl.SSLContext | None = None) -> ThreadingHTTPServer:
    """A server on a free port of 127.0.0.1, speaking HTTPS with `tls` (a server's context) when given; the caller
    runs `serve_forever` and sets `state.base_url`."""
    return _Server(state, tls)


def parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    """The arguments of a form or JSON body; form fields holding JSON (blocks, view...) are decoded."""
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        parsed = json.loads(raw)
        return parsed if isinstance(parsed, dict) else {}
    args: dict[str, Any] = dict(parse_qsl(raw.decode(), keep_blank_values=True))
    for key in JSON_FIELDS:
        if isinstance(args.get(key), str) and args[key][:1] in "[{":
            args[key] = json.loads(args[key])
    return args


def multipart_files(content_type: str, raw: bytes) -> dict[str, bytes]:
    """The files of a multipart upload by field name; a raw body is one file called `file`."""
    if not content_type.startswith("multipart/"):
        return {"file": raw}
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition") or "file")
        payload = part.get_payload(decode=True)
        files[name] = payload if isinstance(payload, bytes) else b""
    return files


def _bearer(authorization: str | None) -> str | None:
    return authorization[len("Bearer ") :] if authorization and authorization.startswith("Bearer ") else None


def _basic(headers: Any) -> dict[str, str]:
    """An app's client id and secret sent as HTTP Basic auth (as slack_sdk sends them to oauth.v2.access)."""
    authorization = str(headers.get("Authorization") or "")
    if not authorization.startswith("Basic "):
        return {}
    client_id, _, secret = base64.b64decode(authorization[len("Basic ") :]).decode().partition(":")
    return {"client_id": client_id, "client_secret": secret}


def _handler_for(state: SlackState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True
        """The body, written after the headers, goes at once: on a connection the client keeps open, Nagle's algorithm
        would hold it until the client acknowledged the headers, which it delays (40 ms on Linux) waiting for more."""

        def log_message(self, *_args: Any) -> None:
            return

        def do_GET(self) -> None:
            self._route(b"")

        def do_POST(self) -> None:
            self._route(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

        def _route(self, raw: bytes) -> None:
            path = urlsplit(self.path)
            content_type = self.headers.get("Content-Type") or ""
            if path.path.startswith(UPLOAD_PATH):
                return self._upload(path.path[len(UPLOAD_PATH) :], multipart_files(content_type, raw), len(raw))
            if path.path.startswith(RESPOND_PATH):
                return self._respond(path.path[len(RESPOND_PATH) :], parse_body(content_type, raw))
            if path.path == AUTHORIZE_PATH:
                return self._authorize(path.query)
            if not path.path.startswith(API_PATH):
                return self._send(404, b"not found", "text/plain")
            args = {**dict(parse_qsl(path.query)), **parse_body(content_type, raw), **_basic(self.headers)}
            bearer = _bearer(self.headers.get("Authorization"))
            self._reply(call_method(state, path.path[len(API_PATH) :], args, bearer=bearer))

        def _respond(self, url_id: str, body: dict[str, Any]) -> None:
            """A response URL meets the faults queued for `response_url` (`FakeSlack.fail`), a hang-up included."""
            fault = state.faults.take("response_url", body)
            if fault is not None and fault.status != HANG_UP:
                return self._send(fault.status, (fault.error or "server_error").encode(), "text/plain")
            if fault is None or fault.acts:
                status, answer = answer_response_url(state, url_id, body)
                if fault is None:
                    return self._send(status, answer.encode(), "text/plain")
            self.close_connection = True

        def _authorize(self, query: str) -> None:
            status, where = state.installs.authorize(query)
            if status != 302:
                return self._send(status, where.encode(), "text/plain")
            self._send(302, b"", "text/plain", {"Location": where})

        def _upload(self, file_id: str, files: dict[str, bytes], size: int) -> None:
            refused = state.uploads.store(file_id, next(iter(files.values()), b""))
            if refused is not None:
                return self._send(refused[0], refused[1].encode(), "text/plain")
            state.record(Call("upload", {"file_id": file_id}, time.time(), files))
            time.sleep(state.latency.get("upload", 0.0))
            self._send(200, b"OK - " + str(size).encode(), "text/plain")

        def _reply(self, reply: ApiReply) -> None:
            if reply.status == HANG_UP:
                self.close_connection = True
                return
            self._send(reply.status, json.dumps(reply.body).encode(), "application/json", reply.headers)

        def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            """The answer, unless the client stopped waiting for it (a slowed method past its timeout): Slack did
            what was asked either way, and nobody is left to tell."""
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler
