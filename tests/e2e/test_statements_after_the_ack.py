"""An Approve and a /nominate do what they did in fewer statements: the decision drops the request's queued updates in
its own transaction (no other one after the buttons are replaced), the requester's Home is queued in the statement that
looks for one waiting, a shout-out's messages are queued in one INSERT, and PostgreSQL takes several turns at once."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

from tests.conftest import RunningBot
from tests.e2e.test_resolutions_approvals import request_over_the_limit
from tests.helpers import load_org_and_policy
from tests.rewards_helpers import set_up


@contextmanager
def recorded(engine: Engine) -> Iterator[tuple[list[str], list[bool]]]:
    """The statements sent, and one entry per transaction begun, while the block runs."""
    statements: list[str] = []
    transactions: list[bool] = []

    def statement(_connection: object, _cursor: object, sql: str, *_: object) -> None:
        statements.append(" ".join(sql.split()))

    def begun(_connection: object) -> None:
        transactions.append(True)

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", begun)
    try:
        yield statements, transactions
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", begun)


def test_an_approval_writes_nothing_after_the_buttons_are_replaced_but_the_dm_sent(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    request = request_over_the_limit(bot)

    with recorded(bot.runtime.engine) as (_, transactions):
        bot.driver.click("U0MGR1", request, "resolution_approve")

    [update] = bot.slack.calls("chat.update")
    assert "approved by Maya Manager" in update.text
    assert len(transactions) == 3, "the replay check, the decision, the DM recorded sent"


def test_the_requesters_home_is_queued_in_the_statement_that_looks_for_one_waiting(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    request = request_over_the_limit(bot)

    with recorded(bot.runtime.engine) as (statements, _):
        bot.driver.click("U0MGR1", request, "resolution_approve")

    waiting = [sql for sql in statements if "next_attempt_at = deliveries.created_at" in sql]
    assert len(waiting) == 1 and waiting[0].startswith(("INSERT", "WITH")), waiting


def test_a_shout_outs_messages_are_queued_in_one_insert(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())

    with recorded(bot.runtime.engine) as (statements, _):
        reply = bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.senior> calmed an angry customer")

    assert "You recognised Lee Senior" in reply.text
    assert len(bot.slack.calls("chat.postMessage")) == 2
    assert len([sql for sql in statements if sql.startswith("INSERT INTO deliveries")]) == 1
    turns = [sql for sql in statements if "advisory_xact_lock" in sql]
    assert len(turns) == (1 if bot.runtime.engine.dialect.name == "postgresql" else 0), turns
