"""A workspace migrating into a Grid org: Slack asks apps not to call its API until `grid_migration_finished`, so
every message waits, those a click or command sends at once included, and a restart meanwhile does not end the
wait (one `SLACK_BOT_TOKEN`, which each start checks with `auth.test`)."""

import logging
from datetime import timedelta

import pytest
from slack_bolt import BoltContext
from sqlalchemy import select

from bot.runtime import learn_workspace
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.warn_of_long_migrations import warn_of_long_migrations
from handlers.people import request_workspace
from models import Delivery, Workspace
from services import outbox
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy


def test_an_approval_request_made_during_a_migration_waits_and_goes_once_it_is_done(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.event({"type": "grid_migration_started", "enterprise_id": "E0GROUP"})

    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    during = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    with bot.sessions() as session:
        waiting = session.scalars(select(Delivery.idempotency_key).where(Delivery.sent_at.is_(None))).all()
    bot.driver.event({"type": "grid_migration_finished", "enterprise_id": "E0GROUP"})
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert during == [], "Slack was called during the migration"
    assert waiting, "the request waits in the outbox"
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "refund" in request.text


def test_a_restart_during_a_migration_keeps_its_messages_waiting(bot: RunningBot) -> None:
    bot.driver.event({"type": "grid_migration_started", "enterprise_id": "E0GROUP"})
    with bot.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        payload = {"channel": "U0AMGR", "text": "queued during the migration"}
        now = bot.clock.now()
        outbox.enqueue(
            session, workspace=workspace, key="meanwhile", method="chat.postMessage", payload=payload, now=now
        )

    learn_workspace(bot.runtime.app.client, bot.runtime.deps, bot.slack.api_url)  # a deploy while Slack migrates
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert bot.slack.calls("chat.postMessage", channel="U0AMGR") == [], "sent while Slack asked apps to wait"


def test_the_log_warns_of_a_migration_open_longer_than_is_plausible(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack's `grid_migration_finished` missed, nothing else would say why the workspace's messages wait."""
    bot.driver.event({"type": "grid_migration_started", "enterprise_id": "E0GROUP"})
    deps, client = bot.runtime.deps, bot.runtime.sender_client

    with caplog.at_level(logging.WARNING):
        bot.clock.advance(timedelta(hours=23))
        warn_of_long_migrations(deps, client)
        early = caplog.text
        bot.clock.advance(timedelta(hours=2))
        warn_of_long_migrations(deps, client)

    assert "migrating" not in early
    assert "T0LATITUDE has been migrating into a Grid org since" in caplog.text
    assert "grid_migration_finished was missed" in caplog.text


def test_a_missed_migration_end_is_logged_once_it_is_committed_never_for_a_request_rolled_back(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """A request naming the org ends the migration in its own transaction: one that fails rolls that back, and the
    next request ends it again. The log says so once, for the one that stuck."""
    bot.driver.event({"type": "grid_migration_started", "enterprise_id": "E0GROUP"})
    context = BoltContext({"deps": bot.runtime.deps, "team_id": "T0LATITUDE", "enterprise_id": "E0GROUP"})

    with caplog.at_level(logging.WARNING), pytest.raises(RuntimeError), bot.sessions.begin() as session:
        request_workspace(session, context)
        raise RuntimeError("the request failed after it found its workspace")
    rolled_back = caplog.text
    with caplog.at_level(logging.WARNING), bot.sessions.begin() as session:
        request_workspace(session, context)

    assert "grid_migration_finished never came" not in rolled_back
    assert caplog.text.count("grid_migration_finished never came") == 1
