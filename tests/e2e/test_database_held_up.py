"""A statement of the running bot that runs too long (a runaway query, a plan gone wrong) is cancelled after
DATABASE_STATEMENT_TIMEOUT, and the person told to try again, rather than hold a listener thread for ever."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.startup import open_database
from models import Resolution
from tests.conftest import RunningBot, StartBot
from tests.e2e.test_installs import ALPHA_ORG, install_in, with_installs
from tests.helpers import count, load_org_and_policy

STUCK_FOR = 8
"""Seconds the slowed insert takes: far past the 1 s timeout, and past the 2 s a command has before its holding note."""


@pytest.fixture
def hasty_bot(
    start_bot: StartBot, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> Iterator[RunningBot]:
    """The bot with DATABASE_STATEMENT_TIMEOUT=1."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs in the process: no server to cancel a statement")
    yield from start_bot(database_statement_timeout=1)


@contextmanager
def slow_inserts_into(engine: Engine, table: str) -> Iterator[None]:
    """Each insert into `table` takes `STUCK_FOR` seconds, as a runaway statement would."""
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN PERFORM pg_sleep({STUCK_FOR}); RETURN NEW; END $$"
        )
        connection.exec_driver_sql(
            f"CREATE TRIGGER slow_row BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION slow_row()"
        )
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP TRIGGER slow_row ON {table}")
            connection.exec_driver_sql("DROP FUNCTION slow_row()")


def test_a_command_whose_statement_runs_past_the_statement_timeout_is_told_to_try_again(hasty_bot: RunningBot) -> None:
    bot = hasty_bot
    load_org_and_policy(bot.sessions, bot.clock.now())
    with slow_inserts_into(bot.runtime.engine, "resolutions"):
        reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late")

    assert reply.status == 200
    assert "Sorry, something went wrong on our side (reference `" in reply.json["text"], reply.text
    assert "Please try again in a minute" in reply.json["text"]
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


def test_the_statement_timeout_is_the_running_bots_only(database_url: str) -> None:
    """`db upgrade`, an export or any command run by hand may take as long as it needs."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's own setting")
    by_hand = open_database(database_url)
    bot = open_database(database_url, statement_timeout=120)
    disabled = open_database(database_url, statement_timeout=0)
    try:
        shown = [
            engine.connect().exec_driver_sql("SHOW statement_timeout").scalar() for engine in (by_hand, bot, disabled)
        ]
    finally:
        for engine in (by_hand, bot, disabled):
            engine.dispose()

    assert shown == ["0", "2min", "0"]


def test_a_command_while_the_replay_check_is_held_up_behind_a_lock_is_still_answered_within_slacks_3_seconds(
    bot: RunningBot,
) -> None:
    """The check in front of Bolt runs before any holding answer can be given: behind a lock on its table (a `VACUUM
    FULL`, an `ALTER TABLE` by hand) it would wait out DATABASE_LOCK_TIMEOUT, and Slack show the person an error."""
    if bot.runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's writers wait for each other in the process")
    load_org_and_policy(bot.sessions, bot.clock.now())
    with bot.runtime.engine.connect() as holder:
        holder.exec_driver_sql("LOCK TABLE seen_requests IN ACCESS EXCLUSIVE MODE")
        reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late")
        holder.rollback()

    assert "can't use its database right now" in reply.text and "nothing was done" in reply.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


@pytest.fixture
def slow_to_give_up_bot(
    start_bot: StartBot, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> Iterator[RunningBot]:
    """The bot with DATABASE_LOCK_TIMEOUT=5: past Slack's 3 s, yet short enough for a test to wait out."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's writers wait for each other in the process")
    yield from start_bot(database_lock_timeout=5)


def test_a_command_while_the_schema_check_is_held_up_behind_a_lock_is_still_answered_within_slacks_3_seconds(
    slow_to_give_up_bot: RunningBot,
) -> None:
    """The schema check (every 10 s) runs before the holding answer's deadline can be met: behind a lock on the version
    table (a `db upgrade` of the next release in the middle of its migration) it would wait out DATABASE_LOCK_TIMEOUT,
    and Slack show the person an error while the refund is logged all the same."""
    bot = slow_to_give_up_bot
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.clock.advance(timedelta(seconds=11))  # the schema is asked again with the next request
    with bot.runtime.engine.connect() as holder:
        holder.exec_driver_sql("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE")
        reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late")
        holder.rollback()

    assert bot.slack.violations == [], "the ack came late"
    assert "Logged your refund of $20" in reply.text, reply.text


@pytest.fixture
def slow_to_give_up_oauth_bot(start_bot: StartBot, database_url: str) -> Iterator[RunningBot]:
    """With OAuth installs, and DATABASE_LOCK_TIMEOUT=5."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's writers wait for each other in the process")
    yield from with_installs(start_bot, database_lock_timeout=5)


def test_with_installs_a_command_while_the_token_lookup_is_held_up_behind_a_lock_is_answered_within_3_seconds(
    slow_to_give_up_oauth_bot: RunningBot,
) -> None:
    """Bolt looks the workspace's token up before the holding answer's deadline can be met: behind a lock on the
    install tables (a `db upgrade` of the next release migrating them) it would wait out DATABASE_LOCK_TIMEOUT."""
    bot = slow_to_give_up_oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    with bot.runtime.engine.connect() as holder:
        holder.exec_driver_sql("LOCK TABLE slack_bots, slack_installations IN ACCESS EXCLUSIVE MODE")
        reply = alpha.command("U0AAGENT", "/resolve", "refund 20 order 7 arrived late")
        holder.rollback()

    assert bot.slack.violations == [], "the ack came late"
    assert "Please try again in a minute" in reply.text, reply.text
