"""RELAY_SECRET rotated while sealed messages wait in the outbox: RELAY_SECRET_PREVIOUS still opens their seals."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.fakeslack import FakeSlack
from bot.runtime import make_deps
from handlers.deps import Deps
from handlers.jobs.drain_outbox import drain_outbox
from models import PulseComment, Suggestion, Workspace
from services.pulse import relay as pulse_relay
from tests.conftest import SIGNING_SECRET, RunningBot, bot_settings
from tests.e2e.test_pulse_relay import COMMENT, commented_round, reply_from_results
from tests.e2e.test_suggestions_anonymous import IDEA, suggest_anonymously
from tests.helpers import employee
from tests.suggestions_helpers import LONGEST_WAIT, after_the_release, load_suggestion_org


@pytest.fixture
def rotated(bot: RunningBot, slack: FakeSlack, database_url: str) -> Deps:
    """The bot restarted with a new RELAY_SECRET, and the secret it had (the signing secret) as the previous one."""
    settings = bot_settings(
        slack, database_url, relay_secret="a-new-relay-secret", relay_secret_previous=SIGNING_SECRET
    )
    return make_deps(settings, bot.sessions, bot.clock)


def sent_later(bot: RunningBot, deps: Deps, wait: timedelta) -> None:
    bot.clock.advance(wait)
    drain_outbox(deps, bot.runtime.sender_client)


def test_a_reply_sealed_before_the_secret_changed_still_reaches_the_comments_author(
    bot: RunningBot, rotated: Deps
) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Thanks — which shifts?", delivered=False)

    sent_later(bot, rotated, timedelta(minutes=pulse_relay.RELAY_DELAY_MINUTES[1], seconds=1))

    [to_author] = bot.slack.calls("chat.postMessage")
    assert to_author.channel == "U0A01" and COMMENT in to_author.text


def test_an_anonymous_authors_status_dm_waiting_when_the_secret_changed_still_reaches_them(
    bot: RunningBot, rotated: Deps
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    assert suggest_anonymously(bot) == {}
    after_the_release(bot)
    card = bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    bot.driver.click("U0MGR1", card, "suggestion_planned")  # the news waits a random while (suggestion_told.py)

    sent_later(bot, rotated, LONGEST_WAIT + timedelta(seconds=1))

    [told] = [c for c in bot.slack.calls("chat.postMessage", channel="U0AGENT1") if "plans to do" in c.text]
    assert IDEA in told.text


def test_an_anonymous_author_still_finds_an_idea_whose_token_was_made_under_the_previous_secret(
    bot: RunningBot, rotated: Deps
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    assert suggest_anonymously(bot) == {}

    with bot.sessions() as session:
        token = session.scalars(select(Suggestion.author_token)).one()
        author = employee(session, "U0AGENT1")
        assert rotated.relay is not None and rotated.relay.matches(token, author.workspace_id, author.id)


def test_a_comment_made_before_the_secret_changed_can_still_be_replied_to_and_answered(
    bot: RunningBot, rotated: Deps
) -> None:
    commented_round(bot)
    with bot.sessions() as session:
        workspace = session.scalars(select(Workspace)).one()
        comment = session.scalars(select(PulseComment)).one()
        to_author = pulse_relay.reply_to_comment(
            session,
            workspace=workspace,
            manager=employee(session, "U0MGR1"),
            comment_id=comment.id,
            text="Which shifts?",
            relay_key=rotated.relay_key,
            now=bot.clock.now(),
        )
        to_manager = pulse_relay.answer_reply(
            session,
            workspace=workspace,
            author=employee(session, "U0A01"),
            to=pulse_relay.AnswerTo(reply_id=to_author.reply_id, round_id=comment.round_id),
            text="Saturday mornings.",
            relay_key=rotated.relay_key,
            now=bot.clock.now(),
        )

    assert (to_author.recipient, to_manager.recipient) == ("U0A01", "U0MGR1")
