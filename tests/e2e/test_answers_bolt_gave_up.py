"""A click whose listener waited past Bolt's 3 s for a free listener thread (every one held up by the database): Bolt
gives up on it and hands the click to the next listener that takes it, the catch-all for buttons of an earlier
release (handlers/unhandled.py). The click still goes through once a thread is free; the catch-all must not tell the
person that nothing was changed. PostgreSQL only, as tests/e2e/test_answers_in_time.py."""

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from handlers.unhandled import OLD_BUTTON
from models import Resolution
from tests.conftest import RunningBot, StartBot
from tests.e2e.test_resolutions_approvals import request_over_the_limit
from tests.helpers import holding_the_workspaces, load_org_and_policy


@pytest.fixture
def one_thread(
    start_bot: StartBot, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> Iterator[RunningBot]:
    """The bot with one listener thread, and 0.2 s to answer a command before it holds (2 s in production)."""
    if "postgresql" not in database_url:
        pytest.skip("SQLite's write lock would hold up the replay check before Bolt, not only the listener")
    load_org_and_policy(sessions, clock.now())
    yield from start_bot(listener_threads=1, answer_within=0.2)


def test_a_click_bolt_gave_up_on_goes_through_and_is_not_told_it_changed_nothing(one_thread: RunningBot) -> None:
    bot = one_thread
    request = request_over_the_limit(bot)
    with holding_the_workspaces(bot.runtime.engine):
        bot.driver.command("U0AGENT2", "/resolve", "refund 45 order 1234 arrived late", settle=False)  # the thread
        click = bot.driver.click_payload("U0MGR1", request, "resolution_approve")
        assert bot.driver.post_payload(click, settle=False).status == 200
    assert [problem.split(" after ")[0] for problem in bot.slack.violations] == ["ack: came"]
    bot.slack.violations.clear()  # Slack showed the manager its timeout: what follows is what they read
    bot.driver.settle()

    assert not [call for call in bot.slack.calls("response_url") if OLD_BUTTON in call.text]
    with bot.sessions() as session:
        approved = session.scalars(select(Resolution.status).where(Resolution.amount == 80)).one()
    assert approved == "approved"
    assert any("approved by Maya Manager" in update.text for update in bot.slack.calls("chat.update"))
