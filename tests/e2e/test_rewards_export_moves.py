"""HR's export files a grant under the team and manager its recipient had when it was granted, not today's.

Sam (Support East, under Maya) is thanked in March, then moves to Support West (under Omar) in April and is thanked
again. Payroll reads the first quarter by team: Sam's March thanks are East's, wherever Sam works now.
"""

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from models import Employee, RewardGrant, Team
from models.engine import make_engine
from models.schema import upgrade
from tests.conftest import RunningBot
from tests.e2e.test_rewards_export import ORG, at, give
from tests.helpers import load_org
from tests.rewards_helpers import load_policy_text

SAM_IN_EAST = 'U0AGENT1,"Sam ""Sunny"" Agent",Support East,frontline,U0MGR1,'
SAM_IN_WEST = 'U0AGENT1,"Sam ""Sunny"" Agent",Support West,frontline,U0MGR2,'
MOVED = ORG.replace(SAM_IN_EAST, SAM_IN_WEST)


def sam_thanked_in_march_then_moved_in_april(sessions: sessionmaker[Session]) -> None:
    """Grant 1: Sam in March (East). Grant 2: Ines in March (West). Sam moves on 1 April; grant 3: Sam in April."""
    assert MOVED != ORG
    load_org(sessions, at(1, 8), ORG)
    load_policy_text(sessions, at(1, 8))
    with sessions.begin() as session:
        give(session, "U0AGENT2", "U0AGENT1", "shoutout", "Calmed the March rush", at(10, 9))
        give(session, "U0AGENT1", "U0AGENT3", "shoutout", "Covered my shift", at(11, 9))
    load_org(sessions, at(1, 8, month=4), MOVED)
    with sessions.begin() as session:
        give(session, "U0AGENT3", "U0AGENT1", "shoutout", "Welcome to West", at(2, 9, month=4))


