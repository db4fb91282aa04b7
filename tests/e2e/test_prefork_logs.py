"""With `--workers N`, gunicorn's own lines go through the process's one handler like every other record: a
malformed request from anyone who reaches the port is logged in LOG_FORMAT, one JSON object per line with `json`.
"""

import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.fakeslack import FakeSlack
from bot.fakeslack.server import BOT_TOKEN
from tests.conftest import SIGNING_SECRET
from tests.e2e.test_cli import _forward, wait_until_healthy
from tests.helpers import load_org

MALFORMED = (b"GET\x1b[2J / HTTP/1.1\r\nHost: latitude\r\n\r\n", b"GET / HTTP/1.1\r\nBad\x01Header: v\r\n\r\n")


def test_a_malformed_request_to_a_worker_is_logged_as_json_like_every_other_line(
    tmp_path: Path, slack: FakeSlack, database_url: str, sessions: sessionmaker[Session]
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL")
    load_org(sessions, datetime.now(UTC))
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "LOG_FORMAT": "json",
    }
    command = [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1", "--port", "0", "--workers", "2"]
    process = subprocess.Popen([*command, "--no-scheduler"], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_forward, args=(process.stderr, lines), daemon=True)
    reader.start()
    try:
        base = _listening(process, lines)
        wait_until_healthy(base, process)
        for request in MALFORMED:
            with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=5) as client:
                client.sendall(request)
                assert client.recv(64).startswith(b"HTTP/1.1 400")
    finally:
        process.terminate()
        process.wait(timeout=20)
        reader.join(timeout=10)  # to the end of what the processes wrote

    records = [json.loads(line) for line in list(lines.queue)]
    refused = [r["message"] for r in records if r["logger"] == "gunicorn.error" and r["level"] == "WARNING"]
    assert len(refused) == 2 and all(message.startswith("Invalid request from ip=127.0.0.1") for message in refused)


def _listening(process: subprocess.Popen[str], lines: "queue.Queue[str]", timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        if found := re.search(r"listening on (http://[\d.]+:\d+)/slack/events", line):
            return found.group(1)
    raise AssertionError("the bot did not say where it listens")
