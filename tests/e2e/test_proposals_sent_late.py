"""A boundary proposal's DM already on its way to Slack when HR decides it: once it lands, it shows the decision, not
Apply and Dismiss buttons that would only answer "already applied". The DM is held at Slack's door meanwhile."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from handlers.jobs.propose_boundaries import propose_boundaries
from tests.conftest import RunningBot
from tests.e2e.test_boundary_proposals import APPROVED, FIRST_OF_APRIL, a_month_of_refunds
from tests.helpers import load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def test_the_admins_proposal_on_its_way_as_hr_applies_it_lands_showing_it_applied(ready: RunningBot) -> None:
    a_month_of_refunds(ready, APPROVED, (120,))
    ready.clock.set(FIRST_OF_APRIL)
    admins_at_the_door = ready.slack.pause("chat.postMessage", channel="U0ADMIN")

    with ThreadPoolExecutor(1) as scheduler:
        tick = scheduler.submit(propose_boundaries, ready.runtime.deps, ready.runtime.app.client)
        admins_at_the_door.wait_until_arrived()
        [hrs] = ready.slack.wait_for(
            "chat.postMessage", lambda call: call.channel == "U0HR" and "Boundaries" in call.text
        )
        ready.driver.click("U0HR", hrs, "boundary_proposal_apply")
        admins_at_the_door.release()
        assert tick.result(timeout=10) == 1

    [admins] = [c for c in ready.slack.calls("chat.postMessage", channel="U0ADMIN") if "Boundaries" in c.text]
    assert "boundary_proposal_apply" in str(admins.args["blocks"])
    shown = ready.slack.message(str(admins.response["channel"]), str(admins.response["ts"]))
    assert "boundary_proposal_apply" not in str(shown["blocks"]), "live buttons on a proposal already applied"
    assert "Hana Reyes applied it" in str(shown["blocks"])
