"""An upgrade of a database that has served for months: the rows it holds come through, and what stops an upgrade
is one line saying what to do."""

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from bot.leader import Leadership
from models import Employee, Resolution
from models.engine import make_engine
from models.schema import HEAD_REVISION, migrate, schema_state, upgrade
from tests.conftest import MONDAY_MORNING, RunningBot
from tests.e2e.test_cli import cli
from tests.helpers import count, load_org_and_policy, wait_until_waiting_for_the_lock


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


@pytest.fixture
def schema_at_0021(engine: Engine, database_url: str) -> Iterator[Engine]:
    """A PostgreSQL schema of its own at 0021, beside the tests' database at head."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serves one machine: no two replicas upgrade it at once")
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS before_upgrade CASCADE"))
        connection.execute(text("CREATE SCHEMA before_upgrade"))
    separator = "&" if "?" in database_url else "?"
    older = make_engine(f"{database_url}{separator}options=-csearch_path%3Dbefore_upgrade")
    upgrade(older, "0021")
    yield older
    older.dispose()
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA before_upgrade CASCADE"))


def test_two_processes_upgrading_at_once_both_leave_the_schema_at_head(
    engine: Engine, schema_at_0021: Engine, tmp_path: Path
) -> None:
    """Every replica of a deployment may run `db upgrade` as it starts: the second waits for the first and finds
    nothing left to do, rather than failing on the version the first moved on."""
    older = {"DATABASE_URL": schema_at_0021.url.render_as_string(hide_password=False)}
    with schema_at_0021.connect() as holder, ThreadPoolExecutor(2) as pool:
        with holder.begin():  # a long read of the installs: both upgrades queue behind it
            holder.execute(text("LOCK TABLE slack_installations IN ACCESS SHARE MODE"))
            upgrades = [pool.submit(cli, tmp_path, "db", "upgrade", env=older) for _ in range(2)]
            wait_until_waiting_for_the_lock(engine, 2)
        results = [each.result(timeout=60) for each in upgrades]

    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert all(r.stdout.strip().endswith(f"is at {HEAD_REVISION}") for r in results)
    assert schema_state(schema_at_0021).is_current


def test_a_database_another_application_made_is_refused_in_one_line_and_left_as_it_was(tmp_path: Path) -> None:
    """An upgrade would fail half-way on the first table both use; `run` would say to upgrade, which fails."""
    engine = make_engine(f"sqlite:///{tmp_path / 'latitude.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE processed_events (id INTEGER PRIMARY KEY)"))

    upgraded = cli(tmp_path, "db", "upgrade")
    started = cli(tmp_path, "run", env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})

    for result in (upgraded, started):
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "no Latitude schema version" in result.stderr and "Traceback" not in result.stderr
    with engine.connect() as connection:
        assert [row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))] == [
            "processed_events"
        ]


def test_a_revision_no_release_made_is_refused_in_one_line(tmp_path: Path) -> None:
    """A fork's or a hand-written version sorts below ours: it is not "behind", and Alembic cannot find it."""
    engine = at_revision(tmp_path, "0015")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0015a'"))

    result = cli(tmp_path, "db", "upgrade")

    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "at 0015a, which no Latitude release made" in result.stderr
    assert schema_state(engine).current == {"0015a"}


def test_a_database_holding_only_tables_of_others_is_upgraded(tmp_path: Path) -> None:
    """An extension's own table (PostGIS puts `spatial_ref_sys` in every new database) is not a schema of ours."""
    engine = make_engine(f"sqlite:///{tmp_path / 'latitude.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE spatial_ref_sys (srid INTEGER PRIMARY KEY)"))

    result = cli(tmp_path, "db", "upgrade")

    assert result.returncode == 0, result.stderr
    assert schema_state(engine).is_current


@pytest.fixture
def upgraded_by_a_newer_release(engine: Engine) -> Iterator[str]:
    """The tests' database as the next release's `db upgrade` leaves it, under processes of this one."""
    newer = f"{int(HEAD_REVISION) + 1:04d}"
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :newer"), {"newer": newer})
    yield newer
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": HEAD_REVISION})


