"""Reminders and escalations land in their recipient's day: one due in the night, on that person's own clock,
waits for their morning (the policy's `quiet_hours`, 20:00-08:00 in the example), and the request's next step
counts from when that reminder was sent. A new request is never held."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Employee, Resolution, Workspace
from services.policy.versions import current_policy
from services.resolutions.escalations import due_follow_ups
from tests.conftest import RunningBot
from tests.e2e.test_people_leaving import reimport
from tests.e2e.test_rewards_approval import LEE
from tests.helpers import FIXTURES, POLICY_EXAMPLE, add_org_people, load_org, load_policy

SYDNEY_MANAGER_KOLKATA_ADMIN = (
    (FIXTURES / "org.csv")
    .read_text()
    .replace("maya@example.com,America/New_York,", "maya@example.com,Australia/Sydney,")
    .replace("ada@example.com,Europe/London,", "ada@example.com,Asia/Kolkata,")
)
"""Maya (U0MGR1) decides Sam's requests from Sydney (UTC+11 in March); above her, Ada is in Kolkata (UTC+5:30)."""

SYDNEY_ADMIN = (
    (FIXTURES / "org.csv").read_text().replace("ada@example.com,Europe/London,", "ada@example.com,Australia/Sydney,")
)
"""Maya approves Lee's rewards from New York; above her, Ada is in Sydney."""


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def tick(bot: RunningBot, moment: datetime) -> None:
    bot.clock.set(moment)
    follow_up_pending_requests(bot.runtime.deps, bot.runtime.sender_client)


def dms(bot: RunningBot, user: str, words: str) -> list[str]:
    return [c.text for c in bot.slack.calls("chat.postMessage", channel=user) if words in c.text]


def test_a_reminder_due_in_the_deciders_night_waits_for_her_morning_and_the_escalation_for_the_morning_above(
    bot: RunningBot,
) -> None:
    load_org(bot.sessions, bot.clock.now(), SYDNEY_MANAGER_KOLKATA_ADMIN)
    add_org_people(bot.slack, SYDNEY_MANAGER_KOLKATA_ADMIN)
    load_policy(bot.sessions, bot.clock.now(), POLICY_EXAMPLE.read_text())
    bot.clock.set(at(2, 9))  # 20:00 in Sydney: Sam, with a customer in New York, sends a request now
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    asked = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    tick(bot, at(3, 9))  # 24 h on: 20:00 in Sydney
    tick(bot, at(3, 20, 50))  # 07:50 in Sydney
    in_her_night = dms(bot, "U0MGR1", "Reminder")
    tick(bot, at(3, 21))  # 08:00 in Sydney
    reminded = dms(bot, "U0MGR1", "Reminder")
    tick(bot, at(4, 20, 50))  # 48 h after the request, but not yet 24 h after the reminder
    too_soon_after_the_reminder = dms(bot, "U0ADMIN", "waited too long")
    tick(bot, at(4, 21))  # 24 h after the reminder: 02:30 in Kolkata, where it goes up to
    tick(bot, at(5, 2, 20))  # 07:50 in Kolkata
    in_the_night_above = dms(bot, "U0ADMIN", "waited too long") + dms(bot, "U0AGENT1", "now goes to")
    tick(bot, at(5, 2, 30))  # 08:00 in Kolkata

    assert len(asked) == 1, "the new request itself is sent at once, whatever the hour where its decider is"
    assert in_her_night == [] and len(reminded) == 1
    assert too_soon_after_the_reminder == [] and in_the_night_above == []
    [escalation] = dms(bot, "U0ADMIN", "waited too long")
    assert "waited too long for Maya Manager, so it comes to you" in escalation
    [told] = dms(bot, "U0AGENT1", "now goes to")
    assert "Ada Admin" in told


def test_the_day_after_the_clocks_go_forward_a_reminder_comes_at_eight_by_the_new_time(bot: RunningBot) -> None:
    """New York moves to daylight time on Sunday 8 March 2026: 12:00 UTC is 08:00 there that day, 07:00 the day
    before."""
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now(), POLICY_EXAMPLE.read_text())
    bot.clock.set(at(7, 11, 40))  # 06:40 in New York on Saturday
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")

    tick(bot, at(8, 11, 50))  # 07:50 in New York, by the daylight clock
    before_eight = dms(bot, "U0MGR1", "Reminder")
    tick(bot, at(8, 12))

    assert before_eight == []
    assert len(dms(bot, "U0MGR1", "Reminder")) == 1


