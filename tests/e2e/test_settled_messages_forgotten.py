"""A request's or a tangible reward's messages (its copies with their customer's reference and summary or the reward's
reason, reminders, escalations, the requester's DMs, the updates of its copies) go from the outbox five weeks after it
was decided; what still waits keeps its messages however old, and a click on an old copy is still answered."""

import re
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import Connection, event, select

from bot.fakeslack import Call
from handlers.blocks import nominations as nomination_blocks
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from handlers.jobs.forget_sent_messages import forget_sent_messages
from models import Delivery, Nomination, Resolution
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy

LEE = "<@U0AGENT2|lee.senior>"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def keys(bot: RunningBot) -> set[str]:
    with bot.sessions() as session:
        return set(session.scalars(select(Delivery.idempotency_key)))


def of_the_request(bot: RunningBot, resolution_id: int) -> set[str]:
    """Its messages, and the updates queued for its copies (keyed by where each copy is)."""
    with bot.sessions() as session:
        rows = list(session.scalars(select(Delivery)))
    copies = {
        f"update:{row.result['channel']}:{row.result['ts']}:"
        for row in rows
        if row.idempotency_key.startswith(f"resolution:{resolution_id}:") and row.result and "ts" in row.result
    }
    under = (f"resolution:{resolution_id}:", *copies)
    return {row.idempotency_key for row in rows if row.idempotency_key.startswith(under)}


def request(bot: RunningBot, user: str, text: str) -> tuple[int, Call]:
    bot.driver.command(user, "/resolve", text)
    with bot.sessions() as session:
        resolution_id = max(session.scalars(select(Resolution.id)))
    return resolution_id, bot.slack.calls("chat.postMessage")[-1]


def forget(bot: RunningBot, batch: int = 500) -> int:
    return forget_sent_messages(bot.runtime.deps, WebClient(token="xoxb-x"), batch=batch)


def test_a_decided_requests_messages_go_five_weeks_after_the_decision_and_a_waiting_ones_stay(
    ready: RunningBot,
) -> None:
    deps, client = ready.runtime.deps, ready.runtime.app.client
    waiting, _ = request(ready, "U0AGENT3", "credit 90 order 77 billed twice")
    decided, _ = request(ready, "U0AGENT1", "refund 80 order 42 parcel lost in transit")
    ready.clock.advance(timedelta(hours=25))
    follow_up_pending_requests(deps, client)
    ready.clock.advance(timedelta(hours=24))
    follow_up_pending_requests(deps, client)
    [escalation] = [call for call in ready.slack.calls("chat.postMessage", channel="U0ADMIN") if "$80" in call.text]
    ready.slack.fail("chat.update", status=503, times=3)  # one copy is updated later, through the outbox
    ready.driver.click("U0ADMIN", escalation, "resolution_approve")
    ready.clock.advance(timedelta(minutes=5))
    drain_outbox(deps, client)
    decided_messages, waiting_messages = of_the_request(ready, decided), of_the_request(ready, waiting)
    for kind in (":request:", ":reminder:", ":escalation:", ":escalation-told:", ":outcome", "update:"):
        assert any(kind in key for key in decided_messages), kind
    assert any(":escalation:" in key for key in waiting_messages)

    ready.clock.advance(timedelta(days=34))
    forget(ready)
    assert decided_messages | waiting_messages <= keys(ready)

    ready.clock.advance(timedelta(days=400))
    gone = forget(ready, batch=2)  # the waiting request's messages come first, a page or two of them

    assert gone >= len(decided_messages)
    assert not decided_messages & keys(ready)
    assert waiting_messages <= keys(ready), "what still waits keeps its copies, escalations and their keys"


def test_a_decided_requests_messages_stay_while_an_update_of_a_copy_is_still_to_be_sent(ready: RunningBot) -> None:
    """Slack was down when it was decided and the bot did not run since: the update still owed to a copy is never lost,
    nor are the messages it belongs with; all go together once it was sent."""
    resolution_id, copy = request(ready, "U0AGENT1", "refund 80 order 42 parcel lost in transit")
    ready.slack.fail("chat.update", status=503, times=3)
    ready.driver.click("U0MGR1", copy, "resolution_approve")
    owed = of_the_request(ready, resolution_id)
    assert any(key.startswith("update:") for key in owed)
    ready.clock.advance(timedelta(days=36))

    forget(ready)
    assert owed <= keys(ready)

    drain_outbox(ready.runtime.deps, ready.runtime.app.client)
    assert "approved by Maya Manager" in ready.slack.calls("chat.update")[-1].text
    forget(ready)
    assert not owed & keys(ready)


