"""A request or a reward that went up for waiting too long, then whoever it reached leaves or moves: it goes on up,
or to another admin or HR person, never back down to one who let it wait."""

from handlers.jobs.drain_outbox import drain_outbox
from tests.conftest import RunningBot
from tests.e2e.test_decider_away import _decider, _sam_asks_and_it_goes_up

ADMIN_IN_CHAIN = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0GUS,Gus Head,Support,manager,,,America/New_York,
U0ADMIN,Ada Admin,Operations,admin,U0GUS,,Europe/London,
U0MGR1,Maya Manager,Support East,manager,U0ADMIN,,America/New_York,
U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,,America/New_York,agent
"""
"""Ada is an admin and Maya's manager; Gus, a manager, is above Ada."""


def test_a_request_that_went_up_to_an_admin_above_its_manager_goes_on_up_when_she_leaves(bot: RunningBot) -> None:
    """Maya let it wait: up to Ada, her manager, who is an admin. Ada leaves: on up to Gus, her manager, not left
    with Ada (there is no other admin) as though it had reached the admins."""
    _sam_asks_and_it_goes_up(bot, ADMIN_IN_CHAIN)
    assert _decider(bot) == "U0ADMIN"

    bot.driver.user_change("U0ADMIN", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert _decider(bot) == "U0GUS"
    assert any("Gus Head" in call.text for call in bot.slack.calls("chat.postMessage", channel="U0AGENT1"))
