"""HR's export range typed with a slip: a team named without `team` and misspelt (`Support Eest last month`) is told
the team nearly named, or that no team is called so, where it was refused as a date; two quarters joined by a dash
with a space on one side only (`Q3 2025 -Q4 2025`) are a range of two quarters, as with spaces on both or neither.
In Slack and on the command line. On Monday 2 March 2026."""

import pytest

from bot.cli import main
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        (
            "Support Eest last month",
            "No team is called `Support Eest`. Did you mean `Support East`? Write `team:Support East last month`.",
        ),
        (
            "last month Suport East",
            "No team is called `Suport East`. Did you mean `Support East`? Write `last month team:Support East`.",
        ),
        (
            "Operatons 2026-02",
            "No team is called `Operatons`. Did you mean `Operations`? Write `team:Operations 2026-02`.",
        ),
        (
            "Night Shift last month",
            "No team is called `Night Shift`, nor is it a date (write one like 2026-03-01). Teams: Operations, People, "
            "Support East, Support West.",
        ),
    ],
)
def test_a_team_misspelt_without_team_is_told_the_team_nearly_named_not_that_it_is_no_date(
    ready: RunningBot, typed: str, told: str
) -> None:
    """Was "TO `Eest` is not a date" (or three dates read: `Support`, `Eest`, `last month`)."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert told in reply.text, reply.text
    assert "is not a date" not in reply.text and ready.slack.files() == []


def test_the_words_a_slip_is_answered_with_export_that_team(ready: RunningBot) -> None:
    ready.driver.command("U0HR", "/rewards", "export Support Eest last month")
    reply = ready.driver.command("U0HR", "/rewards", "export team:Support East last month")

    assert "Preparing the reward export for 2026-02-01 to 2026-02-28, team Support East (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


@pytest.mark.parametrize("typed", ["Marhc 2026", "2026-13-01 Support East"])
def test_a_date_misspelt_is_still_refused_as_a_date(ready: RunningBot, typed: str) -> None:
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert "is not a date" in reply.text and "No team is called" not in reply.text, reply.text


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        *(
            (typed, f"FROM `{typed.split()[0]}` is not a date: write it as YYYY-MM-DD")
            for typed in ["Q5 2026", "H1 2026"]
        ),
        *((typed, f"FROM `{typed.split()[0]}` is not a date") for typed in ["W09 2026", "Spring 2026", "Xmas 2025"]),
        *((typed, f"FROM `{typed}` is not a date") for typed in ["ytd", "lastmonth", "last-month", "Fro"]),
        ("fro 1 March 2026 to 2 March 2026", "(I read 3: `fro`, `1 March 2026`, `2 March 2026`)"),
    ],
)
def test_a_date_s_words_and_figures_are_never_read_as_a_team_s_name(ready: RunningBot, typed: str, told: str) -> None:
    """Was "No team is called `Q5`, nor is it a date", and `fro 1` taken for a team's name."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert told in reply.text and "No team is called" not in reply.text, reply.text


def test_a_long_text_is_refused_as_a_range_in_the_time_slack_waits_for_the_answer(ready: RunningBot) -> None:
    """Every run of its words was tried as a team's name, each word against every date's word: 400 words took 14 s,
    and Slack, having waited 3 s, told HR that Latitude has no `/rewards` any more."""
    said = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"]
    typed = " ".join(["March", *(said * 50), "2026"])

    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert "Give at most two dates, FROM and TO" in reply.text and "(I read 402: `March`, `lorem`," in reply.text
    assert ready.slack.files() == []


def test_a_long_text_after_team_is_answered_in_the_time_slack_waits_for_the_answer(ready: RunningBot) -> None:
    """Each of its words was tried as where the range begins, the rest read again as dates each time: 400 words after
    `team` took 2-3.5 s, past the 3 s Slack waits."""
    said = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"]
    typed = " ".join(["team", *(said * 50), "March", "2026"])

    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert "There is no team called 'lorem ipsum dolor sit amet" in reply.text, reply.text
    assert ready.slack.files() == []


@pytest.mark.parametrize(
    "typed", ["Q3 2025 -Q4 2025", "Q3 2025- Q4 2025", "Q3 2025 – Q4 2025", "2025 Q3 -2025 Q4", "Q3 2025-Q4 2025"]
)
def test_two_quarters_joined_by_a_dash_spaced_on_one_side_are_a_range(ready: RunningBot, typed: str) -> None:
    """`Q3 2025 -Q4 2025` was three dates: `Q3 2025`, `-Q4`, `2025`."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert "Preparing the reward export for 2025-07-01 to 2025-12-31 (whole days" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


def cli_refusal(capsys: pytest.CaptureFixture[str], *options: str) -> str:
    command = ["export", "rewards", *options, "--out", "-", "--workspace", "T0LATITUDE"]
    assert main(command) == 2
    return capsys.readouterr().err


def test_the_command_line_tells_a_team_misspelt_the_team_nearly_named_and_a_quarter_range_how_to_split(
    ready: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)

    misspelt = cli_refusal(capsys, "--from", "2026-02-01", "--to", "2026-02-28", "--team", "Support Eest")
    quarters = cli_refusal(capsys, "--from", "Q3 2025 -Q4 2025")

    assert misspelt == (
        "error: There is no team called 'Support Eest' in the directory (teams: Operations, People, Support East, "
        "Support West). Did you mean 'Support East'?\n"
    )
    assert quarters == (
        "error: --from `Q3 2025 -Q4 2025` is a range, 2025-07-01 to 2025-12-31: give its first day to --from and its "
        "last to --to (--from 2025-07-01 --to 2025-12-31)\n"
    )
