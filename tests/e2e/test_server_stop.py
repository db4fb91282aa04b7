"""Stopping the HTTP server: from its own loop, even when its wake-up pipe is already gone, and on SIGTERM."""

import json
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot.fakeslack import FakeSlack, SlackDriver
from bot.server import make_server, stop_server
from models.engine import make_session_factory
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.e2e.test_cli import bot_environment, listening_url, upgraded
from tests.helpers import load_org_and_policy, wait_until


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


def test_sigterm_lets_the_batch_in_hand_finish_so_nothing_slack_accepted_goes_out_again(
    tmp_path: Path, slack: FakeSlack
) -> None:
    """A deploy (`docker stop`, systemd) sends SIGTERM in the middle of a pulse fan-out."""
    engine = upgraded(tmp_path)
    load_org_and_policy(make_session_factory(engine), datetime.now(UTC))
    slack.slow_down("chat.postMessage", 0.5)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1", "--port", "0"],
        cwd=tmp_path,
        env={**bot_environment(slack), "SLACK_MESSAGES_PER_SECOND": "50"},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        driver = SlackDriver(listening_url(process) + "/slack/events", SIGNING_SECRET, slack)
        assert "Pulse round 1 is open" in driver.command("U0HR", "/pulse", "start").text
        slack.wait_for("chat.postMessage")
        process.send_signal(signal.SIGTERM)
        stopped = process.wait(timeout=30)
    finally:
        process.kill()

    posted = [call.args["channel"] for call in slack.calls("chat.postMessage")]
    with engine.connect() as connection:
        deliveries = dict(connection.execute(text("SELECT payload, status FROM deliveries")).all())
    statuses = {json.loads(payload)["channel"]: status for payload, status in deliveries.items()}
    assert stopped == 0
    assert posted and all(statuses[channel] == "sent" for channel in posted), statuses
    assert len(posted) == len(set(posted))


def test_sigterm_on_an_idle_bot_stops_it_with_no_warning_in_the_log(tmp_path: Path, slack: FakeSlack) -> None:
    """A deploy's ordinary stop is not a problem: a warning on each one would teach operators to skip warnings."""
    upgraded(tmp_path).dispose()
    log = tmp_path / "bot.log"
    with log.open("w") as written:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1", "--port", "0"],
            cwd=tmp_path,
            env=bot_environment(slack),
            stderr=written,
            text=True,
        )
    try:
        wait_until(lambda: "listening on" in log.read_text() or process.poll() is not None)
        process.send_signal(signal.SIGTERM)
        stopped = process.wait(timeout=30)
    finally:
        process.kill()

    lines = log.read_text().splitlines()
    assert stopped == 0, lines
    assert any("stopping" in line for line in lines), lines
    assert [line for line in lines if " INFO " not in line] == []
