"""A reader of the whole database counts every table's ids: an id a counter gave that no row has now is a row deleted,
dated by the rows kept around it. A manager's replies to an anonymous comment are withdrawn when Slack will not take
them and deleted when the round's replies end: they leave no such gap anywhere, nor move a counter that would count
them."""

from datetime import timedelta

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from models import Base
from models.schema import migrate, upgrade
from tests.conftest import RunningBot
from tests.e2e.test_outbox_gaps import ids_given
from tests.e2e.test_pulse_dms_refused import drain_after, replies
from tests.e2e.test_pulse_relay import after_the_relay_delay, commented_round, reply_from_results
from tests.e2e.test_pulse_rounds import tick

COUNTED = [table.name for table in Base.metadata.sorted_tables if table.autoincrement_column is not None]
"""Every table whose ids the database counts up."""


def missing(engine: Engine) -> dict[str, int]:
    """For each counted table, how many ids its counter gave that no row has now: each a row deleted."""
    with engine.connect() as connection:
        kept = {
            table: int(connection.scalar(text(f"SELECT count(*) FROM {table} WHERE id > 0")) or 0) for table in COUNTED
        }
    return {table: ids_given(engine, table) - kept[table] for table in COUNTED}


def reply(bot: RunningBot, words: str, *, delivered: bool = True) -> None:
    bot.slack.reset()
    reply_from_results(bot, "U0MGR1", words, delivered=delivered)


def test_replies_withdrawn_or_ended_leave_no_gap_a_reader_of_the_database_could_date(
    bot: RunningBot, engine: Engine
) -> None:
    commented_round(bot)
    seen_before = missing(engine)
    counted_before = ids_given(engine, "pulse_replies")

    reply(bot, "Which shifts?")
    reply(bot, "Mornings?", delivered=False)
    bot.slack.fail("chat.postMessage", error="invalid_blocks", channel="U0A01")
    after_the_relay_delay(bot)
    drain_after(bot, 60)
    assert "Slack would not deliver your reply" in bot.slack.messages_to("U0MGR1")[-1].text
    reply(bot, "Or evenings?")

    assert len(replies(bot)) == 2, "the second was withdrawn"
    assert missing(engine) == seen_before, "a gap between the first and third replies would date the one withdrawn"

    bot.clock.advance(timedelta(days=14))
    tick(bot)  # the round's replies end: every reply is deleted

    assert replies(bot) == []
    assert missing(engine) == seen_before, "the ids gone would say how many replies were relayed, and when"
    assert ids_given(engine, "pulse_replies") == counted_before


def test_the_upgrade_leaves_the_replies_counter_saying_nothing_of_what_was_relayed(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    """Before revision 0053 replies were counted: the counter an older release left says how many were ever relayed,
    the ones deleted since too. The upgrade moves it on to the one figure every upgraded database shows."""
    migrate(engine, "downgrade", "0052")
    seen = {}
    for given in (21, 57):
        as_an_older_release_counted(engine, given)
        upgrade(engine)
        seen[given] = ids_given(engine, "pulse_replies")
        migrate(engine, "downgrade", "0052")
    upgrade(engine)

    assert seen[21] == seen[57] > 57, "the same whatever was relayed before"


def as_an_older_release_counted(engine: Engine, given: int) -> None:
    """`given` replies counted up and since deleted (their replies ended), as before revision 0053."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('pulse_replies', 'id'), {given})"))
        else:
            connection.execute(text("DELETE FROM sqlite_sequence WHERE name = 'pulse_replies'"))
            connection.execute(text(f"INSERT INTO sqlite_sequence (name, seq) VALUES ('pulse_replies', {given})"))
