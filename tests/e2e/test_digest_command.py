"""`/digest` previews this week so far, privately; HR and admins may ask for a team; others learn what it is for."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.fakeslack import Call
from bot.fakeslack.blockkit import message_problems
from handlers.blocks.digest import as_text
from models import Employee
from services import directory
from tests.conftest import RunningBot
from tests.fixture_week import MONDAY, at, load_fixture_week, pile_of_pending
from tests.helpers import count, employee, load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_fixture_week(bot.sessions)
    bot.clock.set(MONDAY)
    return bot


def digest_command(bot: RunningBot, user: str, text: str = "") -> Call:
    reply = bot.driver.command(user, "/digest", text)
    assert reply.status == 200 and reply.body == ""
    [response] = bot.slack.calls("response_url")
    assert response.args["response_type"] == "ephemeral"
    return response


def test_a_manager_sees_this_week_so_far_privately(ready: RunningBot) -> None:
    response = digest_command(ready, "U0MGR1")

    text = as_text(response.args["blocks"])
    assert "This week so far: Mon 02 Mar – Mon 02 Mar" in text
    assert "*Customer fixes:* 1 (last week 0), $5 given" in text
    assert "*Waiting on you (1), oldest first:*" in text
    assert message_problems(response.args) == []
    assert ready.slack.calls("chat.postMessage") == []


@pytest.mark.parametrize("quoted", ['"Support East"', "“Support East”"])
def test_hr_may_name_the_team_in_quotes_as_a_phone_types_them(ready: RunningBot, quoted: str) -> None:
    response = digest_command(ready, "U0HR", f"team:{quoted}")

    assert "Maya Manager's team: 2 people" in response.text


def test_hr_may_ask_for_a_team_by_name_and_reads_it_as_the_managers_not_their_own(ready: RunningBot) -> None:
    response = digest_command(ready, "U0HR", "team:Support East")

    text = as_text(response.args["blocks"])
    assert "Maya Manager's team: 2 people" in response.text
    assert "*Waiting on Maya Manager (1), oldest first:*" in text
    assert "Sent to Maya Manager on Mondays at 09:00 their time" in text
    assert "you" not in response.args["text"].split()
    assert "decide" not in str(response.args["blocks"]), "the manager's decision buttons are not HR's"
    assert message_problems(response.args) == []


def test_hrs_preview_names_the_managers_team_for_its_stories_and_its_recognition_nudge(ready: RunningBot) -> None:
    ready.clock.set(at(2, 15, month=3))
    ready.driver.command("U0AGENT1", "/resolve", "credit 5 order 77 outcome:happy apologised for the wait")
    ready.clock.advance(timedelta(minutes=5))

    text = as_text(digest_command(ready, "U0HR", "team:Support East").args["blocks"])

    assert "*Happy customers, in Maya Manager's team's words:*" in text
    assert (
        "Nobody has recognised these people in Maya Manager's team since Tue 10 Feb, when Latitude's record of this "
        "team starts — a word" in text
    )
    assert "your team" not in text.lower() and "from you" not in text


def test_hr_without_a_team_is_told_how_to_ask_for_one(ready: RunningBot) -> None:
    response = digest_command(ready, "U0HR")

    assert "Nobody reports to you" in response.text
    assert "`/digest team:NAME`" in response.text


def test_a_frontline_employee_is_told_what_the_command_is_for(ready: RunningBot) -> None:
    response = digest_command(ready, "U0AGENT1")

    assert "`/digest` is for managers" in response.text
    assert "Customer fixes" not in response.text


def test_a_refused_digest_learns_nothing_and_writes_nothing(ready: RunningBot) -> None:
    ready.slack.add_user("U0NEWBIE", "Nora Newbie", tz="Europe/Paris")
    with ready.sessions.begin() as session:
        sam = employee(session, "U0AGENT1")
        sam.tz = None
        directory.profile_updated(session, sam)
        people = count(session, Employee)

    for caller in ("U0NEWBIE", "U0AGENT1"):
        ready.driver.command(caller, "/digest")

    refusals = [call.text for call in ready.slack.calls("response_url")]
    assert len(refusals) == 2 and all("`/digest` is for managers" in text for text in refusals)
    assert ready.slack.calls("users.info") == []
    with ready.sessions() as session:
        assert count(session, Employee) == people
        assert session.scalar(select(Employee).where(Employee.slack_id == "U0NEWBIE")) is None
        assert employee(session, "U0AGENT1").tz is None


def test_a_manager_naming_their_own_team_sees_their_own_digest(ready: RunningBot) -> None:
    response = digest_command(ready, "U0MGR1", "team:support east")

    text = as_text(response.args["blocks"])
    assert "another team" not in response.text
    assert "*Customer fixes:* 1 (last week 0), $5 given" in text
    assert "*Waiting on you (1), oldest first:*" in text
    assert "resolution_approve" in str(response.args["blocks"]), "their own digest, with their decision buttons"


@pytest.mark.parametrize(("caller", "team"), [("U0MGR1", "Support West"), ("U0AGENT3", "Support East")])
def test_only_hr_and_admins_look_at_another_team(ready: RunningBot, caller: str, team: str) -> None:
    response = digest_command(ready, caller, f"team:{team}")

    assert "Only HR and admins can see another team's digest" in response.text
    assert "Customer fixes" not in response.text


def test_a_frontline_employee_naming_their_own_team_is_told_what_the_command_is_for(ready: RunningBot) -> None:
    response = digest_command(ready, "U0AGENT1", "team:Support East")

    assert "`/digest` is for managers" in response.text
    assert "another team" not in response.text


def test_an_unknown_team_lists_the_teams(ready: RunningBot) -> None:
    response = digest_command(ready, "U0ADMIN", "team:<Nowhere>")

    assert "There is no team called *&lt;Nowhere&gt;*" in response.text
    assert "`Support East`, `Support West`" in response.text


@pytest.mark.parametrize(
    ("caller", "answer"),
    [
        ("U0ADMIN", "Name the team after `team:`. Teams: `Operations`, `People`, `Support East`, `Support West`."),
        ("U0MGR1", "Name the team after `team:`, or send `/digest` on its own for your own team's."),
    ],
)
def test_an_empty_team_name_asks_for_one_and_lists_the_teams_to_hr_and_admins_only(
    ready: RunningBot, caller: str, answer: str
) -> None:
    response = digest_command(ready, caller, "team:  ")

    assert answer in response.text
    assert "**" not in response.text


def test_a_manager_naming_a_team_that_does_not_exist_learns_nothing_of_the_teams(ready: RunningBot) -> None:
    response = digest_command(ready, "U0MGR1", "team:Nowhere")

    assert "Only HR and admins can see another team's digest" in response.text
    assert "Support West" not in response.text


def test_help_and_unknown_words_show_the_usage(ready: RunningBot) -> None:
    help_reply = ready.driver.command("U0MGR1", "/digest", "help")
    wrong = digest_command(ready, "U0MGR1", "everything")

    assert "*/digest* — your team's weekly digest so far" in help_reply.text
    assert "I don't know `everything` here" in wrong.text
    assert "*/digest* — your team's weekly digest so far" in wrong.text


def test_a_preview_with_300_pending_approvals_stays_within_block_kit_limits(ready: RunningBot) -> None:
    pile_of_pending(ready.sessions, 300, at(26, 10))

    response = digest_command(ready, "U0MGR1")

    assert message_problems(response.args) == []
    assert "and 291 more" in response.text


def test_approving_in_the_private_preview_replaces_the_preview_with_the_outcome(ready: RunningBot) -> None:
    preview = digest_command(ready, "U0MGR1")
    assert "*Waiting on you (1), oldest first:*" in as_text(preview.args["blocks"])

    ready.driver.click("U0MGR1", preview, "resolution_approve")

    replaced = ready.slack.calls("response_url")[-1]
    assert replaced.args["replace_original"] is True
    shown = ready.slack.message(preview.response["channel"], preview.response["ts"])
    assert "*Waiting on you:* nothing." in as_text(shown["blocks"])
    assert "Sorry" not in replaced.text
    assert [c.method for c in ready.slack.calls() if c.method.endswith(":failed")] == []
    [outcome] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "approved" in outcome.text


def test_declining_in_the_private_preview_through_the_reason_modal_replaces_the_preview(ready: RunningBot) -> None:
    preview = digest_command(ready, "U0MGR1")

    ready.driver.click("U0MGR1", preview, "resolution_decline")
    [opened] = ready.slack.calls("views.open")
    submitted = ready.driver.submit("U0MGR1", opened.args["view"], {"reason": "Not for a late parcel"})

    assert submitted.status == 200 and submitted.body == ""
    replaced = ready.slack.calls("response_url")[-1]
    assert replaced.args["replace_original"] is True
    shown = ready.slack.message(preview.response["channel"], preview.response["ts"])
    assert "*Waiting on you:* nothing." in as_text(shown["blocks"])
    assert [c.method for c in ready.slack.calls() if c.method.endswith(":failed")] == []
    [outcome] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "Not for a late parcel" in outcome.text


def test_this_week_so_far_is_compared_with_last_week_up_to_the_same_local_time_across_daylight_saving(
    ready: RunningBot,
) -> None:
    # Maya is in New York, which springs forward at 02:00 on Sunday 8 March 2026: her week so far is an hour short.
    ready.clock.set(datetime(2026, 3, 1, 14, 30, tzinfo=UTC))  # Sunday 1 March, 09:30 in New York
    ready.driver.command("U0AGENT1", "/resolve", "credit 5 order 77 apologised for the wait")

    ready.clock.set(datetime(2026, 3, 8, 13, 45, tzinfo=UTC))  # Sunday 8 March, 09:45 in New York
    text = as_text(digest_command(ready, "U0MGR1").args["blocks"])

    assert "This week so far: Mon 02 Mar – Sun 08 Mar" in text
    assert "*Customer fixes:* 1 (last week 7)" in text, "the fixes logged on Sunday 1 March before 09:45 count"


@pytest.mark.parametrize("typed", ["Support East", "team Support East", "Teams Support East", "taem:Support East"])
def test_a_team_named_without_team_is_that_teams_digest(bot: RunningBot, typed: str) -> None:
    """`/digest Support East` was answered with how to type it, though it could only mean that team."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    response = digest_command(bot, "U0HR", typed)

    assert "Maya Manager's team: 2 people" in response.text, response.text


