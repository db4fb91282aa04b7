"""Homes queued to be published again, as the background sender meets them: one that cannot be rendered waits alone,
one waiting is enough per person, and a large import's Homes never hold up a DM."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from handlers import home_again
from handlers.delivery_refusals import PUBLISH
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Delivery, Employee
from services import directory, outbox
from services.outbox_keys import HOME_AGAIN
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import load_org, load_org_and_policy

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


def queue_homes_again(bot: RunningBot, *slack_ids: str) -> None:
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
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


def test_a_home_for_someone_slack_does_not_know_is_dropped_in_one_info_line_and_its_batch_goes(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """The org file names a Slack id Slack has nobody of (mistyped, or the account is gone): Slack refuses their Home
    for good (`invalid_arguments`, "invalid `user_id`"). It is dropped, said once, at info: no error line, no retry."""
    typo = "U0TYPO,Tia Typo,Support East,frontline,U0MGR1,tia@example.com,America/New_York,\n"
    load_org_and_policy(bot.sessions, bot.clock.now())
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + typo)
    queue_dm_and_homes(bot, "U0MGR1", "U0TYPO")

    with caplog.at_level(logging.INFO):
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)
        bot.clock.advance(timedelta(hours=2))
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    said = [record for record in caplog.records if "Slack does not find the person" in record.message]
    assert [(record.levelno, "U0TYPO" in record.message) for record in said] == [(logging.INFO, True)]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert {str(home.payload["user_id"]): home.status for home in homes_queued(bot)} == {
        "U0MGR1": "sent",
        "U0TYPO": "failed",
    }
    assert bot.slack.state.home_view("U0MGR1") is not None
    assert [call.text for call in bot.slack.messages_to("U0AGENT1")] == ["hello once"]
    assert bot.slack.violations == ["views.publish: U0TYPO is nobody the workspace knows"]
    bot.slack.violations.clear()  # the refusal this test is about


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


def queue_homes_of_people_gone(bot: RunningBot, count: int) -> None:
    """Homes queued as after a large import, for people since gone from the directory: each waits its turn (paced),
    and nothing is published for them."""
    now = bot.clock.now()
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        for number in range(count):
            user_id = f"U0MOVED{number:04d}"
            key = f"{HOME_AGAIN}T0LATITUDE:{user_id}:{now.isoformat()}"
            payload = {"user_id": user_id, home_again.RENDER_WHEN_SENT: True}
            outbox.enqueue(session, workspace=workspace, key=key, method=PUBLISH, payload=payload, now=now)


def test_a_dm_queued_after_two_hundred_homes_goes_in_the_first_batch(bot: RunningBot) -> None:
    """Homes are paced at views.publish's 100 a minute: two hundred of them would hold the DM up two minutes."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    queue_homes_of_people_gone(bot, 200)
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


def test_a_change_in_the_same_instant_as_a_home_sent_queues_another(bot: RunningBot) -> None:
    """The Home sent may have been rendered before the change: one is queued for it, its key numbered."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    queue_dm_and_homes(bot, "U0MGR1")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    queue_dm_and_homes(bot, "U0MGR1")

    assert [home.status for home in homes_queued(bot)] == ["sent", "pending"]


def test_the_follow_up_tick_leaves_a_large_imports_homes_to_the_sender(bot: RunningBot) -> None:
    """Homes go out at views.publish's 100 a minute: a tick sending all of 2,000 managers' would last twenty minutes,
    and its next run would wait for it. It sends what is due for half a minute; the scheduled drain, the rest."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    queue_homes_of_people_gone(bot, 300)
    started = bot.clock.now()

    follow_up_pending_requests(bot.runtime.deps, bot.runtime.sender_client)

    assert bot.clock.now() - started < timedelta(minutes=1)
    waiting = [home for home in homes_queued(bot) if home.status == "pending"]
    assert 200 < len(waiting) < 300
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert all(home.status == "sent" for home in homes_queued(bot))


def test_with_the_home_tab_off_homes_are_dropped_with_one_warning_and_none_queued_until_it_is_opened(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack refuses every Home while the app's Home tab is off (`not_enabled`): an operator's setting, said once,
    not an error for each person an import moved, and no Home is queued for the changes after it."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.home_tab = False
    queue_dm_and_homes(bot, "U0MGR1", "U0MGR2", "U0ADMIN")

    with caplog.at_level(logging.INFO):
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == []
    assert len([record for record in caplog.records if "Home tab is off" in record.getMessage()]) == 1
    assert bot.slack.calls("views.publish") == []
    assert sorted(home.last_error or "" for home in homes_queued(bot)) == [
        "not_enabled",
        *["not_sent_home_tab_off"] * 2,
    ], "Slack was asked once; the sender dropped the others unasked"
    assert all(home.status == "failed" for home in homes_queued(bot))
    assert [call.text for call in bot.slack.messages_to("U0AGENT1")] == ["hello once"]

    bot.clock.advance(timedelta(seconds=1))
    queue_homes_again(bot, "U0MGR1", "U0MGR2")
    with caplog.at_level(logging.INFO):
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert len(homes_queued(bot)) == 3
    assert len([record for record in caplog.records if "Home tab is off" in record.getMessage()]) == 1

    bot.slack.state.app_home.home_tab = True
    bot.driver.open_home("U0MGR2")
    queue_homes_again(bot, "U0MGR1")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert len(homes_queued(bot)) == 4
    assert bot.slack.state.home_view("U0MGR1") is not None
