"""A message exists exactly when the change that causes it does: a send that dies after the commit is not lost."""

import io
import logging
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.logs import configure_logging
from handlers.decisions import Announcement
from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery, Resolution, Workspace
from services import outbox
from services.pulse.rounds import INVITATION_KINDS
from services.resolutions import decisions
from tests.conftest import RunningBot, StartBot
from tests.e2e.test_resolutions_approvals import request_over_the_limit
from tests.helpers import employee, load_org_and_policy


def test_an_approval_whose_sending_step_dies_after_the_commit_reaches_the_employee_through_the_drain(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    deps = bot.runtime.deps

    # What the Approve listener does in its transaction; then the process dies before sending anything.
    with deps.sessions.begin() as session:
        resolution = session.scalars(select(Resolution)).one()
        decided = decisions.decide(
            session,
            resolution_id=resolution.id,
            decider=employee(session, "U0MGR1"),
            approve=True,
            reason=None,
            now=deps.now(),
        )
        Announcement.of(session, decided, now=deps.now())

    assert bot.slack.calls("chat.postMessage", channel="U0AGENT1") == []
    drain_outbox(deps, bot.runtime.sender_client)  # the Homes that listed the request, published again
    assert bot.slack.calls("chat.postMessage", channel="U0AGENT1") == [], "held for the process that queued it"
    bot.clock.advance(outbox.LEASE + timedelta(seconds=1))
    assert drain_outbox(deps, bot.runtime.sender_client) == 1
    assert drain_outbox(deps, bot.runtime.sender_client) == 0

    [told] = bot.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "Maya Manager approved your refund of $80" in told.text
    with bot.sessions() as session:
        assert session.scalars(select(Delivery.status).where(Delivery.idempotency_key.endswith(":outcome"))).all() == [
            "sent"
        ]


def test_a_listener_fan_out_is_left_to_the_background_sender(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    woken: list[bool] = []
    bot.runtime.deps.sender_bell.connect(lambda: woken.append(True))

    reply = bot.driver.command("U0HR", "/pulse", "start")

    assert "is open" in reply.text
    assert woken == [True]
    assert bot.slack.calls("chat.postMessage") == [], "the request thread sent nothing itself"
    assert drain_outbox(bot.runtime.deps, bot.runtime.sender_client) > 0


def test_drains_in_a_row_send_over_the_connection_to_slack_the_first_one_opened(bot: RunningBot) -> None:
    """The sender's threads outlive a drain, and with them the connection each keeps (bot/slack_pool.py)."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    opened = []
    for text in ("Your refund was approved", "Your refund was paid"):
        with bot.sessions.begin() as session:
            workspace = session.get_one(Workspace, employee(session, "U0AGENT1").workspace_id)
            payload = {"channel": "U0AGENT1", "text": text}
            outbox.enqueue(
                session, workspace=workspace, key=text, method="chat.postMessage", payload=payload, now=bot.clock.now()
            )
        before = bot.slack.state.connections_made
        assert drain_outbox(bot.runtime.deps, bot.runtime.sender_client) == 1
        opened.append(bot.slack.state.connections_made - before)

    assert opened == [1, 0]


def test_the_senders_threads_end_as_the_process_stops(start_bot: StartBot) -> None:
    """`Runtime.close` shuts the threads a drain kept for the next one down: none is left running."""
    before = sender_threads()
    running = start_bot()
    bot = next(running)
    load_org_and_policy(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        workspace = session.get_one(Workspace, employee(session, "U0AGENT1").workspace_id)
        payload = {"channel": "U0AGENT1", "text": "Your refund was approved"}
        outbox.enqueue(
            session, workspace=workspace, key="one", method="chat.postMessage", payload=payload, now=bot.clock.now()
        )
    assert drain_outbox(bot.runtime.deps, bot.runtime.sender_client) == 1
    assert sender_threads() - before, "the drain's threads are kept for the next one"

    next(running, None)  # the bot stops: runtime.close()

    assert sender_threads() - before == set()


def sender_threads() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name.startswith("sender")}


def test_a_pulse_reminder_slack_refuses_is_logged_without_its_person(bot: RunningBot) -> None:
    """Who was still reminded is who had not answered: the round's seal deletes it, the log never had it."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        workspace = session.get_one(Workspace, employee(session, "U0AGENT1").workspace_id)
        for kind in INVITATION_KINDS:
            payload = {"channel": "U0AGENT1", "text": "How was your week?"}
            key = f"{kind}:{workspace.slack_team_id}:7:U0AGENT1"
            outbox.enqueue(
                session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=bot.clock.now()
            )
    bot.slack.fail("chat.postMessage", error="channel_not_found", times=2)
    log = io.StringIO()
    configure_logging(logging.DEBUG, stream=log)
    try:
        drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    finally:
        configure_logging(logging.WARNING)

    refused = [line for line in log.getvalue().splitlines() if "refused it for good" in line]
    assert len(refused) == 2 and all("pulse" in line for line in refused)
    assert "U0AGENT1" not in log.getvalue()


@pytest.fixture
def paced_bot(
    start_bot: StartBot, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> Iterator[RunningBot]:
    """Production's pace of Slack retries, and a listener pool of two to make the point quickly."""
    yield from start_bot(listener_threads=2)


def test_rate_limited_messages_after_the_ack_wait_in_the_outbox_not_in_the_listeners(paced_bot: RunningBot) -> None:
    bot = paced_bot
    load_org_and_policy(bot.sessions, bot.clock.now())
    request = request_over_the_limit(bot)
    bot.slack.reset()
    bot.slack.fail("chat.postMessage", status=429, retry_after=3, times=3)  # Slack: slow down, for 3 s

    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 43 parcel lost in transit", settle=False)
    bot.driver.command("U0AGENT3", "/resolve", "refund 80 order 44 parcel lost in transit", settle=False)
    bot.driver.click("U0MGR1", request, "resolution_approve")

    late = [violation for violation in bot.slack.violations if violation.startswith("ack")]
    bot.slack.state.violations.clear()
    assert late == [], f"the click was not acked in time while listeners slept through a rate limit: {late}"
    assert len(bot.slack.calls("chat.postMessage:failed")) == 3, "each rate limit answered once, not retried"
    assert bot.slack.calls("chat.postMessage") == []
    bot.clock.advance(timedelta(seconds=4))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    assert bot.slack.calls("chat.postMessage", channel="U0AGENT1"), "the approval reaches the employee after all"
