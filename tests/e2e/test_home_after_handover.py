"""The App Home after a hand-over: whoever a request left no longer sees it there (its customer, amount and
requester), and whoever decides it now sees it, neither waiting to open the tab again; someone who left is
published nothing."""

import json
from datetime import timedelta
from typing import Any

from handlers.jobs.drain_outbox import drain_outbox
from tests.conftest import RunningBot
from tests.e2e.test_decider_away import GUS_ABOVE_MAYA
from tests.e2e.test_departures import in_slack
from tests.e2e.test_home_latest import buttons_of
from tests.e2e.test_people_leaving import SAM_MOVES_WEST, decider_of_the_request, reimport
from tests.e2e.test_rewards_approval import LEE
from tests.e2e.test_rewards_going_up import gone_up_to, tick_after
from tests.helpers import load_org, load_org_and_policy, load_policy
from tests.rewards_helpers import set_up

REQUEST = "refund 80 order 42 parcel lost in transit"


def shown(bot: RunningBot, user_id: str) -> str:
    view: dict[str, Any] | None = bot.slack.state.home_view(user_id)
    assert view is not None, f"no Home was ever published for {user_id}"
    return json.dumps(view["blocks"])


def maya_sees_sams_request(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR1", "U0MGR2", "U0ADMIN", "U0AGENT1")
    bot.driver.command("U0AGENT1", "/resolve", REQUEST)
    bot.driver.open_home("U0MGR1")
    assert "parcel lost in transit" in shown(bot, "U0MGR1")
    assert ("resolution_approve", "1") in buttons_of(bot.slack.state.home_view("U0MGR1") or {})


def test_a_manager_whose_team_an_import_moved_no_longer_sees_its_request_on_their_home(bot: RunningBot) -> None:
    maya_sees_sams_request(bot)

    reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    maya = shown(bot, "U0MGR1")
    assert "parcel lost in transit" not in maya and "Sam Agent" not in maya and "$80" not in maya
    omar = bot.slack.state.home_view("U0MGR2")
    assert omar is not None and "parcel lost in transit" in json.dumps(omar["blocks"])
    assert ("resolution_approve", "1") in buttons_of(omar)


def test_a_manager_who_leaves_slack_is_published_nothing_and_the_admin_sees_the_request(bot: RunningBot) -> None:
    maya_sees_sams_request(bot)

    bot.driver.user_change("U0MGR1", deleted=True)
    bot.slack.wait_for("views.publish", lambda call: call.args.get("user_id") == "U0ADMIN")

    assert len(bot.slack.calls("views.publish", user_id="U0MGR1")) == 1  # only the Home she opened before
    admin = bot.slack.state.home_view("U0ADMIN")
    assert admin is not None and ("resolution_approve", "1") in buttons_of(admin)


def test_a_nomination_gone_up_leaves_the_home_of_the_approver_who_let_it_wait(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    bot.driver.open_home("U0MGR1")
    assert "saved a key account" in shown(bot, "U0MGR1")

    tick_after(bot, 24.1)  # Maya, on holiday, is reminded; a full wait later it goes up to Ada
    tick_after(bot, 24.1)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert gone_up_to(bot, "U0ADMIN")
    assert "saved a key account" not in shown(bot, "U0MGR1")
    assert "saved a key account" in shown(bot, "U0ADMIN")


def test_a_request_going_up_reaches_the_home_of_the_manager_it_goes_to(bot: RunningBot) -> None:
    """Gus, Maya's manager, decides Sam's request once Maya let it wait: Sam is not his report, so his Home lists it
    only once it waits on him, and shows it then without his opening the tab again."""
    bot.slack.add_user("U0GUS", "Gus Head")
    load_org(bot.sessions, bot.clock.now(), GUS_ABOVE_MAYA)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", REQUEST)
    bot.driver.open_home("U0GUS")
    assert "parcel lost in transit" not in shown(bot, "U0GUS")

    for _ in range(20):  # reminded, then up a full wait later, in the day there
        if decider_of_the_request(bot) == "U0GUS":
            break
        tick_after(bot, 5)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert decider_of_the_request(bot) == "U0GUS"
    assert ("resolution_approve", "1") in buttons_of(bot.slack.state.home_view("U0GUS") or {})


SAM_TO_OLGA = GUS_ABOVE_MAYA.replace(
    "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1", "U0AGENT1,Sam Agent,Support North,frontline,U0MGR3"
) + ("U0MGR3,Olga Manager,Support North,manager,U0GUS,,America/New_York,\n")


def test_an_import_moving_a_requester_to_another_manager_moves_the_request_between_their_homes(bot: RunningBot) -> None:
    """Sam's request went up to Gus, above both Maya and Olga, who keeps it: nothing is handed over, yet Maya's Home
    lists the requests of her reports and Olga's does now. Neither waits to open the tab again."""
    bot.slack.add_user("U0GUS", "Gus Head")
    bot.slack.add_user("U0MGR3", "Olga Manager")
    load_org(bot.sessions, bot.clock.now(), GUS_ABOVE_MAYA)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", REQUEST)
    for _ in range(20):
        if decider_of_the_request(bot) == "U0GUS":
            break
        tick_after(bot, 5)
    bot.driver.open_home("U0MGR1")
    assert "parcel lost in transit" in shown(bot, "U0MGR1")
    bot.clock.advance(timedelta(minutes=30))

    report = reimport(bot.sessions, bot.clock.now(), SAM_TO_OLGA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert not [handover for handover in report.handovers if handover.kind == "resolution"]
    maya = shown(bot, "U0MGR1")
    assert "parcel lost in transit" not in maya and "Sam Agent" not in maya
    assert ("resolution_approve", "1") in buttons_of(bot.slack.state.home_view("U0MGR3") or {})
