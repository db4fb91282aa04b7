"""Long lists stay within Slack's limits (a refused reply shows nothing) and say how many they leave out."""

import re
from datetime import timedelta

import pytest

from services import directory
from services.suggestions import lifecycle
from services.suggestions.lifecycle import SuggestionRequest
from tests.conftest import RunningBot
from tests.helpers import employee
from tests.suggestions_helpers import load_suggestion_org


def submit_ideas(bot: RunningBot, author: str, count: int, *, category: str | None = None, start: int = 0) -> None:
    now = bot.clock.now()
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        for n in range(count):
            request = SuggestionRequest(what=f"idea {author} {category or 'team'} {start + n}", category=category)
            at = now + timedelta(seconds=start + n)
            lifecycle.submit(
                session, workspace=workspace, author=employee(session, author), request=request, relay=None, now=at
            )


@pytest.fixture
def busy_manager(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    submit_ideas(bot, "U0MGR1", 25)
    for n, agent in enumerate(("U0AGENT1", "U0AGENT2", "U0AGENT4", "U0AGENT5")):
        submit_ideas(bot, agent, 14, start=100 + 20 * n)
        submit_ideas(bot, agent, 6, category="tools", start=200 + 20 * n)
    return bot


def test_a_managers_long_suggestion_list_fits_one_message_and_says_how_many_it_leaves_out(
    busy_manager: RunningBot,
) -> None:
    reply = busy_manager.driver.command("U0MGR1", "/suggest", "list")

    assert len(reply.json["blocks"]) <= 50 and busy_manager.slack.violations == []
    mine, waiting, team = re.split(r"\*Waiting on you\*|\*Your team's open suggestions", reply.text)
    assert waiting.startswith(" (56, oldest first)") and team.startswith(" with their owners* (24, oldest first)")
    assert f"and {25 - len(re.findall('idea U0MGR1', mine))} more" in mine
    assert f"and {56 - len(re.findall('idea U0AGENT. team', waiting))} more" in waiting
    assert f"and {24 - len(re.findall('idea U0AGENT. tools', team))} more" in team
