"""A reader of the database counts the outbox's ids: every id the counter gave that is missing among the messages kept
is one deleted, dated by the messages kept around it. Messages deleted to forget who was told what (a pulse round's
invitations and reminders, an anonymous author's DMs) leave no such gap, nor does their key reach the log; nor do a
sealed round's answers and comments, whose counters would count those of groups too small to show."""

import io
import logging
from datetime import timedelta

from sqlalchemy import Engine, select, text

from bot.logs import configure_logging
from handlers.jobs.forget_anonymous_dms import forget_anonymous_dms
from models import Delivery, PulseComment, PulseResponse, Suggestion, Workspace
from models.schema import migrate, upgrade
from services import outbox
from tests.conftest import RunningBot
from tests.e2e.test_pulse_relay import COMMENT, commented_round
from tests.e2e.test_pulse_results import answer_all, close
from tests.e2e.test_pulse_rounds import start, tick
from tests.e2e.test_suggestions_anonymous import suggest_anonymously
from tests.helpers import load_org
from tests.pulse_org import EAST, EVERYONE, WEST, load_pulse_org, org_csv
from tests.suggestions_helpers import after_the_release, load_suggestion_org

AGENT_08 = "U0A08"


def kept_message(bot: RunningBot, name: str) -> int:
    """A message the outbox keeps for weeks (an error DM), queued now: the id a reader finds beside the others."""
    with bot.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        key = f"error-dm:{workspace.slack_team_id}:{name}"
        payload = {"channel": "U0HR", "text": name}
        outbox.enqueue(
            session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=bot.clock.now()
        )
        return session.scalars(select(Delivery.id).where(Delivery.idempotency_key == key)).one()


def ids_given(engine: Engine, table: str) -> int:
    """How many ids the database's counter has given to `table` (SQLite's AUTOINCREMENT, PostgreSQL's sequence)."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            sequence = connection.scalar(text(f"SELECT pg_get_serial_sequence('{table}', 'id')"))
            counted = connection.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
            return int(counted[0]) if counted[1] else 0
        return int(connection.scalar(text(f"SELECT seq FROM sqlite_sequence WHERE name = '{table}'")) or 0)


def missing_ids(engine: Engine, table: str = "deliveries") -> set[int]:
    """The ids the counter gave that no row of `table` has now: each a row deleted."""
    with engine.connect() as connection:
        kept = set(connection.scalars(text(f"SELECT id FROM {table}")))
    return set(range(1, ids_given(engine, table) + 1)) - kept


def test_after_the_seal_no_gap_in_the_outbox_ids_says_the_only_person_of_a_time_zone_had_not_answered(
    bot: RunningBot, engine: Engine
) -> None:
    load_pulse_org(bot.sessions, bot.clock.now())
    alone_in_kolkata = org_csv().replace(
        "East Agent 08,Support East,frontline,U0MGR1,,America/New_York,",
        "East Agent 08,Support East,frontline,U0MGR1,,Asia/Kolkata,",
    )
    assert "Asia/Kolkata" in alone_in_kolkata
    load_org(bot.sessions, bot.clock.now(), alone_in_kolkata)
    assert "Pulse round 1 is open" in bot.driver.command("U0HR", "/pulse", "start").text
    answer_all(bot, [user for user in EVERYONE if user != AGENT_08], 4)

    bot.clock.advance(timedelta(hours=24) - timedelta(minutes=1))
    before = kept_message(bot, "just before the reminders")
    bot.clock.advance(timedelta(minutes=1))
    tick(bot)
    tick(bot)
    after = kept_message(bot, "just after the reminders")
    assert [c.channel for c in bot.slack.calls("chat.postMessage") if "Reminder:" in c.text] == [AGENT_08]
    bot.clock.advance(timedelta(hours=49))
    tick(bot)  # the round ends and is sealed

    with bot.sessions() as session:
        keys = session.scalars(select(Delivery.idempotency_key)).all()
    assert not [key for key in keys if key.startswith(("pulse:", "pulse-reminder:"))], "the seal forgot them"
    assert after == before + 1, "a gap between the kept ids would count those reminded: Agent 08 had not answered"
    assert missing_ids(engine) == set()


def test_no_gap_in_the_outbox_ids_dates_an_anonymous_idea_once_its_authors_dm_is_forgotten(
    bot: RunningBot, engine: Engine
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    before = kept_message(bot, "09:00")
    bot.clock.advance(timedelta(minutes=2))
    suggest_anonymously(bot)  # the author is told at once; the idea arrives 5 to 30 minutes later
    bot.clock.advance(timedelta(minutes=2))
    after = kept_message(bot, "09:04")
    with bot.sessions() as session:
        assert [key for key in session.scalars(select(Delivery.idempotency_key)) if key.startswith("anonymous-dm:")]

    after_the_release(bot)
    bot.clock.advance(timedelta(hours=1, minutes=5))
    forget_anonymous_dms(bot.runtime.deps, bot.runtime.sender_client)

    with bot.sessions() as session:
        keys = session.scalars(select(Delivery.idempotency_key)).all()
    assert not [key for key in keys if key.startswith("anonymous-dm:")], "the author's DM was forgotten"
    assert after == before + 1, "a gap between 09:00 and 09:04 would say the idea was sent then"
    assert missing_ids(engine) == set()


def test_a_failed_send_of_an_anonymous_authors_dm_logs_no_key_naming_the_idea(bot: RunningBot) -> None:
    """Logged at the moment it is sent, the key would date the idea its release shows later."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    log = io.StringIO()
    configure_logging(logging.INFO, stream=log)
    try:
        bot.slack.fail("chat.postMessage", channel="U0AGENT1", status=503)
        suggest_anonymously(bot)
        bot.clock.advance(timedelta(minutes=1))
        bot.slack.fail("chat.postMessage", channel="U0AGENT1", error="internal_error")
        after_the_release(bot)
        bot.clock.advance(timedelta(minutes=5))
        bot.slack.fail("chat.postMessage", channel="U0AGENT1", hang_up=True)
        after_the_release(bot)
    finally:
        configure_logging(logging.WARNING)
    with bot.sessions() as session:
        [idea] = session.scalars(select(Suggestion))

    logged = log.getvalue()
    assert logged.count("anonymous-dm:") >= 3, logged
    assert f"suggestion:{idea.id}" not in logged and str(idea.id) not in logged, logged


