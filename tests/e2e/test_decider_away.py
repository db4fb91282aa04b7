"""A manager away: on leave with their team lent to an interim manager, or on holiday while requests wait. Whoever
decides now is given the full wait, and the requester always knows who that is."""

from datetime import timedelta

from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Resolution
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_people_leaving import reimport
from tests.e2e.test_rewards_approval import action_ids
from tests.helpers import add_org_people, load_org, load_org_and_policy, load_policy

ORG_CSV = (FIXTURES / "org.csv").read_text()
MAYA_ON_LEAVE = ORG_CSV.replace("Support East,frontline,U0MGR1", "Support East,frontline,U0MGR2")
"""Maya's team reports to Omar while she is on parental leave; she stays in the directory."""


def test_an_interim_manager_handed_a_request_after_its_reminder_gets_the_full_wait_before_it_goes_up(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    bot.clock.advance(timedelta(hours=24, minutes=5))
    follow_up_pending_requests(deps, client)  # Maya is reminded: she is already away
    bot.clock.advance(timedelta(hours=23))
    reimport(bot.sessions, bot.clock.now(), MAYA_ON_LEAVE)  # HR lends her team to Omar
    drain_outbox(deps, client)

    bot.clock.advance(timedelta(hours=1))
    follow_up_pending_requests(deps, client)
    early = [c for c in bot.slack.calls("chat.postMessage") if "waited too long" in c.text]
    bot.clock.advance(timedelta(hours=23))
    follow_up_pending_requests(deps, client)

    assert early == [], "went over Omar's head an hour after he was handed it, saying it waited too long for him"
    [escalation] = [c for c in bot.slack.calls("chat.postMessage") if "waited too long" in c.text]
    assert escalation.args["channel"] == "U0ADMIN" and "waited too long for Omar Manager" in escalation.text
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "U0ADMIN"


def test_a_request_that_goes_up_while_its_manager_is_on_holiday_tells_the_requester_who_decides_now(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    for _ in range(2):  # Maya is on holiday: reminded, then it goes up to Ada
        bot.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(deps, client)

    [told] = [c for c in bot.slack.calls("chat.postMessage", channel="U0AGENT1") if "goes to" in c.text]
    assert "Your *refund of $80* has waited 2 days for Maya Manager without a decision" in told.text
    assert "so it now goes to Ada Admin to decide" in told.text

    bot.clock.advance(timedelta(days=10))  # back from holiday, Maya answers the DM she was first sent
    bot.driver.click("U0MGR1", request, "resolution_approve")
    with bot.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        assert (resolution.status, resolution.decided_by.slack_id) == ("approved", "U0MGR1")
    [escalation] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    shown = bot.slack.message(escalation.response["channel"], escalation.response["ts"])
    assert "resolution_approve" not in str(shown), "Ada still shown buttons for a request Maya decided"


def test_a_request_and_a_reward_nobody_can_take_over_from_a_manager_slack_deactivated_never_remind_them(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2> voucher_25 calmed an angry customer")
    bot.clock.advance(timedelta(hours=20))
    for user, name in [("U0ADMIN", "Ada Admin"), ("U0HR", "Hana Reyes"), ("U0MGR1", "Maya Manager")]:
        bot.slack.add_user(user, name)
    bot.driver.user_change("U0ADMIN", deleted=True)  # the only admin, and Maya's manager, left Slack
    bot.driver.user_change("U0HR", deleted=True)  # and the only HR person: nobody can take the reward over either
    bot.driver.user_change("U0MGR1", deleted=True)  # then Maya: nobody is left above Sam to take it
    before = len(bot.slack.calls("chat.postMessage", channel="U0MGR1"))

    for _ in range(3):
        bot.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(deps, client)

    assert bot.slack.calls("chat.postMessage", channel="U0MGR1")[before:] == []
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().status == "pending"


GUS_ABOVE_MAYA = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0ADMIN,Ada Admin,Operations,admin,,,Europe/London,
U0GUS,Gus Head,Support,manager,U0ADMIN,,America/New_York,
U0MGR1,Maya Manager,Support East,manager,U0GUS,,America/New_York,
U0MGR2,Omar Manager,Support West,manager,U0ADMIN,,America/Los_Angeles,
U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,,America/New_York,agent
"""
SAM_LENT_TO_OMAR = GUS_ABOVE_MAYA.replace("Support East,frontline,U0MGR1", "Support West,frontline,U0MGR2")


def test_a_request_that_went_up_and_was_lent_to_another_team_and_back_returns_to_whom_it_reached_with_buttons(
    bot: RunningBot,
) -> None:
    """Up to Gus, lent to Omar's team by mistake and back (each hand-over rewrites the copy before to say where it
    went): it comes back to Gus in a new DM with the buttons, never down to Maya, who let it wait."""
    bot.slack.add_user("U0GUS", "Gus Head")
    load_org(bot.sessions, bot.clock.now(), GUS_ABOVE_MAYA)
    add_org_people(bot.slack, GUS_ABOVE_MAYA)
    load_policy(bot.sessions, bot.clock.now())
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    for _ in range(2):
        bot.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(deps, client)
    before = len(bot.slack.calls("chat.postMessage", channel="U0MGR1"))
    for org in (SAM_LENT_TO_OMAR, GUS_ABOVE_MAYA):
        reimport(bot.sessions, bot.clock.now(), org)
        drain_outbox(deps, client)

    assert bot.slack.calls("chat.postMessage", channel="U0MGR1")[before:] == [], "back down to Maya"
    [escalation, handed_back] = bot.slack.calls("chat.postMessage", channel="U0GUS")
    assert "waited too long" in escalation.text
    latest = bot.slack.message(handed_back.response["channel"], handed_back.response["ts"])
    assert "resolution_approve" in action_ids(latest)
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "U0GUS"


def test_a_request_that_went_up_past_a_manager_on_holiday_does_not_come_back_down_to_them_when_its_decider_leaves(
    bot: RunningBot,
) -> None:
    """Maya, on holiday, let it wait: it went up to Gus. Slack deactivates Gus: it goes on up to Ada, not back to
    Maya, and Sam is told Ada decides it."""
    bot.slack.add_user("U0GUS", "Gus Head")
    load_org(bot.sessions, bot.clock.now(), GUS_ABOVE_MAYA)
    add_org_people(bot.slack, GUS_ABOVE_MAYA)
    load_policy(bot.sessions, bot.clock.now())
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    for _ in range(2):
        bot.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(deps, client)
    before = len(bot.slack.calls("chat.postMessage", channel="U0MGR1"))

    bot.driver.user_change("U0GUS", deleted=True)
    drain_outbox(deps, client)

    assert bot.slack.calls("chat.postMessage", channel="U0MGR1")[before:] == []
    [told] = [c for c in bot.slack.calls("chat.postMessage", channel="U0AGENT1") if "now waits on" in c.text]
    assert "now waits on Ada Admin" in told.text
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "U0ADMIN"


def test_a_reward_handed_over_shortly_before_its_reminder_does_not_say_it_waited_that_long_for_its_new_approver(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2> voucher_25 calmed an angry customer")
    bot.clock.advance(timedelta(hours=20))
    bot.slack.add_user("U0MGR1", "Maya Manager")
    bot.driver.user_change("U0MGR1", deleted=True)  # the day after, Maya leaves: Ada, above her, approves it now

    bot.clock.advance(timedelta(hours=4, minutes=10))
    follow_up_pending_requests(deps, client)

    [reminder] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "Reminder" in c.text]
    heading = str(reminder.args["blocks"][0])
    assert "waited for your approval for 1 day" not in heading, "Ada had it for four hours"
    assert "has waited for approval for 1 day, and came to you since." in heading


TWO_ADMINS_NOBODY_ABOVE_MAYA = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0ABE,Abe Admin,Operations,admin,,,Europe/London,
U0ADMIN,Ada Admin,Operations,admin,,,Europe/London,
U0MGR1,Maya Manager,Support East,manager,,,America/New_York,
U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,,America/New_York,agent
"""


def _sam_asks_and_it_goes_up(bot: RunningBot, org: str) -> None:
    for user, name in [("U0ABE", "Abe Admin"), ("U0ADMIN", "Ada Admin"), ("U0GUS", "Gus Head")]:
        bot.slack.add_user(user, name)
    load_org(bot.sessions, bot.clock.now(), org)
    add_org_people(bot.slack, org)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    for _ in range(2):  # Maya is reminded, then it goes up past her
        bot.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)


def _decider(bot: RunningBot) -> str:
    with bot.sessions() as session:
        decider = session.scalars(select(Resolution)).one().decider
        assert decider is not None
        return decider.slack_id


def test_a_request_that_went_up_to_the_admins_goes_to_another_admin_when_its_admin_leaves_not_back_to_the_manager(
    bot: RunningBot,
) -> None:
    """Nobody is above Maya: it went up to the admins. Slack deactivates the admin it waits on: the other admin
    decides it now, not Maya, who let it wait."""
    _sam_asks_and_it_goes_up(bot, TWO_ADMINS_NOBODY_ABOVE_MAYA)
    admins = {"U0ABE", "U0ADMIN"}
    leaving = _decider(bot)
    assert leaving in admins
    before = len(bot.slack.calls("chat.postMessage", channel="U0MGR1"))

    bot.driver.user_change(leaving, deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert bot.slack.calls("chat.postMessage", channel="U0MGR1")[before:] == [], "back down to Maya"
    assert _decider(bot) == (admins - {leaving}).pop()


def test_a_request_that_went_up_never_comes_back_down_however_many_of_its_deciders_leave(bot: RunningBot) -> None:
    """Maya let it wait: up to Gus. Gus leaves: on up to Ada. Ada leaves too: to Abe, the other admin, not back to
    Maya (the hand-over to Ada restarted the wait, and must not have forgotten that it went up)."""
    _sam_asks_and_it_goes_up(bot, GUS_ABOVE_MAYA + "U0ABE,Abe Admin,Operations,admin,,,Europe/London,\n")
    assert _decider(bot) == "U0GUS"
    before = len(bot.slack.calls("chat.postMessage", channel="U0MGR1"))

    for leaving, now_deciding in [("U0GUS", "U0ADMIN"), ("U0ADMIN", "U0ABE")]:
        bot.driver.user_change(leaving, deleted=True)
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)
        assert _decider(bot) == now_deciding

    assert bot.slack.calls("chat.postMessage", channel="U0MGR1")[before:] == [], "back down to Maya"


def test_a_request_that_goes_up_to_forty_admins_names_three_of_them_to_its_requester(bot: RunningBot) -> None:
    admins = "".join(f"U0ADM{n:02},Admin {n:02},Operations,admin,,,Europe/London,\n" for n in range(40))
    _sam_asks_and_it_goes_up(bot, TWO_ADMINS_NOBODY_ABOVE_MAYA + admins)

    [told] = [c for c in bot.slack.calls("chat.postMessage", channel="U0AGENT1") if "goes to" in c.text]
    assert "so it now goes to Abe Admin, Ada Admin, Admin 00 or one of 39 other admins to decide" in told.text
    assert "Admin 01" not in told.text
