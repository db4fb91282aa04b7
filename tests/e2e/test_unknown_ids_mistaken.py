"""An org-file Slack id marked as Slack's nobody only on `users.info`'s word, and never for long once Slack shows it
knows them: a real person is not marked from Slack's own `user_not_found` to a send, a mark Slack contradicts (it
takes their Home) is lifted, and a mark neither spends the Messages tab's try nor tells HR twice in a calendar week."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, select

from handlers.home import RENDER_WHEN_SENT
from handlers.jobs.drain_outbox import drain_outbox
from handlers.unknown_ids import DM_NOT_SENT
from models import AuditEvent, Delivery, Workspace
from services import directory, messages_tab, outbox
from services.messages_tab import RETRY_AFTER
from services.outbox_keys import SLACK_ID_UNKNOWN_TOLD, home_key_prefix
from services.unknown_ids import FOUND, MARKED
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_home_again_sending import queue_homes_again
from tests.e2e.test_home_refused_readers import FINDS_NOBODY
from tests.e2e.test_unknown_ids import (
    HR,
    TYPO,
    forgive_homes_to_nobody,
    home_sent_again,
    load_org_with_a_typo,
    publishes_and_asks,
    remembered,
    told,
)
from tests.helpers import load_org, load_policy

SUNDAY_NIGHT = datetime(2026, 3, 8, 23, 50, tzinfo=UTC)


def drain(bot: RunningBot) -> None:
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)


def queue_dm(bot: RunningBot, key: str, channel: str) -> None:
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        dm = {"channel": channel, "text": f"hello {key}"}
        outbox.enqueue(
            session, workspace=workspace, key=key, method="chat.postMessage", payload=dm, now=bot.clock.now()
        )


def last_error(bot: RunningBot, key: str) -> str | None:
    with bot.sessions() as session:
        return session.scalars(select(Delivery.last_error).where(Delivery.idempotency_key == key)).one()


def notices_queued(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        keys = session.scalars(
            select(Delivery.idempotency_key).where(Delivery.idempotency_key.startswith(SLACK_ID_UNKNOWN_TOLD))
        )
        return sorted(keys)


@contextmanager
def audit_reads(bot: RunningBot) -> Iterator[list[str]]:
    """The statements reading the audit trail while the block runs."""
    reads: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "audit_events" in statement and statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    engine = bot.sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield reads
    finally:
        event.remove(engine, "before_cursor_execute", count)


def wrongly_marked(bot: RunningBot, slack_id: str) -> None:
    """Slack refuses their Home as nobody's and `users.info` says so too, of someone it knows."""
    bot.slack.fail("views.publish", **FINDS_NOBODY)
    bot.slack.fail("users.info", error="user_not_found")
    home_sent_again(bot, slack_id)
    assert remembered(bot) == [slack_id]


def seen_then_wrongly_marked(bot: RunningBot, slack_id: str) -> dict[str, Any]:
    """The org loaded, their Home published (what Slack shows them), then their id wrongly marked a minute later."""
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    home_sent_again(bot, slack_id)
    seen = bot.slack.state.home_view(slack_id)
    assert seen is not None
    bot.clock.advance(timedelta(minutes=1))
    wrongly_marked(bot, slack_id)
    return seen


def queue_home_asked_on_opening(bot: RunningBot, slack_id: str, seen: dict[str, Any]) -> None:
    """They open their Home while Slack rate-limits it: a Home over the one `seen` is queued (handlers/home.py)."""
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        payload = {"user_id": slack_id, "hash": seen["hash"], RENDER_WHEN_SENT: True}
        key = home_key_prefix("T0LATITUDE", slack_id) + str(seen["hash"])
        outbox.enqueue(
            session, workspace=workspace, key=key, method="views.publish", payload=payload, now=bot.clock.now()
        )


def test_slacks_own_user_not_found_to_a_home_marks_nobody_and_tells_hr_nothing(bot: RunningBot) -> None:
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.publish", error="user_not_found")

    home_sent_again(bot, "U0AGENT2")

    assert publishes_and_asks(bot, "U0AGENT2") == (1, 0) and remembered(bot) == []
    assert told(bot) == {person: [] for person in HR}


def test_a_home_slack_takes_lifts_a_wrong_mark_and_leaves_stale_dms_given_up(bot: RunningBot) -> None:
    seen = seen_then_wrongly_marked(bot, "U0AGENT2")
    queue_dm(bot, "dm-while-marked", "U0AGENT2")
    drain(bot)
    assert last_error(bot, "dm-while-marked") == DM_NOT_SENT.error

    bot.clock.advance(timedelta(minutes=1))
    queue_home_asked_on_opening(bot, "U0AGENT2", seen)
    drain(bot)
    with bot.sessions() as session:
        assert session.scalars(
            select(AuditEvent.subject).where(AuditEvent.action == FOUND).order_by(AuditEvent.id)
        ).all() == ["U0AGENT2"]

    bot.clock.advance(timedelta(minutes=1))
    queue_dm(bot, "dm-after-found", "U0AGENT2")
    drain(bot)
    assert last_error(bot, "dm-after-found") is None
    assert [c.text for c in bot.slack.messages_to("U0AGENT2")] == ["hello dm-after-found"]
    assert last_error(bot, "dm-while-marked") == DM_NOT_SENT.error, "no request: stale by now, it stays given up"


