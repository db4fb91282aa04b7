"""The App Home's latest public shout-outs: the public ones alone, read from their own index, never the workspace's
grants walked newest first until three public ones turn up (a workspace that seldom shares one walked its whole
history on every opening of the tab)."""

import re
from datetime import timedelta

from sqlalchemy import Engine

from handlers.blocks import nominations as nominate_form
from models.schema import migrate
from tests.conftest import RunningBot
from tests.e2e.test_database import _plan, sent_opening_home
from tests.helpers import load_org_and_policy

LATEST = r"reward_grants\.reason\b.*ORDER BY reward_grants\.granted_at DESC"


def nominate_in_the_form(bot: RunningBot, nominee: str, reason: str, *, public: bool) -> None:
    bot.driver.command("U0AGENT1", "/nominate")
    view = bot.slack.calls("views.open")[-1].args["view"]
    shown = {} if public else {nominate_form.PUBLIC: []}
    bot.driver.submit("U0AGENT1", view, {nominate_form.PEOPLE: [nominee], nominate_form.REASON: reason, **shown})


def test_the_homes_latest_shout_outs_are_read_from_the_public_grants_alone(bot: RunningBot, engine: Engine) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    statement, parameters = sent_opening_home(bot, "U0AGENT2", LATEST)
    with engine.connect() as connection:
        plan = _plan(connection, statement, parameters)
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
