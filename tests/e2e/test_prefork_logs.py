"""With `--workers N`, gunicorn's own lines go through the process's one handler like every other record: a
malformed request from anyone who reaches the port is logged in LOG_FORMAT, one JSON object per line with `json`.
"""

import json
import os
import queue
import socket
import subprocess
import sys
import threading
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
    records = malformed_requests_served(tmp_path, slack, database_url, sessions, {"LOG_FORMAT": "json"})

    refused = [r["message"] for r in records if r["logger"] == "gunicorn.error" and r["level"] == "WARNING"]
    assert len(refused) == 2 and all(message.startswith("Invalid request from ip=127.0.0.1") for message in refused)


def test_with_log_level_error_gunicorns_warnings_stay_out_of_the_log(
    tmp_path: Path, slack: FakeSlack, database_url: str, sessions: sessionmaker[Session]
) -> None:
    records = malformed_requests_served(
        tmp_path, slack, database_url, sessions, {"LOG_FORMAT": "json", "LOG_LEVEL": "ERROR"}
    )

    assert [r for r in records if r["level"] not in ("ERROR", "CRITICAL")] == []


def malformed_requests_served(
    folder: Path, slack: FakeSlack, database_url: str, sessions: sessionmaker[Session], settings: dict[str, str]
) -> list[dict[str, str]]:
    """What two workers log when sent the malformed requests, with these settings; each line one JSON record."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL")
    load_org(sessions, datetime.now(UTC))
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        **settings,
    }
    port = _free_port()  # "listening on" is an INFO line, which LOG_LEVEL=ERROR leaves out
    command = [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--no-scheduler"], cwd=folder, env=env, stderr=subprocess.PIPE, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_forward, args=(process.stderr, lines), daemon=True)
    reader.start()
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process)
        for request in MALFORMED:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
                client.sendall(request)
                assert client.recv(64).startswith(b"HTTP/1.1 400")
    finally:
        process.terminate()
        process.wait(timeout=20)
        reader.join(timeout=10)  # to the end of what the processes wrote
    return [json.loads(line) for line in list(lines.queue)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
