"""Slack clients that keep their connections open across calls.

slack_sdk's `WebClient` calls urllib's `urlopen` for every call, and urllib asks the server to close the connection
after each answer: every call to Slack paid a new TCP connection and TLS handshake (two round trips and about
1.4 ms of CPU, the most a call cost once the TLS context was shared, bot/slack_tls.py). `PooledWebClient` sends the
same request over a connection its thread kept from its last call to the same address, and reads the answer as
urllib would: a 2xx is returned as slack_sdk's own method returns it, anything else goes through urllib's own error
chain (a redirect followed, an `HTTPError` raised with its headers and body), so slack_sdk's retry handlers see what
they saw before. A connection is never shared between threads, and one is opened afresh when the kept one was
closed by the server, has been idle too long, failed, or was answered with `Connection: close`. The one failure a
connection per call never met, the server closing a kept one just as a call goes out, fails the call's sending: it
is sent once more on a new connection (`_exchange`). With a proxy set, the call goes through urllib as before.
"""

import http.client
import io
import logging
import os
import select
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

_log = logging.getLogger(__name__)

IDLE_LIMIT = 15.0
"""Seconds a kept connection may sit unused before it is closed rather than reused: aiohttp's keep-alive time,
the one slack_sdk's async client lives with. A server closing one sooner is noticed before reuse (`_dropped`);
this bounds the moment when its close and our next request cross."""

Origin = tuple[str, str, ssl.SSLContext | None]
"""Scheme, host[:port] and TLS context: connections made with another context are not reused for this one."""


@dataclass
class _Kept:
    connection: http.client.HTTPConnection
    idle_since: float


class _ThreadsOwn(dict[Origin, _Kept]):
    """A thread's connections, closed as the thread ends rather than left to the garbage collector unclosed."""

    def __del__(self) -> None:
        for entry in self.values():
            entry.connection.close()


class KeptConnections:
    """Each thread's open connections, one per origin; a connection is handed to one call at a time. A process
    forked from this one opens its own: `run --workers N` asks Slack who its token is before gunicorn forks, and
    each worker's main thread, which inherits the kept connection, would otherwise send its calls into the one
    TLS session every worker and the parent hold."""

    def __init__(self, idle_limit: float = IDLE_LIMIT, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_limit = idle_limit
        self._clock = clock
        self._threads = threading.local()
        self._pid = os.getpid()

    def take(self, origin: Origin, timeout: float | None) -> http.client.HTTPConnection:
        """The thread's kept connection to `origin` if it is still good, else a new one (it connects on first use)."""
        kept = self._mine()
        self._close_gone(kept)
        entry = kept.pop(origin, None)
        return self.fresh(origin, timeout) if entry is None else _timed(entry.connection, timeout)

    def fresh(self, origin: Origin, timeout: float | None) -> http.client.HTTPConnection:
        """A new connection to `origin`, not yet connected (it connects on first use)."""
        return _timed(_new_connection(origin), timeout)

    def give_back(self, origin: Origin, connection: http.client.HTTPConnection) -> None:
        kept = self._mine()
        replaced = kept.pop(origin, None)
        if replaced is not None:
            replaced.connection.close()
        kept[origin] = _Kept(connection, self._clock())

    def _mine(self) -> _ThreadsOwn:
        if self._pid != os.getpid():  # forked: what was kept is the parent's (closing our copy leaves theirs open)
            self._threads, self._pid = threading.local(), os.getpid()
        kept: _ThreadsOwn | None = getattr(self._threads, "kept", None)
        if kept is None:
            kept = self._threads.kept = _ThreadsOwn()
        return kept

    def _close_gone(self, kept: _ThreadsOwn) -> None:
        """Closes and forgets every connection of the thread idle too long or closed by its server."""
        now = self._clock()
        for origin, entry in list(kept.items()):
            if now - entry.idle_since > self.idle_limit or _dropped(entry.connection):
                entry.connection.close()
                del kept[origin]


PER_THREAD = KeptConnections()


def _timed(connection: http.client.HTTPConnection, timeout: float | None) -> http.client.HTTPConnection:
    connection.timeout = timeout
    if connection.sock is not None:
        connection.sock.settimeout(timeout)
    return connection


def _new_connection(origin: Origin) -> http.client.HTTPConnection:
    scheme, host, context = origin
    if scheme == "https":
        return http.client.HTTPSConnection(host, context=context)
    return http.client.HTTPConnection(host)


def _dropped(connection: http.client.HTTPConnection) -> bool:
    """As urllib3 checks a pooled connection: an idle one with something to read has been closed by the server
    (or sent what nobody asked for), and is of no more use."""
    sock = connection.sock
    if sock is None:
        return True
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    if hasattr(select, "poll"):  # select.select cannot watch a descriptor past 1023
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([sock], [], [], 0)[0])


