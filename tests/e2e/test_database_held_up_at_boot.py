"""A database that answers but holds start-up up says so in its one line: another session's lock outlasting
DATABASE_LOCK_TIMEOUT, or a statement cancelled by DATABASE_STATEMENT_TIMEOUT, is not a database out of reach."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.fakeslack import FakeSlack
from bot.runtime import build_runtime
from bot.startup import DatabaseUnreachable, describe_url
from tests.conftest import bot_settings


@contextmanager
def version_table_locked(engine: Engine) -> Iterator[None]:
    """The test's own connection holds the version table, as a `db upgrade` in the middle of a migration does."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no lock or statement timeouts")
    with engine.connect() as holder:
        holder.exec_driver_sql("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            holder.rollback()


def test_start_up_held_past_the_lock_timeout_says_another_session_holds_a_lock(
    slack: FakeSlack, sessions: sessionmaker[Session], engine: Engine, database_url: str
) -> None:
    with version_table_locked(engine), pytest.raises(DatabaseUnreachable) as held:
        build_runtime(bot_settings(slack, database_url, database_lock_timeout=1))

    assert str(held.value) == (
        f"the database at {describe_url(database_url)} did not answer within 1 s (DATABASE_LOCK_TIMEOUT): "
        "another session holds a lock Latitude needs: canceling statement due to lock timeout"
    )


def test_start_up_held_past_the_statement_timeout_says_a_statement_took_too_long(
    slack: FakeSlack, sessions: sessionmaker[Session], engine: Engine, database_url: str
) -> None:
    settings = bot_settings(slack, database_url, database_lock_timeout=30, database_statement_timeout=1)
    with version_table_locked(engine), pytest.raises(DatabaseUnreachable) as held:
        build_runtime(settings)

    assert str(held.value) == (
        f"the database at {describe_url(database_url)} cancelled a statement that took longer than 1 s "
        "(DATABASE_STATEMENT_TIMEOUT): canceling statement due to statement timeout"
    )
