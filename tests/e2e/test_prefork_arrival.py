"""Several worker processes count a request's wait for a free thread towards its ack deadline, as one does.

Slack's 3 seconds run from when it sent the request. With `--workers N`, gunicorn's threaded worker queues a
burst larger than its threads in its thread pool; a deadline counted from when a thread took a request would
hold it past 3 seconds (tests/e2e/test_server_arrival.py has the same for the one-process server).
"""

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.fakeslack import FakeSlack, SlackDriver
from bot.fakeslack.server import BOT_TOKEN
from handlers.timely import HOLDING_NOTE
from models.engine import make_engine
from tests.conftest import SIGNING_SECRET
from tests.e2e.test_cli import listening_url, wait_until_healthy
from tests.helpers import holding_the_workspaces, load_org

SLACK_WAITS = 3.0  # seconds Slack gives an ack before it shows the person an error


def test_commands_queued_behind_busy_worker_threads_still_get_their_holding_answers_in_time(
    tmp_path: Path, slack: FakeSlack, database_url: str, sessions: sessionmaker[Session]
) -> None:
    """Two workers of one thread each, three commands the database holds up: one worker queues at least one of
    them behind the first, whose holding answer frees the thread only at the first's 2-second deadline."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL")
    load_org(sessions, datetime.now(UTC))
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "HTTP_THREADS": "1",
    }
    command = [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1", "--port", "0", "--workers", "2"]
    process = subprocess.Popen([*command, "--no-scheduler"], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    engine = make_engine(database_url)
    try:
        base = listening_url(process)
        wait_until_healthy(base, process)
        driver = SlackDriver(base + "/slack/events", SIGNING_SECRET, slack)

        def timed_boundaries() -> tuple[str, float]:
            sent = time.monotonic()
            reply = driver.post_form(driver.command_fields("U0AGENT1", "/boundaries"), settle=False)
            return reply.text, time.monotonic() - sent

        with holding_the_workspaces(engine), ThreadPoolExecutor(3) as senders:
            replies = [reply.result(timeout=30) for reply in [senders.submit(timed_boundaries) for _ in range(3)]]
    finally:
        process.terminate()
        process.wait(timeout=20)
        engine.dispose()

    assert [text for text, _ in replies] == [HOLDING_NOTE] * 3
    assert max(waited for _, waited in replies) < SLACK_WAITS