class PooledWebClient(WebClient):
    """slack_sdk's `WebClient`, over connections kept open per thread (module docstring)."""

    connections: KeptConnections = PER_THREAD

    def _perform_urllib_http_request_internal(self, url: str, req: urllib.request.Request) -> dict[str, Any]:
        if self.proxy is not None or req.type not in ("http", "https"):
            return super()._perform_urllib_http_request_internal(url, req)
        status, reason, headers, body = self._exchange(req)
        if not 200 <= status < 300:
            return self._through_urllibs_errors(req, status, reason, headers, body)
        return self._answer(status, headers, body)

    def _exchange(self, req: urllib.request.Request) -> tuple[int, str, http.client.HTTPMessage, bytes]:
        """The request sent and its whole answer read; failing as urllib fails (an error while sending is wrapped
        in a `URLError`), the connection then closed and forgotten. A kept connection whose sending fails (the
        server closed it after `_dropped` looked) is replaced by a new one and the request sent once more: Slack
        never had the whole request, so it cannot have acted on it. A new connection failing so fails the call, sent
        no more: the server refused it, not a connection it had given up."""
        origin: Origin = (req.type, req.host, self.ssl if req.type == "https" else None)
        connection = self.connections.take(origin, self.timeout)
        reused = connection.sock is not None  # a new one connects as it sends
        try:
            try:
                try:
                    _send(connection, req)
                except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                    if not reused:
                        raise
                    connection.close()
                    _log.debug("a kept connection to %s failed as a call went out: sent again on a new one", req.host)
                    connection = self.connections.fresh(origin, self.timeout)
                    _send(connection, req)
            except OSError as error:
                raise urllib.error.URLError(error) from error
            response = connection.getresponse()
            body = response.read()
        except BaseException:
            connection.close()
            raise
        self.connections.give_back(origin, connection)  # closed already if the answer said `Connection: close`
        return response.status, response.reason, response.msg, body

    def _through_urllibs_errors(
        self, req: urllib.request.Request, status: int, reason: str, headers: http.client.HTTPMessage, body: bytes
    ) -> dict[str, Any]:
        """What urllib does with an answer outside 2xx: its handlers follow a redirect (returning the answer at the
        end of it) and raise an `HTTPError` for anything else."""
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=self.ssl))
        req.timeout = self.timeout  # type: ignore[attr-defined]  # as urllib's opener sets it, for a redirect
        followed = opener.error("http", req, io.BytesIO(body), status, reason, headers)
        return self._answer(followed.code, followed.headers, followed.read())

    def _answer(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> dict[str, Any]:
        """As slack_sdk's own method answers, and logs: a gzip file's bytes as they are, any other body decoded."""
        if headers.get_content_type() == "application/gzip":
            self._log_answer(status, headers, "(binary)")
            return {"status": status, "headers": headers, "body": body}
        decoded = body.decode(headers.get_content_charset() or "utf-8")
        self._log_answer(status, headers, decoded)
        return {"status": status, "headers": headers, "body": decoded}

    def _log_answer(self, status: int, headers: http.client.HTTPMessage, body: str) -> None:
        if self._logger.level <= logging.DEBUG:
            self._logger.debug(
                f"Received the following response - status: {status}, headers: {dict(headers)}, body: {body}"
            )


def _send(connection: http.client.HTTPConnection, req: urllib.request.Request) -> None:
    connection.request(
        req.get_method(),
        req.selector,
        req.data,  # type: ignore[arg-type]  # slack_sdk's body is bytes or None
        _headers(req),
        encode_chunked=req.has_header("Transfer-encoding"),
    )


def _headers(req: urllib.request.Request) -> dict[str, str]:
    """The request's headers as urllib sends them, less its `Connection: close`; http.client adds Host and
    Content-Length as urllib has it do."""
    headers = dict(req.unredirected_hdrs)
    headers.update((name, value) for name, value in req.headers.items() if name not in headers)
    return {name.title(): value for name, value in headers.items()}


def kept_alive(client: WebClient) -> PooledWebClient:
    """A pooled copy of `client` (Bolt's own for a request): its token, way to Slack, workspace, logger and retries."""
    return PooledWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=client.headers,
        team_id=client.default_params.get("team_id"),
        logger=client.logger,
        retry_handlers=client.retry_handlers.copy(),
    )