def test_the_ids_of_a_sealed_rounds_comments_count_no_comment_written(bot: RunningBot, engine: Engine) -> None:
    """Counted up, the ids would say how many comments were written before and during the round, the ones the seal
    dropped (a round below the threshold) too: the distance between two rounds' comments, or the counter itself."""
    counted_before = ids_given(engine, "pulse_comments")
    commented_round(bot)  # one comment, kept: five answered in its author's team

    with bot.sessions() as session:
        assert [c.text for c in session.scalars(select(PulseComment))] == [COMMENT]
        assert session.scalars(select(PulseComment.id)).one() < 0
    assert ids_given(engine, "pulse_comments") == counted_before


def test_the_ids_of_a_sealed_rounds_answers_count_none_given_in_a_group_too_small_to_show(
    bot: RunningBot, engine: Engine
) -> None:
    """Counted up, the ids the seal deletes would leave the counter at every answer given, from which a reader takes
    the ones the results show: what is left is how many answered in the groups too small to show."""
    counted_before = ids_given(engine, "pulse_responses")
    start(bot)
    answer_all(bot, EAST[:5], 4)
    answer_all(bot, WEST[:2], 2)
    close(bot)

    with bot.sessions() as session:
        assert session.scalars(select(PulseResponse)).all() == [], "sealed"
    assert ids_given(engine, "pulse_responses") == counted_before


def test_the_upgrade_leaves_the_answers_and_comments_counters_saying_nothing_of_what_was_given(
    bot: RunningBot, engine: Engine
) -> None:
    """Before revision 0051 answers and comments were counted: the counter an older release left says how many were
    ever given. The upgrade moves both on to the one figure every upgraded database shows."""
    migrate(engine, "downgrade", "0050")
    seen = {}
    for given in (21, 57):
        as_an_older_release_counted(engine, given)
        upgrade(engine)
        seen[given] = (ids_given(engine, "pulse_responses"), ids_given(engine, "pulse_comments"))
        migrate(engine, "downgrade", "0050")
    upgrade(engine)

    assert seen[21] == seen[57], "the counters are the same whatever was given before"
    assert min(seen[21]) > 57


def as_an_older_release_counted(engine: Engine, given: int) -> None:
    """Answers and comments, `given` of each, counted up and since deleted (sealed), as before revision 0051."""
    with engine.begin() as connection:
        for table in ("pulse_responses", "pulse_comments"):
            if engine.dialect.name == "postgresql":
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {given})"))
            else:
                connection.execute(text(f"DELETE FROM sqlite_sequence WHERE name = '{table}'"))
                connection.execute(text(f"INSERT INTO sqlite_sequence (name, seq) VALUES ('{table}', {given})"))
