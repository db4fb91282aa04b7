"""What the politeness and emoji left out of typed commands must not cost: a team whose name holds such a word or an
emoji, a `please` after a word of /suggest, a thanks with nobody's reason, a subcommand's trailing comma."""

import pytest
from sqlalchemy import select

from models import Nomination, Resolution, Suggestion
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import count, load_org, load_org_and_policy, load_policy
from tests.suggestions_helpers import load_suggestion_org

TEAMS = """\
U0NIGHT,Nico Night,Night Shift 🌙,manager,U0ADMIN,nico@example.com,Europe/London,
U0NIGHTA,Nell Agent,Night Shift 🌙,frontline,U0NIGHT,nell@example.com,Europe/London,agent
U0THX,Theo Lead,Thanks Team,manager,U0ADMIN,theo@example.com,Europe/London,
U0THXA,Tess Agent,Thanks Team,frontline,U0THX,tess@example.com,Europe/London,agent
U0PLS,Pia Lead,Please,manager,U0ADMIN,pia@example.com,Europe/London,
U0PLSA,Pat Agent,Please,frontline,U0PLS,pat@example.com,Europe/London,agent
"""


@pytest.fixture
def teams(bot: RunningBot) -> RunningBot:
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + TEAMS)
    load_policy(bot.sessions, bot.clock.now())
    return bot


def digest_of(bot: RunningBot, typed: str) -> str:
    bot.slack.reset()
    reply = bot.driver.command("U0HR", "/digest", typed)
    return " ".join([reply.text, *(call.text for call in bot.slack.calls("response_url"))])


@pytest.mark.parametrize(
    ("typed", "leader"),
    [
        ("Night Shift 🌙", "Nico Night"),
        ("team:Night Shift 🌙", "Nico Night"),
        ("Thanks Team", "Theo Lead"),
        ("team:Thanks Team", "Theo Lead"),
        ("team: Please", "Pia Lead"),
        ("Please", "Pia Lead"),
        ("Support East, please", "Maya Manager"),
        ("team: :tada: Support East 🎉", "Maya Manager"),
    ],
)
def test_a_team_whose_name_holds_a_courtesy_word_or_an_emoji_is_reached_as_typed(
    teams: RunningBot, typed: str, leader: str
) -> None:
    answer = digest_of(teams, typed)

    assert f"{leader}'s team: " in answer, answer


@pytest.mark.parametrize("typed", ["Nigth Shift 🌙", "Night Shift", "team:Night Shift", "team:Nigth Shift 🌙"])
def test_the_team_the_digest_suggests_can_be_typed_back(teams: RunningBot, typed: str) -> None:
    suggested = digest_of(teams, typed)
    assert "`/digest team:Night Shift 🌙`" in suggested, suggested

    answer = digest_of(teams, "team:Night Shift 🌙")

    assert "Nico Night's team: " in answer, answer


@pytest.mark.parametrize("typed", ["recognition please", "team 🙏"])
def test_courtesy_around_the_digest_s_own_words_is_still_left_out(teams: RunningBot, typed: str) -> None:
    answer = digest_of(teams, typed)

    assert "I don't know" not in answer, answer


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        ("list, please", None),
        ("list all please", "`/suggest list` takes nothing after it"),
        ("list mine 🙏", "`/suggest list` takes nothing after it"),
        ("lsit please", "looks like `/suggest list` mistyped"),
        ("status please", "`status` alone reads as asking me something"),
        ("mine, thanks", "`mine` alone reads as asking me something"),
    ],
)
def test_a_word_of_suggest_asked_for_politely_is_no_idea_and_sends_nothing(
    bot: RunningBot, typed: str, told: str | None
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/suggest", typed)

    assert (told or "Your suggestions") in reply.text, reply.text
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0


@pytest.mark.parametrize(
    "typed", ["Thanks <@U0AGENT2>", "Thanks <@U0AGENT2|lee>!", "thank you <@U0AGENT2> 🙏", "Kudos to <@U0AGENT2>"]
)
def test_a_thanks_with_nothing_but_the_people_asks_why_and_posts_nothing(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/nominate", typed)
    answers = " ".join([reply.text, *(call.text for call in bot.slack.calls("response_url"))])

    assert "Say why you are recognising them" in answers, answers
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Nomination) == 0


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("thanks <!subteam^S0SUP|@support-team> for covering", "`@support-team` is not a person picked"),
        ("Thanks <!here>", "here` is not a person picked"),
        ("kudos to @ines for the save", "`@ines` is not a person picked"),
    ],
)
def test_a_thanks_to_a_group_or_a_name_typed_by_hand_says_it_is_not_a_person(
    bot: RunningBot, typed: str, named: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/nominate", typed)

    assert named in reply.text, reply.text
    with bot.sessions() as session:
        assert count(session, Nomination) == 0


@pytest.mark.parametrize(("typed", "shown"), [("catalog, please", "*The reward catalog*"), ("top, please", "top")])
def test_a_rewards_subcommand_with_a_comma_before_please_is_that_subcommand(
    bot: RunningBot, typed: str, shown: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    polite = bot.driver.command("U0AGENT1", "/rewards", typed)
    plain = bot.driver.command("U0AGENT1", "/rewards", typed.split(",")[0])

    assert "I don't know" not in polite.text and polite.json == plain.json, polite.text


@pytest.mark.parametrize(
    ("user", "command", "typed", "meant"),
    [
        ("U0MGR1", "/pulse", "please reslts", "Did you mean `/pulse results`?"),
        ("U0HR", "/rewards", "please exprot", "Did you mean `/rewards export`?"),
        ("U0HR", "/rewards", "exprot, please", "Did you mean `/rewards export`?"),
    ],
)
def test_a_slip_after_please_is_answered_with_the_command_meant(
    bot: RunningBot, user: str, command: str, typed: str, meant: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command(user, command, typed)

    assert meant in reply.text and "`please`" not in reply.text, reply.text


@pytest.mark.parametrize("typed", ["please refund 10 box crushed order 1234", "Please, refund 10 box crushed ref:AB12"])
def test_please_before_the_category_of_a_fix_is_left_out(bot: RunningBot, typed: str) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert "isn't one of your categories" not in reply.text, reply.text
    with bot.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        assert (fix.category, fix.amount) == ("refund", 10)
        assert fix.summary.startswith("box crushed"), fix.summary


def test_please_after_the_category_stays_in_what_happened(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/resolve", "refund 10 please call back order 1234")

    with bot.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        assert fix.summary.startswith("please call back"), fix.summary
