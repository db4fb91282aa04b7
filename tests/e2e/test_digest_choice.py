"""`/digest` names a team however people type it, or its leader; two teams of one name are told apart; and a manager
never gets another team's digest, whatever they type (`test_digest_other_teams.py`: not even of a team below them)."""

from datetime import UTC, datetime

import pytest

from bot.fakeslack import Call
from bot.fakeslack.blockkit import message_problems
from handlers.blocks.digest import as_text
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import load_org, load_policy

MORE = """\
U0SEN,Sara Senior,Operations,manager,U0ADMIN,sara@example.com,Europe/London,
U0PAT,Pat Lead,Support,manager,U0SEN,pat@example.com,Europe/London,
U0PATA,Pia Agent,Support,frontline,U0PAT,pia@example.com,Europe/London,agent
U0QUI,Quinn Lead,Support,manager,U0ADMIN,quinn@example.com,Europe/London,
U0QUIA,Quentin Agent,Support,frontline,U0QUI,quentin@example.com,Europe/London,agent
U0TARA,Tara Lead,Team Alpha,manager,U0SEN,tara@example.com,Europe/London,
U0TARAA,Tom Agent,Team Alpha,frontline,U0TARA,tom@example.com,Europe/London,agent
"""


@pytest.fixture
def org(bot: RunningBot) -> RunningBot:
    bot.clock.set(datetime(2026, 2, 2, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + MORE)
    load_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 18, 12, 0, tzinfo=UTC))
    return bot


def digest_command(bot: RunningBot, user: str, text: str) -> Call:
    bot.slack.reset()
    reply = bot.driver.command(user, "/digest", text)
    assert reply.status == 200 and reply.body == "", reply.text
    [response] = bot.slack.calls("response_url")
    assert response.args["response_type"] == "ephemeral"
    return response


def test_two_teams_of_one_name_are_told_apart_for_hr_with_their_leaders(org: RunningBot) -> None:
    """HR's `team:Support` was read as whichever leader came first by name."""
    answer = digest_command(org, "U0HR", "team:support").text

    assert "2 people lead a team called *Support*" in answer, answer
    assert "Pat Lead (<@U0PAT>)" in answer and "Quinn Lead (<@U0QUI>)" in answer
    assert "`/digest @Pat Lead`" in answer
    assert "Customer fixes" not in answer


def test_hr_picks_one_of_them_by_mentioning_its_leader(org: RunningBot) -> None:
    response = digest_command(org, "U0HR", "<@U0QUI|quinn>")

    assert "Quinn Lead's team: 1 person" in response.text, response.text
    assert message_problems(response.args) == []


def test_a_lead_naming_their_teams_shared_name_gets_their_own_digest(org: RunningBot) -> None:
    response = digest_command(org, "U0PAT", "team:Support")

    assert "Pat Lead's team: 1 person" in response.text, response.text
    assert "Quinn" not in response.text


@pytest.mark.parametrize("typed", ["Team Alpha", "team alpha", "“Team Alpha”", "team:Team Alpha", "<@U0TARA|tara>"])
def test_a_team_is_named_with_spaces_case_quotes_or_by_its_leader(org: RunningBot, typed: str) -> None:
    """`/digest Team Alpha` was answered with `/digest team:Alpha`, a team that does not exist."""
    for reader in ("U0HR", "U0ADMIN", "U0TARA"):
        response = digest_command(org, reader, typed)

        assert "Tara Lead's team: 1 person" in response.text, (reader, response.text)


def test_a_name_nearly_typed_is_answered_with_did_you_mean(org: RunningBot) -> None:
    answer = digest_command(org, "U0HR", "Suport East").text

    assert "I don't know `Suport East` here. Did you mean `/digest team:Support East`?" in answer, answer


@pytest.mark.parametrize(
    "typed",
    [
        "team:Support West",
        "Support West",
        "team:Nowhere",
        "Nowhere",
        "<@U0MGR2|omar>",
        "<@U0NOBODY|ghost>",
        "team:Support",
        "<@U0QUI>",
        "<@U0HR>",
        "recognition team:Support West",
        "recognition <@U0MGR2>",
        "team:<@U0MGR2>",
        "U0MGR2",
    ],
)
def test_a_manager_gets_nothing_from_outside_their_line_and_cannot_tell_what_exists(
    org: RunningBot, typed: str
) -> None:
    answer = digest_command(org, "U0MGR1", typed).text

    assert "Customer fixes" not in answer and "Nobody has recognised" not in answer, answer
    for other in ("Omar", "Ines", "Quinn", "Quentin", "Pat", "Support West", "Hana", "Operations", "People"):
        assert other not in answer.replace(typed, ""), (typed, answer)
    if typed.startswith(("team:", "<@", "recognition")):
        assert "Only HR and admins can see another team's digest" in answer, answer
    else:
        assert f"I don't know `{typed}` here. For a team's digest, write `team:` before its name" in answer, answer


def test_a_leader_named_without_picking_them_from_slacks_list_is_told_how(org: RunningBot) -> None:
    """`@Tara Lead` typed and not picked reaches the bot as plain text: it was answered `/digest team:@Tara Lead`."""
    answer = digest_command(org, "U0SEN", "@Tara Lead").text

    assert "To name a team by its leader, pick them from Slack's list as you type their name" in answer, answer
    assert "team:@" not in answer


def test_a_manager_is_offered_only_their_own_team_as_did_you_mean(org: RunningBot) -> None:
    """A near miss of another team's name, below them or not, is answered like any unknown words."""
    near_other = digest_command(org, "U0MGR1", "Suport West").text
    near_below = digest_command(org, "U0SEN", "Team Alpah").text
    near_own = digest_command(org, "U0TARA", "Team Alpah").text

    assert "Did you mean" not in near_other and "Support West" not in near_other, near_other
    assert "Did you mean" not in near_below and "Team Alpha" not in near_below, near_below
    assert "Did you mean `/digest team:Team Alpha`?" in near_own, near_own


@pytest.mark.parametrize(
    "typed", ["recognition team:Support East", "recognition\nSupport East", "Recognition  support east"]
)
def test_hr_lists_another_teams_unrecognised_people_naming_its_manager(org: RunningBot, typed: str) -> None:
    response = digest_command(org, "U0HR", typed)

    shown = as_text(response.args["blocks"])
    assert "Nobody has recognised these 2 people in Maya Manager's team in 30 days" in shown, shown
    assert "a word from Maya Manager would count" in shown
    assert "Sam Agent" in shown and "Lee Senior" in shown and "your team" not in shown


def test_hr_lists_a_team_by_its_leader_and_a_manager_above_it_is_refused(org: RunningBot) -> None:
    shown = as_text(digest_command(org, "U0HR", "recognition <@U0TARA|tara>").args["blocks"])
    above = digest_command(org, "U0SEN", "recognition <@U0TARA|tara>").text

    assert "Nobody has recognised this person in Tara Lead's team" in shown, shown
    assert "Tom Agent" in shown and "Pia Agent" not in shown
    assert (
        above
        == ":warning: Only HR and admins can see another team's digest. `/digest` on its own shows your own team's."
    )
