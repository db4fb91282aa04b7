"""Typed as people ask in their first days: help asked for politely or as a question, `please` after a subcommand,
a keycap or `<3` as the whole of a text, a team's name between emoji, and words written with vowel signs."""

import pytest
from sqlalchemy import select

from handlers.blocks import nominations as nomination_blocks
from handlers.blocks.digest import as_text
from models import Nomination, Resolution, Suggestion
from tests.conftest import RunningBot
from tests.helpers import count, load_org_and_policy
from tests.rewards_helpers import add_story, set_up
from tests.suggestions_helpers import load_suggestion_org


@pytest.mark.parametrize(
    ("command", "typed"),
    [
        ("/suggest", "please help"),
        ("/suggest", "pls help"),
        ("/suggest", "help me 🙏"),
        ("/suggest", "help me :pray:"),
        ("/suggest", "help!!"),
        ("/suggest", "help?"),
        ("/suggest", "How does this work?"),
        ("/suggest", "i need help"),
        ("/resolve", "please help!"),
        ("/nominate", "help me 🙏"),
        ("/pulse", "pls help"),
        ("/rewards", "help!!"),
        ("/digest", "please help"),
    ],
)
def test_help_asked_for_politely_or_as_a_question_gets_the_usage_and_sends_nothing(
    bot: RunningBot, command: str, typed: str
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", command, typed)

    assert f"`{command} help` — show this help" in reply.text, reply.text
    assert ":warning:" not in reply.text
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Suggestion) == count(session, Resolution) == count(session, Nomination) == 0


