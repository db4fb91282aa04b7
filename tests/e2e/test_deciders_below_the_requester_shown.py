"""An admin a request still waits on who reports to its requester, while someone who does not may now decide it (an
admin back in Slack since it was sent): their App Home shows it without buttons and their digest not as theirs, as
their click on it is refused; the admin who may decide it finds its buttons on their Home.

Ada, Yan and Zoe are admins, Yan under Ada. Zoe is away from Slack when Ada asks: nobody who does not report to Ada
may decide her refund, so it goes to Yan. Zoe comes back while it was being sent (Slack bringing her back hands over
only what was committed before: tests/e2e/test_deciders_back_in_slack.py): until the next follow-up tick hands it over
too (services/handover.hand_over_missed), it still waits on Yan, but Zoe may decide it.
"""

from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from handlers.blocks.digest import as_text
from models import Employee, Resolution, Workspace
from services.config_cache import bump
from services.digest.org import read_org
from services.resolutions import decisions
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import employee, load_org, load_policy

ORG = (FIXTURES / "org.csv").read_text() + (
    "U0ADMIN2,Zoe Admin,Leadership,admin,,,UTC,\n"
    "U0ADMIN3,Yan Admin,Leadership,admin,U0ADMIN,,UTC,\n"
    "U0AGENT4,Kim Agent,Leadership,frontline,U0ADMIN3,,UTC,agent\n"
)
REFUND = "refund 900 order 42 parcel lost in transit"


def adas_refunds_sent_to_yan_while_zoe_was_away(bot: RunningBot, count: int = 1) -> list[str]:
    """Ada's refunds, sent to Yan while Zoe was away; Zoe is back now, their hand-over not made yet. Their ids, oldest
    first."""
    for user, name in [("U0ADMIN2", "Zoe Admin"), ("U0ADMIN3", "Yan Admin"), ("U0AGENT4", "Kim Agent")]:
        bot.slack.add_user(user, name)
    load_org(bot.sessions, bot.clock.now(), ORG)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.user_change("U0ADMIN2", deleted=True)
    bot.clock.advance(timedelta(hours=2))
    for n in range(count):
        bot.driver.command("U0ADMIN", "/resolve", f"refund {900 + n} order {42 + n} parcel lost in transit")
        bot.clock.advance(timedelta(minutes=1))
    back_before_the_hand_over(bot, "U0ADMIN2")
    bot.clock.advance(timedelta(hours=2))
    with bot.sessions() as session:
        requests = session.scalars(select(Resolution).order_by(Resolution.id)).all()
        assert {(r.status, r.decider.slack_id if r.decider else "") for r in requests} == {("pending", "U0ADMIN3")}
        return [str(r.id) for r in requests]


def back_before_the_hand_over(bot: RunningBot, slack_id: str) -> None:
    """Active again, as Slack's return leaves them, with what was sent meanwhile not handed over yet."""
    bot.slack.change_user(slack_id, deleted=False)
    with bot.sessions.begin() as session:
        person = employee(session, slack_id)
        person.active, person.left_slack_at, person.updated_at = True, None, bot.clock.now()
        bump(session, session.get_one(Workspace, person.workspace_id))


def kims_refund(bot: RunningBot) -> str:
    """Kim's refund, over her limit: it waits on Yan, her manager, who may decide it."""
    bot.driver.command("U0AGENT4", "/resolve", REFUND)
    with bot.sessions() as session:
        return str(session.scalars(select(Resolution.id).order_by(Resolution.id.desc())).first())


def home_of(bot: RunningBot, user: str) -> list[dict[str, Any]]:
    bot.driver.open_home(user)
    return list((bot.slack.state.home_view(user) or {}).get("blocks") or [])


def offered(blocks: list[dict[str, Any]]) -> set[str]:
    """The requests a view has an Approve button for."""
    buttons = (e for b in blocks for e in b.get("elements") or [] if isinstance(e, dict))
    return {str(e.get("value")) for e in buttons if e.get("action_id") == "resolution_approve"}


