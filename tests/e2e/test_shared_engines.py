"""The engines the tests' bots share (tests/conftest.py): one warm engine for every bot that can take it, and a check
that no test leaves the SQLite writer lock of an engine every later test uses held."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from tests.conftest import RunningBot, bot_settings
from tests.engines import SharedEngines, still_held, writer_lock_held_message


def test_on_sqlite_bots_of_other_pool_and_timeout_settings_share_one_engine(
    bot: RunningBot, bot_engines: SharedEngines | None, database_url: str
) -> None:
    """SQLite's engine takes none of them, so a bot with fewer threads or a lock timeout need not start cold."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's engines differ in their pools and timeouts")
    assert bot_engines is not None
    other = bot_settings(bot.slack, database_url, listener_threads=1, database_lock_timeout=5)

    assert bot_engines.lend(other).pool is bot.runtime.engine.pool


def test_a_failing_commit_listener_leaves_no_writer_lock_held(bot: RunningBot, database_url: str) -> None:
    """A commit listener of the test's own, on the bot's engine copy, runs before the engine's own: raising, it skips
    the engine's end of the transaction, and the pool's checkin lets the lock go instead (models/engine.py)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's writers queue in the database")
    assert bot.engines is not None
    [shared] = bot.engines.opened()

    with failing_commits(bot.runtime.engine), pytest.raises(RuntimeError), bot.runtime.engine.begin() as connection:
        connection.execute(text("SELECT 1"))

    assert not still_held(shared, waiting=0), "the failed commit left the lock held"


def test_a_transaction_left_open_is_found_its_engine_retired_and_its_lock_left_to_it(
    bot: RunningBot, database_url: str
) -> None:
    """A connection kept checked out mid-transaction past a test holds the lock every later write of every later test
    would wait 30 s for: the check finds it and names it, later bots get another engine, and the connection, once it
    ends, lets go of its own lock as ever (the check never let it go under it)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's writers queue in the database")
    assert bot.engines is not None
    [shared] = bot.engines.opened()
    left_open = shared.connect()
    left_open.begin()

    assert still_held(shared, waiting=0)
    assert "mark the test `own_engine`" in writer_lock_held_message([shared])
    bot.engines.retire(shared)
    left_open.close()
    assert not still_held(shared, waiting=0)
    assert bot.engines.lend(bot.runtime.settings).pool is not shared.pool


@contextmanager
def failing_commits(engine: Engine) -> Iterator[None]:
    """A commit listener of the test's own on `engine`, raising, for the block."""

    def refuse(_connection: Any) -> None:
        raise RuntimeError("the test's own commit listener failed")

    event.listen(engine, "commit", refuse)
    try:
        yield
    finally:
        event.remove(engine, "commit", refuse)
