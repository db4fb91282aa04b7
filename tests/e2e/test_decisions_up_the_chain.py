"""Nobody decides a request, or approves a reward, for someone they report to, when anyone else can."""

import json

from sqlalchemy import select

from models import Nomination, Resolution
from tests.conftest import RunningBot
from tests.e2e.test_follow_ups import ADMIN_UNDER_ANOTHER_TEAM
from tests.helpers import add_org_people, load_org, load_policy
from tests.rewards_helpers import set_up


def test_an_admin_cannot_decide_a_request_of_their_own_boss_which_goes_to_another_admin(bot: RunningBot) -> None:
    """Ada, an admin, reports to Otto, who reports to Cleo: Cleo's request goes to Zoe, and Ada may not decide it."""
    for user, name in [("U0CEO", "Cleo Chief"), ("U0OPS", "Otto Ops"), ("U0ADMIN", "Ada Admin")]:
        bot.slack.add_user(user, name)
    load_org(bot.sessions, bot.clock.now(), ADMIN_UNDER_ANOTHER_TEAM)
    add_org_people(bot.slack, ADMIN_UNDER_ANOTHER_TEAM)
    load_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0CEO", "/resolve", "refund 900 order 42 parcel lost in transit")
    [request] = bot.slack.calls("chat.postMessage", channel="U0ADMIN2")
    bot.driver.click("U0ADMIN", request, "resolution_approve", forged=True)

    assert "Sent your refund of $900 to Zoe Admin to decide." in reply.text
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN") == []
    [refusal] = bot.slack.calls("response_url")
    assert "You report to Cleo Chief, so another admin decides this. It waits on Zoe Admin." in refusal.text
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).one() == "pending"


def test_a_reward_for_the_admin_hr_reports_to_is_not_sent_to_hr_to_approve(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/nominate", "<@U0ADMIN|ada> voucher_25 sorted out the outage")

    assert "Nobody can approve a reward for Ada Admin" in reply.text
    assert "who does not report to them" in reply.text
    assert bot.slack.calls("chat.postMessage", channel="U0HR") == []
    with bot.sessions() as session:
        assert session.scalars(select(Nomination)).all() == []


def test_an_admins_home_lists_no_request_of_their_own_boss_and_the_other_admins_does(bot: RunningBot) -> None:
    for user, name in [("U0CEO", "Cleo Chief"), ("U0OPS", "Otto Ops"), ("U0ADMIN", "Ada Admin")]:
        bot.slack.add_user(user, name)
    load_org(bot.sessions, bot.clock.now(), ADMIN_UNDER_ANOTHER_TEAM)
    add_org_people(bot.slack, ADMIN_UNDER_ANOTHER_TEAM)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0CEO", "/resolve", "refund 900 order 42 parcel lost in transit")
    bot.driver.command("U0OPS", "/resolve", "refund 800 order 43 parcel lost in transit")

    homes = {}
    for admin in ("U0ADMIN", "U0ADMIN2"):
        bot.driver.open_home(admin)
        homes[admin] = json.dumps(bot.slack.calls("views.publish")[-1].args["view"])

    assert "order 42" not in homes["U0ADMIN"] and "order 43" not in homes["U0ADMIN"], "Ada reports to both"
    assert "order 42" in homes["U0ADMIN2"] and "order 43" in homes["U0ADMIN2"]