def test_the_admin_under_the_requester_finds_no_buttons_on_their_home_and_the_admin_who_may_decide_does(
    bot: RunningBot,
) -> None:
    [refund] = adas_refunds_sent_to_yan_while_zoe_was_away(bot)
    [yans] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN3") if "Approve" in str(c.args)]
    kims = kims_refund(bot)

    assert offered(home_of(bot, "U0ADMIN3")) == {kims}, "Yan's click on Ada's is refused"
    assert offered(home_of(bot, "U0ADMIN2")) == {refund, kims}

    bot.driver.click("U0ADMIN3", yans, "resolution_approve")
    refused = bot.slack.calls("response_url")[-1].text
    assert "You report to Ada Admin, and someone who does not may decide this." in refused, refused
    zoes_home = bot.slack.state.home_view("U0ADMIN2") or {}
    bot.driver.post_payload(bot.driver.view_click_payload("U0ADMIN2", zoes_home, "resolution_approve", refund))
    with bot.sessions() as session:
        adas = session.get_one(Resolution, int(refund))
        assert (adas.status, adas.decided_by.slack_id if adas.decided_by else "") == ("approved", "U0ADMIN2")


def test_the_admin_under_the_requester_finds_it_not_waiting_on_them_in_their_digest(bot: RunningBot) -> None:
    """Kim's refund, which waits on Yan as her manager, is theirs; Ada's is not."""
    adas_refunds_sent_to_yan_while_zoe_was_away(bot)
    kims = kims_refund(bot)

    reply = bot.driver.command("U0ADMIN3", "/digest", "")

    assert reply.status == 200
    blocks = bot.slack.calls("response_url")[-1].args["blocks"]
    assert "*Waiting on you (1), oldest first:*" in as_text(blocks), as_text(blocks)
    assert offered(blocks) == {kims}


def test_an_admin_under_the_requester_sent_more_than_the_home_reads_finds_only_their_reports_there(
    bot: RunningBot,
) -> None:
    """Past the 20 a Home reads, those Yan may no longer decide are left out of what is read and counted, too: Kim's,
    newer than Ada's 21, is the one Yan may decide."""
    refunds = adas_refunds_sent_to_yan_while_zoe_was_away(bot, 21)
    kims = kims_refund(bot)

    yans = home_of(bot, "U0ADMIN3")

    assert offered(yans) == {kims}, as_text(yans)
    assert "*Waiting for a decision in the workspace* (1)" in as_text(yans), as_text(yans)
    zoes = home_of(bot, "U0ADMIN2")
    assert offered(zoes) == set(refunds[:10])
    assert "*Waiting for a decision in the workspace* (22)" in as_text(zoes), as_text(zoes)


def test_every_home_and_the_digests_view_of_the_org_agree_with_who_may_decide(bot: RunningBot) -> None:
    """For each person and each request waiting: listed on their Home, and in the digest's view of the org theirs to
    decide, exactly when their click on it would be accepted."""
    adas_refunds_sent_to_yan_while_zoe_was_away(bot)
    kims_refund(bot)
    with bot.sessions() as session:
        people = session.scalars(select(Employee).where(Employee.active)).all()
        waiting = session.scalars(select(Resolution).where(Resolution.status == "pending")).all()
        org = read_org(session, people[0].workspace_id)
        for person in people:
            listed = {r.id for r in decisions.waiting_for(session, person).oldest}
            accepted = {r.id for r in waiting if decisions.may_decide(r, person)}
            assert listed == accepted, person.name
            in_digest = {r.id for r in waiting if org.may_decide(person.id, r.employee_id, r.decider_id)}
            assert in_digest == accepted, person.name


def test_an_admin_under_the_requester_who_may_decide_their_requests_has_them_checked_once_per_requester(
    bot: RunningBot,
) -> None:
    """Zoe stays away, so Yan may decide Ada's six refunds: his Home asked whether anyone else may, once per refund,
    reading the workspace's admins each time."""
    for user, name in [("U0ADMIN2", "Zoe Admin"), ("U0ADMIN3", "Yan Admin"), ("U0AGENT4", "Kim Agent")]:
        bot.slack.add_user(user, name)
    load_org(bot.sessions, bot.clock.now(), ORG)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.user_change("U0ADMIN2", deleted=True)
    for n in range(6):
        bot.driver.command("U0ADMIN", "/resolve", f"refund {900 + n} order {42 + n} parcel lost in transit")
    admins_read: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        line = " ".join(statement.split())
        if line.upper().startswith("SELECT") and "employees.role = " in line:
            admins_read.append(line)

    event.listen(bot.runtime.engine, "before_cursor_execute", record)
    try:
        blocks = home_of(bot, "U0ADMIN3")
    finally:
        event.remove(bot.runtime.engine, "before_cursor_execute", record)

    assert len(offered(blocks)) == 6
    assert len(admins_read) <= 1, admins_read
