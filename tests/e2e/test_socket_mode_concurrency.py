"""In Socket Mode, LISTENER_THREADS is also how many requests are taken from Slack at once: each request holds one
of the Socket Mode client's workers until Bolt acks it, so a burst held up (by the database, say) must not wait
for a free worker before its holding answer's clock even starts."""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_bolt import Ack, App, BoltResponse
from slack_sdk import WebClient

from bot.fakeslack import FakeSlack
from bot.fakeslack.server import APP_TOKEN, BOT_TOKEN, TEAM_ID
from bot.settings import Settings
from bot.socket_mode import socket_mode_handler
from tests.conftest import SIGNING_SECRET

LISTENER_THREADS = 14
"""More than slack_sdk's own default of 10 Socket Mode workers."""
TAKEN_WITHIN = 10.0
"""Seconds to wait for a request to be taken: far longer than it takes, so only a request left waiting fails."""


class HeldRequests:
    """A middleware that holds every request before its listener runs (and so before its ack), until released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self._taken = threading.Condition()
        self.count = 0

    def __call__(self, next: Callable[[], BoltResponse]) -> BoltResponse:
        with self._taken:
            self.count += 1
            self._taken.notify_all()
        self.release.wait(timeout=60)
        return next()

    def wait_until_taken(self, count: int) -> bool:
        with self._taken:
            return self._taken.wait_for(lambda: self.count >= count, TAKEN_WITHIN)


def acknowledge(ack: Ack) -> None:
    ack()


@pytest.fixture
def held() -> HeldRequests:
    return HeldRequests()


@pytest.fixture
def slack_sending(held: HeldRequests) -> Iterator[Callable[[], None]]:
    """A Bolt app connected over Socket Mode by the handler `run` builds, to a fake Slack: sends one command."""
    with FakeSlack() as slack:
        socket = slack.socket_mode()
        app = App(client=WebClient(token=BOT_TOKEN, base_url=slack.api_url), signing_secret=SIGNING_SECRET)
        app.use(held)
        app.command("/hold")(acknowledge)
        settings = Settings(
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_app_token=APP_TOKEN,
            slack_api_url=slack.api_url,
            listener_threads=LISTENER_THREADS,
        )
        handler = socket_mode_handler(app, settings)
        handler.connect()  # type: ignore[no-untyped-call]
        socket.wait_connected()
        command = {"command": "/hold", "text": "", "user_id": "U0AGENT1", "team_id": TEAM_ID, "channel_id": "C0X"}

        def send() -> None:
            socket.send("slash_commands", command)

        yield send
        held.release.set()
        handler.close()  # type: ignore[no-untyped-call]


def test_as_many_requests_as_listener_threads_are_taken_at_once(
    held: HeldRequests, slack_sending: Callable[[], None]
) -> None:
    with ThreadPoolExecutor(LISTENER_THREADS) as senders:
        for _ in range(LISTENER_THREADS - 1):
            senders.submit(slack_sending)
        all_but_one_held = held.wait_until_taken(LISTENER_THREADS - 1)
        senders.submit(slack_sending)
        last_taken_while_the_others_are_held = held.wait_until_taken(LISTENER_THREADS)
        held.release.set()

    assert all_but_one_held and last_taken_while_the_others_are_held, f"only {held.count} taken at once"
