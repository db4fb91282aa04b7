"""Requests nobody decided, followed up on time whatever else waits and however late the scheduler ran."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Employee, Resolution, Workspace
from services import directory, request_viewers
from services.policy.versions import current_policy
from services.resolutions.escalations import due_follow_ups
from tests.conftest import RunningBot
from tests.helpers import POLICY_EXAMPLE, load_org, load_org_and_policy, load_policy

SMALL_ORG = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U9ADMIN,Ada Admin,Ops,admin,,,UTC,
U9MGR,Bea Boss,Ops,manager,U9ADMIN,,UTC,
U9AGENT,Bo Agent,Ops,frontline,U9MGR,,UTC,agent
"""


def test_after_a_late_reminder_the_manager_still_gets_the_full_wait_before_it_goes_up(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    deps, client = bot.runtime.deps, bot.runtime.app.client

    bot.clock.advance(timedelta(hours=60))  # the scheduler was down for two and a half days (the wait is 24 h)
    follow_up_pending_requests(deps, client)
    bot.clock.advance(timedelta(minutes=10))
    follow_up_pending_requests(deps, client)
    early = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    bot.clock.advance(timedelta(hours=24))
    follow_up_pending_requests(deps, client)

    assert [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR1") if "Reminder" in c.text]
    assert early == [], "escalated ten minutes after a reminder the manager had only just received"
    [escalation] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "waited too long for Maya Manager, so it comes to you" in escalation.text


def test_many_requests_waiting_elsewhere_never_hold_up_a_reminder_that_is_due(
    sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    slow = workspace_with_wait(sessions, clock, "T0SLOW", 336)
    quick = workspace_with_wait(sessions, clock, "T0FAST", 24)
    add_pending(sessions, clock, slow, count=250, summary="slow")
    add_pending(sessions, clock, quick, count=1, summary="due")

    clock.advance(timedelta(hours=30))
    with sessions.begin() as session:
        due = due_follow_ups(session, now=clock.now())

    assert [(f.kind, f.resolution.summary) for f in due] == [("reminder", "due")]


def test_an_uninstalled_workspace_is_followed_up_no_more(sessions: sessionmaker[Session], clock: MovableClock) -> None:
    gone = workspace_with_wait(sessions, clock, "T0GONE", 24)
    add_pending(sessions, clock, gone, count=1, summary="waiting")
    with sessions.begin() as session:
        session.get_one(Workspace, gone).uninstalled_at = clock.now()

    clock.advance(timedelta(hours=30))
    with sessions.begin() as session:
        assert due_follow_ups(session, now=clock.now()) == []


def workspace_with_wait(sessions: sessionmaker[Session], clock: MovableClock, team_id: str, hours: int) -> int:
    load_org(sessions, clock.now(), SMALL_ORG, team_id=team_id)
    text = POLICY_EXAMPLE.read_text().replace("escalation_reminder_hours = 24", f"escalation_reminder_hours = {hours}")
    load_policy(sessions, clock.now(), text, team_id=team_id)
    with sessions() as session:
        workspace = directory.find_workspace(session, team_id)
        assert workspace is not None
        return workspace.id


def add_pending(
    sessions: sessionmaker[Session], clock: MovableClock, workspace_id: int, *, count: int, summary: str
) -> None:
    with sessions.begin() as session:
        workspace = session.get_one(Workspace, workspace_id)
        people = {e.slack_id: e for e in session.scalars(select(Employee).where(Employee.workspace_id == workspace_id))}
        active = current_policy(session, workspace)
        assert active is not None
        session.add_all(
            Resolution(
                workspace_id=workspace_id,
                employee_id=people["U9AGENT"].id,
                decider_id=people["U9MGR"].id,
                policy_version_id=active.version.id,
                category="refund",
                amount=Decimal(80),
                currency="USD",
                summary=summary,
                status="pending",
                created_at=clock.now(),
            )
            for _ in range(count)
        )


def test_a_follow_up_still_queued_when_the_request_is_decided_never_goes_out(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    deps, client = bot.runtime.deps, bot.runtime.app.client
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    bot.clock.advance(timedelta(hours=24, minutes=1))
    follow_up_pending_requests(deps, client)
    bot.clock.advance(timedelta(hours=24, minutes=1))
    # Slack busy for the escalation (the requester's notice that it goes up is sent alongside, in no fixed order)
    bot.slack.fail("chat.postMessage", status=429, retry_after=30, channel="U0ADMIN")

    follow_up_pending_requests(deps, client)
    bot.driver.click("U0MGR1", request, "resolution_approve")
    bot.clock.advance(timedelta(minutes=5))
    drain_outbox(deps, client)

    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN") == []
    assert "approved" in bot.slack.calls("chat.postMessage", channel="U0AGENT1")[-1].text


ADMIN_UNDER_ANOTHER_TEAM = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0CEO,Cleo Chief,Leadership,manager,,,UTC,
U0OPS,Otto Ops,Operations,manager,U0CEO,,UTC,
U0ADMIN,Ada Admin,Operations,admin,U0OPS,,UTC,
U0ADMIN2,Zoe Admin,Leadership,admin,,,UTC,
"""


@pytest.mark.parametrize("requester", ["U0NEWBIE"])
def test_a_request_an_admin_let_wait_goes_to_the_other_admins_not_up_the_admins_own_chain(
    bot: RunningBot, requester: str
) -> None:
    """A newcomer has no manager yet, so their requests go to the admins, waiting on Ada (first by name). Ada's
    manager Otto is not above them: once Ada let it wait, it goes to Zoe, never to Otto, who may not decide it.
    (Cleo, Otto's boss, has hers sent to Zoe at once: Ada reports to her, `test_decisions_up_the_chain`.)"""
    for user, name in [("U0CEO", "Cleo Chief"), ("U0OPS", "Otto Ops"), ("U0NEWBIE", "Nia Newbie")]:
        bot.slack.add_user(user, name)
    bot.slack.add_user("U0ADMIN2", "Zoe Admin")
    load_org(bot.sessions, bot.clock.now(), ADMIN_UNDER_ANOTHER_TEAM)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command(requester, "/resolve", "refund 900 order 42 parcel lost in transit")
    [request] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    deps, client = bot.runtime.deps, bot.runtime.app.client
    for _ in range(2):
        bot.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(deps, client)
    drain_outbox(deps, client)
    bot.driver.click("U0OPS", request, "resolution_approve", forged=True)

    assert bot.slack.calls("chat.postMessage", channel="U0OPS") == []
    [escalation] = [c for c in bot.slack.calls("chat.postMessage") if "waited too long" in c.text]
    assert escalation.args["channel"] == "U0ADMIN2" and "waited too long for Ada Admin" in escalation.text
    refusal = bot.slack.calls("response_url")[-1]  # a newcomer's fix was answered there too
    assert request_viewers.NOT_YOUR_REQUEST in refusal.text, "nor whose it is: it was never his"
    assert "Zoe" not in refusal.text and "Nia" not in refusal.text
    with bot.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        assert (resolution.status, resolution.decider.slack_id) == ("pending", "U0ADMIN2")


LONG_CHAIN = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U9ADMIN,Ada Admin,Ops,admin,,,UTC,
U9VP,Vic Vee,Ops,manager,U9ADMIN,,UTC,
U9DIR,Dan Dir,Ops,manager,U9VP,,UTC,
U9MGR,Bea Boss,Ops,manager,U9DIR,,UTC,
U9AGENT,Bo Agent,Ops,frontline,U9MGR,,UTC,agent
"""


def test_a_request_the_manager_let_wait_steps_over_their_boss_who_left_to_the_next_one_up(bot: RunningBot) -> None:
    for user, name in [("U9ADMIN", "Ada Admin"), ("U9VP", "Vic Vee"), ("U9DIR", "Dan Dir"), ("U9MGR", "Bea Boss")]:
        bot.slack.add_user(user, name)
    bot.slack.add_user("U9AGENT", "Bo Agent")
    load_org(bot.sessions, bot.clock.now(), LONG_CHAIN)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.user_change("U9DIR", deleted=True)  # Dan left Slack: the org file still has him between Bea and Vic
    bot.driver.command("U9AGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    deps, client = bot.runtime.deps, bot.runtime.app.client
    for _ in range(2):
        bot.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(deps, client)
    drain_outbox(deps, client)

    [escalation] = [c for c in bot.slack.calls("chat.postMessage") if "waited too long" in c.text]
    assert escalation.args["channel"] == "U9VP" and "waited too long for Bea Boss" in escalation.text
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "U9VP"
