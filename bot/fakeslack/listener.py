"""Where the fake Slack listens: its server, on a thread of its own, at a free port of 127.0.0.1, over plain HTTP or,
given a certificate, over HTTPS as Slack itself is reached."""

import threading

from bot.fakeslack.certificate import Certificate, server_context
from bot.fakeslack.state import SlackState
from bot.fakeslack.transport import make_http_server


class Listener:
    def __init__(self, state: SlackState, certificate: Certificate | None = None) -> None:
        tls = server_context(certificate) if certificate is not None else None
        self._scheme = "http" if tls is None else "https"
        self._server = make_http_server(state, tls)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-slack", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host!s}:{port}"