def export_rows(out: Path, *options: str) -> list[dict[str, object]]:
    assert main(["export", "rewards", *options, "--format", "jsonl", "--out", str(out)]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_quarter_exported_by_team_keeps_grants_with_the_team_they_were_granted_in(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sam_thanked_in_march_then_moved_in_april(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)
    q1 = ("--from", "2026-01-01", "--to", "2026-03-31")

    east = export_rows(tmp_path / "east.jsonl", *q1, "--team", "Support East")
    west = export_rows(tmp_path / "west.jsonl", *q1, "--team", "Support West")
    april = export_rows(tmp_path / "april.jsonl", "--from", "2026-04-01", "--to", "2026-04-30")

    assert [(row["grant_id"], row["team"], row["manager"]) for row in east] == [(1, "Support East", "Maya Manager")]
    assert [(row["grant_id"], row["team"], row["manager"]) for row in west] == [(2, "Support West", "Omar Manager")]
    assert [(row["grant_id"], row["team"], row["manager"]) for row in april] == [(3, "Support West", "Omar Manager")]


def test_the_csv_hr_gets_in_slack_shows_the_team_and_manager_at_granting(bot: RunningBot) -> None:
    sam_thanked_in_march_then_moved_in_april(bot.sessions)

    bot.driver.command("U0HR", "/rewards", "export 2026-01-01 2026-04-30")
    bot.driver.command("U0HR", "/rewards", "export 2026-01-01 2026-03-31 team:Support West")

    whole, west = (uploaded_rows(upload.files) for upload in bot.slack.files())
    assert [(row["grant_id"], row["team"], row["manager"]) for row in whole] == [
        ("1", "Support East", "Maya Manager"),
        ("2", "Support West", "Omar Manager"),
        ("3", "Support West", "Omar Manager"),
    ]
    assert [row["grant_id"] for row in west] == ["2"], "Sam's March thanks are Support East's, where Sam worked then"
    told = bot.slack.files()[0].args["initial_comment"]
    assert "`team` and `manager` are the recipient's when it was granted" in told, told


def uploaded_rows(files: dict[str, bytes]) -> list[dict[str, str]]:
    [content] = files.values()
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_grants_of_a_team_stored_twice_in_different_case_follow_it_into_the_one_kept(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory from before teams were matched whatever their case: the import merges the two, grants included."""
    load_org(sessions, at(1, 8), ORG)
    load_policy_text(sessions, at(1, 8))
    with sessions.begin() as session:
        east = session.scalars(select(Team).where(Team.name == "Support East")).one()
        split = Team(workspace_id=east.workspace_id, name="support east")
        session.add(split)
        session.flush()
        session.execute(update(Employee).where(Employee.slack_id == "U0AGENT1").values(team_id=split.id))
        give(session, "U0AGENT2", "U0AGENT1", "shoutout", "Calmed the March rush", at(10, 9))
    monkeypatch.setenv("DATABASE_URL", database_url)
    org = tmp_path / "org.csv"
    org.write_text(ORG, encoding="utf-8")

    assert main(["org", "import", str(org)]) == 0
    east_rows = export_rows(tmp_path / "east.jsonl", "--from", "2026-03-01", "--team", "Support East")

    assert [(row["grant_id"], row["team"]) for row in east_rows] == [(1, "Support East")]
    with sessions() as session:
        assert sorted(session.scalars(select(Team.name))) == ["Operations", "People", "Support East", "Support West"]


def test_grants_made_before_the_upgrade_take_their_recipients_team_and_manager_as_they_are_then(
    tmp_path: Path,
) -> None:
    """Nothing recorded where a recipient worked when granted: the directory at the upgrade is the best known."""
    engine = make_engine(f"sqlite:///{tmp_path / 'latitude.db'}")
    upgrade(engine, "0026")
    with engine.begin() as connection:
        for statement in ROWS_BEFORE_0027:
            connection.execute(text(statement), {"at": at(10, 9)})

    upgrade(engine)

    with engine.connect() as connection:
        filled = connection.execute(select(RewardGrant.id, RewardGrant.team_id, RewardGrant.manager_id)).all()
    assert [tuple(row) for row in filled] == [(1, 1, 1), (2, None, None)]


ROWS_BEFORE_0027 = (
    "INSERT INTO workspaces (id, slack_team_id, name, created_at, config_version) VALUES (1, 'T0', 'Ours', :at, 1)",
    "INSERT INTO teams (id, workspace_id, name) VALUES (1, 1, 'Support East')",
    "INSERT INTO employees (id, workspace_id, slack_id, name, role, team_id, manager_id, active, in_directory, "
    "created_at, updated_at) VALUES (1, 1, 'U0MGR1', 'Maya', 'manager', NULL, NULL, 1, 1, :at, :at), "
    "(2, 1, 'U0AGENT1', 'Sam', 'frontline', 1, 1, 1, 1, :at, :at)",
    "INSERT INTO nominations (id, workspace_id, nominator_id, nominee_id, item_key, title, kind, value, unit, "
    "needs_approval, reason, public, fingerprint, status, created_at) VALUES "
    "(1, 1, 1, 2, 'shoutout', 'Shout-out', 'praise', 0, 'USD', 0, 'thanks', 1, 'f1', 'approved', :at), "
    "(2, 1, 2, 1, 'shoutout', 'Shout-out', 'praise', 0, 'USD', 0, 'thanks', 1, 'f2', 'approved', :at)",
    "INSERT INTO reward_grants (id, workspace_id, nomination_id, recipient_id, nominator_id, item_key, title, kind, "
    "value, unit, reason, status, granted_at) VALUES "
    "(1, 1, 1, 2, 1, 'shoutout', 'Shout-out', 'praise', 0, 'USD', 'thanks', 'approved', :at), "
    "(2, 1, 2, 1, 2, 'shoutout', 'Shout-out', 'praise', 0, 'USD', 'thanks', 'approved', :at)",
)
"""A release before 0027's rows: Sam (Support East, under Maya) thanked by Maya, who has no team or manager."""


def sam_thanked_in_east_then_in_west_the_same_month(sessions: sessionmaker[Session]) -> None:
    """Grant 1: Sam in Support East on 10 March; Sam moves to Support West on the 15th; grant 2: Sam there."""
    load_org(sessions, at(1, 8), ORG)
    load_policy_text(sessions, at(1, 8))
    with sessions.begin() as session:
        give(session, "U0AGENT2", "U0AGENT1", "shoutout", "Calmed the March rush", at(10, 9))
    load_org(sessions, at(15, 8), MOVED)
    with sessions.begin() as session:
        give(session, "U0AGENT3", "U0AGENT1", "shoutout", "Welcome to West", at(20, 9))


def test_the_leaderboards_teams_count_what_the_export_files_under_each_team(bot: RunningBot) -> None:
    """`/rewards top` and HR's export by team agree on a month in which someone moved: each grant stays its team's."""
    sam_thanked_in_east_then_in_west_the_same_month(bot.sessions)
    bot.clock.set(at(25, 12))

    board = bot.driver.command("U0HR", "/rewards", "top").text
    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31 team:Support East")
    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31 team:Support West")

    east, west = (uploaded_rows(upload.files) for upload in bot.slack.files())
    assert ([row["grant_id"] for row in east], [row["grant_id"] for row in west]) == (["1"], ["2"])
    assert "*Teams*\n1. Support East — 1\n2. Support West — 1" in board, board
