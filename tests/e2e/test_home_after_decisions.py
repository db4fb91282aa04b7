"""The App Home after someone else decides a request it lists: the manager it waited on no longer sees it waiting
there (its customer, amount and requester), and the requester sees its outcome, neither waiting to open the tab
again; likewise the counts of a nomination's nominator and nominee once it is decided."""

from handlers.blocks import nominations as blocks
from handlers.jobs.drain_outbox import drain_outbox
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_home_after_handover import maya_sees_sams_request, shown
from tests.e2e.test_home_again_sending import homes_queued
from tests.e2e.test_home_latest import buttons_of
from tests.e2e.test_rewards_approval import LEE, request_to
from tests.helpers import add_org_people, load_org, load_org_and_policy
from tests.rewards_helpers import set_up


def test_a_request_an_admin_approves_leaves_the_managers_home_and_shows_approved_on_the_requesters(
    bot: RunningBot,
) -> None:
    maya_sees_sams_request(bot)
    bot.driver.open_home("U0AGENT1")
    assert "waiting for a decision" in shown(bot, "U0AGENT1")
    bot.driver.open_home("U0ADMIN")
    admin_home = bot.slack.state.home_view("U0ADMIN")
    assert admin_home is not None and ("resolution_approve", "1") in buttons_of(admin_home)

    bot.driver.click_in_view("U0ADMIN", admin_home, "resolution_approve", value="1")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    maya = shown(bot, "U0MGR1")
    assert "parcel lost in transit" not in maya and "Sam Agent" not in maya and "$80" not in maya
    assert ("resolution_approve", "1") not in buttons_of(bot.slack.state.home_view("U0MGR1") or {})
    sam = shown(bot, "U0AGENT1")
    assert "approved" in sam and "waiting for a decision" not in sam


def test_a_nomination_approved_shows_on_the_homes_of_its_nominator_and_nominee(bot: RunningBot) -> None:
    """Sam's Home counted it waiting for approval; Lee's, not yet received. Maya decides it from her DM."""
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 talked a customer out of cancelling")
    bot.driver.open_home("U0AGENT1")
    bot.driver.open_home("U0AGENT2")
    assert "*Waiting for approval:* 1" in shown(bot, "U0AGENT1")
    assert "*Received this month:* 0" in shown(bot, "U0AGENT2")

    bot.driver.click("U0MGR1", request_to(bot, "U0MGR1"), blocks.APPROVE)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    sam = shown(bot, "U0AGENT1")
    assert "Waiting for approval" not in sam and "*Given this month:* 1" in sam
    assert "*Received this month:* 1" in shown(bot, "U0AGENT2")


def test_a_decision_publishes_the_homes_it_concerns_however_many_admins_there_are(bot: RunningBot) -> None:
    """Views.publish goes at 100 a minute a workspace: with twenty admins, republishing each one's Home at every
    decision would use it all up at a decision every twelve seconds, and Homes opened meanwhile would wait. Only the
    requester's and the manager's it waited on are; an admin's lists it until they open it again."""
    admins = "".join(f"U0ADM{n:02},Admin {n},Operations,admin,,adm{n}@example.com,Europe/London,\n" for n in range(20))
    maya_sees_sams_request(bot)
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + admins)
    add_org_people(bot.slack, (FIXTURES / "org.csv").read_text() + admins)
    bot.driver.open_home("U0ADMIN")
    admin_home = bot.slack.state.home_view("U0ADMIN")
    assert admin_home is not None

    bot.driver.click_in_view("U0ADMIN", admin_home, "resolution_approve", value="1")

    assert sorted(str(home.payload["user_id"]) for home in homes_queued(bot)) == ["U0AGENT1", "U0MGR1"]


def test_a_request_sent_to_the_admins_leaves_each_of_their_homes_once_one_decides_it(bot: RunningBot) -> None:
    """Ada has no manager: her request goes to every other admin, and each one's Home lists it as theirs to decide."""
    extra = "".join(f"U0ADM{n:02},Admin {n},Operations,admin,,adm{n}@example.com,Europe/London,\n" for n in range(3))
    load_org_and_policy(bot.sessions, bot.clock.now())
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + extra)
    add_org_people(bot.slack, (FIXTURES / "org.csv").read_text() + extra)
    bot.driver.command("U0ADMIN", "/resolve", "refund 400 order 42 parcel lost in transit")
    bot.driver.open_home("U0ADM00")
    home = bot.slack.state.home_view("U0ADM00")
    assert home is not None and ("resolution_approve", "1") in buttons_of(home)

    bot.driver.click_in_view("U0ADM00", home, "resolution_approve", value="1")

    assert sorted(str(home.payload["user_id"]) for home in homes_queued(bot)) == ["U0ADM01", "U0ADM02", "U0ADMIN"]
