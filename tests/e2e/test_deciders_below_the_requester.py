"""An admin (or HR person) an org import puts under the one whose request (or reward) waits on them: it is handed to
someone who does not report to them, as routing would choose now, and their old button is refused; when nobody else
can take it, the fallback of routing holds (a request: the admin it was sent to decides it; a reward: it stays, refused
to them, and the import names it to HR).

Ada, Yan and Zoe are admins; Ada has no manager, so her refund goes to Yan or Zoe and waits on Yan.
"""

from datetime import timedelta

from sqlalchemy import select

from bot.cli.org import describe_report
from handlers.blocks import nominations as blocks
from handlers.blocks.digest import as_text
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Nomination, Resolution
from services.org_import import ImportReport
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_people_leaving import reimport
from tests.e2e.test_rewards_approval import action_ids, request_to
from tests.helpers import add_org_people, load_org, load_policy
from tests.rewards_helpers import grants, set_up

ORG_CSV = (FIXTURES / "org.csv").read_text()
YAN = "U0ADMIN3,Yan Admin,Leadership,admin,,,UTC,\n"
THREE_ADMINS = ORG_CSV + "U0ADMIN2,Zoe Admin,Leadership,admin,,,UTC,\n" + YAN
YAN_UNDER_ADA = THREE_ADMINS.replace(YAN, YAN.replace(",admin,,", ",admin,U0ADMIN,"))
TWO_ADMINS = ORG_CSV + YAN
ONLY_YAN_UNDER_ADA = TWO_ADMINS.replace(YAN, YAN.replace(",admin,,", ",admin,U0ADMIN,"))
HANA = "U0HR,Hana Reyes,People,hr,U0ADMIN,"
HANA_UNDER_OMAR = ORG_CSV.replace(HANA, "U0HR,Hana Reyes,People,hr,U0MGR2,")
WITH_HUGO = ORG_CSV + "U0HR2,Hugo Reyes,People,hr,U0ADMIN,,UTC,\n"
HANA_UNDER_OMAR_WITH_HUGO = HANA_UNDER_OMAR + "U0HR2,Hugo Reyes,People,hr,U0ADMIN,,UTC,\n"
OMAR = "<@U0MGR2|omar>"


def adas_refund_waiting_on_yan(bot: RunningBot, org: str) -> None:
    for user, name in [("U0ADMIN2", "Zoe Admin"), ("U0ADMIN3", "Yan Admin")]:
        bot.slack.add_user(user, name)
    load_org(bot.sessions, bot.clock.now(), org)
    add_org_people(bot.slack, org)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0ADMIN", "/resolve", "refund 900 order 42 parcel lost in transit")
    assert the_request(bot) == ("pending", "U0ADMIN3")


def the_request(bot: RunningBot) -> tuple[str, str]:
    with bot.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        return resolution.status, resolution.decider.slack_id if resolution.decider else ""


def moves(report: ImportReport) -> list[tuple[str, str, str]]:
    return [(h.kind, h.previous.slack_id if h.previous else "", h.current.slack_id) for h in report.handovers]


