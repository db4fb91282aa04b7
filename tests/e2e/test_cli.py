"""The command line as an operator uses it: `python -m bot ...` in a fresh folder."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.fakeslack import FakeSlack, SlackDriver
from bot.fakeslack.server import BOT_TOKEN
from tests.conftest import FIXTURES, SIGNING_SECRET


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def cli(folder: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        timeout=60,
    )


def test_upgrade_import_show_and_load_policy(folder: Path) -> None:
    assert cli(folder, "db", "upgrade").returncode == 0

    imported = cli(folder, "org", "import", str(FIXTURES / "org.csv"), "--workspace", "T0LATITUDE")
    shown = cli(folder, "org", "show")
    loaded = cli(folder, "policy", "load", str(FIXTURES.parent.parent / "policy.example.toml"))
    policy = cli(folder, "policy", "show")

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines()[0] == "7 added, 0 updated, 0 deactivated, 0 unchanged"
    assert "    Maya Manager (U0MGR1) — manager, Support East\n        Lee Senior (U0AGENT2)" in shown.stdout
    assert "as policy version 1" in loaded.stdout
    assert "refund         per incident 50; per day 150; per month 1000" in policy.stdout


def test_a_bad_org_file_names_its_lines_and_writes_nothing(folder: Path) -> None:
    cli(folder, "db", "upgrade")
    bad = folder / "org.csv"
    bad.write_text("slack_id,name,team,role,manager_slack_id\nU0A,Ann,East,boss,\nU0B,Bob,East,frontline,U0Z\n")

    result = cli(folder, "org", "import", str(bad), "--workspace", "T0LATITUDE")
    shown = cli(folder, "org", "show")

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: line 2: unknown role 'boss' (use frontline, manager, hr, admin)",
        "line 3: manager U0Z is not in the file",
    ]
    assert "Traceback" not in result.stderr
    assert "no workspace yet" in shown.stderr, "nothing at all was written"


def test_run_refuses_a_missing_setting_an_old_schema_and_an_unreachable_database(folder: Path) -> None:
    tokens = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}

    missing = cli(folder, "run")
    behind = cli(folder, "run", "--http", env=tokens)
    unreachable = cli(folder, "run", env={**tokens, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"})

    assert missing.stderr.strip() == "error: SLACK_BOT_TOKEN is not set: copy .env.example to .env and fill it in"
    assert behind.stderr.strip().startswith("error: the database schema is behind the code")
    assert "run `python -m bot db upgrade` first" in behind.stderr
    assert unreachable.stderr.strip().startswith("error: cannot reach the database at postgresql+psycopg://nobody@")
    assert all(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 for r in (missing, behind, unreachable))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def running(folder: Path, slack: FakeSlack) -> Iterator[str]:
    cli(folder, "db", "upgrade")
    cli(folder, "org", "import", str(FIXTURES / "org.csv"), "--workspace", "T0LATITUDE")
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1", "--port", str(port)],
        cwd=folder,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_healthy(url: str, process: subprocess.Popen[str]) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise AssertionError(f"the bot exited: {process.stderr.read() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the bot did not become healthy")


def test_the_bot_serves_slack_over_http_against_the_configured_api_url(running: str, slack: FakeSlack) -> None:
    driver = SlackDriver(running + "/slack/events", SIGNING_SECRET, slack)

    help_reply = driver.command("U0AGENT1", "/boundaries", "help")
    driver.open_home("U0AGENT1")

    assert help_reply.status == 200 and "/boundaries help" in help_reply.text
    [publish] = slack.wait_for("views.publish")
    assert "Maya Manager" in publish.text
    assert slack.calls("auth.test"), "start-up checks the token against SLACK_API_URL"
