"""A nomination handed on to another approver and decided there: its former approver, clicking a copy their phone
still shows, is told it was decided, not who decided it nor when (as for a request: services/resolutions/decisions.py),
which is for the one it waited on."""

from handlers.blocks import nominations as blocks
from handlers.jobs.drain_outbox import drain_outbox
from tests.conftest import RunningBot
from tests.e2e.test_handover_summary_nominations import nominations_to_maya, statuses
from tests.e2e.test_people_leaving import ORG_CSV, reimport
from tests.e2e.test_rewards_approval import request_to
from tests.helpers import load_org_and_policy

LEE_MOVES_WEST = ORG_CSV.replace(
    "U0AGENT2,Lee Senior,Support East,frontline,U0MGR1", "U0AGENT2,Lee Senior,Support West,frontline,U0MGR2"
)


def test_a_former_approver_clicking_an_old_copy_is_told_only_that_it_was_decided(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominations_to_maya(bot, 1)
    on_the_phone = bot.driver.click_payload("U0MGR1", request_to(bot, "U0MGR1"), blocks.APPROVE)
    reimport(bot.sessions, bot.clock.now(), LEE_MOVES_WEST)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    bot.driver.click("U0MGR2", request_to(bot, "U0MGR2"), blocks.DECLINE)
    bot.driver.submit("U0MGR2", bot.slack.calls("views.open")[-1].args["view"], {"why": "A shout-out fits better"})
    assert statuses(bot) == ["declined"]

    bot.driver.send_click(on_the_phone)

    told = bot.slack.calls("response_url")[-1].text
    assert "This nomination was already decided. Nothing changed." in told
    assert "Omar" not in told and "declined" not in told
    assert statuses(bot) == ["declined"]
