"""Many reward nominations handed to one person at once come in one summary DM, as many requests do, and wait on their
App Home with their buttons and how many more there are; a handful still come one DM each."""

from datetime import timedelta

from sqlalchemy import select

from handlers.blocks import nominations as blocks
from handlers.blocks import rewards as reward_blocks
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Nomination
from tests.conftest import RunningBot
from tests.e2e.test_config_cache import statements
from tests.e2e.test_handover_summary import admins_home, requests_to_maya, summary_now
from tests.e2e.test_people_leaving import WITHOUT_MAYA, reimport
from tests.e2e.test_rewards_approval import LEE
from tests.helpers import load_org_and_policy

NOMINATORS = ("U0AGENT1", "U0AGENT3", "U0MGR2", "U0HR")
"""Colleagues who may nominate Lee, five a month each (policy.example.toml)."""


def nominations_to_maya(bot: RunningBot, count: int, *, first_waits: timedelta = timedelta(0)) -> None:
    """`count` Service Star nominations of Lee, waiting on Maya's approval; the first made `first_waits` earlier."""
    for n in range(count):
        nominator = NOMINATORS[n // 5]
        reply = bot.driver.command(nominator, "/nominate", f"{LEE} service_star saved key account number {n + 1}")
        assert "waiting for approval by Maya Manager" in reply.text, reply.text
        if n == 0:
            bot.clock.advance(first_waits)


def statuses(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        return sorted(nomination.status for nomination in session.scalars(select(Nomination)))


def approvers(bot: RunningBot) -> set[str]:
    with bot.sessions() as session:
        pending = session.scalars(select(Nomination).where(Nomination.status == "pending"))
        return {nomination.approver.slack_id for nomination in pending if nomination.approver}


def test_many_nominations_of_a_manager_who_left_come_in_one_dm_and_wait_on_the_home_with_a_count_of_the_rest(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominations_to_maya(bot, 13, first_waits=timedelta(days=2))
    maya_copies = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert approvers(bot) == {"U0ADMIN"}
    [summary] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert summary.args["text"] == "13 reward nominations now wait for your decision; the oldest has waited 2 days"
    assert "*Maya Manager left: 13 reward nominations now wait" in summary.text
    assert blocks.APPROVE not in str(summary.args["blocks"])
    updated = {c.args["ts"] for c in bot.slack.calls("chat.update", channel=maya_copies[0].response["channel"])}
    assert updated == {copy.response["ts"] for copy in maya_copies}  # every old copy says where it went
    told = [c for c in bot.slack.calls("chat.postMessage") if "now waits for approval by Ada Admin" in c.text]
    assert len(told) == 13  # each nominator hears of each, as before
    bot.driver.open_home("U0ADMIN")
    [home] = bot.slack.calls("views.publish")
    assert "*Reward nominations waiting for your approval* (13)" in home.text
    assert "saved key account number 1" in home.text and "saved key account number 11" not in home.text
    assert "…and 3 more: the oldest come first" in home.text

    bot.driver.click_in_view("U0ADMIN", home.args["view"], blocks.APPROVE)

    assert statuses(bot).count("approved") == 1
    again = bot.slack.calls("views.publish")[-1]
    assert "*Reward nominations waiting for your approval* (12)" in again.text
    assert "saved key account number 11" in again.text  # the next one comes up
    assert bot.slack.violations == []


def test_a_nomination_declined_from_the_home_asks_why_then_shows_the_home_again(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominations_to_maya(bot, 6)
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    bot.driver.open_home("U0ADMIN")
    [home] = bot.slack.calls("views.publish")

    bot.driver.click_in_view("U0ADMIN", home.args["view"], blocks.DECLINE)
    [opened] = bot.slack.calls("views.open")
    form = str(opened.args["view"]["blocks"])  # the form covers a list of look-alikes: it says which one it declines
    assert "nominated *Lee Senior* for *Service Star*" in form and "Sam Agent" in form
    on_the_phone = bot.driver.view_click_payload("U0ADMIN", home.args["view"], blocks.APPROVE)  # the same one
    bot.driver.submit("U0ADMIN", opened.args["view"], {reward_blocks.DECISION_REASON: "A shout-out fits better"})

    assert statuses(bot).count("declined") == 1
    assert "*Reward nominations waiting for your approval* (5)" in bot.slack.calls("views.publish")[-1].text
    assert any("A shout-out fits better" in c.text for c in bot.slack.messages_to("U0AGENT1"))
    bot.driver.send_click(on_the_phone)  # clicked in the Home there before it was published again
    assert ":warning: This nomination was already declined" in bot.slack.calls("views.publish")[-1].text
    assert statuses(bot).count("declined") == 1 and "approved" not in statuses(bot)
    assert bot.slack.violations == []


def test_a_nomination_decline_from_the_home_whose_form_could_not_open_says_so_in_a_dm(bot: RunningBot) -> None:
    """A click in the Home has no response URL: a form Slack would not open is told as a DM, as for requests."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominations_to_maya(bot, 1)
    bot.driver.open_home("U0MGR1")
    [home] = bot.slack.calls("views.publish", user_id="U0MGR1")
    bot.slack.fail("views.open", error="expired_trigger_id")

    bot.driver.click_in_view("U0MGR1", home.args["view"], blocks.DECLINE)

    [told] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR1") if "try again" in c.text]
    assert "took longer than Slack allows for opening a form" in told.text
    assert statuses(bot) == ["pending"]


def test_requests_and_nominations_handed_over_at_once_come_in_one_summary(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 6)
    nominations_to_maya(bot, 6)

    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    [summary] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert summary.args["text"].startswith("6 requests and 6 reward nominations now wait for your decision")


def test_a_handful_of_nominations_handed_over_still_come_one_dm_each_with_the_buttons(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominations_to_maya(bot, 5)

    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    dms = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert len(dms) == 5
    assert all(blocks.APPROVE in str(dm.args["blocks"]) for dm in dms)


def test_nominations_summarized_are_not_reminded_one_dm_each_within_the_hour_after_their_summary(
    bot: RunningBot,
) -> None:
    """The summary stands for each one's reminder: the flood it spared would otherwise come at the next tick."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominations_to_maya(bot, 8)
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.clock.advance(timedelta(days=3))
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(deps, client)

    bot.clock.advance(timedelta(minutes=61))
    follow_up_pending_requests(deps, client)
    drain_outbox(deps, client)

    assert len(bot.slack.calls("chat.postMessage", channel="U0ADMIN")) == 1, "the summary alone"


def test_the_home_reads_the_nominations_waiting_in_one_statement_however_many(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominations_to_maya(bot, 13)
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    bot.driver.open_home("U0ADMIN")  # the caller known to this process, as on any later visit

    with statements(bot.runtime.engine) as seen:
        bot.driver.open_home("U0ADMIN")

    assert len([s for s in seen if "FROM nominations" in s and "approver_id" in s]) == 1, seen


def summary_to_ada(bot: RunningBot) -> str:
    """The ts of the one summary Ada Admin was sent of what Maya left."""
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [summary] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    return str(summary.response["ts"])


def test_a_nomination_approved_from_the_home_is_counted_by_the_summary_that_told_of_it_with_requests(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 6)
    nominations_to_maya(bot, 6)
    summary_ts = summary_to_ada(bot)

    bot.driver.open_home("U0ADMIN")
    bot.driver.click_in_view("U0ADMIN", bot.slack.calls("views.publish")[-1].args["view"], blocks.APPROVE)

    said = summary_now(bot, summary_ts)
    assert statuses(bot).count("approved") == 1
    assert "All 6 requests and 5 of the 6 reward nominations handed to you at once still wait for your decision" in said
    assert "Home tab lists what waits for your decision" in said
    assert "latitude_" not in str(bot.slack.calls("chat.postMessage", channel="U0ADMIN")[0].args)  # its notes stay
    assert bot.slack.violations == []


def test_a_mixed_summary_says_none_waits_once_its_requests_and_nominations_are_all_decided(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 6)
    nominations_to_maya(bot, 6)
    summary_ts = summary_to_ada(bot)

    said: list[str] = []
    for action in ["resolution_approve"] * 6 + [blocks.APPROVE] * 6:
        bot.driver.open_home("U0ADMIN")
        bot.driver.click_in_view("U0ADMIN", admins_home(bot), action)
        said.append(summary_now(bot, summary_ts))

    assert "None of the 6 requests and all 6 reward nominations handed to you at once still wait" in said[5]
    assert "None of the 6 requests and 1 of the 6 reward nominations handed to you at once still waits" in said[10]
    assert "All 6 requests and 6 reward nominations handed to you at once are decided: none waits for you" in said[11]


def test_a_nomination_declined_through_its_reason_form_is_counted_by_its_summary(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominations_to_maya(bot, 6)
    summary_ts = summary_to_ada(bot)
    bot.driver.open_home("U0ADMIN")

    bot.driver.click_in_view("U0ADMIN", bot.slack.calls("views.publish")[-1].args["view"], blocks.DECLINE)
    [opened] = bot.slack.calls("views.open")
    bot.driver.submit("U0ADMIN", opened.args["view"], {reward_blocks.DECISION_REASON: "A shout-out fits better"})

    assert statuses(bot).count("declined") == 1
    said = summary_now(bot, summary_ts)
    assert "5 of the 6 reward nominations handed to you at once still wait for your decision" in said


def test_nominations_gone_up_from_the_reader_of_their_summary_no_longer_count_as_waiting_on_them(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    nominations_to_maya(bot, 6)
    summary_ts = summary_to_ada(bot)

    bot.clock.advance(timedelta(days=3))
    follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)

    assert approvers(bot) == {"U0HR"}
    said = summary_now(bot, summary_ts)
    assert "None of the 6 reward nominations handed to you at once waits for you now: they were handed on" in said
