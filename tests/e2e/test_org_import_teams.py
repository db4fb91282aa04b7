"""Re-importing the org file with a team's name spelt in other letter case: still the one team HR names."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from models import Employee, Suggestion, Team, Workspace
from services.suggestions import lifecycle
from services.suggestions.lifecycle import SuggestionRequest
from tests.e2e.test_people_leaving import ORG_CSV, reimport
from tests.e2e.test_rewards_export import ORG, at, make_history
from tests.helpers import employee, load_org, skip_unless_writers_overlap, wait_until_waiting_for_the_lock
from tests.suggestions_helpers import EXTRA_AGENTS, load_suggestion_org


def test_a_team_respelt_in_lower_case_is_the_same_team_and_the_export_by_team_finds_its_grants(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Grants to Support East's people (2, 3, 4) stay theirs when a new spreadsheet writes the team in lower case:
    `--team "Support East"`, read whatever its case, must not find the team the file left behind, empty."""
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)
    org, out = tmp_path / "org.csv", tmp_path / "east.jsonl"
    org.write_text(ORG.replace("Support East", "support east"), encoding="utf-8")

    assert main(["org", "import", str(org)]) == 0
    assert main(["export", "rewards", "--from", "2026-03-01", "--to", "2026-03-31", "--team", "Support East",
                 "--format", "jsonl", "--out", str(out)]) == 0  # fmt: skip

    printed = capsys.readouterr().out.splitlines()
    assert printed == ["0 added, 0 updated, 0 deactivated, 7 unchanged", "  ~ team 'Support East' -> 'support east'"]
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3, rows
    assert all('"team": "support east"' in row for row in rows), rows
    with sessions() as session:
        assert sorted(session.scalars(select(Team.name))) == ["Operations", "People", "Support West", "support east"]


def test_one_file_spelling_a_team_two_ways_makes_one_team_named_as_first_written(
    sessions: sessionmaker[Session],
) -> None:
    load_org(sessions, at(1, 8), ORG.replace("Zoë Ñúñez,Support East", "Zoë Ñúñez,SUPPORT EAST"))

    with sessions() as session:
        members = session.execute(select(Team.name, Employee.slack_id).join(Employee, Employee.team_id == Team.id))
        east = sorted(slack_id for name, slack_id in members if name.casefold() == "support east")
        names = sorted(session.scalars(select(Team.name)))
    assert east == ["U0AGENT1", "U0AGENT2", "U0MGR1"]
    assert names == ["Operations", "People", "Support East", "Support West"]


def test_a_team_spaced_twice_by_a_spreadsheet_edit_is_the_same_team_and_keeps_its_name(
    sessions: sessionmaker[Session],
) -> None:
    """`Support  East` on two of its rows made a second team, and HR's `/digest Support East` found the empty one."""
    load_org(sessions, at(1, 8), ORG)
    load_org(sessions, at(1, 9), ORG.replace("Zoë Ñúñez,Support East", "Zoë Ñúñez,Support  East"))

    with sessions() as session:
        members = session.execute(select(Team.name, Employee.slack_id).join(Employee, Employee.team_id == Team.id))
        east = sorted(slack_id for name, slack_id in members if name == "Support East")
        names = sorted(session.scalars(select(Team.name)))
    assert east == ["U0AGENT1", "U0AGENT2", "U0MGR1"]
    assert names == ["Operations", "People", "Support East", "Support West"]


def test_a_team_stored_twice_in_different_case_becomes_one_at_the_next_import(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A directory imported before teams were matched whatever their case may hold both spellings: the file's wins."""
    load_org(sessions, at(1, 8), ORG)
    with sessions.begin() as session:
        east = session.scalars(select(Team).where(Team.name == "Support East")).one()
        split = Team(workspace_id=east.workspace_id, name="support east")
        session.add(split)
        session.flush()
        session.execute(update(Employee).where(Employee.slack_id == "U0AGENT1").values(team_id=split.id))
    monkeypatch.setenv("DATABASE_URL", database_url)
    org = tmp_path / "org.csv"
    org.write_text(ORG.replace('Sam ""Sunny"" Agent",Support East', 'Sam ""Sunny"" Agent",SUPPORT EAST'))

    assert main(["org", "import", str(org)]) == 0

    assert capsys.readouterr().out.splitlines()[1:] == ["  ~ team 'support east' -> 'Support East'"]
    with sessions() as session:
        members = session.execute(select(Team.name, Employee.slack_id).join(Employee, Employee.team_id == Team.id))
        east_members = sorted(slack_id for name, slack_id in members if name.casefold() == "support east")
        names = sorted(session.scalars(select(Team.name)))
    assert east_members == ["U0AGENT1", "U0AGENT2", "U0MGR1"]
    assert names == ["Operations", "People", "Support East", "Support West"]


def test_an_idea_sent_while_the_import_merges_its_team_stored_twice_joins_the_one_the_file_names(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    """A directory imported before teams were matched whatever their case may hold both spellings; an idea sent the
    moment the import merges them is filed under the one the file names, and the import goes through."""
    skip_unless_writers_overlap(engine)
    load_suggestion_org(sessions, at(1, 8))
    with sessions.begin() as session:
        east = session.scalars(select(Team).where(Team.name == "Support East")).one()
        split = Team(workspace_id=east.workspace_id, name="support east")
        session.add(split)
        session.flush()
        session.execute(update(Employee).where(Employee.slack_id == "U0AGENT2").values(team_id=split.id))

    with sessions() as sending, ThreadPoolExecutor(1) as other:
        workspace, lee = sending.scalars(select(Workspace)).one(), employee(sending, "U0AGENT2")
        request = SuggestionRequest(what="A second card reader at the returns desk")
        lifecycle.submit(sending, workspace=workspace, author=lee, request=request, relay=None, now=at(1, 9))
        importing = other.submit(reimport, sessions, at(1, 9), ORG_CSV + EXTRA_AGENTS)
        wait_until_waiting_for_the_lock(engine, 1)
        sending.commit()
        importing.result(timeout=10)

    with sessions() as session:
        assert [team.name for team in session.scalars(select(Team).join(Suggestion.team))] == ["Support East"]
        assert "support east" not in session.scalars(select(Team.name)).all()
