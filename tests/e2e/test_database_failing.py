"""The database failing under the running bot, as an operator meets it: a restart or failover that cuts every pooled
connection, a database host that does not answer, a listener's transaction refused."""

import pytest
from sqlalchemy import Engine, text

from models import Resolution
from tests.conftest import RunningBot
from tests.helpers import count, load_org_and_policy


def _cut_every_connection_but_this_one(engine: Engine) -> int:
    """What a database restart or failover does to a running process's pool; how many connections were cut."""
    with engine.connect() as connection:
        cut = connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).all()
    return len(cut)


def test_a_command_sent_just_after_a_database_restart_goes_through(bot: RunningBot, engine: Engine) -> None:
    """The pool tests only a connection idle for 5 s; one cut in steady use fails its first statement, which the
    check in front of Bolt tries once more on a fresh connection rather than tell the person to try again."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to restart")
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late")
    assert _cut_every_connection_but_this_one(engine) >= 1

    reply = bot.driver.command("U0AGENT1", "/resolve", "refund 21 order 8 arrived late")

    assert "Logged your refund of $21" in reply.text, reply.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 2
