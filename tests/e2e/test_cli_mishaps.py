"""The command line when something around it goes wrong: a database it cannot open or does not know, a reader
that stops early, a setting Slack refuses, a port it cannot have."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.fakeslack import FakeSlack
from tests.conftest import FIXTURES
from tests.e2e.test_cli import bot_environment, cli, prepared_database, upgraded
from tests.helpers import POLICY_EXAMPLE


def test_a_database_in_a_missing_folder_is_one_line_for_any_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'latitude.db'}"

    commands = (["org", "show"], ["export", "rewards"])
    results = [cli(tmp_path, *command, env={"DATABASE_URL": url}) for command in commands]

    expected = f"error: cannot reach the database at {url}: folder {tmp_path / 'missing'} does not exist"
    assert [r.stderr.strip() for r in results] == [expected, expected]
    assert all(r.returncode == 2 and r.stdout == "" for r in results)
    assert not (tmp_path / "missing").exists()


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(tmp_path: Path) -> None:
    """`python -m bot org show | head -1`: no traceback when the reader has gone."""
    prepared_database(tmp_path)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        shown = subprocess.run(
            [sys.executable, "-m", "bot", "org", "show"], cwd=tmp_path, stdout=write, stderr=subprocess.PIPE, env=clean
        )
    finally:
        os.close(write)

    assert shown.stderr.decode() == ""
    assert shown.returncode == 1


def test_with_one_bot_token_a_mistyped_workspace_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    prepared_database(tmp_path)

    mistyped = cli(tmp_path, "org", "import", str(FIXTURES / "org.csv"), "--workspace", "T0OTHER")
    shown = cli(tmp_path, "org", "show")

    assert mistyped.returncode == 2
    assert "no workspace T0OTHER in the database (known: T0LATITUDE)" in mistyped.stderr
    assert shown.returncode == 0 and "Sam Agent" in shown.stdout, "the one workspace is still found without --workspace"


def test_a_database_newer_than_the_code_says_so_and_upgrade_leaves_it_alone(tmp_path: Path) -> None:
    """A rollback to the previous release after `db upgrade`."""
    engine = upgraded(tmp_path)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()

    results = [cli(tmp_path, *command) for command in (["db", "status"], ["db", "upgrade"], ["org", "show"])]

    expected = "the database schema is newer than this code (at 9999, this code knows up to"
    assert all(expected in r.stdout + r.stderr for r in results), [r.stdout + r.stderr for r in results]
    assert [r.returncode for r in results] == [1, 2, 2]
    assert all(len((r.stdout + r.stderr).strip().splitlines()) == 1 for r in results)


def test_run_refuses_a_token_slack_does_not_accept_and_a_port_it_cannot_have_in_one_line(
    tmp_path: Path, slack: FakeSlack
) -> None:
    prepared_database(tmp_path)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = str(taken.getsockname()[1])
    try:
        wrong_token = cli(tmp_path, "run", "--http", env={**bot_environment(slack), "SLACK_BOT_TOKEN": "xoxb-wrong"})
        busy = cli(tmp_path, "run", "--http", "--host", "127.0.0.1", "--port", port, env=bot_environment(slack))
        out_of_range = cli(tmp_path, "run", "--http", "--port", "70000", env=bot_environment(slack))
    finally:
        taken.close()

    assert wrong_token.stderr.strip() == f"error: Slack did not accept SLACK_BOT_TOKEN at {slack.api_url}: invalid_auth"
    assert busy.stderr.strip() == f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert "70000 is not a port number (0 to 65535)" in out_of_range.stderr
    assert all(r.returncode == 2 and "Traceback" not in r.stderr for r in (wrong_token, busy, out_of_range))


def test_a_slack_that_cannot_be_reached_is_one_line_for_run_and_for_a_command_that_asks_it(tmp_path: Path) -> None:
    """slack_sdk logs its own error before raising; the operator reads one line."""
    prepared_database(tmp_path)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}/api/"  # bound, never listening: refused at once
    try:
        env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": nowhere}
        run = cli(tmp_path, "run", "--http", env=env)
        fresh = tmp_path / "fresh"
        fresh.mkdir()
        loaded = cli(
            fresh, "policy", "load", str(POLICY_EXAMPLE), env={**env, "DATABASE_URL": f"sqlite:///{fresh}/x.db"}
        )
    finally:
        closed.close()

    assert run.returncode == 2 and loaded.returncode == 2
    assert [line for line in run.stderr.splitlines() if "ERROR" in line or "error:" in line] == [
        next(line for line in run.stderr.splitlines() if line.startswith("error: Slack could not be reached"))
    ]
    assert len([line for line in loaded.stderr.splitlines() if line.strip()]) == 1, loaded.stderr


def test_several_workers_refuse_a_wrong_token_once_before_forking(
    tmp_path: Path, slack: FakeSlack, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL")
    environment = {**bot_environment(slack), "SLACK_BOT_TOKEN": "xoxb-wrong", "DATABASE_URL": database_url}

    refused = cli(tmp_path, "run", "--http", "--port", "0", "--workers", "2", env=environment)

    assert refused.stderr.strip() == f"error: Slack did not accept SLACK_BOT_TOKEN at {slack.api_url}: invalid_auth"
    assert refused.returncode == 2
