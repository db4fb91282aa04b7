"""The Home tab turned on again while the background sender was at work: a refusal Slack gave for a Home taken before
someone opened the tab, or the Homes the sender dropped unasked, no longer mark the workspace off; a Home Slack takes
shows it is on. Otherwise no Home would be queued there (a moved team's requests left on a manager's screen) until
someone opened the tab once more, and the operator would be warned again of a tab that is on."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import event, select

from bot.fakeslack.faults import Fault
from handlers import home_again
from handlers.delivery_refusals import PUBLISH
from handlers.jobs.drain_outbox import drain_outbox
from models import Employee
from services import directory, home_tab, outbox
from tests.conftest import RunningBot
from tests.e2e.test_home_again_sending import queue_dm_and_homes, queue_homes_again
from tests.helpers import load_org_and_policy, wait_until


def homes_off_since(bot: RunningBot) -> datetime | None:
    with bot.sessions() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        return workspace.homes_off_since


def draining(bot: RunningBot, *, batch: int) -> threading.Thread:
    sender = threading.Thread(
        target=drain_outbox, args=(bot.runtime.deps, bot.runtime.app.client), kwargs={"batch": batch}
    )
    sender.start()
    return sender


def test_a_running_sender_sends_the_homes_queued_once_the_tab_is_opened_again(bot: RunningBot) -> None:
    """Its first batch met the tab off; before that batch was recorded the operator turned it on, someone opened it,
    and an import queued a manager's Home: the sender's next batch publishes it."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.home_tab = False
    queue_dm_and_homes(bot, "U0MGR1")
    dm_held = bot.slack.pause("chat.postMessage", channel="U0AGENT1")

    sender = draining(bot, batch=2)
    dm_held.wait_until_arrived()
    wait_until(lambda: bool(bot.slack.calls("views.publish:failed")))
    bot.clock.advance(timedelta(seconds=1))
    bot.slack.state.app_home.home_tab = True
    bot.driver.open_home("U0ADMIN")
    queue_homes_again(bot, "U0MGR2")
    dm_held.release()
    sender.join(30)

    assert homes_off_since(bot) is None
    assert bot.slack.state.home_view("U0MGR2") is not None


def test_a_refusal_answered_before_the_tab_was_opened_and_recorded_after_leaves_it_on(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    queue_homes_again(bot, "U0MGR1")
    publish_held = bot.slack.pause("views.publish")

    sender = draining(bot, batch=25)
    publish_held.wait_until_arrived()
    bot.clock.advance(timedelta(seconds=1))
    bot.driver.open_home("U0ADMIN")  # the tab is on: it was off when the sender's Home reached Slack
    bot.slack.state.faults.add("views.publish", Fault(times=1, error="not_enabled"))
    publish_held.release()
    sender.join(30)

    assert homes_off_since(bot) is None
    bot.clock.advance(timedelta(seconds=1))
    queue_homes_again(bot, "U0MGR2")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert bot.slack.state.home_view("U0MGR2") is not None


def test_a_home_slack_takes_shows_the_tab_is_on_again(bot: RunningBot) -> None:
    """Nobody opened the tab since it was turned on again: a Home due later (one Slack asked to wait for) goes
    through, and Homes are queued there again."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.home_tab = False
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        later = bot.clock.now() + timedelta(minutes=1)
        payload = {"user_id": "U0MGR2", home_again.RENDER_WHEN_SENT: True}
        outbox.enqueue(
            session, workspace=workspace, key="home-later", method=PUBLISH, payload=payload, now=later, send_at=later
        )
    queue_homes_again(bot, "U0MGR1")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert homes_off_since(bot) is not None

    bot.slack.state.app_home.home_tab = True
    bot.clock.advance(timedelta(minutes=2))
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert homes_off_since(bot) is None
    queue_homes_again(bot, "U0MGR1")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert bot.slack.state.home_view("U0MGR1") is not None


def test_a_home_opened_again_within_minutes_writes_nothing_of_its_opening(bot: RunningBot) -> None:
    """The opening is noted once per `OPENING_NOTED_EVERY`, also for someone whose directory entry this process keeps
    a copy of (services/config_cache.py): a copy from before their first opening does not make each one a write."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/boundaries", "")  # their directory entry, copied before they open the Home
    bot.driver.open_home("U0AGENT1")
    first = opened_at(bot, "U0AGENT1")
    bot.clock.advance(timedelta(minutes=1))

    with written_to_employees(bot) as writes:
        bot.driver.open_home("U0AGENT1")

    assert writes == []
    assert opened_at(bot, "U0AGENT1") == first
    bot.clock.advance(home_tab.OPENING_NOTED_EVERY)
    bot.driver.open_home("U0AGENT1")
    assert opened_at(bot, "U0AGENT1") == bot.clock.now()


def opened_at(bot: RunningBot, slack_id: str) -> datetime | None:
    with bot.sessions() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        person = session.scalar(select(Employee).filter_by(workspace_id=workspace.id, slack_id=slack_id))
        assert person is not None
        return person.home_opened_at


@contextmanager
def written_to_employees(bot: RunningBot) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE EMPLOYEES"):
            seen.append(statement)

    event.listen(bot.runtime.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(bot.runtime.engine, "before_cursor_execute", record)