def test_a_reward_reminder_and_its_going_up_each_wait_for_their_recipients_morning(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), SYDNEY_ADMIN)
    add_org_people(bot.slack, SYDNEY_ADMIN)
    load_policy(bot.sessions, bot.clock.now(), POLICY_EXAMPLE.read_text())
    bot.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")  # 04:00 in New York

    tick(bot, at(3, 9))  # 24 h on: 04:00 in New York, where Maya approves it
    tick(bot, at(3, 12, 50))
    in_her_night = dms(bot, "U0MGR1", "Reminder")
    tick(bot, at(3, 13))  # 08:00 in New York
    reminded = dms(bot, "U0MGR1", "Reminder")
    tick(bot, at(4, 13))  # 24 h after the reminder: midnight in Sydney, where it goes up to
    tick(bot, at(4, 20, 50))
    in_the_night_above = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    tick(bot, at(4, 21))  # 08:00 in Sydney

    assert in_her_night == [] and len(reminded) == 1
    assert in_the_night_above == []
    assert len(bot.slack.calls("chat.postMessage", channel="U0ADMIN")) == 1


TWO_ADMINS_ABOVE_NOBODY = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0ADMIN,Ada Admin,Operations,admin,,,Asia/Kolkata,
U0ADMIN2,Zoe Admin,Leadership,admin,,,Europe/London,
U0MGR1,Maya Manager,Support East,manager,,,Australia/Sydney,
U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,,America/New_York,agent
"""
"""Nobody is above Maya: what she lets wait goes to both admins, one in Kolkata, one in London."""


def test_a_request_going_up_to_several_admins_reaches_each_in_their_own_morning(bot: RunningBot) -> None:
    """It goes up once one of them is in their day, to her; the other, still in her night, gets it in her morning."""
    load_org(bot.sessions, bot.clock.now(), TWO_ADMINS_ABOVE_NOBODY)
    add_org_people(bot.slack, TWO_ADMINS_ABOVE_NOBODY)
    load_policy(bot.sessions, bot.clock.now(), POLICY_EXAMPLE.read_text())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")

    tick(bot, at(3, 21))  # Maya reminded at 08:00 in Sydney
    tick(bot, at(4, 21))  # 24 h on: 02:30 in Kolkata, 21:00 in London
    tick(bot, at(5, 2, 20))
    both_asleep = dms(bot, "U0ADMIN", "waited too long") + dms(bot, "U0ADMIN2", "waited too long")
    tick(bot, at(5, 2, 30))  # 08:00 in Kolkata, 02:30 in London
    first_awake, still_asleep = dms(bot, "U0ADMIN", "waited too long"), dms(bot, "U0ADMIN2", "waited too long")
    tick(bot, at(5, 7, 50))
    before_her_morning = dms(bot, "U0ADMIN2", "waited too long")
    tick(bot, at(5, 8))  # 08:00 in London

    assert len(dms(bot, "U0MGR1", "Reminder")) == 1
    assert both_asleep == [] and len(first_awake) == 1
    assert still_asleep == [] and before_her_morning == [], "the first admin to wake must not wake the other"
    assert len(dms(bot, "U0ADMIN2", "waited too long")) == 1 and len(dms(bot, "U0ADMIN", "waited too long")) == 1
    [told] = dms(bot, "U0AGENT1", "now goes to")
    assert "Ada Admin" in told and "Zoe Admin" in told
    with bot.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        assert resolution.decider is not None and resolution.decider.slack_id == "U0ADMIN", "on the one awake"


def test_a_request_decided_before_the_other_admins_morning_never_reaches_her(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), TWO_ADMINS_ABOVE_NOBODY)
    add_org_people(bot.slack, TWO_ADMINS_ABOVE_NOBODY)
    load_policy(bot.sessions, bot.clock.now(), POLICY_EXAMPLE.read_text())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    tick(bot, at(3, 21))
    tick(bot, at(5, 2, 30))  # 08:00 in Kolkata: it goes up, to Ada now, to Zoe at 08:00 in London
    [escalation] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "waited too long" in c.text]

    bot.driver.click("U0ADMIN", escalation, "resolution_approve")
    tick(bot, at(5, 8))

    assert dms(bot, "U0ADMIN2", "waited too long") == []
    assert "approved" in bot.slack.calls("chat.postMessage", channel="U0AGENT1")[-1].text


MAYA_ON_LEAVE = (
    (FIXTURES / "org.csv").read_text().replace("Support East,frontline,U0MGR1", "Support East,frontline,U0MGR2")
)
"""Maya's team reports to Omar, in Los Angeles, while she is on leave."""