def health(bot: RunningBot) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(bot.events_url + "/healthz") as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_process_the_next_release_upgraded_the_database_under_fails_its_health_check_and_hands_over_its_jobs(
    bot: RunningBot, engine: Engine, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest
) -> None:
    """Replicas that each run `db upgrade` as they start leave the older ones serving, with code that does not know
    the schema (a column the new release renamed fails every request; one whose meaning it changed is written by
    the old rule, after the migration gave the rows already there the new one). The older ones answer the load
    balancer's health check 503 and let go of the scheduler, so the new release's processes take it."""
    assert health(bot) == (200, {"ok": True})
    assert bot.runtime.leadership.is_leader()

    newer = request.getfixturevalue("upgraded_by_a_newer_release")
    with caplog.at_level(logging.WARNING):
        checks = [health(bot), health(bot)]
    assert checks == [(503, {"ok": False})] * 2
    assert not bot.runtime.leads()
    newer_process = Leadership(engine)
    try:
        assert newer_process.is_leader(), "a process of the new release can run the scheduler"
    finally:
        newer_process.release()
    [warning] = [r.getMessage() for r in caplog.records if "schema" in r.getMessage()]
    assert f"at {newer}, this code knows up to {HEAD_REVISION}" in warning and "restart" in warning


def test_a_process_the_next_release_upgraded_the_database_under_does_nothing_with_slack_s_requests(
    bot: RunningBot, request: pytest.FixtureRequest
) -> None:
    """In Socket Mode no load balancer reads the health check, and over HTTP one reads it every few seconds: the
    process itself writes nothing by rules the new release may have changed. A command is told to come again; an
    event is not acknowledged, so Slack sends it again (to a process of the new release, once the old are gone)."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT2", "Sam Agent")
    assert bot.driver.command("U0AGENT1", "/boundaries").status == 200  # served: its schema was current then

    request.getfixturevalue("upgraded_by_a_newer_release")
    bot.clock.advance(timedelta(seconds=10))  # what it last learnt of the schema is old enough to ask again
    command = bot.driver.command("U0AGENT1", "/resolve", "refund 10 order 4 broken")
    left = bot.driver.user_change("U0AGENT2", deleted=True)

    assert command.status == 200 and command.text == (
        "Latitude is being upgraded right now, so nothing was done: please send it again in a minute."
    )
    assert left.status == 503
    with bot.sessions() as session:
        assert count(session, Resolution) == 0
        assert session.scalars(select(Employee.active).where(Employee.slack_id == "U0AGENT2")).one()


def test_a_process_under_a_database_an_older_backup_took_back_tells_a_command_of_the_upgrade(
    bot: RunningBot, engine: Engine
) -> None:
    """A column the replay check in front of Bolt names is gone: the check's failure is the schema moving, not the
    database out of reach, and the person is told so, the moment it happens."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT2", "Sam Agent")
    assert bot.driver.command("U0AGENT1", "/boundaries").status == 200
    migrate(engine, "downgrade", "0043")  # before seen_requests counted failures
    try:
        command = bot.driver.command("U0AGENT1", "/resolve", "refund 10 order 4 broken")
        left = bot.driver.user_change("U0AGENT2", deleted=True)
    finally:
        upgrade(engine)

    assert command.status == 200 and command.text == (
        "Latitude is being upgraded right now, so nothing was done: please send it again in a minute."
    )
    assert left.status == 503
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


def test_a_process_the_next_release_upgraded_the_database_under_still_answers_slacks_check_of_its_url(
    bot: RunningBot, request: pytest.FixtureRequest
) -> None:
    """Saving the Request URL in the app's settings while an upgrade is under way: the check touches no data."""
    request.getfixturevalue("upgraded_by_a_newer_release")
    bot.clock.advance(timedelta(seconds=10))

    reply = bot.driver.verify_url("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")

    assert reply.status == 200 and reply.json == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