def test_a_dm_to_an_unknown_id_never_spends_the_messages_tab_try(bot: RunningBot) -> None:
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    home_sent_again(bot)
    forgive_homes_to_nobody(bot)
    with bot.sessions.begin() as session:  # the tab was found off a try ago; it is on again now
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        messages_tab.mark_off(session, workspace_id=workspace.id, now=bot.clock.now() - RETRY_AFTER)
    queue_dm(bot, "dm-to-the-typo", TYPO)
    queue_dm(bot, "dm-to-the-agent", "U0AGENT2")

    drain(bot)

    assert [c.text for c in bot.slack.messages_to("U0AGENT2")] == ["hello dm-to-the-agent"]
    assert last_error(bot, "dm-to-the-typo") == DM_NOT_SENT.error
    with bot.sessions() as session:
        assert session.scalars(select(Workspace.dms_off_since)).one() is None


def test_hr_are_told_once_each_calendar_week(bot: RunningBot) -> None:
    """The week is the calendar's (ISO, Monday first), as for every weekly notice: a DM late on Sunday is followed by
    the new week's on Monday, and by none more that week."""
    bot.clock.set(SUNDAY_NIGHT)
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    home_sent_again(bot)
    assert [len(notices) for notices in told(bot).values()] == [1, 1]
    bot.clock.advance(timedelta(minutes=20))  # Monday
    home_sent_again(bot)
    assert [len(notices) for notices in told(bot).values()] == [2, 2]

    for _ in range(6):  # the rest of that week
        bot.clock.advance(timedelta(days=1))
        home_sent_again(bot)
    assert [len(notices) for notices in told(bot).values()] == [2, 2]
    bot.clock.advance(timedelta(days=1))
    home_sent_again(bot)
    assert [len(notices) for notices in told(bot).values()] == [3, 3]
    forgive_homes_to_nobody(bot)


def test_an_hr_person_whose_own_id_is_unknown_is_not_told(bot: RunningBot) -> None:
    hr_typo = "U0HRTYPO"
    org = (FIXTURES / "org.csv").read_text() + f"{hr_typo},Hal Typo,People,hr,U0ADMIN,,,\n"
    load_org(bot.sessions, bot.clock.now(), org)
    load_policy(bot.sessions, bot.clock.now())

    home_sent_again(bot, hr_typo)

    assert remembered(bot) == [hr_typo]
    assert [key.split(":")[-3] for key in notices_queued(bot)] == ["U0ADMIN", "U0HR"]
    forgive_homes_to_nobody(bot)


def test_nobody_is_told_while_the_messages_tab_is_off(bot: RunningBot) -> None:
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        messages_tab.mark_off(session, workspace_id=workspace.id, now=bot.clock.now())

    home_sent_again(bot)

    assert remembered(bot) == [TYPO] and notices_queued(bot) == []
    forgive_homes_to_nobody(bot)


def test_a_batch_reads_the_marks_once_whatever_it_holds(bot: RunningBot) -> None:
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    queue_homes_again(bot, "U0AGENT1", "U0AGENT2", "U0MGR1")
    queue_dm(bot, "dm-1", "U0AGENT1")
    queue_dm(bot, "dm-2", "U0AGENT2")
    with audit_reads(bot) as reads:
        drain(bot)
    assert len(reads) == 1


def test_opening_their_home_lifts_a_wrong_mark(bot: RunningBot) -> None:
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    wrongly_marked(bot, "U0AGENT2")

    bot.clock.advance(timedelta(minutes=1))
    assert bot.driver.open_home("U0AGENT2").status == 200
    with audit_reads(bot) as reads:
        assert bot.driver.open_home("U0AGENT2").status == 200  # again within minutes: not asked of again
    assert reads == []
    with bot.sessions() as session:
        assert session.scalars(
            select(AuditEvent.subject).where(AuditEvent.action == FOUND).order_by(AuditEvent.id)
        ).all() == ["U0AGENT2"]

    queue_dm(bot, "dm-after-opening", "U0AGENT2")
    drain(bot)
    assert [c.text for c in bot.slack.messages_to("U0AGENT2")] == ["hello dm-after-opening"]


def test_a_home_withheld_in_the_batch_that_lifts_a_mark_marks_nobody_again(bot: RunningBot) -> None:
    """A batch read the mark before it sent: a Home asked for when the person opened theirs goes out and Slack takes
    it (the mark is lifted), while a Home queued for them again is withheld on the mark the batch read. The withheld
    one marks nobody anew, tells HR nothing, and their DMs go again."""
    seen = seen_then_wrongly_marked(bot, "U0AGENT2")
    notices_before = notices_queued(bot)

    bot.clock.advance(timedelta(minutes=1))
    queue_home_asked_on_opening(bot, "U0AGENT2", seen)
    queue_homes_again(bot, "U0AGENT2")
    drain(bot)

    with bot.sessions() as session:
        marks = session.scalars(
            select(AuditEvent.subject).where(AuditEvent.action == MARKED).order_by(AuditEvent.id)
        ).all()
    assert marks == ["U0AGENT2"]
    assert notices_queued(bot) == notices_before
    bot.clock.advance(timedelta(minutes=1))
    queue_dm(bot, "dm-after-the-batch", "U0AGENT2")
    drain(bot)
    assert last_error(bot, "dm-after-the-batch") is None
