"""Stopping the HTTP server: from its own loop, and even when its wake-up pipe is already gone."""

import os
import threading

from bot.server import make_server, stop_server
from tests.conftest import RunningBot


def test_a_server_whose_wake_up_pipe_fails_still_stops(bot: RunningBot) -> None:
    runtime = bot.runtime
    server = make_server(runtime.app, runtime.healthy, gate=runtime.gate, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    unwritable(server.trigger.trigger)  # type: ignore[attr-defined]

    stop_server(server)
    thread.join(timeout=5)

    assert not thread.is_alive()


def unwritable(descriptor: int) -> None:
    """Make writes to `descriptor` fail as on a closed pipe (EBADF) while keeping its number taken.

    Closing it outright would free the number for the next socket any thread opens, and the pipe's owner
    would close that socket later when it closes what it believes is its own.
    """
    read_only = os.open(os.devnull, os.O_RDONLY)
    os.dup2(read_only, descriptor)
    os.close(read_only)
