"""`/rewards export` ranges HR types that were refused or misread: a quarter, a date without its year (read as the
latest, and the reply says so), two dates each with a comma joined by a dash, a team named without `team` or `team`
with no name after it, and more than two dates, named back whole enough to be found. On Monday 2 March 2026."""

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import build_parser, main
from tests.conftest import RunningBot
from tests.e2e.test_cli_operator_mistakes import every_parser
from tests.e2e.test_rewards_export import make_history
from tests.helpers import load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("Q4 2025", "2025-10-01 to 2025-12-31 (whole days"),
        ("2025 Q4 to Q1 2026", "2025-10-01 to 2026-03-31 (whole days"),
        ("Q4", "2025-10-01 to 2025-12-31 (`Q4` has no year: read as 1 October 2025 to 31 December 2025; whole days"),
        ("last quarter", "2025-10-01 to 2025-12-31 (whole days"),
        ("Mar 3", "2025-03-03 to 2026-03-02 (`Mar 3` has no year: read as 3 March 2025; whole days"),
        ("1 Feb to 28 Feb", "2026-02-01 to 2026-02-28 (`1 Feb` and `28 Feb` have no year: read as 1 February 2026"),
        ("Feb 1, 2026-Feb 28, 2026", "2026-02-01 to 2026-02-28 (whole days"),
        ("Support East Q4 2025", "2025-10-01 to 2025-12-31, team Support East (whole days"),
        ("last month support east", "2026-02-01 to 2026-02-28, team Support East (whole days"),
    ],
)
def test_a_range_typed_as_hr_types_it_is_read_as_meant_and_the_file_sent(
    ready: RunningBot, typed: str, period: str
) -> None:
    """Each was refused ("FROM `Q4` is not a date", "`Mar 3` has no year", "I read 4: `Feb 1`, `2026-Feb`...",
    "I read 3: `Support`, `East`...")."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period}" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


@pytest.mark.parametrize("typed", ["team", "Team", "2026-02 team"])
def test_team_with_nothing_after_it_is_told_to_name_one_of_the_teams(ready: RunningBot, typed: str) -> None:
    """Was "FROM `team` is not a date"."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert "Name the team after `team:` (teams: Operations, People, Support East, Support West)." in reply.text
    assert ready.slack.files() == []


def test_more_than_two_dates_are_named_back_whole_and_escaped(ready: RunningBot) -> None:
    """Each was cut at 20 characters (`Saturday, 31 January`)."""
    typed = "Monday, 5 January 2026 to Saturday, 31 January 2026 and <b>&co"

    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert "(I read 3: `Monday, 5 January 2026`, `Saturday, 31 January 2026`, `&lt;b&gt;&amp;co`)." in reply.text
    assert ready.slack.files() == []


def test_the_command_line_reads_a_quarter_and_its_help_says_a_lone_from_runs_to_today(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--from yesterday` without `--to` is yesterday and today, as `--to`'s default is today: the help says so."""
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)
    [rewards] = [parser for parser in every_parser(build_parser()) if parser.prog.endswith("export rewards")]
    helped = " ".join(rewards.format_help().split())

    assert main(["export", "rewards", "--from", "Q1 2026", "--to", "q2 2026", "--out", str(tmp_path / "x.csv")]) == 0

    assert ", 2026-01-01 to 2026-06-30" in capsys.readouterr().err
    assert "without --to the range runs to today whatever --from names" in helped
