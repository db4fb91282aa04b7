"""Commands typed as a sentence is typed: a team's name or a command's word with the full stop that ends it, in the
curly quotes a phone makes, a date written with its month's name (as Slack's own dates and people write them), and
a thanks after `help`. Each is read as meant, or answered with what was not understood; nothing is guessed."""

import pytest
from sqlalchemy import func, select

from handlers.blocks.digest import as_text
from models import PulseRound, Suggestion
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import load_org, load_org_and_policy, load_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


@pytest.mark.parametrize(
    "typed",
    [
        "support east.",
        "Support East!",
        "team:Support East.",
        "\u201cSupport East\u201d.",
        "Support East?",
        "\u2039Support East\u203a",
        "\u201fSupport East\u201d",
    ],
)
def test_a_team_named_at_the_end_of_a_sentence_is_that_teams_digest(ready: RunningBot, typed: str) -> None:
    """`/digest support east.` was answered "Did you mean `/digest team:Support East`?"."""
    ready.driver.command("U0HR", "/digest", typed)
    [response] = ready.slack.calls("response_url")

    assert "Did you mean" not in response.text, response.text
    assert "Maya Manager's team: 2 people" in response.text, as_text(response.args.get("blocks") or [])


def test_a_teams_export_named_with_a_full_stop_is_that_teams_and_says_its_name(ready: RunningBot) -> None:
    reply = ready.driver.command("U0HR", "/rewards", "export 2026-01-01 2026-01-31 team:support east.")

    assert "Preparing the reward export for 2026-01-01 to 2026-01-31, team Support East (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


@pytest.mark.parametrize(
    ("user", "command", "typed", "answered"),
    [
        ("U0MGR1", "/pulse", "\u201cresults\u201d", "No pulse round has closed yet"),
        ("U0MGR1", "/pulse", "\u2018Results\u2019", "No pulse round has closed yet"),
        ("U0MGR1", "/pulse", "\u00abresults\u00bb", "No pulse round has closed yet"),
        ("U0MGR1", "/pulse", "\u201cresults.\u201d", "No pulse round has closed yet"),
        ("U0AGENT1", "/rewards", "catalog.", "*The reward catalog*"),
        ("U0AGENT1", "/rewards", "\u201ccatalog\u201d", "*The reward catalog*"),
        ("U0AGENT1", "/rewards", "top \u201cquarter\u201d", "*Recognition this quarter*"),
        ("U0AGENT1", "/rewards", "top month.", "*Recognition this month*"),
    ],
)
def test_a_command_word_in_curly_quotes_or_ending_a_sentence_is_that_word(
    ready: RunningBot, user: str, command: str, typed: str, answered: str
) -> None:
    """`/pulse “results”` (a phone curls the quotes as they are typed) was answered "Did you mean `/pulse results`?",
    and `/rewards catalog.` so too, while `/pulse results.` was read: the quotes and a sentence's full stop are no
    slip of the word."""
    reply = ready.driver.command(user, command, typed)

    assert answered in reply.text and "Did you mean" not in reply.text, reply.text


@pytest.mark.parametrize("typed", ["start.", "Start!"])
def test_a_round_started_with_a_full_stop_or_an_exclamation_mark_is_started(ready: RunningBot, typed: str) -> None:
    reply = ready.driver.command("U0HR", "/pulse", typed)

    assert "Pulse round 1 is open" in reply.text, reply.text
    with ready.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PulseRound)) == 1


@pytest.mark.parametrize("typed", ["close?", "\u2018close\u2019", "close\u2026", "\u201cclose.\u201d"])
def test_close_asked_as_a_question_or_in_quotes_asks_first_and_the_round_stays_open(
    ready: RunningBot, typed: str
) -> None:
    """`/pulse close?` closed the round for everyone: a question, or the word quoted, may not be meant as said, and
    closing cannot be undone; `close.` closes it."""
    ready.driver.command("U0HR", "/pulse", "start.")

    reply = ready.driver.command("U0HR", "/pulse", typed)

    assert "Did you mean `/pulse close`? Nothing was done." in reply.text, reply.text
    with ready.sessions() as session:
        assert session.scalars(select(PulseRound.status)).all() == ["open"]
    assert "Pulse round 1 is closed" in ready.driver.command("U0HR", "/pulse", "close!").text


def test_the_recognition_list_asked_in_curly_quotes_is_the_list(ready: RunningBot) -> None:
    ready.driver.command("U0MGR1", "/digest", "\u201crecognition\u201d.")
    [response] = ready.slack.calls("response_url")

    assert "Nobody has recognised these 2 people in your team" in response.text, response.text


