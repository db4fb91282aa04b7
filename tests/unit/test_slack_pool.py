"""The bot's Slack clients keep one connection per thread open across calls (bot/slack_pool.py) and otherwise
answer exactly as slack_sdk's own client does: errors, rate limits and retries included."""

import contextlib
import gzip
import http.client
import json
import os
import socket
import struct
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack
from bot.slack_pool import IDLE_LIMIT, KeptConnections, PooledWebClient
from handlers.org_access import RateLimitWait
from tests.unit.fakeslack_fixtures import slack

__all__ = ["slack"]

Answer = tuple[int, dict[str, str], bytes]
JSON = {"Content-Type": "application/json; charset=utf-8"}


class Counting(ThreadingHTTPServer):
    """A Web API on 127.0.0.1 speaking HTTP/1.1 that counts the connections made to it, notes which connection each
    call came on, answers each call with the next answer queued (`{"ok": true}` when none is) and can hang up, or
    reset the connection the next call comes on as it arrives."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Answering)
        self.connections: list[socket.socket] = []
        self.calls: list[tuple[int, str]] = []
        self.answers: list[Answer] = []
        self.resets_next = False

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/"

    def hang_up(self) -> None:
        """Closes every connection clients keep, as a server does with idle ones."""
        for connection in self.connections:
            with contextlib.suppress(OSError):  # closed already
                connection.shutdown(socket.SHUT_RDWR)


class _Answering(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # as the fake Slack: its body is not held for the client's delayed ACK
    server: Counting

    def setup(self) -> None:
        super().setup()
        self.server.connections.append(self.request)

    def do_POST(self) -> None:
        if self.server.resets_next:  # its headers read, the rest of the call unread: the connection is reset
            self.server.resets_next, self.close_connection = False, True
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
        sent = json.loads(raw) if raw.startswith("{") else {name: values[0] for name, values in parse_qs(raw).items()}
        self.server.calls.append((self.client_address[1], str(sent.get("text", ""))))
        status, headers, body = self.server.answers.pop(0) if self.server.answers else (200, JSON, b'{"ok": true}')
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        return


@pytest.fixture
def server() -> Iterator[Counting]:
    counting = Counting()
    thread = threading.Thread(target=counting.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield counting
    counting.shutdown()
    counting.hang_up()
    counting.server_close()


def pooled(api_url: str, **settings: Any) -> PooledWebClient:
    """A client with a pool of its own, so that no connection an earlier test kept in this thread is counted."""
    client = PooledWebClient(token="xoxb-pool", base_url=api_url, **settings)
    client.connections = KeptConnections()
    return client


def post(client: WebClient, text: str = "Thanks for the refund, Sam") -> None:
    client.chat_postMessage(channel="D1", text=text)


def test_calls_to_slack_go_over_one_connection_kept_open(server: Counting) -> None:
    client = pooled(server.api_url)

    for _ in range(5):
        post(client)

    assert (len(server.calls), len(server.connections)) == (5, 1)


def test_the_clients_of_one_thread_share_its_connection(server: Counting) -> None:
    """Bolt builds a client per request: the next request's reuses the connection the last one's kept."""
    connections = KeptConnections()
    for _ in range(3):
        client = PooledWebClient(token="xoxb-pool", base_url=server.api_url)
        client.connections = connections
        post(client)

    assert len(server.connections) == 1


def test_a_connection_the_server_closed_while_idle_is_not_used_and_the_call_is_not_lost(server: Counting) -> None:
    client = pooled(server.api_url, retry_handlers=[])  # no retry to hide a call sent into a closed connection
    post(client)

    server.hang_up()
    post(client, "after the hang-up")

    assert [text for _, text in server.calls][-1] == "after the hang-up"
    assert len(server.connections) == 2


def test_a_connection_idle_longer_than_the_limit_is_closed_rather_than_reused(server: Counting) -> None:
    moments = [0.0]
    client = pooled(server.api_url)
    client.connections = KeptConnections(clock=lambda: moments[0])
    post(client)

    moments[0] += IDLE_LIMIT - 1
    post(client)
    moments[0] += IDLE_LIMIT + 1
    post(client)

    assert len(server.connections) == 2


def test_an_answer_asking_to_close_the_connection_is_the_last_on_it(server: Counting) -> None:
    """A guard: http.client closes such a connection itself, and the pooled client counts on it."""
    client = pooled(server.api_url)
    server.answers.append((200, {**JSON, "Connection": "close"}, b'{"ok": true}'))

    post(client)
    post(client)

    assert len(server.connections) == 2


def test_two_threads_never_share_a_connection(server: Counting) -> None:
    client = pooled(server.api_url)

    def three_posts(name: str) -> None:
        for _ in range(3):
            post(client, name)

    for name in ("first", "second"):
        thread = threading.Thread(target=three_posts, args=(name,))
        thread.start()
        thread.join()

    ports = {name: {port for port, text in server.calls if text == name} for name in ("first", "second")}
    assert [len(ports["first"]), len(ports["second"])] == [1, 1]
    assert ports["first"] != ports["second"]


def test_a_forked_process_opens_its_own_connection_rather_than_use_its_parents(server: Counting) -> None:
    client = pooled(server.api_url)
    post(client)

    child = os.fork()
    if child == 0:  # the child leaves at once, whatever happens
        try:
            post(client, "from the child")
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    post(client, "from the parent")

    assert [text for _, text in server.calls][1:] == ["from the child", "from the parent"]
    assert len(server.connections) == 2


def outcome(client: WebClient) -> tuple[Any, ...]:
    """What a caller sees of a call: its status, body and headers (less those that change with each answer)."""
    try:
        response = client.api_call("admin.analytics.getFile")
    except SlackApiError as error:
        response = error.response
    headers = {name: value for name, value in response.headers.items() if name not in ("Date", "Server")}
    return response.status_code, response.data, headers


ANSWERS: dict[str, Answer] = {
    "ok": (200, JSON, b'{"ok": true, "channel": "D1"}'),
    "a gzip file": (200, {"Content-Type": "application/gzip"}, gzip.compress(b'{"team": "T1"}')),
    "a rate limit": (429, {**JSON, "Retry-After": "7"}, b'{"ok": false, "error": "ratelimited"}'),
    "a server error": (500, JSON, b'{"ok": false, "error": "internal_error"}'),
    "a refusal in latin-1": (403, {"Content-Type": "text/plain; charset=latin-1"}, "refusé".encode("latin-1")),
}


@pytest.mark.parametrize("answer", ANSWERS.values(), ids=ANSWERS.keys())
def test_each_answer_reaches_the_caller_as_through_slack_sdks_own_client(server: Counting, answer: Answer) -> None:
    server.answers.append(answer)
    server.answers.append(answer)

    assert outcome(pooled(server.api_url)) == outcome(WebClient(token="xoxb-pool", base_url=server.api_url))


def test_after_an_error_answer_the_connection_serves_the_next_call(server: Counting) -> None:
    client = pooled(server.api_url)
    server.answers.append(ANSWERS["a server error"])

    with pytest.raises(SlackApiError):
        post(client)
    post(client)

    assert len(server.connections) == 1


def test_a_rate_limited_call_waits_slacks_retry_after_then_is_sent_again(slack: FakeSlack) -> None:
    waited: list[float] = []
    rate_limit = RateLimitWait(waited.append, threading.Event(), max_retry_count=1)
    client = pooled(slack.api_url, retry_handlers=[rate_limit])
    client.token = slack.token
    slack.add_user("U0A", "Sam Agent")
    slack.fail("chat.postMessage", status=429, retry_after=3)

    assert client.chat_postMessage(channel="U0A", text="Thanks for the refund, Sam")["ok"] is True

    assert waited == [3.0]
    assert [len(slack.calls("chat.postMessage:failed")), len(slack.calls("chat.postMessage"))] == [1, 1]


def test_a_hang_up_closes_the_connection_and_the_retry_goes_on_a_new_one(slack: FakeSlack) -> None:
    client = pooled(slack.api_url)  # slack_sdk's retry of a dropped connection, once
    client.token = slack.token
    slack.fail("auth.test", hang_up=True)

    assert client.auth_test()["ok"] is True
    assert client.auth_test()["ok"] is True

    assert [len(slack.calls("auth.test:failed")), len(slack.calls("auth.test"))] == [1, 2]


def test_a_call_left_unanswered_past_the_timeout_leaves_no_answer_for_the_next(slack: FakeSlack) -> None:
    client = pooled(slack.api_url, timeout=0.2, retry_handlers=[])
    client.token = slack.token
    slack.add_user("U0A", "Sam Agent")
    slack.slow_down("auth.test", 0.5)

    with pytest.raises(TimeoutError):
        client.auth_test()
    slack.slow_down("auth.test", 0.0)

    assert client.users_info(user="U0A")["user"]["id"] == "U0A"


def test_a_stopped_fake_slack_hangs_up_the_connections_clients_kept() -> None:
    """Else a client's next call could reach a stopped fake's state through a port a later fake was given."""
    slack = FakeSlack().start()
    kept = http.client.HTTPConnection(slack.url.removeprefix("http://"), timeout=5)
    kept.request("POST", "/api/auth.test", b"", {"Authorization": f"Bearer {slack.token}"})
    assert json.loads(kept.getresponse().read())["ok"] is True

    slack.stop()

    assert kept.sock is not None and kept.sock.recv(1) == b""
    kept.close()
