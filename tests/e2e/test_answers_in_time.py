"""A command the database holds up is still answered within Slack's 3 seconds, and its answer follows.

Slack shows "operation_timeout" for a command not acked within 3 s, even though the work then goes
through; the person sends it again. The driver refuses an ack later than that (see `SlackDriver.post`).
PostgreSQL only: on SQLite a held write lock holds up the replay check in front of Bolt as well (README,
*Speed*), and tests/unit/test_timely.py covers the ack itself on every database.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from handlers.timely import HOLDING_NOTE
from models import Resolution
from tests.conftest import RunningBot, bot_settings, running_bot
from tests.helpers import count, holding_the_workspaces, load_org_and_policy


@pytest.fixture
def ready(
    slack: FakeSlack, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> Iterator[RunningBot]:
    """The bot with 0.2 s to answer a command before it holds (2 s in production)."""
    if "postgresql" not in database_url:
        pytest.skip("SQLite's write lock would hold up the replay check before Bolt, not only the listener")
    load_org_and_policy(sessions, clock.now())
    yield from running_bot(bot_settings(slack, database_url, answer_within=0.2), slack, clock)


def test_a_fix_held_up_by_the_database_is_acked_in_time_and_answered_once_logged(ready: RunningBot) -> None:
    with holding_the_workspaces(ready.runtime.engine) as rows_of:
        reply = ready.driver.command("U0AGENT1", "/resolve", "refund 45 order 1234 arrived late", settle=False)

        assert reply.text == HOLDING_NOTE
        assert ready.slack.calls("response_url") == []
        assert rows_of("resolutions") == 0
    ready.driver.settle()

    [answer] = ready.slack.calls("response_url")
    assert "Logged your *refund* of $45" in answer.text
    assert "$105 left today" in answer.text
    assert answer.args["response_type"] == "ephemeral"
    with ready.sessions() as session:
        assert count(session, Resolution) == 1


def test_a_mistake_found_late_is_answered_through_the_response_url_too(ready: RunningBot) -> None:
    with holding_the_workspaces(ready.runtime.engine):
        reply = ready.driver.command("U0AGENT1", "/resolve", "teleport 5 beam them up", settle=False)
        assert "No need to send it again" in reply.text
    ready.driver.settle()

    [answer] = ready.slack.calls("response_url")
    assert "`teleport` isn't one of your categories" in answer.text
    with ready.sessions() as session:
        assert count(session, Resolution) == 0
