"""`python -m bot org import` naming managers: one the bot knows only from Slack is refused as a manager until an org
file lists them, and a manager and their report trading places is written in one go."""

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.clock import MovableClock
from tests.conftest import RunningBot
from tests.helpers import employee, load_org

HEADER = "slack_id,name,team,role,manager_slack_id\n"


def import_file(tmp_path: Path, database_url: str, text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("DATABASE_URL", database_url)
    org = tmp_path / "org.csv"
    org.write_text(text, encoding="utf-8")
    return main(["org", "import", str(org), "--workspace", "T0LATITUDE"])


def manager_of(sessions: sessionmaker[Session], slack_id: str) -> str | None:
    with sessions() as session:
        manager = employee(session, slack_id).manager
        return manager.slack_id if manager else None


def test_someone_known_only_from_slack_is_refused_as_a_manager(
    bot: RunningBot,
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    load_org(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0STRANGE", "Stranger")
    bot.slack.fail("users.info", error="fatal_error", times=5)  # Slack never said whether they are a guest
    bot.driver.command("U0STRANGE", "/boundaries")
    with bot.sessions() as session:
        stranger = employee(session, "U0STRANGE")
        assert (stranger.in_directory, stranger.slack_guest) == (False, None)
    capsys.readouterr()

    code = import_file(tmp_path, database_url, HEADER + "U0MGR2,Omar,Support West,manager,U0STRANGE\n", monkeypatch)

    assert code == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: line 2: manager U0STRANGE (stranger) is known only from Slack, never listed in an org file: add their "
        "row, or name another manager"
    )
    assert manager_of(bot.sessions, "U0MGR2") == "U0ADMIN"


def test_once_a_file_lists_them_they_may_manage_a_region_s_head(
    bot: RunningBot, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_org(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0STRANGE", "Stranger")
    bot.driver.command("U0STRANGE", "/boundaries")
    assert import_file(tmp_path, database_url, HEADER + "U0STRANGE,Stella,Ops,manager,U0ADMIN\n", monkeypatch) == 0

    assert (
        import_file(tmp_path, database_url, HEADER + "U0MGR2,Omar,Support West,manager,U0STRANGE\n", monkeypatch) == 0
    )

    assert manager_of(bot.sessions, "U0MGR2") == "U0STRANGE"


def test_a_manager_and_their_report_trade_places(
    sessions: sessionmaker[Session],
    clock: MovableClock,
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    load_org(sessions, clock.now())
    swapped = HEADER + "U0ADMIN,Ada Admin,Operations,admin,U0MGR1\nU0MGR1,Maya Manager,Support East,manager,\n"

    assert import_file(tmp_path, database_url, swapped, monkeypatch) == 0, capsys.readouterr().err

    assert (manager_of(sessions, "U0ADMIN"), manager_of(sessions, "U0MGR1")) == ("U0MGR1", None)
    assert manager_of(sessions, "U0AGENT1") == "U0MGR1"
