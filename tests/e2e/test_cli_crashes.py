"""A command stopped by an error nobody foresaw: its traceback is logged once through the app's logging, and the
operator is told in one line; Python never prints it raw (not JSON, with PostgreSQL's row values in it)."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from models import Workspace
from services import directory
from tests.conftest import FIXTURES
from tests.e2e.test_cli import bot_environment, cli, upgraded

REFUSED = "error: `python -m bot {}` stopped on an unexpected error (IntegrityError); the log above has its traceback"


@pytest.fixture
def one_person_per_role(engine: Engine, sessions: sessionmaker[Session]) -> Iterator[None]:
    """A database that refuses a second person with the same role, as no migration of ours would."""
    with engine.begin() as connection:
        connection.execute(text("CREATE UNIQUE INDEX one_per_role ON employees (workspace_id, role)"))
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP INDEX one_per_role"))


@pytest.mark.usefixtures("one_person_per_role")
def test_an_unexpected_database_error_is_logged_once_without_the_rows_values(tmp_path: Path, database_url: str) -> None:
    imported = cli(
        tmp_path,
        "org",
        "import",
        str(FIXTURES / "org.csv"),
        "--workspace",
        "T0LATITUDE",
        env={"DATABASE_URL": database_url},
    )

    lines = imported.stderr.splitlines()
    assert imported.returncode == 1
    assert lines[-1] == REFUSED.format("org import")
    assert [line for line in lines if not line.startswith("    ")] == [
        next(line for line in lines if "CRITICAL latitude.cli: `org import` stopped on an unexpected IntegrityError"),
        lines[-1],
    ], "the traceback is indented under its one log line"
    assert "IntegrityError" in imported.stderr and "frontline" not in imported.stderr
    if database_url.startswith("postgresql"):
        assert "DETAIL: (the row's values are not logged)" in imported.stderr


@pytest.mark.usefixtures("one_person_per_role")
@pytest.mark.parametrize("set_in", ["environment", ".env"])
def test_every_command_logs_its_crash_as_json_with_log_format_json(
    tmp_path: Path, database_url: str, set_in: str
) -> None:
    env = {"DATABASE_URL": database_url}
    if set_in == ".env":
        (tmp_path / ".env").write_text("LOG_FORMAT=json\n")
    else:
        env["LOG_FORMAT"] = "json"

    imported = cli(tmp_path, "org", "import", str(FIXTURES / "org.csv"), "--workspace", "T0LATITUDE", env=env)

    *logged, told = imported.stderr.splitlines()
    entries = [json.loads(line) for line in logged]
    [crash] = [entry for entry in entries if entry["level"] == "CRITICAL"]
    assert imported.returncode == 1
    assert crash["message"] == "`org import` stopped on an unexpected IntegrityError"
    assert told == REFUSED.format("org import")
    assert "frontline" not in imported.stderr
    if database_url.startswith("postgresql"):
        assert "DETAIL: (the row's values are not logged)" in crash["traceback"]


@pytest.mark.usefixtures("one_person_per_role")
def test_a_log_format_no_one_knows_keeps_text_and_run_names_it(
    tmp_path: Path, database_url: str, slack: FakeSlack
) -> None:
    imported = cli(
        tmp_path,
        "org",
        "import",
        str(FIXTURES / "org.csv"),
        "--workspace",
        "T0LATITUDE",
        env={"DATABASE_URL": database_url, "LOG_FORMAT": "xml", "LOG_LEVEL": "chatty"},
    )
    run = cli(tmp_path, "run", "--http", "--port", "0", env={**bot_environment(slack), "LOG_FORMAT": "xml"})

    assert imported.returncode == 1
    assert " CRITICAL latitude.cli: `org import` stopped on an unexpected IntegrityError" in imported.stderr
    assert run.returncode == 2
    assert run.stderr.splitlines() == ["error: LOG_FORMAT must be text or json (got 'xml')"]


def test_run_stopped_by_an_unexpected_error_logs_it_as_json(tmp_path: Path, slack: FakeSlack) -> None:
    engine = upgraded(tmp_path)
    with engine.begin() as connection:
        connection.execute(
            text("CREATE TRIGGER no_workspace BEFORE INSERT ON workspaces BEGIN SELECT RAISE(ABORT, 'no'); END")
        )
    engine.dispose()

    run = cli(tmp_path, "run", "--http", "--port", "0", env={**bot_environment(slack), "LOG_FORMAT": "json"})

    *logged, told = run.stderr.splitlines()
    entries = [json.loads(line) for line in logged]
    [crash] = [entry for entry in entries if entry["level"] == "CRITICAL"]
    assert run.returncode == 1
    assert crash["message"] == "`run` stopped on an unexpected IntegrityError", "the database's refusal, by its name"
    assert told == REFUSED.format("run")
    assert "AssertionError" not in crash["traceback"]


def test_a_refused_insert_that_left_no_row_is_told_as_the_databases_refusal(
    sessions: sessionmaker[Session], workspace: Workspace, clock: MovableClock
) -> None:
    """Not as a lost race: the workspace was removed meanwhile, and the new person cannot belong to it."""
    with sessions.begin() as session:
        session.execute(delete(Workspace).where(Workspace.id == workspace.id))

    with sessions() as session, pytest.raises(IntegrityError):
        directory.identify(session, workspace=workspace, slack_id="U0NEW", name="Noor", now=clock.now())
