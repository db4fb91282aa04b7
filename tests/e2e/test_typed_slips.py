"""A word typed with one slip of the thumb (`exprot`, `reslts`, `refnud`) is answered with the command as it was
probably meant, ready to type again, and nothing is done: a guess would export, open a round or log a fix that nobody
asked for."""

import pytest
from sqlalchemy import func, select

from models import PulseRound, Resolution, Suggestion
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


@pytest.mark.parametrize(
    ("user", "command", "typed", "meant"),
    [
        ("U0HR", "/rewards", "exprot 2026-03-01 2026-03-31", "/rewards export 2026-03-01 2026-03-31"),
        ("U0HR", "/rewards", "Exprot", "/rewards export"),
        ("U0AGENT1", "/rewards", "catalgo", "/rewards catalog"),
        ("U0AGENT1", "/rewards", "tpo quarter", "/rewards top quarter"),
        ("U0HR", "/pulse", "strat", "/pulse start"),
        ("U0MGR1", "/pulse", "reslts", "/pulse results"),
        ("U0MGR1", "/pulse", "RESLUTS org", "/pulse results org"),
        ("U0HR", "/pulse", "'start'", "/pulse start"),
        ("U0HR", "/pulse", '"start"', "/pulse start"),
        ("U0HR", "/pulse", "\u201cstart\u201d", "/pulse start"),
        ("U0HR", "/pulse", "start?", "/pulse start"),
        ("U0HR", "/pulse", "start\u2026", "/pulse start"),
        ("U0HR", "/pulse", "close?", "/pulse close"),
        ("U0HR", "/pulse", "\u201cclose\u201d", "/pulse close"),
    ],
)
def test_a_mistyped_subcommand_is_answered_with_the_command_meant_and_does_nothing(
    ready: RunningBot, user: str, command: str, typed: str, meant: str
) -> None:
    reply = ready.driver.command(user, command, typed)

    assert f"Did you mean `{meant}`? Nothing was done." in reply.text
    assert ready.slack.files() == [] and ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PulseRound)) == 0


@pytest.mark.parametrize(
    ("command", "typed"),
    [("/suggest", "hlep"), ("/suggest", "help?"), ("/resolve", "hepl"), ("/nominate", "Hlep"), ("/rewards", "help!")],
)
def test_help_mistyped_shows_how_the_command_works_and_sends_nothing(
    ready: RunningBot, command: str, typed: str
) -> None:
    """`/suggest hlep` went, signed, to the manager as an idea reading "hlep"."""
    reply = ready.driver.command("U0AGENT1", command, typed)

    assert reply.text.startswith(f"*{command}* — ")
    assert ready.slack.calls("chat.postMessage") == [] and ready.slack.calls("views.open") == []
    with ready.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Suggestion)) == 0


def test_a_word_no_slip_away_from_a_subcommand_is_not_guessed(ready: RunningBot) -> None:
    reply = ready.driver.command("U0HR", "/rewards", "payroll")

    assert "I don't know `payroll` here." in reply.text and "Did you mean" not in reply.text


@pytest.mark.parametrize(
    ("command", "typed", "meant"),
    [
        ("/resolve", "refnud 20 order 1234 arrived late", "refund"),
        ("/resolve", "Credti 20 sorry for the wait", "credit"),
        ("/resolve", "replacment 20 order 1234 broken", "replacement"),
        ("/boundaries", "refunds", "refund"),
    ],
)
def test_a_mistyped_category_is_answered_with_the_category_meant_and_nothing_is_logged(
    ready: RunningBot, command: str, typed: str, meant: str
) -> None:
    reply = ready.driver.command("U0AGENT1", command, typed)

    assert f"isn't one of your categories. Did you mean `{meant}`?" in reply.text
    with ready.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Resolution)) == 0


@pytest.mark.parametrize(
    ("command", "typed", "named"),
    [
        ("/rewards", "<@U0AGENT2|lee>", "a person"),
        ("/pulse", "<#C0SUPPORT|support>", "the channel #support"),
    ],
)
def test_a_person_or_channel_where_a_subcommand_goes_is_named_in_words(
    ready: RunningBot, command: str, typed: str, named: str
) -> None:
    reply = ready.driver.command("U0AGENT1", command, typed)

    assert f"I don't know what to do with {named} here." in reply.text
    assert "<@" not in reply.text and "<#" not in reply.text


@pytest.mark.parametrize(
    ("user", "command", "typed", "shown"),
    [
        ("U0MGR1", "/pulse", "reslts <@U0MGR1|maya>", "Did you mean `/pulse results @maya`?"),
        ("U0MGR1", "/pulse", "reslts <#C0EAST|support-east>", "Did you mean `/pulse results #support-east`?"),
        ("U0HR", "/rewards", "exprot <@U0AGENT2|lee>", "Did you mean `/rewards export @lee`?"),
        ("U0AGENT1", "/boundaries", "credit <@U0AGENT2|lee>", "I don't know `@lee` after `credit`"),
    ],
)
def test_a_person_or_channel_in_a_command_named_back_is_shown_as_slack_shows_them(
    ready: RunningBot, user: str, command: str, typed: str, shown: str
) -> None:
    """Between backticks Slack shows markup as typed: "Did you mean `/pulse results <@U0MGR1>`?" named nobody."""
    reply = ready.driver.command(user, command, typed)

    assert shown in reply.text
    assert "<@" not in reply.text and "<#" not in reply.text


def test_list_in_curly_quotes_is_the_list_and_nothing_is_sent(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/suggest", "\u201clist\u201d")

    assert "*Your suggestions*" in reply.text, reply.text
    assert ready.slack.calls("chat.postMessage") == []


def test_an_outcome_in_curly_quotes_is_that_outcome(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", "credit 20 sorry for the wait outcome:\u201chappy\u201d")

    assert "Logged your credit of $20." in reply.text
    with ready.sessions() as session:
        assert session.scalars(select(Resolution.customer_outcome)).one() == "happy"


@pytest.mark.parametrize(
    ("user", "command", "typed", "answered"),
    [
        ("U0AGENT1", "/resolve", "/resolve credit 20 sorry for the wait", "Logged your credit of $20."),
        ("U0AGENT1", "/rewards", "/Rewards catalog", "*The reward catalog*"),
        ("U0AGENT1", "/boundaries", "/boundaries", "*Your boundaries*"),
    ],
)
def test_the_command_typed_again_at_the_start_of_its_text_is_left_out(
    ready: RunningBot, user: str, command: str, typed: str, answered: str
) -> None:
    """Pasting an example (`/resolve credit 20 …`) after choosing the command in Slack's menu types it twice: it was
    answered as an unknown category or subcommand named `/resolve`."""
    reply = ready.driver.command(user, command, typed)

    assert answered in reply.text
