"""An upgrade of a database that has served for months: the rows it holds come through, and what stops an upgrade
is one line saying what to do."""

from pathlib import Path

from sqlalchemy import Engine, text

from models.engine import make_engine
from models.schema import schema_state, upgrade
from tests.conftest import MONDAY_MORNING
from tests.e2e.test_cli import cli


def at_revision(folder: Path, revision: str) -> Engine:
    """The folder's default database as an older release's `db upgrade` left it."""
    engine = make_engine(f"sqlite:///{folder / 'latitude.db'}")
    upgrade(engine, revision)
    return engine


def add_workspace(engine: Engine, team_id: str) -> int:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workspaces (slack_team_id, name, created_at, config_version) "
                "VALUES (:team, 'Ours', :at, 1)"
            ),
            {"team": team_id, "at": MONDAY_MORNING},
        )
        return int(connection.scalar(text("SELECT id FROM workspaces WHERE slack_team_id = :team"), {"team": team_id}))


def open_round(engine: Engine, workspace_id: int, number: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO pulse_rounds (workspace_id, number, opens_on, started_at, closes_at, open_hours, "
                "reminder_hours, anonymity_threshold, status, started_by) VALUES (:workspace, :number, :on, :at, :at, "
                "48, 24, 3, 'open', 'cli')"
            ),
            {"workspace": workspace_id, "number": number, "on": MONDAY_MORNING.date(), "at": MONDAY_MORNING},
        )


def test_two_open_pulse_rounds_stop_the_upgrade_with_one_line_naming_the_workspace(tmp_path: Path) -> None:
    """0018 allows one open round per workspace; two opened at once by an older release must be closed first."""
    engine = at_revision(tmp_path, "0017")
    add_workspace(engine, "T0FIRST")
    twice = add_workspace(engine, "T0TWICE")
    open_round(engine, twice, 1)
    open_round(engine, twice, 2)

    result = cli(tmp_path, "db", "upgrade")

    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert lines[0].startswith("error: the upgrade failed and changed nothing (at 0017): ")
    assert (
        "More than one pulse round is open in workspace(s) T0TWICE: close them with `python -m bot pulse close"
        in (lines[0])
    )
    assert schema_state(engine).current == {"0017"}
    engine.dispose()
