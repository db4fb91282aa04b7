"""Anonymous suggestions a day: each reaches its owner and the team's channel with nobody to answer for it, so one
person sends at most `ANONYMOUS_A_DAY` of them in 24 hours; named ones are not counted."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.blocks import suggestions as blocks
from models import Suggestion
from services.suggestions.anonymity import ANONYMOUS_A_DAY
from tests.conftest import RunningBot
from tests.e2e.test_suggestions_anonymous import suggest_anonymously
from tests.suggestions_helpers import after_the_release, load_suggestion_org


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


def sent_anonymously(bot: RunningBot, count: int, user: str = "U0AGENT1") -> None:
    for number in range(count):
        assert suggest_anonymously(bot, user, f"Idea number {number} about the returns desk") == {}


def stored(bot: RunningBot) -> int:
    with bot.sessions() as session:
        return len(session.scalars(select(Suggestion)).all())


def test_one_anonymous_suggestion_past_the_days_most_is_refused_on_the_form_and_nothing_is_sent(
    ready: RunningBot,
) -> None:
    sent_anonymously(ready, ANONYMOUS_A_DAY)

    refused = suggest_anonymously(ready, what="Yet another idea about the returns desk")
    after_the_release(ready)

    assert "anonymous suggestions in about the last day" in str(refused["errors"][blocks.ANONYMOUS])
    assert stored(ready) == ANONYMOUS_A_DAY
    assert len(ready.slack.calls("chat.postMessage", channel="C0EAST")) == ANONYMOUS_A_DAY


def test_a_teammate_and_the_same_person_a_day_later_still_send_anonymously(ready: RunningBot) -> None:
    sent_anonymously(ready, ANONYMOUS_A_DAY)

    assert suggest_anonymously(ready, "U0AGENT2", "A teammate's idea about the returns desk") == {}
    ready.clock.advance(timedelta(hours=24, minutes=31))
    assert suggest_anonymously(ready, what="An idea for the next day about the returns desk") == {}
    assert stored(ready) == ANONYMOUS_A_DAY + 2