@pytest.mark.parametrize(
    "typed", ["how about a quieter break room", "please help new starters with the rota", "help desk on weekends"]
)
def test_an_idea_that_starts_like_a_question_or_asks_for_help_for_others_is_still_sent(
    bot: RunningBot, typed: str
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/suggest", typed)

    with bot.sessions() as session:
        assert [suggestion.what for suggestion in session.scalars(select(Suggestion))] == [typed]


@pytest.mark.parametrize("typed", ["results please", "please results", "results pls 🙏", "Results, please"])
def test_results_asked_for_politely_are_the_results(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    polite = bot.driver.command("U0MGR1", "/pulse", typed)
    plain = bot.driver.command("U0MGR1", "/pulse", "results")

    assert "is not a person" not in polite.text and "I don't know" not in polite.text, polite.text
    assert polite.text == plain.text


def test_a_team_s_results_asked_for_politely_are_that_team_s(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    polite = bot.driver.command("U0HR", "/pulse", "results <@U0MGR1|maya> please")
    plain = bot.driver.command("U0HR", "/pulse", "results <@U0MGR1|maya>")

    assert "Name one manager" not in polite.text and polite.text == plain.text, polite.text


def test_the_catalog_asked_for_politely_is_the_catalog(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/rewards", "catalog please")

    assert "*The reward catalog*" in reply.text, reply.text


def test_the_list_asked_for_politely_is_the_list_and_sends_nothing(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    polite = bot.driver.command("U0AGENT1", "/suggest", "list please")
    plain = bot.driver.command("U0AGENT1", "/suggest", "list")

    assert polite.json == plain.json
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0


@pytest.mark.parametrize("typed", ["1️⃣", "ℹ️", "<3", "<3 <3", "1️⃣ ℹ️ :tada:", "#️⃣ xD"])
def test_an_idea_of_keycaps_or_a_typed_heart_alone_is_asked_for_in_words(bot: RunningBot, typed: str) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/suggest", typed)

    assert "Say what you suggest in a few words" in reply.text, reply.text
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0


@pytest.mark.parametrize("typed", ["credit 5 1️⃣", "credit 5 ℹ️", "credit 5 <3", "reschedule <3 🙏"])
def test_a_fix_told_in_a_keycap_or_a_typed_heart_is_asked_what_happened(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert "Say what happened and what you did" in reply.text, reply.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


@pytest.mark.parametrize("typed", ["<@U0AGENT2> <3", "<@U0AGENT2> 1️⃣", "<@U0AGENT2> ℹ️ <3<3"])
def test_a_shout_out_of_a_keycap_or_a_typed_heart_is_asked_why(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/nominate", typed)

    assert "Say why you are recognising them" in reply.text, reply.text
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Nomination) == 0


def test_a_shout_out_with_words_and_a_typed_heart_is_posted(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2> calmed the angry caller <3")

    assert len(bot.slack.calls("chat.postMessage", channel="C0KUDOS")) == 1


@pytest.mark.parametrize(
    "typed", [":tada: Support East", "Support East :tada:", "team: :tada: Support East 🎉", "🎉 Support East"]
)
def test_a_team_named_between_emoji_is_that_teams_digest(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0HR", "/digest", typed)
    [response] = bot.slack.calls("response_url")

    assert reply.status == 200
    assert "Maya Manager's team: 2 people" in response.text, as_text(response.args.get("blocks") or [])


@pytest.mark.parametrize("typed", ["कॉफ़ी", "चाय", "น้ำ"])
def test_a_short_idea_written_with_vowel_signs_counts_them_as_letters(bot: RunningBot, typed: str) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/suggest", typed)

    assert "too short" not in reply.text
    with bot.sessions() as session:
        assert count(session, Suggestion) == 1


def test_a_reason_holding_the_italics_mark_stays_inside_its_own_span_in_the_rewards_history(bot: RunningBot) -> None:
    """The history set the reason in italics, `_…_`: a `_` in it ended them there, and what followed, its own
    `*bold*` included, styled the nominee's line like the bot's own words."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2> took the queue_ *approved by HR* all week")

    history = bot.driver.command("U0AGENT2", "/rewards")

    [line] = [line for line in history.text.splitlines() if "took the queue" in line]
    assert line.endswith(": “took the queue_ *approved by HR* all week”"), line


def test_a_reason_without_the_italics_mark_is_still_in_italics(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2> took the *whole* queue")

    history = bot.driver.command("U0AGENT2", "/rewards")

    assert ": _took the *whole* queue_" in history.text, history.text


def test_a_code_block_opened_in_a_reason_cannot_reach_the_customer_story_under_it(bot: RunningBot) -> None:
    """The story was quoted in the reason's own text: a "```" left open in the reason turned it into code."""
    set_up(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        story = add_story(session, "U0AGENT3", "Rebooked a stranded family overnight", bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate")
    [opened] = bot.slack.calls("views.open")
    values = {
        nomination_blocks.PEOPLE: ["U0AGENT3"],
        nomination_blocks.REWARD: "shoutout",
        nomination_blocks.REASON: "fixed the script: ``` see the log",
        nomination_blocks.STORY: str(story.id),
        nomination_blocks.PUBLIC: ["yes"],
    }

    bot.driver.submit("U0AGENT1", opened.args["view"], values)

    [post] = bot.slack.calls("chat.postMessage", channel="C0KUDOS")
    [with_reason] = [block["text"]["text"] for block in post.args["blocks"] if "```" in block["text"]["text"]]
    assert "Customer story" not in with_reason
    assert "_Customer story:_ Rebooked a stranded family overnight" in post.text


@pytest.mark.parametrize("typed", ["Refund please", "please refund 🙏", "refund, please"])
def test_a_category_asked_for_politely_shows_its_boundaries(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/boundaries", typed)

    assert "*refund* — up to $50" in reply.text and "I don't know" not in reply.text, reply.text


@pytest.mark.parametrize("typed", ["Support East please", "team:Support East pls 🙏"])
def test_a_team_asked_for_politely_is_that_teams_digest(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.command("U0HR", "/digest", typed)
    [response] = bot.slack.calls("response_url")

    assert "Maya Manager's team: 2 people" in response.text, response.text


@pytest.mark.parametrize(
    "typed", ["hello", "Hey!", "test", "Testing", "thanks!", "thank you 🙏", "please", "hello :wave:"]
)
def test_a_greeting_a_test_or_a_thanks_alone_is_no_idea_and_sends_nothing(bot: RunningBot, typed: str) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/suggest", typed)

    assert "reads as trying me out, not as an idea, so I sent nothing" in reply.text, reply.text
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0


@pytest.mark.parametrize("typed", ["test the new headsets", "hello desk for walk-ins", "thanks wall in the break room"])
def test_an_idea_starting_with_such_a_word_is_still_sent(bot: RunningBot, typed: str) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/suggest", typed)

    with bot.sessions() as session:
        assert count(session, Suggestion) == 1


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Thanks <@U0AGENT2> for covering my shift", "for covering my shift"),
        ("thank you <@U0AGENT2>, calmed the angry caller", "calmed the angry caller"),
        ("Kudos to <@U0AGENT2> for the save", "for the save"),
        ("Shout-out to <@U0AGENT2>: took the whole queue", "took the whole queue"),
    ],
)
def test_a_thanks_typed_before_the_person_is_a_shout_out_to_them(bot: RunningBot, typed: str, reason: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/nominate", typed)

    assert "You recognised" in reply.text, reply.text
    with bot.sessions() as session:
        [nomination] = session.scalars(select(Nomination))
        assert (nomination.nominee.slack_id, nomination.reason) == ("U0AGENT2", reason)


def test_a_thanks_before_the_person_and_a_reward_key_asks_for_that_reward(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/nominate", "Thanks <@U0AGENT2> voucher_25 a great first week")

    with bot.sessions() as session:
        [nomination] = session.scalars(select(Nomination))
        assert (nomination.item_key, nomination.reason) == ("voucher_25", "a great first week")
