"""Homes queued to be published again, as the background sender meets them: one that cannot be rendered waits alone,
one waiting is enough per person, and a large import's Homes never hold up a DM."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from handlers import home_again
from handlers.delivery import PUBLISH
from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery, Employee
from services import directory, outbox
from services.outbox_keys import HOME_AGAIN
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy

HELLO = {"channel": "U0AGENT1", "text": "hello once"}


def queue_dm_and_homes(bot: RunningBot, *slack_ids: str) -> None:
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        outbox.enqueue(
            session, workspace=workspace, key="dm-1", method="chat.postMessage", payload=HELLO, now=bot.clock.now()
        )
        people = session.scalars(select(Employee).where(Employee.slack_id.in_(slack_ids))).all()
        home_again.queue_homes_of(session, workspace=workspace, people=people, now=bot.clock.now())


@contextmanager
def nominations_unreadable(bot: RunningBot) -> Iterator[None]:
    """The database fails every read of the nominations a Home lists, as a dropped connection or a lock would."""
    with bot.sessions.begin() as session:
        session.execute(text("ALTER TABLE nominations RENAME TO nominations_away"))
    try:
        yield
    finally:
        with bot.sessions.begin() as session:
            session.execute(text("ALTER TABLE nominations_away RENAME TO nominations"))


def homes_queued(bot: RunningBot) -> list[Delivery]:
    with bot.sessions() as session:
        return list(session.scalars(select(Delivery).where(Delivery.idempotency_key.startswith(HOME_AGAIN))))


def test_a_home_that_cannot_be_rendered_waits_alone_and_the_dms_of_its_batch_go_once(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    queue_dm_and_homes(bot, "U0MGR1")

    with nominations_unreadable(bot):
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    [home] = homes_queued(bot)
    assert (home.status, home.attempts, home.last_error) == ("pending", 1, home_again.NOT_RENDERED)
    bot.clock.advance(timedelta(minutes=6))
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert [call.text for call in bot.slack.messages_to("U0AGENT1")] == ["hello once"]
    assert bot.slack.state.home_view("U0MGR1") is not None
    [home] = homes_queued(bot)
    assert home.status == "sent"


def test_a_home_that_never_renders_is_given_up_after_its_tries(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    queue_dm_and_homes(bot, "U0MGR1")

    with nominations_unreadable(bot):
        for _ in range(outbox.MAX_ATTEMPTS):
            drain_outbox(bot.runtime.deps, bot.runtime.app.client)
            bot.clock.advance(timedelta(hours=1, minutes=1))

    [home] = homes_queued(bot)
    assert (home.status, home.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert [call.text for call in bot.slack.messages_to("U0AGENT1")] == ["hello once"]


def test_a_person_with_a_home_waiting_to_be_sent_gets_no_second_one(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    queue_dm_and_homes(bot, "U0MGR1", "U0MGR2")
    bot.clock.advance(timedelta(seconds=1))
    queue_dm_and_homes(bot, "U0MGR1")

    assert len(homes_queued(bot)) == 2
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    bot.clock.advance(timedelta(seconds=1))
    queue_dm_and_homes(bot, "U0MGR1")  # the one sent showed what was stored before: this change needs another

    assert len(homes_queued(bot)) == 3


def test_a_home_in_a_senders_hands_does_not_stand_for_a_later_change(bot: RunningBot) -> None:
    """It may be rendered already, from what was stored before the change."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    queue_dm_and_homes(bot, "U0MGR1")
    with bot.sessions.begin() as session:
        assert len(outbox.claim_due(session, now=bot.clock.now())) == 2
    bot.clock.advance(timedelta(seconds=1))

    queue_dm_and_homes(bot, "U0MGR1")

    assert len(homes_queued(bot)) == 2


def test_a_dm_queued_after_two_hundred_homes_goes_in_the_first_batch(bot: RunningBot) -> None:
    """Homes are paced at views.publish's 100 a minute: two hundred of them would hold the DM up two minutes."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    now = bot.clock.now()
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        for number in range(200):
            user_id = f"U0MOVED{number:03d}"  # people since gone from the directory: nothing is published for them
            key = f"{HOME_AGAIN}T0LATITUDE:{user_id}:{now.isoformat()}"
            payload = {"user_id": user_id, home_again.RENDER_WHEN_SENT: True}
            outbox.enqueue(session, workspace=workspace, key=key, method=PUBLISH, payload=payload, now=now)
    bot.clock.advance(timedelta(seconds=1))
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        outbox.enqueue(
            session, workspace=workspace, key="dm-1", method="chat.postMessage", payload=HELLO, now=bot.clock.now()
        )

    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    with bot.sessions() as session:
        dm = session.scalars(select(Delivery).where(Delivery.idempotency_key == "dm-1")).one()
        homes = session.scalars(select(Delivery.sent_at).where(Delivery.idempotency_key.startswith(HOME_AGAIN))).all()
    assert len(homes) == 200 and all(sent is not None for sent in homes)
    assert dm.sent_at is not None and dm.sent_at <= min(sent for sent in homes if sent is not None)


def test_a_home_a_sender_took_stands_for_no_later_change(bot: RunningBot) -> None:
    """A sender holding a Home past its lease (paced, Slack slow) may have rendered it before the change: a Home is
    queued again for the change."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    queue_dm_and_homes(bot, "U0MGR1")
    with bot.sessions.begin() as session:
        assert len(outbox.claim_due(session, now=bot.clock.now())) == 2
    bot.clock.advance(outbox.LEASE + timedelta(seconds=1))

    queue_dm_and_homes(bot, "U0MGR1")

    assert len(homes_queued(bot)) == 2


def test_queueing_homes_locks_only_the_homes_of_the_people_it_names(bot: RunningBot) -> None:
    """The follow-up tick hands over in every workspace, mostly nothing: the sender still takes every waiting Home
    meanwhile, and one for another person than the tick's."""
    if bot.runtime.engine.dialect.name != "postgresql":
        pytest.skip("row locks: SQLite has one writer at a time")
    load_org_and_policy(bot.sessions, bot.clock.now())
    queue_dm_and_homes(bot, "U0MGR1", "U0MGR2")
    tick = bot.sessions()
    tick.begin()
    try:
        workspace = directory.find_workspace(tick, "T0LATITUDE")
        assert workspace is not None
        mgr2 = tick.scalars(select(Employee).where(Employee.slack_id == "U0MGR2")).one()
        home_again.queue_homes_of(tick, workspace=workspace, people=[], now=bot.clock.now())
        home_again.queue_homes_of(tick, workspace=workspace, people=[mgr2], now=bot.clock.now())
        with bot.sessions.begin() as session:
            claimed = outbox.claim_due(session, now=bot.clock.now())
        assert sorted(c.idempotency_key.split(":")[2] for c in claimed if c.idempotency_key != "dm-1") == ["U0MGR1"]
    finally:
        tick.rollback()
        tick.close()