@pytest.mark.parametrize(
    "typed", ["List.", "list!", "List?", "\u201clist\u201d", "\u2018list.\u2019", "\u2039list\u203a", "list\u2026"]
)
def test_list_typed_as_a_sentence_shows_the_list_and_sends_nothing(ready: RunningBot, typed: str) -> None:
    """`/suggest List.` was told it looked like `list` mistyped, while `/pulse results.` and `/boundaries refund.`
    were read: a full stop after a word is no slip of it."""
    reply = ready.driver.command("U0AGENT1", "/suggest", typed)

    assert "*Your suggestions*" in reply.text and "mistyped" not in reply.text, reply.text
    assert ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Suggestion)) == 0


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("5 January 2026 31 January 2026", "2026-01-05 to 2026-01-31"),
        ("January 5, 2026 January 31, 2026", "2026-01-05 to 2026-01-31"),
        ("Monday, January 5th, 2026 to Feb 1st, 2026", "2026-01-05 to 2026-02-01"),
        ("5th of Jan 2026 - 31 Jan. 2026", "2026-01-05 to 2026-01-31"),
        ("January 5 - January 31, 2026", "2026-01-05 to 2026-01-31"),
        ("Dec 1 to Jan 31, 2026", "2025-12-01 to 2026-01-31"),
        ("April to February 2026", "2025-04-01 to 2026-02-28"),
        ("Jan 5 to Jan 31, 2026", "2026-01-05 to 2026-01-31"),
        ("5 January to 2026-01-31", "2026-01-05 to 2026-01-31"),
        ("January 2026", "2026-01-01 to 2026-01-31"),
        ("Jan 2026 to Feb 2026", "2026-01-01 to 2026-02-28"),
        ("team:Support East 1 January 2026 31 January 2026", "2026-01-01 to 2026-01-31, team Support East"),
        ("2026-01-01, 2026-01-31.", "2026-01-01 to 2026-01-31"),
        ("\u201c2026-01-01\u201d \u201c2026-01-31\u201d", "2026-01-01 to 2026-01-31"),
        ("\u201c2026-01-01\u201d \u201c2026-01-31\u201d.", "2026-01-01 to 2026-01-31"),
        ("\u20182026-01-01\u2019 \u20392026-01-31\u203a!", "2026-01-01 to 2026-01-31"),
    ],
)
def test_export_dates_written_with_the_month_s_name_are_those_days(ready: RunningBot, typed: str, period: str) -> None:
    """`/rewards export 5 January 2026` was read as three dates ("Give at most two dates")."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period} (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


@pytest.mark.parametrize(
    ("typed", "refusal"),
    [
        ("Tuesday, January 5th", "FROM `Tuesday, January 5th`: 5 January 2026 is a Monday, not a Tuesday."),
        ("Jan 31 to Jan 1", "The range ends (2026-01-01) before it starts (2026-01-31): put the earlier date"),
        ("2026-01-01 30 February 2026", "TO `30 February 2026`: February 2026 has 28 days."),
        ("Tuesday, January 5th, 2026", "FROM `Tuesday, January 5th, 2026`: 5 January 2026 is a Monday, not a Tuesday."),
        ("January 2026 5", "TO `5` is not a date"),
        ("1 2 3", "Give at most two dates, FROM and TO, like `2026-03-01 2026-03-31` or `1 March 2026 31 March 2026`"),
        ("Jan 31 to Jan 1, 2026", "The range ends (2026-01-01) before it starts (2026-01-31): put the earlier date"),
        ("31 March to 1 March 2026", "The range ends (2026-03-01) before it starts (2026-03-31): put the earlier date"),
        ("team:Support East 30 February 2026", "FROM `30 February 2026`: February 2026 has 28 days."),
    ],
)
def test_an_export_date_with_a_month_s_name_that_cannot_be_read_says_what_is_wrong_and_exports_nothing(
    ready: RunningBot, typed: str, refusal: str
) -> None:
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert refusal in reply.text, reply.text
    assert ready.slack.files() == []


@pytest.mark.parametrize(
    ("command", "typed"),
    [("/suggest", "help thanks"), ("/suggest", "help, thanks!"), ("/pulse", "help thx"), ("/rewards", "thanks help")],
)
def test_help_with_a_thanks_gets_the_usage_and_sends_nothing(ready: RunningBot, command: str, typed: str) -> None:
    """`/suggest help thanks` went, signed, to the manager and the team channel as an idea; `/pulse help thx` was
    answered "I don't know `help`. Did you mean `/pulse help`?"."""
    reply = ready.driver.command("U0AGENT1", command, typed)

    assert f"`{command} help` — show this help" in reply.text and ":warning:" not in reply.text, reply.text
    assert ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Suggestion)) == 0


@pytest.mark.parametrize("typed", ["<@U0MGR1>.", "<@U0MGR1|maya>!", "recognition <@U0MGR1>."])
def test_a_leader_picked_from_slack_s_list_ending_a_sentence_names_their_team_s_digest(
    ready: RunningBot, typed: str
) -> None:
    """`/digest @maya.` was answered "The digest is a team's week, not a channel's"."""
    reply = ready.driver.command("U0HR", "/digest", typed)
    [response] = ready.slack.calls("response_url")

    assert reply.text == "" and "not a channel" not in response.text, response.text
    assert "Maya Manager's team" in response.text, response.text


def test_a_manager_picked_from_slack_s_list_ending_a_sentence_names_their_team_s_results(ready: RunningBot) -> None:
    """`/pulse results @maya.` was answered "Name one manager and nothing else after `results`"."""
    typed = ready.driver.command("U0HR", "/pulse", "results <@U0MGR1>.")
    plain = ready.driver.command("U0HR", "/pulse", "results <@U0MGR1>")

    assert typed.text == plain.text and "Name one manager" not in typed.text, typed.text


@pytest.mark.parametrize("typed", ["Rosa\u2019s Team", "team:rosa\u2019s team.", "\u201cRosa\u2019s Team\u201d"])
def test_a_team_named_with_the_apostrophe_a_phone_curls_is_that_team(bot: RunningBot, typed: str) -> None:
    """A phone types `’` for `'`: `/digest Rosa’s Team` was answered "Did you mean `/digest team:Rosa's Team`?"."""
    rows = ["U0MGR3,Rosa Manager,Rosa's Team,manager,U0ADMIN", "U0AGENT4,Tom Agent,Rosa's Team,frontline,U0MGR3"]
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + "\n".join(rows) + "\n")
    load_policy(bot.sessions, bot.clock.now())

    bot.driver.command("U0HR", "/digest", typed)
    [response] = bot.slack.calls("response_url")

    assert "Did you mean" not in response.text and "Rosa Manager's team" in response.text, response.text


@pytest.mark.parametrize("typed", ["2026-01-01 2026-01-31 semicolons.", "\u201csemicolons\u201d 2026-01-01 2026-01-31"])
def test_semicolons_as_a_sentence_s_word_asks_for_the_file_excel_splits_at_semicolons(
    ready: RunningBot, typed: str
) -> None:
    """`semicolons.` was read as a date: "TO `semicolons` is not a date"."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert "2026-01-01 to 2026-01-31" in reply.text and ", cells separated by semicolons" in reply.text, reply.text


