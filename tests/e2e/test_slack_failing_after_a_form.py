"""Slack failing just after a form was saved: the person still learns what happened, once, and nothing twice."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery, Suggestion
from tests.conftest import RunningBot
from tests.helpers import count
from tests.suggestions_helpers import load_suggestion_org


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


def test_a_suggestion_form_whose_confirmation_slack_rate_limits_is_confirmed_once_slack_is_back(
    ready: RunningBot,
) -> None:
    ready.driver.command("U0AGENT1", "/suggest")
    view = ready.slack.calls("views.open")[-1].args["view"]
    ready.slack.fail("chat.postMessage", status=429, retry_after=30, channel="U0AGENT1")

    assert ready.driver.submit("U0AGENT1", view, {"what": "A second card reader"}).json == {}
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)  # Slack asked for 30 s
    assert ready.slack.calls("chat.postMessage", channel="U0AGENT1") == []
    ready.clock.advance(timedelta(seconds=31))
    for _ in range(2):  # the second drain sends nothing twice
        drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    [told] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "Sent your suggestion" in told.text
    with ready.sessions() as session:
        assert count(session, Suggestion) == 1
        assert "pending" not in session.scalars(select(Delivery.status)).all()
