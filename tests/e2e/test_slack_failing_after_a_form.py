"""Slack failing just after a form or a click was saved: the person still learns what happened, once, and is never
asked to do again what already counted."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.fakeslack import Call
from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery, PulseComment, PulseResponse, Resolution, Suggestion
from tests.conftest import RunningBot
from tests.helpers import count, load_org_and_policy
from tests.pulse_org import load_pulse_org
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


def questions_after_a_round_starts(bot: RunningBot) -> Call:
    load_pulse_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0HR", "/pulse", "start")
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    return next(c for c in bot.slack.messages_to("U0A01") if c.method == "chat.postMessage")


def test_a_pulse_answer_whose_message_slack_rate_limits_is_told_as_saved_not_to_try_again(bot: RunningBot) -> None:
    questions = questions_after_a_round_starts(bot)
    first_answer = next(
        block["elements"][0]["action_id"]
        for block in questions.args["blocks"]
        if block["type"] == "actions" and block["elements"][0]["action_id"].startswith("pulse_answer:")
    )
    bot.slack.fail("chat.update", status=429, retry_after=30)

    bot.driver.click("U0A01", questions, first_answer)

    [told] = bot.slack.calls("response_url")
    assert "Your answer was saved" in told.text and "no need to do it again" in told.text
    assert "try again" not in told.text
    with bot.sessions() as session:
        assert count(session, PulseResponse) == 1


def test_a_decline_from_the_home_whose_home_slack_rate_limits_is_told_as_recorded_in_a_dm(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 500 order 1234 arrived broken")
    bot.driver.open_home("U0MGR1")
    [home] = bot.slack.calls("views.publish")
    bot.driver.click_in_view("U0MGR1", home.args["view"], "resolution_decline")
    [opened] = bot.slack.calls("views.open")
    bot.slack.reset()
    bot.slack.fail("views.publish", status=429, retry_after=30)

    bot.driver.submit("U0MGR1", opened.args["view"], {"reason": "Send it to the carrier claim"})

    [told] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "Your decision was recorded" in told.text and "no need to do it again" in told.text
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["declined"]


def test_a_pulse_comment_whose_message_slack_rate_limits_is_told_as_saved_in_a_dm(bot: RunningBot) -> None:
    bot.driver.click("U0A01", questions_after_a_round_starts(bot), "pulse_comment")
    [opened] = bot.slack.calls("views.open")
    bot.slack.reset()
    bot.slack.fail("chat.update", status=429, retry_after=30)

    bot.driver.submit("U0A01", opened.args["view"], {"comment": "More people on Saturdays, please"})

    [told] = bot.slack.calls("chat.postMessage", channel="U0A01")
    assert "Your comment was saved" in told.text and "no need to do it again" in told.text
    with bot.sessions() as session:
        assert count(session, PulseComment) == 1


def test_a_decision_told_in_a_dm_that_slack_rate_limits_arrives_once_slack_allows(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 500 order 1234 arrived broken")
    bot.driver.open_home("U0MGR1")
    [home] = bot.slack.calls("views.publish")
    bot.driver.click_in_view("U0MGR1", home.args["view"], "resolution_decline")
    [opened] = bot.slack.calls("views.open")
    bot.slack.reset()
    bot.slack.fail("views.publish", status=429, retry_after=30)
    bot.slack.fail("chat.postMessage", status=429, retry_after=30, channel="U0MGR1")

    bot.driver.submit("U0MGR1", opened.args["view"], {"reason": "Send it to the carrier claim"})
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)  # Slack asked for 30 s
    assert bot.slack.calls("chat.postMessage", channel="U0MGR1") == []
    bot.clock.advance(timedelta(seconds=31))
    for _ in range(2):  # the second drain sends nothing twice
        drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    [told] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "Your decision was recorded" in told.text and "no need to do it again" in told.text