@pytest.mark.parametrize(
    "typed",
    [
        "<@U0AGENT2>. Great job with the refund",
        "<@U0AGENT2> ! Great job with the refund",
        "<@U0AGENT2> !! Great job with the refund",
        "<@U0AGENT2>?! Great job with the refund",
    ],
)
def test_the_mark_after_the_people_named_is_not_the_first_word_of_the_reason_the_channel_shows(
    ready: RunningBot, typed: str
) -> None:
    """`/nominate @lee. Great job` posted the shout-out's reason as "> . Great job" in the kudos channel."""
    ready.driver.command("U0AGENT1", "/nominate", typed)

    [post] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "> Great job with the refund" in post.text, post.text


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("team:Nesting March 2026", "2026-03-01 to 2026-03-02, team Nesting March 2026"),
        ("2026-01-01 2026-01-31 team:floor 5 may 2026", "2026-01-01 to 2026-01-31, team Floor 5 May 2026"),
        ("team:\u201cFloor 5 May 2026\u201d 2026-01-01 2026-01-31", "2026-01-01 to 2026-01-31, team Floor 5 May 2026"),
        ("team:'Nesting March 2026' January 2026", "2026-01-01 to 2026-01-31, team Nesting March 2026"),
        ("team:Support East March 2026", "2026-03-01 to 2026-03-31, team Support East"),
    ],
)
def test_a_team_whose_name_ends_in_a_month_and_year_is_exported_by_its_name(
    bot: RunningBot, typed: str, period: str
) -> None:
    """`/rewards export team:Nesting March 2026` was read as team `Nesting` for March 2026: "There is no team called
    'Nesting'", and in quotes too. The whole name is tried first, as the digest tries it; a name in quotes is whole."""
    rows = ["U0MGR3,Nell Manager,Nesting March 2026,manager,U0ADMIN", "U0MGR4,Flo Manager,Floor 5 May 2026,manager,"]
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + "\n".join(rows) + "\n")
    load_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period} (" in reply.text, reply.text
    assert len(bot.slack.files()) == 1