def test_a_request_handed_over_in_the_night_is_sent_at_once_and_goes_up_a_full_wait_after_it(bot: RunningBot) -> None:
    """A hand-over asks its new decider as a new request does, at once; it stands for their reminder."""
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now(), POLICY_EXAMPLE.read_text())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    tick(bot, at(3, 13))  # Maya reminded at 08:00 in New York

    bot.clock.set(at(3, 14))  # 06:00 in Los Angeles: HR lends Maya's team to Omar
    reimport(bot.sessions, bot.clock.now(), MAYA_ON_LEAVE)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    handed = dms(bot, "U0MGR2", "now waits on you")
    tick(bot, at(4, 13, 50))  # 48 h after the request, 23 h 50 after the hand-over
    too_soon = dms(bot, "U0ADMIN", "waited too long")
    tick(bot, at(4, 14))

    assert len(handed) == 1
    assert too_soon == []
    [escalation] = dms(bot, "U0ADMIN", "waited too long")
    assert "waited too long for Omar Manager" in escalation


def test_requests_waiting_for_a_morning_never_hold_up_one_whose_decider_is_at_work(
    sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    org = (FIXTURES / "org.csv").read_text().replace("omar@example.com,America/Los_Angeles", "omar@example.com,UTC")
    load_org(sessions, clock.now(), org)
    load_policy(sessions, clock.now(), POLICY_EXAMPLE.read_text())
    add_pending(sessions, clock, decider="U0MGR1", requester="U0AGENT1", count=3, summary="asleep")
    add_pending(sessions, clock, decider="U0MGR2", requester="U0AGENT3", count=1, summary="at work")

    clock.advance(timedelta(hours=25))  # 10:00 UTC, 05:00 in New York
    with sessions.begin() as session:
        due = due_follow_ups(session, now=clock.now(), limit=2)

    assert [(f.kind, f.resolution.summary) for f in due] == [("reminder", "at work")]


def add_pending(
    sessions: sessionmaker[Session],
    clock: MovableClock,
    *,
    decider: str,
    requester: str,
    count: int,
    summary: str,
    team_id: str = "T0LATITUDE",
) -> None:
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slack_team_id == team_id)).one()
        people = {e.slack_id: e for e in session.scalars(select(Employee).where(Employee.workspace_id == workspace.id))}
        active = current_policy(session, workspace)
        assert active is not None
        session.add_all(
            Resolution(
                workspace_id=workspace.id,
                employee_id=people[requester].id,
                decider_id=people[decider].id,
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


def test_one_busy_workspace_does_not_hold_up_another_workspaces_follow_ups(
    sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """A night of reminders going out at one zone's 08:00 fills a tick's budget in its own workspace only."""
    for team_id in ("T0LATITUDE", "T0SECOND"):
        load_org(sessions, clock.now(), team_id=team_id)
        load_policy(sessions, clock.now(), team_id=team_id)
    add_pending(sessions, clock, decider="U0MGR1", requester="U0AGENT1", count=3, summary="busy")
    add_pending(sessions, clock, decider="U0MGR1", requester="U0AGENT1", count=1, summary="second", team_id="T0SECOND")
    clock.advance(timedelta(hours=25))

    with sessions.begin() as session:
        due = due_follow_ups(session, now=clock.now(), limit=2)

    assert sorted(follow_up.resolution.summary for follow_up in due) == ["busy", "busy", "second"]
