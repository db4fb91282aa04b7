"""Buttons Slack still shows from before a workspace was purged act on nothing once the app is installed again."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from models import Base, Resolution
from models.schema import migrate, upgrade
from services import request_viewers
from tests.conftest import RunningBot
from tests.e2e.test_installs import ALPHA_ORG, install_in, oauth_bot  # noqa: F401
from tests.e2e.test_installs_purged import purge_from_the_command_line
from tests.e2e.test_upgrades import add_workspace, at_revision


def test_an_approve_button_from_before_a_purge_does_not_approve_a_request_made_after_the_reinstall(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    alpha.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    [old_request] = oauth_bot.slack.calls("chat.postMessage", channel="U0AMGR")
    alpha.event({"type": "app_uninstalled"})
    purge_from_the_command_line(oauth_bot, "T0ALPHA")
    oauth_bot.clock.advance(timedelta(days=40))
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    alpha.command("U0AAGENT", "/resolve", "refund 95 order 77 wrong size sent twice")

    alpha.click("U0AMGR", old_request, "resolution_approve")

    [told] = oauth_bot.slack.calls("response_url")
    assert told.text == f":warning: {request_viewers.NOT_YOUR_REQUEST}", "nor is it told apart from one not his"
    with oauth_bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["pending"], "the $95 request waits"
    assert oauth_bot.slack.calls("chat.postMessage", channel="U0AAGENT") == []


def test_every_table_keyed_by_a_given_id_never_gives_one_twice_on_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's sequences never give a number twice")
    keyed = sorted(t.name for t in Base.metadata.sorted_tables if [c.name for c in t.primary_key] == ["id"])
    with engine.connect() as connection:
        made = {name: sql for name, sql in connection.execute(text("SELECT name, sql FROM sqlite_master"))}
    ours = [name for name in keyed if not name.startswith("slack_")]  # Slack's install store keeps its own
    assert ours and [name for name in ours if "AUTOINCREMENT" not in made[name]] == []


def test_a_sqlite_database_taken_back_a_few_releases_and_up_again_still_never_gives_an_id_twice(
    tmp_path: Path,
) -> None:
    """SQLite rebuilds a table to drop a column: a downgrade that forgets AUTOINCREMENT lets a purged request's old
    Approve button act on a new request with its id once upgraded again."""
    database = at_revision(tmp_path, "head")
    migrate(database, "downgrade", "0023")
    upgrade(database)
    with database.connect() as connection:
        made = {name: sql for name, sql in connection.execute(text("SELECT name, sql FROM sqlite_master"))}
    database.dispose()

    keyed = sorted(t.name for t in Base.metadata.sorted_tables if [c.name for c in t.primary_key] == ["id"])
    assert [name for name in keyed if not name.startswith("slack_") and "AUTOINCREMENT" not in made[name]] == []


def test_an_upgraded_sqlite_database_keeps_its_rows_and_never_gives_their_ids_again(tmp_path: Path) -> None:
    older = at_revision(tmp_path, "0022")
    add_workspace(older, "T0FIRST")
    newest = add_workspace(older, "T0SECOND")

    upgrade(older)
    with older.begin() as connection:
        kept = list(connection.scalars(text("SELECT slack_team_id FROM workspaces ORDER BY id")))
        connection.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": newest})
    after = add_workspace(older, "T0THIRD")
    older.dispose()

    assert kept == ["T0FIRST", "T0SECOND"]
    assert after == newest + 1
