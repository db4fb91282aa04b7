"""Which of the DMs that asked a marked decider to decide go again once Slack shows it knows them: a hand-over's or
an escalation's as much as a request's, and of several to them only the last, never a reminder."""

from datetime import timedelta

from handlers.blocks.summaries import SUMMARY_OVER
from tests.conftest import RunningBot
from tests.e2e.test_home_again_sending import queue_homes_again
from tests.e2e.test_people_leaving import reimport
from tests.e2e.test_unknown_deciders import (
    MANAGER_MISTYPED,
    ORG,
    OVER_THE_LIMIT,
    TYPO,
    drain,
    manager_marked,
)
from tests.e2e.test_unknown_deciders_found import BUTTONS, follow_up, maya_opens_her_home
from tests.e2e.test_unknown_ids import remembered
from tests.helpers import load_org, load_policy
from tests.rewards_helpers import load_policy_text

SAM_UNDER_OMAR = MANAGER_MISTYPED.replace("frontline,U0MGRTYPO,sam@", "frontline,U0MGR2,sam@")
LEE_UNDER_OMAR = MANAGER_MISTYPED.replace("frontline,U0MGRTYPO,lee@", "frontline,U0MGR2,lee@")
ADA = "U0ADMTYPO"
BO = "U0BOTYPO"
WITH_BO = ORG.rstrip("\n") + f"\n{BO},Bo Admin,Operations,admin,,bo@example.com,Europe/London,\n"
BO_FRONTLINE = WITH_BO.replace(f"{BO},Bo Admin,Operations,admin", f"{BO},Bo Admin,Operations,frontline")
NOMINATION = "<@U0AGENT2|lee.senior> voucher_25 talked a customer out of cancelling"


def handed_back_to_maya(bot: RunningBot, org_between: str) -> None:
    """An import hands what waits on Maya to Omar, the next hands it back; her id stays marked all along."""
    for org in (org_between, MANAGER_MISTYPED):
        reimport(bot.sessions, bot.clock.now(), org)
        queue_homes_again(bot, TYPO)
        drain(bot)
    assert remembered(bot)[-1] == TYPO


def test_a_request_handed_to_a_marked_manager_after_asking_them_goes_again_once(bot: RunningBot) -> None:
    manager_marked(bot)
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)  # asks Maya: withheld
    handed_back_to_maya(bot, SAM_UNDER_OMAR)  # the hand-over back to her: withheld too

    maya_opens_her_home(bot)

    [asked] = bot.slack.messages_to(TYPO)
    assert "refund of $80" in asked.text and "now waits on you" in asked.text, "the last DM that asked her"
    assert BUTTONS in str(asked.args["blocks"])


def test_a_nomination_handed_over_to_a_marked_approver_goes_again_without_its_reminder(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), LEE_UNDER_OMAR)
    load_policy_text(bot.sessions, bot.clock.now())
    queue_homes_again(bot, TYPO)
    drain(bot)
    bot.driver.command("U0AGENT1", "/nominate", NOMINATION)  # Omar approves Lee's rewards
    handed_back_to_maya(bot, LEE_UNDER_OMAR)
    follow_up(bot)  # its reminder to Maya, withheld

    maya_opens_her_home(bot)

    [asked] = bot.slack.messages_to(TYPO)
    assert "reward_approve" in str(asked.args["blocks"]) and "Reminder" not in asked.text, asked.text


def test_a_request_escalated_to_a_marked_admin_goes_again_to_them(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), ORG.replace("U0ADMIN", ADA))
    load_policy(bot.sessions, bot.clock.now())
    queue_homes_again(bot, ADA)
    drain(bot)
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)
    drain(bot)
    follow_up(bot)  # Maya's reminder
    follow_up(bot)  # it goes up to Ada: withheld
    assert bot.slack.messages_to(ADA) == []

    assert all(f"{ADA} is nobody the workspace knows" in said for said in bot.slack.violations)
    bot.slack.violations.clear()
    bot.slack.add_user(ADA, "Ada Admin")
    bot.clock.advance(timedelta(hours=1))
    assert bot.driver.open_home(ADA).status == 200
    drain(bot)

    [asked] = [c for c in bot.slack.messages_to(ADA) if BUTTONS in str(c.args.get("blocks"))]
    assert "waited too long for Maya" in asked.text


def demoted_while_marked(bot: RunningBot, marked: str, command: tuple[str, str, str], org: str) -> None:
    """Ada and Bo, whose id `marked` is mistyped, are the admins; what `command` asks waits on Bo, whom an import
    then makes frontline with nobody else to take it; Slack then shows it knows them (they open their Home)."""
    load_org(bot.sessions, bot.clock.now(), WITH_BO)
    load_policy_text(bot.sessions, bot.clock.now())
    queue_homes_again(bot, marked)
    drain(bot)
    bot.driver.command(*command)
    reimport(bot.sessions, bot.clock.now(), org)
    queue_homes_again(bot, marked)
    drain(bot)
    assert remembered(bot)[-1] == marked

    assert all(f"{marked} is nobody the workspace knows" in said for said in bot.slack.violations)
    bot.slack.violations.clear()
    bot.slack.add_user(marked, "Bo Admin")
    bot.clock.advance(timedelta(hours=1))
    assert bot.driver.open_home(marked).status == 200
    drain(bot)


def test_a_request_its_marked_decider_may_no_longer_decide_is_not_sent_them(bot: RunningBot) -> None:
    demoted_while_marked(bot, BO, ("U0ADMIN", "/resolve", "refund 6000 order 42 warehouse fire"), BO_FRONTLINE)
    assert bot.slack.messages_to(BO) == []


def test_a_nomination_its_marked_approver_may_no_longer_approve_is_not_sent_them(bot: RunningBot) -> None:
    nominating_ada = ("U0AGENT1", "/nominate", "<@U0ADMIN|ada> voucher_25 covered every shift in the storm")
    demoted_while_marked(bot, BO, nominating_ada, BO_FRONTLINE)
    assert bot.slack.messages_to(BO) == []


def handed_to_marked_maya_in_one_summary(bot: RunningBot) -> None:
    """Sam's requests, waiting on Omar, are all handed to Maya at once by an import giving her a mistyped id: the one
    summary that tells her of them is withheld."""
    load_org(bot.sessions, bot.clock.now(), SAM_UNDER_OMAR)
    load_policy(bot.sessions, bot.clock.now())
    queue_homes_again(bot, TYPO)
    drain(bot)
    for n in range(SUMMARY_OVER + 1):
        bot.driver.command("U0AGENT1", "/resolve", f"refund 80 order {n + 1} parcel lost in transit")
    reimport(bot.sessions, bot.clock.now(), MANAGER_MISTYPED)  # all handed to Maya at once: in one summary, withheld
    queue_homes_again(bot, TYPO)
    drain(bot)
    assert remembered(bot)[-1] == TYPO


def test_requests_handed_to_a_marked_manager_in_a_summary_go_again_as_one_summary(bot: RunningBot) -> None:
    handed_to_marked_maya_in_one_summary(bot)

    maya_opens_her_home(bot)

    [summary] = bot.slack.messages_to(TYPO)
    assert (
        f"{SUMMARY_OVER + 1} requests sent while Latitude could not reach you wait for your decision" in summary.text
    ), summary.text
