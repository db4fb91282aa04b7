"""A tangible reward its approver let wait (a manager on two weeks' holiday) goes one level up, as a request does:
after twice the policy's wait, and at least once after the reminder. The nominator hears who decides now, the old
approver's copies say where it went, and whoever decides now gets the full wait before it goes up from them."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.fakeslack import Call
from handlers.blocks import nominations as blocks
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Nomination
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_decider_away import GUS_ABOVE_MAYA
from tests.e2e.test_people_leaving import WITHOUT_MAYA, reimport
from tests.e2e.test_rewards_approval import LEE, WHY, action_ids, request_to
from tests.helpers import add_org_people, load_org, load_policy
from tests.rewards_helpers import grants, set_up

ORG_CSV = (FIXTURES / "org.csv").read_text()
WENT_UP = "waited too long"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    return bot


def tick_after(bot: RunningBot, hours: float) -> None:
    bot.clock.advance(timedelta(hours=hours))
    follow_up_pending_requests(bot.runtime.deps, bot.runtime.sender_client)


def gone_up_to(bot: RunningBot, slack_id: str) -> list[Call]:
    return [call for call in bot.slack.messages_to(slack_id) if WENT_UP in str(call.args.get("blocks"))]


def told_who_decides(bot: RunningBot, nominator: str) -> list[str]:
    return [call.text for call in bot.slack.messages_to(nominator) if "so it now goes to" in call.text]


def approver_of_the_nomination(bot: RunningBot) -> str:
    with bot.sessions() as session:
        nomination = session.scalars(select(Nomination)).one()
        assert nomination.status == "pending"
        return nomination.approver.slack_id if nomination.approver else ""


def test_a_nomination_its_approver_let_wait_goes_one_level_up_once_after_twice_the_wait(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    first = request_to(ready, "U0MGR1")
    tick_after(ready, 24.1)  # Maya, on holiday, is reminded
    tick_after(ready, 23.5)
    too_soon = gone_up_to(ready, "U0ADMIN")
    back_from_holiday = ready.driver.click_payload("U0MGR1", first, blocks.APPROVE)
    tick_after(ready, 0.5)
    for _ in range(4):  # later ticks, twice at the same moment: nobody hears it twice
        follow_up_pending_requests(ready.runtime.deps, ready.runtime.sender_client)
        tick_after(ready, 25)

    assert too_soon == [], "went over Maya's head before twice the wait"
    [went_up] = gone_up_to(ready, "U0ADMIN")
    assert "This nomination has waited too long for Maya Manager, so it comes to you" in str(went_up.args["blocks"])
    assert action_ids(ready.slack.message(went_up.response["channel"], went_up.response["ts"])) == [
        blocks.APPROVE,
        blocks.DECLINE,
    ]
    [told] = told_who_decides(ready, "U0AGENT1")
    assert "has waited 2 days for Maya Manager without a decision, so it now goes to Ada Admin to approve" in told
    reminder = next(call for call in ready.slack.messages_to("U0MGR1") if "Reminder" in call.text)
    for copy in (first, reminder):
        shown = ready.slack.message(copy.response["channel"], copy.response["ts"])
        assert action_ids(shown) == [] and "now waits on *Ada Admin*" in str(shown)

    ready.driver.send_click(back_from_holiday)  # clicked on a screen the update had not reached
    [refused] = ready.slack.calls("response_url")
    assert "This nomination waits on Ada Admin: only they can approve or decline it now" in refused.args["text"]
    ready.driver.click("U0ADMIN", went_up, blocks.APPROVE)
    with ready.sessions() as session:
        [grant] = grants(session)
        assert grant.approver is not None and grant.approver.slack_id == "U0ADMIN"


def test_after_a_late_reminder_the_approver_still_gets_the_full_wait_before_it_goes_up(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    tick_after(ready, 40)  # the scheduler was down: the reminder goes 16 hours late
    tick_after(ready, 23)
    too_soon = gone_up_to(ready, "U0ADMIN")
    tick_after(ready, 1.1)

    assert too_soon == [] and len(gone_up_to(ready, "U0ADMIN")) == 1


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_a_nomination_decided_after_its_reminder_never_goes_up(ready: RunningBot, decision: str) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    ready.driver.command("U0AGENT3", "/nominate", f"{LEE} voucher_25 covered my shift")
    sams, _ines = ready.slack.messages_to("U0MGR1")
    tick_after(ready, 25)
    if decision == "approve":
        ready.driver.click("U0MGR1", sams, blocks.APPROVE)
    else:
        ready.driver.click("U0MGR1", sams, blocks.DECLINE)
        [opened] = ready.slack.calls("views.open")
        ready.driver.submit("U0MGR1", opened.args["view"], {WHY: "A shout-out fits better"})
    for _ in range(3):
        tick_after(ready, 25)

    [went_up] = gone_up_to(ready, "U0ADMIN")
    assert "covered my shift" in str(went_up.args["blocks"])
    assert told_who_decides(ready, "U0AGENT1") == [] and len(told_who_decides(ready, "U0AGENT3")) == 1
    with ready.sessions() as session:
        sam_s = session.scalars(select(Nomination).where(Nomination.reason == "saved a key account")).one()
        assert sam_s.status == ("approved" if decision == "approve" else "declined")
        assert sam_s.approver is not None and sam_s.approver.slack_id == "U0MGR1"


@pytest.mark.parametrize(
    ("org", "new_approver", "next_up"),
    [
        # HR lends Maya's team to Omar while she is on leave (she stays in the directory)
        (ORG_CSV.replace("Support East,frontline,U0MGR1", "Support East,frontline,U0MGR2"), "U0MGR2", "U0ADMIN"),
        (WITHOUT_MAYA, "U0ADMIN", "U0HR"),  # Maya leaves: her team reports to Ada, above whom is nobody but HR
    ],
)
def test_a_nomination_handed_over_after_its_reminder_gives_the_new_approver_the_full_wait(
    ready: RunningBot, org: str, new_approver: str, next_up: str
) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    tick_after(ready, 24.1)  # Maya is reminded
    ready.clock.advance(timedelta(hours=16))
    reimport(ready.sessions, ready.clock.now(), org)
    tick_after(ready, 0.1)
    handed = approver_of_the_nomination(ready)

    tick_after(ready, 10)  # two days since it was made, but only ten hours since it was handed over
    too_soon = gone_up_to(ready, next_up)
    tick_after(ready, 14)

    assert handed == new_approver and too_soon == [], "went over the new approver's head soon after they got it"
    assert len(gone_up_to(ready, next_up)) == 1
    assert approver_of_the_nomination(ready) == next_up
    [told] = told_who_decides(ready, "U0AGENT1")
    assert "without a decision, so it now goes to" in told and "Maya Manager" not in told


def test_a_nomination_an_approver_at_the_top_let_wait_goes_to_hr_or_the_other_admins(ready: RunningBot) -> None:
    no_hr_two_admins = "\n".join(
        [
            *(line for line in ORG_CSV.splitlines() if not line.startswith("U0HR,")),
            "U0ADMIN2,Alex Admin,Operations,admin,,alex@example.com,Europe/London,",
        ]
    )
    reimport(ready.sessions, ready.clock.now(), no_hr_two_admins)
    ready.slack.add_user("U0ADMIN2", "Alex Admin")
    ready.driver.command("U0AGENT1", "/nominate", "<@U0MGR1|maya> voucher_25 covered the whole weekend")
    assert approver_of_the_nomination(ready) == "U0ADMIN"  # Maya's manager
    tick_after(ready, 24.1)
    tick_after(ready, 24)

    assert len(gone_up_to(ready, "U0ADMIN2")) == 1
    assert approver_of_the_nomination(ready) == "U0ADMIN2"
    [told] = told_who_decides(ready, "U0AGENT1")
    assert "for Ada Admin without a decision, so it now goes to Alex Admin to approve" in told


def test_a_nomination_never_goes_up_to_its_nominator_or_nominee(ready: RunningBot) -> None:
    hana_on_her_own = ORG_CSV.replace("U0HR,Hana Reyes,People,hr,U0ADMIN", "U0HR,Hana Reyes,People,hr,")
    reimport(ready.sessions, ready.clock.now(), hana_on_her_own)
    # Ada nominates Lee: above Maya is Ada herself, so it goes to HR
    ready.driver.command("U0ADMIN", "/nominate", f"{LEE} voucher_25 saved a key account")
    # Ada, the only admin, is nominated: Hana approves it, and above Hana is nobody but Ada
    ready.driver.command("U0AGENT1", "/nominate", "<@U0ADMIN|ada> voucher_25 stayed late to fix the queue")
    assert request_to(ready, "U0MGR1") and request_to(ready, "U0HR")
    tick_after(ready, 24.1)
    tick_after(ready, 24)

    with ready.sessions() as session:
        approvers = {n.nominee.slack_id: n.approver.slack_id for n in session.scalars(select(Nomination)) if n.approver}
    assert approvers == {"U0AGENT2": "U0HR", "U0ADMIN": "U0HR"}
    assert len(gone_up_to(ready, "U0HR")) == 1, "Lee's went up to Hana; Ada's stays with her"
    assert gone_up_to(ready, "U0ADMIN") == [], "Ada was asked to approve a reward she gave or received"
    assert told_who_decides(ready, "U0AGENT1") == [] and len(told_who_decides(ready, "U0ADMIN")) == 1


def test_a_nomination_that_went_up_past_an_approver_on_holiday_does_not_come_back_down_when_its_approver_leaves(
    bot: RunningBot,
) -> None:
    """Maya, on holiday, let Omar's nomination of Sam wait: it went up to Gus. Slack deactivates Gus: it goes on up
    to Ada, not back to Maya."""
    bot.slack.add_user("U0GUS", "Gus Head")
    load_org(bot.sessions, bot.clock.now(), GUS_ABOVE_MAYA)
    add_org_people(bot.slack, GUS_ABOVE_MAYA)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0MGR2", "/nominate", "<@U0AGENT1|sam> voucher_25 took the escalations queue")
    tick_after(bot, 24.1)
    tick_after(bot, 24)
    went_to_gus = approver_of_the_nomination(bot)

    bot.driver.user_change("U0GUS", deleted=True)
    tick_after(bot, 0.1)

    assert went_to_gus == "U0GUS" and approver_of_the_nomination(bot) == "U0ADMIN"
    assert any(blocks.APPROVE in str(call.args.get("blocks")) for call in bot.slack.messages_to("U0ADMIN"))
    asked_maya = [call for call in bot.slack.messages_to("U0MGR1") if call.method == "chat.postMessage"]
    assert len(asked_maya) == 2, "Maya was asked again: her request and her reminder only"


PEOPLE = [("U0GUS", "Gus Head"), ("U0ADMIN", "Ada Admin"), ("U0ABE", "Abe Admin")]


def _omar_nominates_sam_and_maya_lets_it_wait(bot: RunningBot, org: str, people: list[tuple[str, str]]) -> str:
    """Omar nominates Sam; Maya, Sam's manager, is reminded and lets it wait: it goes one level up. Who has it now."""
    for user, name in people:
        bot.slack.add_user(user, name)
    load_org(bot.sessions, bot.clock.now(), org)
    add_org_people(bot.slack, org)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0MGR2", "/nominate", "<@U0AGENT1|sam> voucher_25 took the escalations queue")
    tick_after(bot, 24.1)
    tick_after(bot, 24)
    return approver_of_the_nomination(bot)


