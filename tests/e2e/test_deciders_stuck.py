"""What waits on someone an org import demoted or moved: handed to whoever may still decide it (back down the
requester's chain, when nothing above is left), else stuck with them; then never offered to them again (reminders, the
weekly digest), and a click of theirs on it, once decided by someone else, says only that it was decided.

Bo is an admin; Ada the other admin, whom an import makes frontline.
"""

from datetime import timedelta

from sqlalchemy import select

from bot.cli.org import describe_report
from bot.fakeslack import Call
from handlers.blocks.digest import as_text
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Nomination, Resolution
from tests.conftest import RunningBot
from tests.e2e.test_deciders_demoted import ADA_FRONTLINE, BO_FRONTLINE, WITH_BO, ada_and_bo_admins
from tests.e2e.test_home_latest import buttons_of
from tests.e2e.test_people_leaving import reimport
from tests.helpers import load_org, load_policy

MAYA_ON_TOP = WITH_BO.replace("Support East,manager,U0ADMIN,", "Support East,manager,,")
BO_UNDER_MAYA = MAYA_ON_TOP.replace("U0BO,Bo Admin,Operations,admin,,", "U0BO,Bo Admin,Operations,admin,U0MGR1,")
"""Bo, an admin, reports to Maya, who has no manager."""
BO_UNDER_MAYA_ADA_FRONTLINE = BO_UNDER_MAYA.replace(
    "U0ADMIN,Ada Admin,Operations,admin", "U0ADMIN,Ada Admin,Operations,frontline"
)
WITH_BO_UNDER_MAYA = WITH_BO.replace("U0BO,Bo Admin,Operations,admin,,", "U0BO,Bo Admin,Operations,admin,U0MGR1,")
ADA_FRONTLINE_BO_UNDER_OMAR = ADA_FRONTLINE.replace(
    "U0BO,Bo Admin,Operations,admin,,", "U0BO,Bo Admin,Operations,admin,U0MGR2,"
).replace("Support West,manager,U0ADMIN,", "Support West,manager,,")
"""Bo reports to Omar, who has no manager (Ada is not above Bo)."""


def decider_of(bot: RunningBot) -> str:
    with bot.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        assert resolution.status == "pending" and resolution.decider is not None
        return resolution.decider.slack_id


def until_it_goes_up(bot: RunningBot, to: str) -> None:
    """Ticks an hour apart (a decider's night holds a step) until the request waits on `to`."""
    deps, client = bot.runtime.deps, bot.runtime.app.client
    for _hour in range(96):
        bot.clock.advance(timedelta(hours=1))
        follow_up_pending_requests(deps, client)
        if decider_of(bot) == to:
            return
    raise AssertionError(f"it never went up to {to}")


def test_a_request_gone_up_to_an_admin_made_frontline_goes_back_to_the_requesters_manager(bot: RunningBot) -> None:
    bot.slack.add_user("U0BO", "Bo Admin")
    load_org(bot.sessions, bot.clock.now(), BO_UNDER_MAYA)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0BO", "/resolve", "refund 6000 order 42 warehouse fire")
    assert decider_of(bot) == "U0MGR1"
    until_it_goes_up(bot, "U0ADMIN")
    told_before = len(bot.slack.calls("chat.postMessage", channel="U0MGR1"))

    report = reimport(bot.sessions, bot.clock.now(), BO_UNDER_MAYA_ADA_FRONTLINE)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert decider_of(bot) == "U0MGR1", "Maya, Bo's manager, may decide it: it waits on her, not on Ada"
    assert [(h.previous.slack_id if h.previous else None, h.current.slack_id) for h in report.handovers] == [
        ("U0ADMIN", "U0MGR1")
    ]
    assert report.stuck == [] and "still waits on" not in describe_report(report), describe_report(report)
    told = bot.slack.calls("chat.postMessage", channel="U0MGR1")[told_before:]
    assert [call for call in told if "Bo Admin" in call.text], "Maya is told it is hers to decide"


