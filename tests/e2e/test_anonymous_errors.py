"""An error around something sent anonymously: its sender is never handed a reference that would tie them to it.

The error's log line carries the time to the millisecond, like a suggestion's `created_at` or the message a manager
receives; a reference the sender passes on to an admin would say "this person sent something then", and so which
suggestion, or which pulse comment, is theirs.
"""

import io
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from bot.logs import configure_logging
from handlers.blocks import pulse as pulse_blocks
from handlers.blocks import pulse_results as result_blocks
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.forget_anonymous_dms import forget_anonymous_dms
from models import Delivery, Suggestion
from tests.conftest import RunningBot
from tests.e2e.test_pulse_relay import commented_round, reply_from_results
from tests.e2e.test_pulse_rounds import answer, questions_dm, start, tick
from tests.e2e.test_suggestions_anonymous import everything_stored, suggest_anonymously
from tests.suggestions_helpers import load_suggestion_org

AUTHOR = "U0AGENT1"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


@contextmanager
def failing(bot: RunningBot, statement_start: str) -> Iterator[io.StringIO]:
    """The database refuses statements starting so; the log of that time is what the yielded stream holds."""
    stream = io.StringIO()
    configure_logging(logging.INFO, stream=stream)
    engine = bot.runtime.engine
    dbapi_error = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]

    def fail(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith(statement_start):
            raise dbapi_error("disk I/O error")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield stream
    finally:
        event.remove(engine, "before_cursor_execute", fail)
        configure_logging(logging.WARNING)


def told_the_author(bot: RunningBot, author: str = AUTHOR) -> str:
    """Everything Slack showed the author: DMs, ephemeral answers, forms."""
    told = [call.text for call in bot.slack.calls("chat.postMessage", channel=author)]
    told += [str(call.args.get("text")) for call in bot.slack.calls("response_url")]
    told += [json.dumps(call.args) for call in bot.slack.calls() if call.method.startswith("views.")]
    return "\n".join(told)


def references(log: str) -> set[str]:
    return set(re.findall(r"\[ref (\w+)\]", log))


def test_an_error_after_an_anonymous_suggestion_is_sent_gives_its_author_no_reference(ready: RunningBot) -> None:
    with failing(ready, "UPDATE deliveries") as stream:
        suggest_anonymously(ready)
    log = stream.getvalue()

    with ready.sessions() as session:
        assert session.scalars(select(Suggestion.anonymous)).one(), "the suggestion was sent"
        engine = session.get_bind()
    told = told_the_author(ready)
    assert "disk I/O error" in log and references(log), "the error was logged"
    assert "Your suggestion was sent anonymously, but then something went wrong" in told
    assert "no need to do it again" in told
    assert not {ref for ref in references(log) if ref in told}, "a reference the author could pass on"
    assert "reference `" not in told
    about_it = [line for line in everything_stored(engine).splitlines() if "refund script" in line]  # type: ignore[arg-type]
    for reader in (log, *about_it):
        assert AUTHOR not in reader and "Sam Agent" not in reader


def test_an_error_before_an_anonymous_suggestion_is_saved_gives_its_author_no_reference(ready: RunningBot) -> None:
    """Sent again a minute later, it would be dated just after the error the reference points at. The form stays
    open, what was typed in it kept, with the apology under its first field."""
    with failing(ready, "INSERT INTO suggestions") as stream:
        answer = suggest_anonymously(ready)
    log = stream.getvalue()

    assert answer["response_action"] == "errors"
    told = json.dumps(answer["errors"]) + told_the_author(ready)
    assert "disk I/O error" in log and references(log), "the error was logged"
    assert "can't use its database right now" in told and "try again" in told
    assert not {ref for ref in references(log) if ref in told}, "a reference the author could pass on"
    assert AUTHOR not in log


def test_an_error_after_a_named_suggestion_still_gives_a_reference(ready: RunningBot) -> None:
    ready.driver.command(AUTHOR, "/suggest")
    view = ready.slack.calls("views.open")[-1].args["view"]
    with failing(ready, "UPDATE deliveries") as stream:
        ready.driver.submit(AUTHOR, view, {"what": "Shorter refund script"})

    [ref] = references(stream.getvalue())
    assert f"Your suggestion was sent, but then something went wrong on our side (reference `{ref}`)" in (
        told_the_author(ready)
    )


@pytest.mark.parametrize("failing_at", ["the answer button", "the answer form"])
def test_an_error_while_a_pulse_comments_author_answers_a_reply_gives_them_no_reference(
    bot: RunningBot, failing_at: str
) -> None:
    """Only the comment's author holds that button: a reference from it would tell whose comment it was."""
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
    if failing_at == "the answer form":
        bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
        form = bot.slack.calls("views.open")[-1].args["view"]
    with failing(bot, "SELECT pulse_relays") as stream:
        if failing_at == "the answer form":
            acked = bot.driver.submit("U0A01", form, {"message": "Saturday mornings"}).body
        else:
            acked = bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION).body
    log = stream.getvalue()

    told = acked + told_the_author(bot, "U0A01")
    assert "disk I/O error" in log and references(log), "the error was logged"
    assert "something went wrong" in told or "can't use its database right now" in told
    assert not {ref for ref in references(log) if ref in told}, "a reference the author could pass on"
    assert "U0A01" not in log


