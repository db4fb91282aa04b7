"""An admin Slack brings back, who may decide a request sent meanwhile to an admin who reports to its requester: it is
handed over to them at once, as after an org import, and told once.

Ada, Yan and Zoe are admins, Yan under Ada. Zoe is away from Slack (deactivated) when Ada asks: nobody who does not
report to Ada may decide her refund, so it goes to Yan. Then Slack brings Zoe back.
"""

from datetime import timedelta

from sqlalchemy import select

from bot.fakeslack import Call
from handlers.jobs.drain_outbox import drain_outbox
from models import Resolution
from tests.conftest import RunningBot
from tests.e2e.test_deciders_below_the_requester import YAN_UNDER_ADA, the_request
from tests.e2e.test_departures_caught_up import catch_up
from tests.e2e.test_rewards_approval import action_ids
from tests.helpers import load_org, load_policy

HANDED_OVER = "*Ada Admin's request now waits on you*"


def handed_to_zoe(bot: RunningBot) -> list[str]:
    return [call.text for call in bot.slack.calls("chat.postMessage", channel="U0ADMIN2") if HANDED_OVER in call.text]


def told_to_ada(bot: RunningBot) -> list[str]:
    return [call.text for call in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "now waits on" in call.text]


def adas_refund_sent_to_yan_while_zoe_was_away(bot: RunningBot) -> Call:
    """Yan's DM with the buttons."""
    for user, name in [("U0ADMIN", "Ada Admin"), ("U0ADMIN2", "Zoe Admin"), ("U0ADMIN3", "Yan Admin")]:
        bot.slack.add_user(user, name)
    load_org(bot.sessions, bot.clock.now(), YAN_UNDER_ADA)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.user_change("U0ADMIN2", deleted=True)
    bot.clock.advance(timedelta(hours=2))
    bot.driver.command("U0ADMIN", "/resolve", "refund 900 order 42 parcel lost in transit")
    assert the_request(bot) == ("pending", "U0ADMIN3")
    [yans] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN3") if "Approve" in str(c.args)]
    bot.clock.advance(timedelta(hours=2))
    return yans


def test_a_request_sent_to_an_admin_under_its_requester_goes_to_the_admin_slack_brings_back(bot: RunningBot) -> None:
    yans = adas_refund_sent_to_yan_while_zoe_was_away(bot)

    back = bot.slack.change_user("U0ADMIN2", deleted=False)
    bot.driver.event(back, event_id="EvZOEBACK")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert the_request(bot) == ("pending", "U0ADMIN2")
    [zoes] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN2") if HANDED_OVER in c.text]
    assert action_ids(bot.slack.message(zoes.response["channel"], zoes.response["ts"])) == [
        "resolution_approve",
        "resolution_decline",
    ]
    yans_copy = bot.slack.message(yans.response["channel"], yans.response["ts"])
    assert "now waits on *Zoe Admin*, who decides it" in str(yans_copy) and action_ids(yans_copy) == []
    [told] = told_to_ada(bot)
    assert "now waits on Zoe Admin to decide" in told, told
    for why in (str(zoes.args["blocks"]), told):  # Yan neither left nor managed Ada: he may no longer decide it
        assert "may no longer decide it" in why and "manages" not in why, why
    updates = len(bot.slack.calls("chat.update"))

    bot.driver.event(back, event_id="EvZOEBACK", retry_num=1)  # Slack's retry of it
    bot.driver.event(back)  # the same change, delivered again
    bot.driver.user_change("U0ADMIN2", real_name="Zoe A.")  # and a later change of hers
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert len(handed_to_zoe(bot)) == 1 and len(told_to_ada(bot)) == 1
    assert len(bot.slack.calls("chat.update")) == updates
    bot.driver.click("U0ADMIN2", zoes, "resolution_approve")
    with bot.sessions() as session:
        adas = session.scalars(select(Resolution)).one()
        assert (adas.status, adas.decided_by.slack_id if adas.decided_by else "") == ("approved", "U0ADMIN2")


def test_a_return_whose_event_was_lost_hands_the_request_over_when_caught_up(bot: RunningBot) -> None:
    adas_refund_sent_to_yan_while_zoe_was_away(bot)
    bot.slack.change_user("U0ADMIN2", deleted=False)  # its user_change never reached Latitude

    assert catch_up(bot) == 1

    assert the_request(bot) == ("pending", "U0ADMIN2")
    assert len(handed_to_zoe(bot)) == 1 and len(told_to_ada(bot)) == 1
