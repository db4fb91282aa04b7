"""In Socket Mode too, a burst of commands held up by the database is acked within Slack's 3 seconds
(PostgreSQL only: there a held lock holds up the listeners)."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from tests.conftest import RunningBot, bot_settings, in_socket_mode, running_bot
from tests.helpers import holding_the_workspaces, load_org_and_policy, wait_until_waiting_for_the_lock

BURST = 14
"""More than slack_sdk's default of 10 Socket Mode workers, fewer than the listener threads."""


@pytest.fixture
def ready(
    slack: FakeSlack, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> Iterator[RunningBot]:
    """The bot in Socket Mode with production's 2 s deadline and 32 listener threads."""
    if "postgresql" not in database_url:
        pytest.skip("needs PostgreSQL: a held lock holds up the listeners only")
    load_org_and_policy(sessions, clock.now())
    settings = bot_settings(slack, database_url, answer_within=2.0, listener_threads=32, http_threads=16)
    for bot in running_bot(settings, slack, clock):
        with in_socket_mode(bot):
            yield bot


def test_a_burst_of_commands_held_by_the_database_is_acked_within_3_seconds(ready: RunningBot) -> None:
    with ThreadPoolExecutor(BURST) as pool, holding_the_workspaces(ready.runtime.engine):
        replies = [pool.submit(ready.driver.command, "U0AGENT1", "/boundaries", settle=False) for _ in range(BURST)]
        wait_until_waiting_for_the_lock(ready.runtime.engine, 1)
        answered = [reply.result(timeout=20) for reply in replies]
    ready.driver.settle()

    late = [problem for problem in ready.slack.violations if "not acknowledged" in problem or "came after" in problem]
    ready.slack.violations.clear()
    assert [reply.status for reply in answered] == [200] * BURST
    assert late == []