@pytest.mark.parametrize(
    ("typed", "team"), [("Help Desk", "Help Desk"), ("help desk late shift", "help desk late shift")]
)
def test_words_that_name_no_team_are_answered_with_how_to_name_one(bot: RunningBot, typed: str, team: str) -> None:
    """`Help Desk` (no command takes words after `help`) was answered with "I don't know `Desk` after `help`"."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = digest_command(bot, "U0HR", typed)

    assert f"For a team's digest, write `team:` before its name: `/digest team:{team}`." in reply.text


@pytest.mark.parametrize("typed", ["team", "taem:"])
def test_team_alone_is_asked_for_the_teams_name(bot: RunningBot, typed: str) -> None:
    """`/digest team` was told to write `/digest team:team`."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0HR", "/digest", typed)

    assert "Name the team after `team:`, like `/digest team:Support East`." in reply.text
    assert "team:team" not in reply.text and bot.slack.calls("response_url") == []


@pytest.mark.parametrize("typed", ["<#C0SUPPORT|support-east>", "<@U0AGENT1|sam> <@U0AGENT2|lee>"])
def test_a_channel_or_several_people_after_digest_is_answered_with_what_the_digest_shows(
    bot: RunningBot, typed: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0MGR1", "/digest", typed)

    assert "The digest is a team's week, not a channel's" in reply.text
    assert "<@" not in reply.text and "<#" not in reply.text
    assert bot.slack.calls("response_url") == []


@pytest.mark.parametrize("typed", [":tada:", "👍", ":+1::skin-tone-3: :tada:", "?!"])
def test_emoji_alone_after_digest_are_not_offered_as_a_teams_name(bot: RunningBot, typed: str) -> None:
    """`/digest :tada:` was told to write `/digest team::tada:`."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = digest_command(bot, "U0HR", typed)

    assert f"I don't know `{typed}` here. Name a team in words, like `/digest team:Support East`." in reply.text
    assert f"team:{typed}" not in reply.text


@pytest.mark.parametrize("typed", ["team:Support\nEast", "team:Support  East", "Support\nEast"])
def test_a_teams_name_split_over_two_lines_or_spaced_twice_is_that_team(bot: RunningBot, typed: str) -> None:
    """A name pasted over two lines was answered "There is no team called *Support\\nEast*", its bold broken."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = digest_command(bot, "U0HR", typed)

    assert "Maya Manager's team: 2 people" in reply.text, reply.text