def test_a_request_waiting_on_an_admin_put_under_the_requester_goes_to_another_admin(bot: RunningBot) -> None:
    adas_refund_waiting_on_yan(bot, THREE_ADMINS)
    [yans] = bot.slack.calls("chat.postMessage", channel="U0ADMIN3")
    yans_click = bot.driver.click_payload("U0ADMIN3", yans, "resolution_approve")

    report = reimport(bot.sessions, bot.clock.now(), YAN_UNDER_ADA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert moves(report) == [("resolution", "U0ADMIN3", "U0ADMIN2")]
    assert report.stuck == [], describe_report(report)
    [zoes] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN2") if "now waits on you" in c.text]
    assert "*Ada Admin's request now waits on you*" in zoes.text
    assert action_ids(bot.slack.message(zoes.response["channel"], zoes.response["ts"])) == [
        "resolution_approve",
        "resolution_decline",
    ]
    bot.driver.send_click(yans_click)
    refused = bot.slack.calls("response_url")[-1].text
    assert "You report to Ada Admin, so another admin decides this. It waits on Zoe Admin." in refused, refused
    assert the_request(bot) == ("pending", "U0ADMIN2")


def test_a_request_stays_with_the_admin_put_under_the_requester_when_no_other_admin_can_decide(
    bot: RunningBot,
) -> None:
    adas_refund_waiting_on_yan(bot, TWO_ADMINS)
    [yans] = bot.slack.calls("chat.postMessage", channel="U0ADMIN3")

    report = reimport(bot.sessions, bot.clock.now(), ONLY_YAN_UNDER_ADA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert moves(report) == [] and report.stuck == [], describe_report(report)
    bot.driver.click("U0ADMIN3", yans, "resolution_approve")
    assert the_request(bot) == ("approved", "U0ADMIN3"), "nobody else could: the admin it was sent to decides it"


def adas_nomination_of_omar(bot: RunningBot, org: str) -> dict[str, object]:
    """Ada, Omar's manager, nominates him: it goes up to HR and waits on Hana. Hana's click on it, made then."""
    set_up(bot.sessions, bot.clock.now())
    load_org(bot.sessions, bot.clock.now(), org)
    add_org_people(bot.slack, org)
    reply = bot.driver.command("U0ADMIN", "/nominate", f"{OMAR} voucher_25 ran the west desk alone")
    assert "waiting for approval by Hana Reyes" in reply.text
    return bot.driver.click_payload("U0HR", request_to(bot, "U0HR"), blocks.APPROVE)


def the_nomination(bot: RunningBot) -> tuple[str, str]:
    with bot.sessions() as session:
        nomination = session.scalars(select(Nomination)).one()
        return nomination.status, nomination.approver.slack_id if nomination.approver else ""


def test_a_reward_waiting_on_hr_put_under_the_nominee_goes_to_another_hr_person(bot: RunningBot) -> None:
    hanas_click = adas_nomination_of_omar(bot, WITH_HUGO)

    report = reimport(bot.sessions, bot.clock.now(), HANA_UNDER_OMAR_WITH_HUGO)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert moves(report) == [("nomination", "U0HR", "U0HR2")]
    assert report.stuck == [], describe_report(report)
    assert [call for call in bot.slack.messages_to("U0HR2") if "Omar Manager" in call.text], "Hugo is asked"
    bot.driver.send_click(hanas_click)
    refused = bot.slack.calls("response_url")[-1].text
    assert "This nomination waits on Hugo Reyes: only they can approve or decline it now" in refused, refused
    assert the_nomination(bot) == ("pending", "U0HR2")
    with bot.sessions() as session:
        assert grants(session) == []


def test_a_reward_stays_refused_to_hr_put_under_the_nominee_when_nobody_else_can_approve_it(bot: RunningBot) -> None:
    hanas_click = adas_nomination_of_omar(bot, ORG_CSV)

    report = reimport(bot.sessions, bot.clock.now(), HANA_UNDER_OMAR)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert moves(report) == []
    assert "still waits on Hana Reyes (U0HR), who may no longer approve it" in describe_report(report)
    bot.driver.send_click(hanas_click)
    refused = bot.slack.calls("response_url")[-1].text
    assert "you report to Omar Manager in the org directory, and nobody else could take it over" in refused, refused
    assert the_nomination(bot) == ("pending", "U0HR")
    with bot.sessions() as session:
        assert grants(session) == []


def test_hr_put_under_the_nominee_finds_the_reward_no_longer_on_their_home(bot: RunningBot) -> None:
    adas_nomination_of_omar(bot, ORG_CSV)
    bot.driver.open_home("U0HR")
    assert "cake voucher" in as_text((bot.slack.state.home_view("U0HR") or {}).get("blocks") or [])

    reimport(bot.sessions, bot.clock.now(), HANA_UNDER_OMAR)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    bot.driver.open_home("U0HR")

    home = as_text((bot.slack.state.home_view("U0HR") or {}).get("blocks") or [])
    assert "cake voucher" not in home, home


YAN_UNDER_OMAR = ORG_CSV + "U0ADMIN3,Yan Admin,Support West,admin,U0MGR2,,UTC,\n"


def test_a_request_never_goes_up_to_an_admin_under_the_requester_while_their_manager_may_decide_it(
    bot: RunningBot,
) -> None:
    """Omar's refund waits on Ada, his manager; the only other admin, Yan, reports to Omar: it waits on, and nobody
    is told it now comes to them only to be refused."""
    bot.slack.add_user("U0ADMIN3", "Yan Admin")
    load_org(bot.sessions, bot.clock.now(), YAN_UNDER_OMAR)
    add_org_people(bot.slack, YAN_UNDER_OMAR)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0MGR2", "/resolve", "refund 900 order 42 parcel lost in transit")
    assert the_request(bot) == ("pending", "U0ADMIN")

    for _ in range(3):  # a reminder, then past the wait again: where an escalation would go
        bot.clock.advance(timedelta(hours=30))
        follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert the_request(bot) == ("pending", "U0ADMIN")
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN3") == []


def test_a_request_sent_to_an_admin_under_the_requester_whose_manager_left_is_theirs_to_decide(
    bot: RunningBot,
) -> None:
    """Ines's manager Omar has left Slack and the only admin, Yan, reports to her (Ada above Omar is a manager here):
    her refund goes to Yan, and Yan may decide it (a manager higher up decides only what went up to them)."""
    for user, name in [("U0ADMIN3", "Yan Admin"), ("U0MGR2", "Omar Manager")]:
        bot.slack.add_user(user, name)
    org = ORG_CSV.replace(",admin,,ada@", ",manager,,ada@") + "U0ADMIN3,Yan Admin,Support West,admin,U0AGENT3,,UTC,\n"
    load_org(bot.sessions, bot.clock.now(), org)
    add_org_people(bot.slack, org)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.user_change("U0MGR2", deleted=True)
    bot.clock.advance(timedelta(hours=2))
    bot.driver.command("U0AGENT3", "/resolve", "refund 900 order 42 parcel lost in transit")
    assert the_request(bot) == ("pending", "U0ADMIN3")
    [yans] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN3") if "Approve" in str(c.args)]

    bot.driver.click("U0ADMIN3", yans, "resolution_approve")

    assert the_request(bot) == ("approved", "U0ADMIN3")
