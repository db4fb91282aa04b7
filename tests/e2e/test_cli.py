"""The command line as an operator uses it: `python -m bot ...` in a fresh folder."""

import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.fakeslack import FakeSlack, SlackDriver
from bot.fakeslack.server import BOT_TOKEN
from models.engine import make_engine, make_session_factory
from models.schema import upgrade
from tests.conftest import FIXTURES, SIGNING_SECRET
from tests.helpers import load_org


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def cli(
    folder: Path,
    *args: str,
    env: dict[str, str] | None = None,
    python_flags: bool = False,
    unset: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS`, without the variables `unset`; with `python_flags`, ARGS go to Python itself (and name
    the module to run)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL")) and k not in unset}
    return subprocess.run(
        [sys.executable, *args] if python_flags else [sys.executable, "-m", "bot", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        timeout=60,
    )


def upgraded(folder: Path) -> Engine:
    """The folder's default database as `db upgrade` leaves it (tested above), made in-process to save a start-up."""
    engine = make_engine(f"sqlite:///{folder / 'latitude.db'}")
    upgrade(engine)
    return engine


def prepared_database(folder: Path) -> None:
    """The folder's default database after `db upgrade` and `org import` (both tested above)."""
    engine = upgraded(folder)
    load_org(make_session_factory(engine), datetime.now(UTC))
    engine.dispose()


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
    assert "currency USD; escalation reminder after 24 h; quiet hours 20:00-08:00\n" in policy.stdout


def test_a_bad_org_file_names_its_lines_and_writes_nothing(folder: Path) -> None:
    upgraded(folder)
    bad = folder / "org.csv"
    bad.write_text(
        "slack_id,name,team,role,manager_slack_id,tz\n"
        "U0A,Ann,East,boss,,\nU0B,Bob,East,frontline,U0Z,\nU0C,Cy,East,frontline,U0A,Europe\n"
    )

    result = cli(folder, "org", "import", str(bad), "--workspace", "T0LATITUDE")
    shown = cli(folder, "org", "show")

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: line 2: unknown role 'boss' (use frontline, manager, hr, admin)",
        "error: line 3: manager U0Z is neither in the file nor in the directory: add their row, or check the id",
        "error: line 4: tz 'Europe' is not an IANA time zone (like Europe/Paris)",
    ]
    assert "Traceback" not in result.stderr
    assert "no workspace yet" in shown.stderr, "nothing at all was written"


BOT_ONLY_PACKAGES = {"slack_bolt", "slack_sdk", "apscheduler", "matplotlib", "waitress", "handlers"}
UPGRADE_ONLY_PACKAGES = {"alembic"}


def imported_packages(stderr: str) -> set[str]:
    """Top-level packages a `python -X importtime` run loaded, read from its report on standard error."""
    lines = [line.split("|")[-1] for line in stderr.splitlines() if line.startswith("import time:")]
    return {line.strip().split(".")[0] for line in lines}


def test_help_and_the_export_start_without_loading_what_only_the_bot_needs(folder: Path) -> None:
    prepared_database(folder)

    helped = cli(folder, "-X", "importtime", "-m", "bot", "--help", python_flags=True)
    exported = cli(folder, "-X", "importtime", "-m", "bot", "export", "rewards", "--out", "x.csv", python_flags=True)

    assert helped.returncode == 0 and "export data for HR and payroll" in helped.stdout
    assert exported.returncode == 0, exported.stderr
    assert "0 reward grants" in exported.stderr
    assert imported_packages(helped.stderr) & (BOT_ONLY_PACKAGES | UPGRADE_ONLY_PACKAGES) == set()
    assert imported_packages(exported.stderr) & (BOT_ONLY_PACKAGES | UPGRADE_ONLY_PACKAGES) == set()
    assert "slack_bolt" in imported_packages(
        cli(folder, "-X", "importtime", "-c", "import bot.runtime", python_flags=True).stderr
    )


OTHER_COMMANDS_ONLY = {
    "bot.cli.org", "bot.cli.policy", "bot.cli.pulse", "bot.cli.digest", "bot.cli.run", "bot.cli.demo",
    "services.org_import", "services.policy.versions", "services.rewards.grants", "services.outbox",
}  # fmt: skip
"""What other commands (or the export's checks of a person in Slack) need, and the export started without."""


def test_the_export_starts_without_loading_what_only_other_commands_need(folder: Path) -> None:
    prepared_database(folder)

    exported = cli(folder, "-X", "importtime", "-m", "bot", "export", "rewards", "--out", "x.csv", python_flags=True)

    assert exported.returncode == 0, exported.stderr
    modules = {line.split("|")[-1].strip() for line in exported.stderr.splitlines() if line.startswith("import time:")}
    assert "services.rewards.export" in modules
    assert modules & OTHER_COMMANDS_ONLY == set()


def test_the_run_help_names_the_path_the_server_listens_on() -> None:
    from bot.cli.run import EVENTS_PATH
    from bot.server import EVENTS_PATH as SERVED

    assert EVENTS_PATH == SERVED


def test_run_refuses_a_missing_setting_an_old_schema_and_an_unreachable_database(folder: Path) -> None:
    tokens = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}

    missing = cli(folder, "run")
    make_engine(f"sqlite:///{folder / 'latitude.db'}").dispose()  # a database file without the schema
    behind = cli(folder, "run", "--http", env=tokens)
    unreachable = cli(folder, "run", env={**tokens, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"})

    assert missing.stderr.strip() == "error: SLACK_BOT_TOKEN is not set: copy .env.example to .env and fill it in"
    assert behind.stderr.strip().startswith("error: the database schema is behind the code")
    assert "run `python -m bot db upgrade` first" in behind.stderr
    assert unreachable.stderr.strip().startswith(
        "error: cannot reach the database at postgresql+psycopg://127.0.0.1:9/none: "
    )
    assert all(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 for r in (missing, behind, unreachable))


@pytest.fixture
def running(folder: Path, slack: FakeSlack) -> Iterator[str]:
    """`python -m bot run --http --port 0`: the process picks a free port and logs it; the test reads it there."""
    prepared_database(folder)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1", "--port", "0"],
        cwd=folder,
        env=bot_environment(slack),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield listening_url(process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def bot_environment(slack: FakeSlack) -> dict[str, str]:
    """What `python -m bot run` needs to serve the fake Slack, on the folder's default database."""
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
    }
    env.pop("DATABASE_URL", None)
    return env


def listening_url(process: subprocess.Popen[str], timeout: float = 30.0) -> str:
    """The base URL from the bot's "Latitude listening on http://...:PORT/slack/events" log line."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_forward, args=(process.stderr, lines), daemon=True).start()
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline and process.poll() is None:
        try:
            seen.append(lines.get(timeout=0.1))
        except queue.Empty:
            continue
        if found := re.search(r"listening on (http://[\d.]+:\d+)/slack/events", seen[-1]):
            return found.group(1)
    raise AssertionError("the bot did not say where it listens: " + "".join(seen))


def _forward(stream: IO[str] | None, lines: "queue.Queue[str]") -> None:
    """Read the bot's log as it comes (also keeps its pipe from filling up)."""
    for line in stream or ():
        lines.put(line)


def test_the_bot_serves_slack_over_http_against_the_configured_api_url(running: str, slack: FakeSlack) -> None:
    driver = SlackDriver(running + "/slack/events", SIGNING_SECRET, slack)

    help_reply = driver.command("U0AGENT1", "/boundaries", "help")
    driver.open_home("U0AGENT1")

    assert help_reply.status == 200 and "/boundaries help" in help_reply.text
    [publish] = slack.wait_for("views.publish")
    assert "Maya Manager" in publish.text
    assert slack.calls("auth.test"), "start-up checks the token against SLACK_API_URL"
    with urllib.request.urlopen(running + "/healthz", timeout=5) as health:
        assert health.status == 200


def test_org_import_on_a_fresh_database_learns_the_workspace_from_the_bot_token(folder: Path, slack: FakeSlack) -> None:
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack.api_url}
    assert cli(folder, "db", "upgrade").returncode == 0

    imported = cli(folder, "org", "import", str(FIXTURES / "org.csv"), env=env)
    listed = cli(folder, "workspace", "list", env={**env, "SLACK_SIGNING_SECRET": SIGNING_SECRET})

    assert imported.returncode == 0, imported.stderr
    assert [c.method for c in slack.calls()] == ["auth.test"]
    assert listed.stdout.splitlines() == ["T0LATITUDE\tworkspace\tLatitude Demo\tinstalled"]


def test_several_workers_are_refused_on_sqlite_in_one_line(folder: Path) -> None:
    upgraded(folder).dispose()
    tokens = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}

    refused = cli(folder, "run", "--http", "--workers", "2", env=tokens)

    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "error: --workers above 1 needs PostgreSQL (DATABASE_URL=postgresql+psycopg://...): "
        "SQLite allows one writing process, so run one worker"
    ]


def test_two_worker_processes_serve_slack_on_postgresql(
    folder: Path, slack: FakeSlack, database_url: str, sessions: sessionmaker[Session]
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
    }
    command = [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--no-scheduler"], cwd=folder, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        base = listening_url(process)
        wait_until_healthy(base, process)
        driver = SlackDriver(base + "/slack/events", SIGNING_SECRET, slack)
        replies = [driver.command("U0AGENT1", "/boundaries", "help") for _ in range(10)]
        driver.open_home("U0AGENT1")
        [publish] = slack.wait_for("views.publish")
        workers = children_of(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)

    assert all(reply.status == 200 and "/boundaries help" in reply.text for reply in replies)
    assert "Maya Manager" in publish.text
    assert len(workers) == 2


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def wait_until_healthy(base: str, process: subprocess.Popen[str], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as health:
                if health.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the workers never answered on {base} (exit code {process.poll()})")