def comment_on(bot: RunningBot, user: str, text: str) -> str:
    """The comment form's ack."""
    bot.driver.click(user, questions_dm(bot, user), pulse_blocks.COMMENT_ACTION)
    return bot.driver.submit(user, bot.slack.calls("views.open")[-1].args["view"], {"comment": text}).body


@pytest.mark.parametrize(
    ("what", "failing_at"),
    [
        ("answer", "INSERT INTO pulse_responses"),
        ("comment", "INSERT INTO pulse_comments"),
        ("answer", "chat.update"),
        ("comment", "chat.update"),
    ],
)
def test_an_error_around_a_pulse_answer_or_comment_gives_its_author_no_reference(
    bot: RunningBot, what: str, failing_at: str
) -> None:
    """A reference would keep past the round's seal that they answered, or that a comment is theirs."""
    start(bot)
    acked = ""
    with failing(bot, failing_at) as stream:
        if failing_at == "chat.update":
            bot.slack.fail("chat.update", error="cant_update_message")
        if what == "answer":
            answer(bot, "U0A01", 0, 4)
        else:
            acked = comment_on(bot, "U0A01", "Too few people on Saturdays")
    log = stream.getvalue()

    told = acked + told_the_author(bot, "U0A01")
    assert references(log), "the error was logged"
    assert "something went wrong" in told or "can't use its database right now" in told
    assert not {ref for ref in references(log) if ref in told}, "a reference the author could pass on"
    assert "U0A01" not in log


def anonymous_dms(bot: RunningBot) -> list[Delivery]:
    with bot.sessions() as session:
        return list(session.scalars(select(Delivery).where(Delivery.idempotency_key.startswith("pulse-anonymous:"))))


def test_the_error_dm_after_a_comment_that_slack_rate_limits_waits_sealed_and_is_deleted_with_the_round(
    bot: RunningBot,
) -> None:
    """Told only in the log, the author would never learn their comment was saved; a row naming them would keep,
    past the round's seal, that they commented then."""
    start(bot)
    bot.slack.fail("chat.update", error="cant_update_message")
    bot.slack.fail("chat.postMessage", status=429, retry_after=30, channel="U0A01")
    with failing(bot, "no statement fails") as stream:
        comment_on(bot, "U0A01", "Too few people on Saturdays")

    [queued] = anonymous_dms(bot)
    assert "U0A01" not in f"{queued.idempotency_key}{queued.payload}", "the outbox row does not name the author"
    assert "U0A01" not in stream.getvalue()
    bot.clock.advance(timedelta(seconds=31))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    assert "Your comment was saved, but then something went wrong" in told_the_author(bot, "U0A01")
    [sent] = anonymous_dms(bot)
    assert sent.status == "sent" and "U0A01" not in f"{sent.payload}{sent.result}"

    bot.clock.advance(timedelta(hours=72))
    tick(bot)

    assert anonymous_dms(bot) == [], "the round's seal deletes it, sent or not"


def test_the_error_dm_after_an_anonymous_suggestion_that_slack_rate_limits_waits_sealed_and_is_deleted_within_hours(
    ready: RunningBot,
) -> None:
    """No round ends with an idea: the row is deleted an hour on, sent or not, rather than never queued (the author
    would not learn their idea was sent) or kept (it would keep who was told something just as the idea came)."""
    ready.slack.fail("chat.postMessage", status=429, retry_after=30, channel=AUTHOR, times=2)
    with failing(ready, "UPDATE deliveries") as stream:
        suggest_anonymously(ready)

    [queued] = anonymous_suggestion_dms(ready)
    assert AUTHOR not in f"{queued.idempotency_key}{queued.payload}{stream.getvalue()}"
    ready.clock.advance(timedelta(seconds=31))
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)
    assert "Your suggestion was sent anonymously, but then something went wrong" in told_the_author(ready)
    [sent] = anonymous_suggestion_dms(ready)
    assert sent.status == "sent" and AUTHOR not in f"{sent.payload}{sent.result}"

    ready.clock.advance(timedelta(minutes=59))
    forget_anonymous_dms(ready.runtime.deps, ready.runtime.app.client)
    assert [dm.id for dm in anonymous_suggestion_dms(ready)] == [sent.id]
    ready.clock.advance(timedelta(minutes=1))
    forget_anonymous_dms(ready.runtime.deps, ready.runtime.app.client)
    assert anonymous_suggestion_dms(ready) == [], "deleted an hour on, sent or not"


def anonymous_suggestion_dms(bot: RunningBot) -> list[Delivery]:
    """The error DMs: not the form's answer, which waits under the same prefix (the idea was sent)."""
    with bot.sessions() as session:
        dms = session.scalars(select(Delivery).where(Delivery.idempotency_key.startswith("anonymous-dm:")))
        return [dm for dm in dms if not dm.idempotency_key.endswith(":sent")]