def _asked_maya(bot: RunningBot) -> list[Call]:
    return [call for call in bot.slack.messages_to("U0MGR1") if call.method == "chat.postMessage"]


def test_a_nomination_that_went_up_never_comes_back_down_however_many_of_its_approvers_leave(bot: RunningBot) -> None:
    """Maya let it wait: up to Gus. Gus leaves: on up to Ada. Ada leaves too: to Abe, the other admin, not back to
    Maya (the hand-over to Ada restarted the wait, and must not have forgotten that it went up)."""
    org = GUS_ABOVE_MAYA + "U0ABE,Abe Admin,Operations,admin,,,Europe/London,\n"
    went_up_to = _omar_nominates_sam_and_maya_lets_it_wait(bot, org, PEOPLE)
    assert went_up_to == "U0GUS" and len(_asked_maya(bot)) == 2  # her request and her reminder

    for leaving, now_approving in [("U0GUS", "U0ADMIN"), ("U0ADMIN", "U0ABE")]:
        bot.driver.user_change(leaving, deleted=True)
        tick_after(bot, 0.1)
        assert approver_of_the_nomination(bot) == now_approving

    assert len(_asked_maya(bot)) == 2, "back down to Maya, who let it wait"


HR_NOBODY_ABOVE_MAYA = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0ADMIN,Ada Admin,Operations,admin,,,Europe/London,
U0HAL,Hal Hughes,People,hr,,,Europe/London,
U0HR,Hana Reyes,People,hr,,,Europe/London,
U0MGR1,Maya Manager,Support East,manager,,,America/New_York,
U0MGR2,Omar Manager,Support West,manager,U0ADMIN,,America/Los_Angeles,
U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,,America/New_York,agent
"""


def test_a_nomination_that_went_up_to_hr_goes_to_hr_or_an_admin_when_they_leave_never_back_to_the_manager(
    bot: RunningBot,
) -> None:
    """Nobody is above Maya: it went up to HR (Hal). Hal leaves: Hana, the other HR person, approves it. Hana leaves
    too: Ada, the admin, not Maya, who let it wait."""
    people = [("U0HAL", "Hal Hughes"), ("U0HR", "Hana Reyes"), *PEOPLE]
    went_up_to = _omar_nominates_sam_and_maya_lets_it_wait(bot, HR_NOBODY_ABOVE_MAYA, people)
    assert went_up_to == "U0HAL" and len(_asked_maya(bot)) == 2

    for leaving, now_approving in [("U0HAL", "U0HR"), ("U0HR", "U0ADMIN")]:
        bot.driver.user_change(leaving, deleted=True)
        tick_after(bot, 0.1)
        assert approver_of_the_nomination(bot) == now_approving

    assert len(_asked_maya(bot)) == 2, "back down to Maya, who let it wait"


def test_a_nomination_that_went_up_goes_back_to_who_let_it_wait_rather_than_wait_on_someone_who_left(
    bot: RunningBot,
) -> None:
    """Up to Hal, then Hana when Hal leaves; Hana leaves too and nobody else may approve it: back to Maya, who let it
    wait, rather than wait on someone who left with nobody told."""
    org = "\n".join(line for line in HR_NOBODY_ABOVE_MAYA.splitlines() if not line.startswith("U0ADMIN,"))
    org = org.replace("manager,U0ADMIN,", "manager,,") + "\n"
    went_up_to = _omar_nominates_sam_and_maya_lets_it_wait(bot, org, [("U0HAL", "Hal Hughes"), ("U0HR", "Hana Reyes")])
    assert went_up_to == "U0HAL"

    for leaving in ("U0HAL", "U0HR"):
        bot.driver.user_change(leaving, deleted=True)
        tick_after(bot, 0.1)

    assert approver_of_the_nomination(bot) == "U0MGR1" and len(_asked_maya(bot)) == 3
