"""The App Home's latest public shout-outs: the public ones alone, read from their own index, never the workspace's
grants walked newest first until three public ones turn up (a workspace that seldom shares one walked its whole
history on every opening of the tab)."""

import re
from datetime import timedelta
from typing import Any

import pytest
from psycopg.sql import Literal
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError

from handlers.blocks import nominations as nominate_form
from models import Base, Nomination, RewardGrant
from models.schema import migrate
from tests.conftest import RunningBot
from tests.e2e.test_database import _forget_column_statistics, _plan, sent_opening_home
from tests.helpers import load_org_and_policy

LATEST = r"reward_grants\.reason\b.*ORDER BY reward_grants\.granted_at DESC"


def nominate_in_the_form(bot: RunningBot, nominee: str, reason: str, *, public: bool) -> None:
    bot.driver.command("U0AGENT1", "/nominate")
    view = bot.slack.calls("views.open")[-1].args["view"]
    shown = {} if public else {nominate_form.PUBLIC: []}
    bot.driver.submit("U0AGENT1", view, {nominate_form.PEOPLE: [nominee], nominate_form.REASON: reason, **shown})


def _generic_plan(connection: Connection, statement: str, parameters: dict[str, Any]) -> str:
    """PostgreSQL's generic plan of a statement as the driver sent it: the one psycopg's prepared statement keeps
    from its sixth run on, made for any values. A plan made for these values could use the partial index where
    the generic one cannot (a bound 'revoked' is not known to be the index's own)."""
    names: list[str] = []

    def numbered(match: re.Match[str]) -> str:
        names.append(match[1])
        return f"${len(names)}"

    prepared = re.sub(r"%\((\w+)\)s", numbered, statement)
    driver = connection.connection.driver_connection
    values = ", ".join(Literal(parameters[name]).as_string(driver) for name in names)
    _forget_column_statistics(connection)
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    connection.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
    connection.exec_driver_sql(f"PREPARE latest_public AS {prepared}")
    try:
        return " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN EXECUTE latest_public({values})"))
    finally:
        connection.exec_driver_sql("DEALLOCATE latest_public")


def test_the_homes_latest_shout_outs_are_read_from_the_public_grants_alone(bot: RunningBot, engine: Engine) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    statement, parameters = sent_opening_home(bot, "U0AGENT2", LATEST)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = _plan(connection, statement, parameters)
        else:
            plan = _generic_plan(connection, statement, parameters)
    if engine.dialect.name == "sqlite":
        assert "INDEX ix_reward_grants_public_latest (workspace_id=?)" in plan, plan
    else:
        assert re.search(r"ix_reward_grants_public_latest .*Index Cond: \(?workspace_id", plan), plan
    # each grant's nomination looked up, to see whether it was public, as the workspace's grants were walked
    for history_walk in ("ix_reward_grants_workspace_granted", "SEARCH nominations USING INTEGER", "pk_nominations"):
        assert history_walk not in plan, plan
    assert "Seq Scan" not in plan, plan


def test_a_home_shows_the_shout_outs_made_public_before_the_upgrade_and_never_a_private_one(bot: RunningBot) -> None:
    """Migration 0058 copies each grant's `public` from its nomination: one made private before it stays out of
    every colleague's Home, however new it is."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominate_in_the_form(bot, "U0AGENT2", "covered my shift", public=True)
    bot.clock.advance(timedelta(minutes=1))
    nominate_in_the_form(bot, "U0AGENT3", "a word between us", public=False)
    migrate(bot.runtime.engine, "downgrade", "0057")
    migrate(bot.runtime.engine, "upgrade", "head")

    bot.driver.open_home("U0MGR1")

    [home] = bot.slack.calls("views.publish", user_id="U0MGR1")
    assert "covered my shift" in home.text, home.text
    assert "a word between us" not in home.text, home.text


def _columns(row: Base, *unset: str) -> dict[str, Any]:
    """A row's values but those named: a copy to write as another row."""
    return {column.key: getattr(row, column.key) for column in row.__table__.c if column.key not in unset}


def test_a_grant_written_without_saying_whether_it_is_public_is_refused(bot: RunningBot, engine: Engine) -> None:
    """Neither the model nor PostgreSQL's schema supplies `public`: a grant path that forgot it would otherwise show a
    private shout-out on every Home. SQLite keeps migration 0058's default (it cannot drop one in place), but the
    model writes the column unset as NULL there too."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominate_in_the_form(bot, "U0AGENT2", "a word between us", public=False)
    with bot.sessions() as session:
        grant = session.query(RewardGrant).one()
        nomination = Nomination(**_columns(grant.nomination, "id", "fingerprint"), fingerprint="another")
        session.add(nomination)
        session.flush()
        copy = _columns(grant, "id", "public", "nomination_id") | {"nomination_id": nomination.id}
        # through the model, as a grant path writes one
        with pytest.raises(IntegrityError, match="public"), session.begin_nested():
            session.add(RewardGrant(**copy))
        if engine.dialect.name == "sqlite":
            return
        # and as any other writer might, the column left out of its INSERT
        with pytest.raises(IntegrityError, match="public"), session.begin_nested():
            session.execute(RewardGrant.__table__.insert().values(**copy))
