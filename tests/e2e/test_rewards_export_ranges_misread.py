"""`/rewards export` ranges that were read wrong without a word said: a quarter without its year as TO ran a year too
far, a quarter with a comma after it was the whole year, and a team whose name is also a date, named without `team`,
was dropped and read as a date. On Monday 2 March 2026."""

import pytest
from sqlalchemy import select

from models import Team
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("Feb 15 2026 to Q1", "2026-02-15 to 2026-03-31 (`Q1` has no year: read as 31 March 2026; whole days"),
        ("Q1, 2026", "2026-01-01 to 2026-03-31 (whole days"),
        ("for Q1 2026.", "2026-01-01 to 2026-03-31 (whole days"),
    ],
)
def test_a_quarter_typed_in_a_sentence_or_as_to_without_its_year_is_the_one_meant(
    ready: RunningBot, typed: str, period: str
) -> None:
    """`Feb 15 2026 to Q1` ran to 31 March 2027; `Q1, 2026` was the whole of 2026."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period}" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


def test_a_team_named_like_a_date_and_typed_without_team_is_asked_about_not_dropped(ready: RunningBot) -> None:
    """With a team March, `last month March` exported every team from 1 February 2026 to 31 March 2026."""
    with ready.sessions.begin() as session:
        east = session.scalars(select(Team).where(Team.name == "Support East")).one()
        session.add(Team(workspace_id=east.workspace_id, name="March"))

    asked = ready.driver.command("U0HR", "/rewards", "export last month March")
    named = ready.driver.command("U0HR", "/rewards", "export last month team:March")

    assert (
        "`March` names a team and a date: write `last month team:March` for team March's grants, or "
        "`2026-02-01 2026-03-31` for the range read without a team."
    ) in asked.text, asked.text
    assert "Preparing the reward export for 2026-02-01 to 2026-02-28, team March (" in named.text, named.text
    assert len(ready.slack.files()) == 1