def stuck_with_maya(bot: RunningBot) -> Call:
    """Bo's refund waits on Maya, his manager; an import gives Bo no manager and makes Ada frontline: nobody else may
    decide it. Maya's DM of it."""
    bot.slack.add_user("U0BO", "Bo Admin")
    load_org(bot.sessions, bot.clock.now(), WITH_BO_UNDER_MAYA)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0BO", "/resolve", "refund 6000 order 42 warehouse fire")
    [request] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR1") if "Bo Admin" in c.text]
    report = reimport(bot.sessions, bot.clock.now(), ADA_FRONTLINE)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert [line for line in describe_report(report).splitlines() if "still waits on Maya Manager" in line]
    return request


def test_a_manager_moved_away_is_told_they_are_no_longer_above_the_requester(bot: RunningBot) -> None:
    request = stuck_with_maya(bot)

    bot.driver.click("U0MGR1", request, "resolution_approve")

    refused = bot.slack.calls("response_url")[-1].text
    assert "makes you neither an admin nor a manager above Bo Admin" in refused, refused
    assert "no longer makes you an admin" not in refused, "Maya never was one"
    assert decider_of(bot) == "U0MGR1"


def test_a_manager_moved_away_finds_no_longer_in_their_digest_what_they_may_no_longer_decide(bot: RunningBot) -> None:
    stuck_with_maya(bot)
    bot.driver.open_home("U0MGR1")
    home = bot.slack.state.home_view("U0MGR1") or {}
    assert "Bo Admin" not in as_text(home.get("blocks") or []), "left out of her Home"

    bot.driver.command("U0MGR1", "/digest")

    blocks = bot.slack.calls("response_url")[-1].args.get("blocks") or []
    assert "Bo Admin" not in as_text(blocks), "not hers to decide: left out, as on her Home"
    assert not [button for button in buttons_of({"blocks": blocks}) if button[0].startswith("resolution_")]


def test_a_manager_moved_away_is_not_reminded_of_what_they_may_no_longer_decide(bot: RunningBot) -> None:
    stuck_with_maya(bot)
    posted_before = len(bot.slack.calls("chat.postMessage", channel="U0MGR1"))

    for _hour in range(60):
        bot.clock.advance(timedelta(hours=1))
        follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)

    later = bot.slack.calls("chat.postMessage", channel="U0MGR1")[posted_before:]
    assert not [call for call in later if "Bo Admin" in call.text], [call.text for call in later]
    assert decider_of(bot) == "U0MGR1"


def test_an_approver_made_frontline_is_not_reminded_of_a_reward_they_may_no_longer_approve(bot: RunningBot) -> None:
    ada_and_bo_admins(bot)
    bot.driver.command("U0AGENT1", "/nominate", "<@U0ADMIN|ada> voucher_25 covered every shift in the storm")
    reimport(bot.sessions, bot.clock.now(), BO_FRONTLINE)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    posted_before = len(bot.slack.calls("chat.postMessage", channel="U0BO"))

    for _hour in range(60):
        bot.clock.advance(timedelta(hours=1))
        follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)

    later = bot.slack.calls("chat.postMessage", channel="U0BO")[posted_before:]
    assert not [call for call in later if "Reminder" in call.text], [call.text for call in later]
    with bot.sessions() as session:
        nomination = session.scalars(select(Nomination)).one()
        assert (nomination.status, nomination.approver.slack_id) == ("pending", "U0BO")


def test_a_click_by_the_one_it_was_stuck_with_after_another_decided_says_it_was_decided(bot: RunningBot) -> None:
    """Ada clicks in her DM as it showed while the refund was stuck with her; meanwhile an import named Omar as Bo's
    manager, and Omar approved it."""
    ada_and_bo_admins(bot)
    bot.driver.command("U0BO", "/resolve", "refund 6000 order 42 warehouse fire")
    [request] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    reimport(bot.sessions, bot.clock.now(), ADA_FRONTLINE)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    adas_click = bot.driver.click_payload("U0ADMIN", request, "resolution_approve")

    reimport(bot.sessions, bot.clock.now(), ADA_FRONTLINE_BO_UNDER_OMAR)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [omars] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR2") if "Bo Admin" in c.text]
    bot.driver.click("U0MGR2", omars, "resolution_approve")
    bot.driver.send_click(adas_click)

    said = bot.slack.calls("response_url")[-1].text
    assert "already decided" in said and "Nothing changed" in said, said
    assert "Omar" not in said and "approved" not in said, "how, and by whom, is for those who may decide it"
    with bot.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        assert (resolution.status, resolution.decided_by.slack_id) == ("approved", "U0MGR2")
