"""/suggest: a typo of `list`, a lone letter or a bare mention is a mistake to point out, never an idea sent."""

import pytest
from sqlalchemy import select

from models import Suggestion
from tests.conftest import RunningBot
from tests.helpers import count
from tests.suggestions_helpers import load_suggestion_org


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


def nothing_sent_or_written(bot: RunningBot) -> None:
    assert bot.slack.calls("chat.postMessage") == []  # neither the manager's card nor the team channel's post
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0


@pytest.mark.parametrize("typed", ["lsit", "lists", "lst", "lsit all", "Lits mine", "lsit."])
def test_a_mistyped_list_is_answered_with_the_usage_and_sends_nothing(ready: RunningBot, typed: str) -> None:
    reply = ready.driver.command("U0AGENT1", "/suggest", typed)

    assert f"`{typed}` looks like `/suggest list` mistyped, so I sent nothing." in reply.text
    assert "*/suggest* — send an idea" in reply.text
    nothing_sent_or_written(ready)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("x", "Say what you suggest in a few words: `x` is too short for anyone to act on."),
        ("ok!", "`ok!` is too short"),
        ("<@U0AGENT2>", "Say what you suggest, not only who it concerns"),
        ("<@U0AGENT2> <@U0AGENT3>", "not only who it concerns"),
    ],
)
def test_a_letter_or_a_mention_alone_is_asked_for_the_idea_and_sends_nothing(
    ready: RunningBot, typed: str, message: str
) -> None:
    reply = ready.driver.command("U0AGENT1", "/suggest", typed)

    assert message in reply.text
    nothing_sent_or_written(ready)


@pytest.mark.parametrize("idea", ["lost", "last", "lift", "加薪", "排班"])
def test_a_real_word_near_list_or_a_short_idea_in_wide_characters_is_sent(ready: RunningBot, idea: str) -> None:
    reply = ready.driver.command("U0AGENT1", "/suggest", idea)

    assert "Sent your suggestion" in reply.text
    with ready.sessions() as session:
        assert count(session, Suggestion) == 1


def test_the_form_asks_for_the_idea_when_it_only_names_someone(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/suggest")
    view = ready.slack.calls("views.open")[-1].args["view"]

    refused = ready.driver.submit("U0AGENT1", view, {"what": "@Sam"})

    assert "not only who it concerns" in refused.json["errors"]["what"]
    nothing_sent_or_written(ready)


def test_the_form_asks_for_more_than_a_letter_too(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/suggest")
    view = ready.slack.calls("views.open")[-1].args["view"]

    refused = ready.driver.submit("U0AGENT1", view, {"what": "x"})

    assert refused.json["errors"] == {
        "what": "Say what you suggest in a few words: “x” is too short for anyone to act on."
    }
    nothing_sent_or_written(ready)


def test_a_real_one_word_idea_is_sent(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/suggest", "standups")

    assert "Sent your suggestion #" in reply.text
    assert len(ready.slack.calls("chat.postMessage", channel="U0MGR1")) == 1
    with ready.sessions() as session:
        assert session.scalar(select(Suggestion.what)) == "standups"
