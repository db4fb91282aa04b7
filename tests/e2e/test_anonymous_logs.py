"""At DEBUG, with Bolt's and slack_sdk's loggers at DEBUG too, the log holds neither a relayed pulse conversation
(who wrote the comment, the reply, the answer) nor who sent an anonymous suggestion; nor does the transaction
that sent one, read by a database administrator."""

import io
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, text

from bot.logs import configure_logging
from handlers.blocks import pulse_results as result_blocks
from handlers.jobs.drain_outbox import drain_outbox
from models import Base
from tests.conftest import RunningBot
from tests.e2e.test_pulse_relay import COMMENT, after_the_relay_delay, commented_round, reply_from_results
from tests.e2e.test_suggestions_anonymous import IDEA, suggest_anonymously
from tests.helpers import employee
from tests.suggestions_helpers import after_the_release, load_suggestion_org

CHATTY = ("slack_bolt", "slack_bolt.App", "slack_sdk")


@contextmanager
def logged_at_debug() -> Iterator[Callable[[], tuple[str, str]]]:
    """Our log at DEBUG, and beside it what Bolt and slack_sdk would have written unfiltered."""
    ours, unfiltered = io.StringIO(), io.StringIO()
    configure_logging(logging.DEBUG, stream=ours)
    raw = logging.StreamHandler(unfiltered)
    chatty = [logging.getLogger(name) for name in CHATTY]
    levels = [logger.level for logger in chatty]
    for logger in chatty:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(raw)
    try:
        yield lambda: (ours.getvalue(), unfiltered.getvalue())
    finally:
        configure_logging(logging.WARNING)
        for logger, level in zip(chatty, levels, strict=True):
            logger.setLevel(level)
            logger.removeHandler(raw)


def test_a_relayed_pulse_conversation_leaves_no_trace_in_the_log(bot: RunningBot) -> None:
    commented_round(bot)
    with logged_at_debug() as logs:
        reply_from_results(bot, "U0MGR1", "Which shifts exactly?")
        [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
        bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
        bot.driver.submit("U0A01", bot.slack.calls("views.open")[-1].args["view"], {"message": "Saturday mornings"})
        after_the_relay_delay(bot)
    log, unfiltered = logs()

    assert "Saturday mornings" in unfiltered, "without the filter the conversation would be in the log"
    for secret in ("U0A01", "East Agent 01", COMMENT, "Which shifts exactly?", "Saturday mornings"):
        assert secret not in log, secret


def test_an_anonymous_suggestion_leaves_no_trace_of_its_author_in_the_log(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    with logged_at_debug() as logs:
        suggest_anonymously(bot)
        drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
        after_the_release(bot)
        [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
        bot.driver.click("U0MGR1", card, "suggestion_planned")
        drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    log, unfiltered = logs()

    assert "U0AGENT1" in unfiltered, "without the filter the author would be in the log"
    assert "U0AGENT1" not in log
    assert IDEA not in log


def test_no_row_keeps_the_moment_an_anonymous_idea_was_sent_once_it_is_released(
    bot: RunningBot, engine: Engine
) -> None:
    """PostgreSQL stamps each row with the transaction that wrote it (`xmin`) and the one that last locked it (`xmax`),
    a foreign key's check included: a reader of the database dating the sending transaction against its neighbours
    would learn the moment the idea's random wait hides. Before its release its own row carries the stamp (a copy
    of the database taken then is out of reach, as an open pulse round's is); after, only the author's confirmation,
    sealed and forgotten within the hour, does."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps no transaction on a row")
    load_suggestion_org(bot.sessions, bot.clock.now())
    suggest_anonymously(bot)
    with bot.sessions() as session:
        author = employee(session, "U0AGENT1")
    with engine.connect() as connection:
        [stamp] = connection.execute(text("SELECT xmin::text FROM suggestions")).scalars()
    before = _stamped(engine, stamp)
    after_the_release(bot)
    after = _stamped(engine, stamp)

    for name, row in before:
        assert "U0AGENT1" not in json.dumps(row, default=str), name
        assert author.id not in [value for key, value in row.items() if key.endswith("_id")], name
    assert "employees" in {name for name, _ in before}, "sending it locked the manager's row, through its key"
    assert {name for name, _ in after} <= {"deliveries", "seen_requests"}, after
    assert all(str(row["payload"]["channel"]).startswith("sealed:") for name, row in after if name == "deliveries")


def _stamped(engine: Engine, stamp: str) -> list[tuple[str, dict[str, object]]]:
    """Every row written or last locked by transaction `stamp`."""
    query = "SELECT * FROM {} WHERE xmin::text = :stamp OR xmax::text = :stamp"
    with engine.connect() as connection:
        return [
            (table.name, dict(row))
            for table in Base.metadata.sorted_tables
            for row in connection.execute(text(query.format(table.name)), {"stamp": stamp}).mappings()
        ]
