"""A request that waits for a free server thread counts that wait towards its ack deadline.

Slack's 3 seconds run from when it sent the request. In a burst larger than the server's threads, the
later requests wait in waitress's queue; a deadline counted from when a thread took them would hold
them past 3 seconds. The moment is taken in the server's loop as the request's last byte arrives.
"""

import threading
import time
import urllib.request
from collections.abc import Callable

from slack_bolt import BoltRequest

from bot.fakeslack import SlackDriver
from bot.server import EVENTS_PATH, HEALTH_PATH, bound_port, make_server, stop_server
from handlers.timely import ARRIVED_HEADER
from tests.conftest import SIGNING_SECRET, RunningBot


def test_a_command_queued_behind_a_busy_thread_counts_from_its_arrival(bot: RunningBot) -> None:
    release = threading.Event()
    stamps: list[float] = []

    def recorded_arrival(request: BoltRequest, next: Callable[[], None]) -> None:
        stamps.append(float(request.headers[ARRIVED_HEADER][0]))
        next()

    bot.runtime.app.use(recorded_arrival)
    server = make_server(
        bot.runtime.app, lambda: release.wait(10), gate=bot.runtime.gate, host="127.0.0.1", port=0, threads=1
    )
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    url = f"http://127.0.0.1:{bound_port(server)}"
    driver = SlackDriver(url + EVENTS_PATH, SIGNING_SECRET, bot.slack)
    try:
        health = threading.Thread(target=urllib.request.urlopen, args=(url + HEALTH_PATH,), daemon=True)
        health.start()  # holds the only thread until released
        wait_for(lambda: server.task_dispatcher.active_count == 1)
        command = threading.Thread(target=driver.command, args=("U0AGENT1", "/boundaries", ""), daemon=True)
        command.start()
        wait_for(lambda: len(server.task_dispatcher.queue) == 1)  # type: ignore[attr-defined]
        queued_since = time.monotonic()
        release.set()
        command.join(timeout=10)
        health.join(timeout=10)
    finally:
        stop_server(server)
        serving.join(timeout=5)

    [arrived] = stamps
    assert arrived < queued_since


def test_an_arrival_header_sent_from_outside_is_not_believed(bot: RunningBot) -> None:
    stamps: list[str] = []

    def recorded_arrival(request: BoltRequest, next: Callable[[], None]) -> None:
        stamps.extend(request.headers[ARRIVED_HEADER])
        next()

    bot.runtime.app.use(recorded_arrival)
    before = time.monotonic()
    bot.driver.post_form(bot.driver.command_fields("U0AGENT1", "/boundaries"), headers={ARRIVED_HEADER: "1.0"})

    [stamp] = stamps
    assert float(stamp) >= before


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the server never got there"
        time.sleep(0.01)
