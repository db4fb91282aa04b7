"""A command stopped by an error nobody foresaw: its traceback is logged once through the app's logging, and the
operator is told in one line; Python never prints it raw (not JSON, with PostgreSQL's row values in it)."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.fakeslack import FakeSlack
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
    error = crash["message"].rpartition(" ")[2]
    assert run.returncode == 1
    assert crash["message"] == f"`run` stopped on an unexpected {error}"
    assert told == REFUSED.replace("IntegrityError", error).format("run")
    assert "IntegrityError" in crash["traceback"], "the database's refusal, under the error it caused"
