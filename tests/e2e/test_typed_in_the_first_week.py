"""The first week, typed as people type in Slack: a channel picked where a date goes, a report's name after
/boundaries, dollars written `US$45` or a whole amount `45,-`, a suggestion with nobody to take it, and a single word
after /suggest that asks the bot something rather than being an idea. Each is answered in words, nothing sent."""

import pytest
from sqlalchemy import select

from handlers.blocks import nominations as nomination_blocks
from models import Nomination, Resolution, Suggestion
from tests.conftest import RunningBot
from tests.helpers import count, load_org, load_org_and_policy, load_policy
from tests.suggestions_helpers import load_suggestion_org


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("export <#C0SUP|support-east>", "the channel #support-east"),
        ("export 2026-03-01 <#C0SUP|support-east>", "the channel #support-east"),
        ("export <#C0SUP>", "a channel"),
        ("export <@U0AGENT1|sam>", "a person"),
        ("export <@U0AGENT1>", "a person"),
    ],
)
def test_a_channel_or_person_picked_for_the_export_range_is_named_as_such_without_its_markup(
    bot: RunningBot, typed: str, named: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0HR", "/rewards", typed)

    assert f"{named} is not a date" in reply.text
    assert "`team:NAME`" in reply.text
    assert "&lt;" not in reply.text and "<#" not in reply.text and "<@" not in reply.text
    assert bot.slack.files() == []


@pytest.mark.parametrize("typed", ["<@U0AGENT2|lee>", "<@U0AGENT2>", "@lee", "<@U0AGENT2> refund"])
def test_a_manager_naming_a_report_after_boundaries_is_told_it_shows_their_own_limits(
    bot: RunningBot, typed: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0MGR1", "/boundaries", typed)

    assert "`/boundaries` shows your own limits" in reply.text
    assert "U0AGENT2" not in reply.text and "&lt;@" not in reply.text


@pytest.mark.parametrize("typed", ["<#C0SUP|support-east>", "<#C0SUP|>", "#support-east", "<#C0SUP> refund"])
def test_a_channel_picked_after_boundaries_is_named_as_one_not_as_an_unknown_category(
    bot: RunningBot, typed: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/boundaries", typed)

    assert "`/boundaries` takes a category, not a channel" in reply.text
    assert "C0SUP" not in reply.text and "&lt;#" not in reply.text


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("US$45", 45), ("us$45.50", 45.5), ("US$ 45", 45), ("45,-", 45), ("45.-", 45), ("$45,-", 45), ("45,- $", 45)],
)
def test_dollars_written_us_and_whole_amounts_written_with_a_dash_are_read(
    bot: RunningBot, typed: str, amount: float
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", f"refund {typed} order 1234 arrived late")

    assert "Logged your *refund*" in reply.text
    with bot.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        assert (fix.amount, fix.summary) == (amount, "order 1234 arrived late")


@pytest.mark.parametrize("typed", ["CA$45", "A$45"])
def test_other_dollars_are_still_refused_under_a_usd_policy(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", f"refund {typed} order 1234 arrived late")

    assert "Your limits are in USD" in reply.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


NO_HR = (
    "slack_id,name,team,role,manager_slack_id,email,tz,profile\n"
    "U0MGR1,Maya Manager,Support East,manager,,maya@example.com,America/New_York,\n"
    "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,sam@example.com,America/New_York,agent\n"
)


def test_someone_not_hr_with_nobody_to_take_a_suggestion_is_not_told_there_is_no_hr_besides_them(
    bot: RunningBot,
) -> None:
    load_org(bot.sessions, bot.clock.now(), NO_HR)
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")

    reply = bot.driver.command("U0NEWBIE", "/suggest", "a quiet room for breaks")

    assert "there is no HR person" in reply.text
    assert "besides you" not in reply.text
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0


def test_the_only_hr_person_with_no_manager_is_still_told_there_is_no_hr_besides_them(bot: RunningBot) -> None:
    only_hr = NO_HR + "U0HR,Hana Reyes,People,hr,,hana@example.com,Europe/London,\n"
    load_org(bot.sessions, bot.clock.now(), only_hr)
    load_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0HR", "/suggest", "a quiet room for breaks")

    assert "there is no HR person besides you" in reply.text
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0


@pytest.mark.parametrize("typed", ["status", "mine", "Mine?", "close", "done", "open", "show", "history", "usage"])
def test_a_single_word_that_asks_the_bot_something_gets_the_usage_and_sends_nothing(
    bot: RunningBot, typed: str
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/suggest", typed)

    assert "I sent nothing" in reply.text
    assert "/suggest list" in reply.text
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0


@pytest.mark.parametrize("typed", ["standups", "Snacks!", "mentoring", "status page for outages"])
def test_a_real_one_word_idea_or_a_sentence_starting_with_such_a_word_is_still_sent(
    bot: RunningBot, typed: str
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/suggest", typed)

    with bot.sessions() as session:
        assert count(session, Suggestion) == 1


@pytest.mark.parametrize(
    ("command", "typed"),
    [
        ("/suggest", "help me"),
        ("/suggest", "Help please!"),
        ("/suggest", "hlep me pls"),
        ("/resolve", "help me"),
        ("/boundaries", "Help me"),
        ("/pulse", "help please"),
        ("/rewards", "help me please"),
        ("/digest", "help me"),
    ],
)
def test_help_asked_for_as_people_ask_gets_the_usage_and_sends_nothing(
    bot: RunningBot, command: str, typed: str
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", command, typed)

    assert f"`{command} help` — show this help" in reply.text
    assert ":warning:" not in reply.text
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Suggestion) == count(session, Resolution) == 0


def test_help_followed_by_the_idea_itself_is_an_idea(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/suggest", "help desk rota on weekends")

    with bot.sessions() as session:
        assert count(session, Suggestion) == 1


@pytest.mark.parametrize(
    "typed", [":bulb:", ":bulb: :coffee: :tada:", "<@U0AGENT2> :clap:", ":+1::skin-tone-3:", ":100:", ":1234: :100:"]
)
def test_an_idea_of_emoji_codes_alone_is_asked_for_in_words_as_one_of_emoji_characters_is(
    bot: RunningBot, typed: str
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/suggest", typed)

    assert "Say what you suggest in a few words" in reply.text
    assert "too short for anyone to act on" in reply.text
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0


def test_an_idea_with_an_emoji_in_its_words_is_sent(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/suggest", ":coffee: a better coffee machine")

    with bot.sessions() as session:
        assert count(session, Suggestion) == 1


@pytest.mark.parametrize(
    ("typed", "example"),
    [
        ("credit 5 :tada:", "/resolve credit 45 order 1234 arrived late"),
        ("credit 5 👍", "/resolve credit 45 order 1234 arrived late"),
        ("credit 5 :+1::skin-tone-3: !!", "/resolve credit 45 order 1234 arrived late"),
        ("reschedule :tada:", "/resolve reschedule order 1234 arrived late"),
        ("credit 5 :100:", "/resolve credit 45 order 1234 arrived late"),
        ("credit 5 👍 <@U0AGENT2>", "/resolve credit 45 order 1234 arrived late"),
    ],
)
def test_a_fix_told_in_emoji_alone_is_asked_what_happened_and_nothing_is_logged(
    bot: RunningBot, typed: str, example: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert f"Say what happened and what you did, e.g. `{example}`." in reply.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


def test_the_forms_summary_in_emoji_alone_is_asked_for_in_words(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")

    reply = bot.driver.submit("U0AGENT1", opened.args["view"], {"category": "credit", "amount": "5", "summary": "🙏"})

    assert "Say what happened and what you did" in reply.json["errors"]["summary"]
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


@pytest.mark.parametrize("typed", ["credit 5 sorry for the wait :pray:", "credit 5 waited 10:30:45 :100:"])
def test_a_fix_told_in_words_with_an_emoji_is_logged(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your *credit* of $5" in reply.text


@pytest.mark.parametrize(
    "typed",
    [
        "<@U0AGENT2> :tada:",
        "<@U0AGENT2> 👏👏",
        "<@U0AGENT2> :clap::skin-tone-2: !",
        "<@U0AGENT2> :100:",
        "<@U0AGENT2> 🙏 <#C0GENERAL|general>",
    ],
)
def test_a_shout_out_of_emoji_alone_is_asked_why_and_nothing_is_posted(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/nominate", typed)

    assert "Say why you are recognising them: a sentence about what they did" in reply.text
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Nomination) == 0


def test_the_forms_reason_in_emoji_alone_is_asked_why(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate")
    [opened] = bot.slack.calls("views.open")

    values = {nomination_blocks.PEOPLE: ["U0AGENT2"], nomination_blocks.REASON: "🎉"}
    reply = bot.driver.submit("U0AGENT1", opened.args["view"], values)

    assert "Say why you are recognising them" in reply.json["errors"][nomination_blocks.REASON]
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Nomination) == 0


def test_a_shout_out_with_words_and_an_emoji_is_posted(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2> :tada: calmed the angry caller")

    assert len(bot.slack.calls("chat.postMessage", channel="C0KUDOS")) == 1