def test_a_late_click_on_a_copy_whose_messages_are_gone_says_it_was_already_decided(ready: RunningBot) -> None:
    resolution_id, copy = request(ready, "U0AGENT1", "refund 80 order 42 parcel lost in transit")
    ready.slack.fail("chat.update", error="cant_update_message", channel=copy.response["channel"])
    ready.driver.click("U0MGR1", copy, "resolution_approve")  # Slack would not change Maya's copy: its buttons stay
    ready.clock.advance(timedelta(days=36))
    forget(ready)
    assert not of_the_request(ready, resolution_id)

    ready.driver.click("U0MGR1", copy, "resolution_decline")
    ready.driver.click("U0ADMIN", copy, "resolution_approve", forged=True)  # the manager's copy

    told = ready.slack.calls("response_url")
    assert len(told) == 2
    assert all("already approved by Maya Manager" in answer.text for answer in told)
    assert ready.slack.calls("views.open") == []
    with ready.sessions() as session:
        assert session.get_one(Resolution, resolution_id).status == "approved"


def test_a_decided_nominations_messages_go_too(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 talked a customer out of cancelling")
    ready.driver.command("U0AGENT3", "/nominate", f"{LEE} voucher_25 calmed an angry caller")
    with ready.sessions() as session:
        decided, waiting = session.scalars(select(Nomination.id).order_by(Nomination.id)).all()
    [first, _] = [call for call in ready.slack.messages_to("U0MGR1") if call.method == "chat.postMessage"]
    ready.driver.click("U0MGR1", first, nomination_blocks.APPROVE)
    nominators_dm = f"reward-approved:{decided}"
    assert {f"reward-approval:{decided}", f"reward-approval:{waiting}", nominators_dm} <= keys(ready)

    ready.clock.advance(timedelta(days=36))
    forget(ready)

    assert not {key for key in keys(ready) if key.startswith(f"reward-approval:{decided}")}
    assert nominators_dm not in keys(ready)
    assert f"reward-approval:{waiting}" in keys(ready)
    ready.driver.click("U0MGR1", first, nomination_blocks.APPROVE, forged=True)  # the buttons are gone: an old payload
    [told] = ready.slack.calls("response_url")
    assert "already approved by Maya Manager" in told.args["text"]


def test_forgetting_reads_ranges_of_the_key_index_never_the_whole_outbox(ready: RunningBot) -> None:
    """It runs every hour over an outbox that holds every message ever sent: each read is a range of the key's unique
    index (or rows by id), never the status index (it holds every message sent) nor a walk of the table."""
    _, copy = request(ready, "U0AGENT1", "refund 80 order 42 parcel lost in transit")
    request(ready, "U0AGENT3", "credit 90 order 77 billed twice")
    ready.slack.fail("chat.update", status=503, times=3)
    ready.driver.click("U0MGR1", copy, "resolution_approve")
    ready.clock.advance(timedelta(days=36))
    drain_outbox(ready.runtime.deps, ready.runtime.app.client)
    engine = ready.sessions.kw["bind"]
    seen: list[tuple[str, Any]] = []
    listen = lambda _c, _cur, statement, parameters, *_: seen.append((statement, parameters))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        assert forget(ready) > 0
    finally:
        event.remove(engine, "before_cursor_execute", listen)

    reads = [(s, p) for s, p in seen if "deliveries" in s and s.lstrip().upper().startswith(("SELECT", "DELETE"))]
    assert any("update:" in str(p) for _, p in reads), "the copies' updates are looked up too"
    with engine.connect() as connection:
        for statement, parameters in reads:
            plan = _plan(connection, statement, parameters)
            for walk in ("ix_deliveries_due", "ix_deliveries_workspace_id", "Seq Scan", "TEMP B-TREE"):
                assert walk not in plan, plan
            assert not re.search(r"SCAN deliveries(?! USING)", plan), plan


def _plan(connection: Connection, statement: str, parameters: Any) -> str:
    """As tests/e2e/test_database.py reads a plan: PostgreSQL is told to avoid a scan where an index can serve (its
    tables are tiny here, where a scan would be cheapest)."""
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return " | ".join(str(row[-1]) for row in rows)
    with connection.begin():
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        return " | ".join(str(row[0]) for row in rows)
