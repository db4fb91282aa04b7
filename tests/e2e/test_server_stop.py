"""Stopping the HTTP server: from its own loop, and even when its wake-up pipe is already gone."""

import os
import threading

from bot.server import make_server, stop_server
from tests.conftest import RunningBot


def test_a_server_whose_wake_up_pipe_was_closed_still_stops(bot: RunningBot) -> None:
    runtime = bot.runtime
    server = make_server(runtime.app, runtime.healthy, gate=runtime.gate, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    os.close(server.trigger.trigger)  # type: ignore[attr-defined]

    stop_server(server)
    thread.join(timeout=5)

    assert not thread.is_alive()
