"""Many requests handed to one person at once come in one summary DM pointing to the App Home; a handful, one DM each
with the buttons. An asker's "it now goes to ..." DM (a request's, a nomination's) still waiting when the item is
decided is never sent."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from handlers.blocks import nominations as blocks
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Delivery, Nomination, Resolution
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_departures import in_slack
from tests.e2e.test_people_leaving import SAM_MOVES_WEST, WITHOUT_MAYA, reimport
from tests.e2e.test_rewards_approval import LEE, request_to
from tests.helpers import load_org_and_policy
from tests.rewards_helpers import set_up

ORG_CSV = (FIXTURES / "org.csv").read_text()


def requests_to_maya(bot: RunningBot, count: int, *, first_waits: timedelta = timedelta(0)) -> None:
    """`count` requests over the agents' limit, waiting on Maya; the first made `first_waits` before the others."""
    for n in range(count):
        bot.driver.command("U0AGENT1", "/resolve", f"refund 80 order {n + 1} parcel lost in transit")
        if n == 0:
            bot.clock.advance(first_waits)


def pending_deciders(bot: RunningBot) -> set[str]:
    with bot.sessions() as session:
        pending = session.scalars(select(Resolution).where(Resolution.status == "pending"))
        return {resolution.decider.slack_id for resolution in pending if resolution.decider}


def told_moved(bot: RunningBot) -> list[str]:
    return [c.text for c in bot.slack.calls("chat.postMessage", channel="U0AGENT1") if "now waits on" in c.text]


def test_many_requests_of_a_manager_who_left_come_to_the_next_one_in_one_dm_pointing_to_the_home(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 12, first_waits=timedelta(days=3))
    maya_copies = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert pending_deciders(bot) == {"U0ADMIN"}
    [summary] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert summary.args["text"] == "12 requests now wait for your decision; the oldest has waited 3 days"
    assert "*Maya Manager left: 12 requests now wait for your decision" in summary.text
    assert "Home tab lists what waits for your decision, the oldest first, each with its buttons" in summary.text
    assert "resolution_approve" not in str(summary.args["blocks"])
    updated = {c.args["ts"] for c in bot.slack.calls("chat.update", channel=maya_copies[0].response["channel"])}
    assert updated == {copy.response["ts"] for copy in maya_copies}  # every old copy says where its request went
    assert len(told_moved(bot)) == 12  # the requester hears of each, as before
    bot.driver.open_home("U0ADMIN")
    [home] = bot.slack.calls("views.publish")
    assert "*Waiting for a decision in the workspace* (12)" in home.text
    bot.driver.click_in_view("U0ADMIN", home.args["view"], "resolution_approve")
    with bot.sessions() as session:
        assert len(session.scalars(select(Resolution).where(Resolution.status == "approved")).all()) == 1
    assert bot.slack.violations == []


def test_requests_handed_to_an_admin_show_on_their_home_apart_when_older_ones_wait_on_others(bot: RunningBot) -> None:
    """An admin's Home lists the workspace's oldest requests: those the summary sent them to find would be hidden."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    for n in range(10):  # older, waiting on Omar
        bot.driver.command("U0AGENT3", "/resolve", f"refund 80 order {100 + n} parcel lost in transit")
    requests_to_maya(bot, 7)
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    bot.driver.open_home("U0ADMIN")

    [home] = bot.slack.calls("views.publish")
    assert "*Waiting for a decision in the workspace* (17)" in home.text
    assert "*Sent to you* (7), besides the oldest above:" in home.text
    assert "…and 2 more: decide these and the next ones sent to you appear here." in home.text
    sent = home.args["view"]["blocks"][
        [b.get("text", {}).get("text", "") for b in home.args["view"]["blocks"]].index(
            "*Sent to you* (7), besides the oldest above:"
        ) :
    ]
    [first_sent] = [
        e["value"] for b in sent for e in b.get("elements", []) if e.get("action_id") == "resolution_approve"
    ][:1]
    bot.driver.click_in_view("U0ADMIN", home.args["view"], "resolution_approve", value=first_sent)
    with bot.sessions() as session:
        [approved] = session.scalars(select(Resolution).where(Resolution.status == "approved"))
        assert approved.employee.slack_id == "U0AGENT1"
    assert "*Sent to you* (6)" in bot.slack.calls("views.publish")[-1].text
    assert bot.slack.violations == []


def test_a_handful_of_requests_handed_over_still_come_one_dm_each_with_the_buttons(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 5)

    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    dms = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert len(dms) == 5
    assert all("resolution_approve" in str(dm.args["blocks"]) for dm in dms)


def test_requests_summarized_to_their_new_decider_are_handed_back_and_forth_with_every_message(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 6)

    for org in (SAM_MOVES_WEST, ORG_CSV, SAM_MOVES_WEST):  # moved by mistake, moved back, then moved for real
        reimport(bot.sessions, bot.clock.now(), org)
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert pending_deciders(bot) == {"U0MGR2"}
    assert len(told_moved(bot)) == 18  # each hand-over of each request told, none taken for one already queued
    summaries = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR2") if "6 requests" in c.text]
    assert len(summaries) == 2
    assert "Maya Manager no longer decides them" in summaries[0].text


def test_the_summary_stands_for_the_new_deciders_reminder_and_they_get_the_full_wait_before_it_goes_up(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 6)
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.clock.advance(timedelta(hours=25))
    follow_up_pending_requests(deps, client)  # Maya reminded of each

    reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST)
    drain_outbox(deps, client)
    bot.clock.advance(timedelta(hours=23))
    follow_up_pending_requests(deps, client)
    early = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "waited too long" in c.text]
    bot.clock.advance(timedelta(hours=2))
    follow_up_pending_requests(deps, client)
    drain_outbox(deps, client)

    assert early == []
    assert [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "waited too long for Omar" in c.text]


@pytest.mark.parametrize("where", ["home", "dm"])
def test_a_requester_told_where_it_went_after_the_decision_is_told_only_the_decision(
    bot: RunningBot, where: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 1)
    deps, client = bot.runtime.deps, bot.runtime.app.client

    bot.slack.fail("chat.postMessage", status=429, retry_after=30, channel="U0AGENT1")  # Slack holds Sam's DMs back
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(deps, client)
    if where == "home":
        bot.driver.open_home("U0ADMIN")
        [home] = bot.slack.calls("views.publish")
        bot.driver.click_in_view("U0ADMIN", home.args["view"], "resolution_approve")
    else:
        [handed] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
        bot.driver.click("U0ADMIN", handed, "resolution_approve")
    bot.clock.advance(timedelta(minutes=5))
    drain_outbox(deps, client)

    sam = [c.text for c in bot.slack.calls("chat.postMessage", channel="U0AGENT1")]
    assert any("approved" in text for text in sam)
    assert told_moved(bot) == [], "told it now waits on Ada after being told it was decided"


def test_a_nominator_told_where_it_went_after_the_decision_is_told_only_the_decision(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    deps, client = bot.runtime.deps, bot.runtime.app.client

    bot.slack.fail("chat.postMessage", status=429, retry_after=30, channel="U0AGENT1")  # Slack holds the DM back
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(deps, client)
    handed = request_to(bot, "U0ADMIN")
    bot.driver.click("U0ADMIN", handed, blocks.APPROVE)
    bot.clock.advance(timedelta(minutes=5))
    drain_outbox(deps, client)

    with bot.sessions() as session:
        assert "approved" in {nomination.status for nomination in session.scalars(select(Nomination))}
    told = [c.text for c in bot.slack.messages_to("U0AGENT1") if "now waits for approval" in c.text]
    assert told == [], "told it now waits on Ada after it was approved"


def test_many_requests_of_a_manager_slack_deactivated_come_to_the_next_one_in_one_dm(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR1", "U0AGENT1")
    requests_to_maya(bot, 7, first_waits=timedelta(hours=5))
    maya_copies = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    bot.driver.user_change("U0MGR1", deleted=True)  # sent by the running app's own sender, paced by the outbox

    handed = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "wait for your decision" in c.text]
    assert [c.args["text"] for c in handed] == ["7 requests now wait for your decision; the oldest has waited 5 hours"]
    assert not [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "now waits on you" in c.text]
    updated = {c.args["ts"] for c in bot.slack.calls("chat.update", channel=maya_copies[0].response["channel"])}
    assert updated == {copy.response["ts"] for copy in maya_copies}
    assert len(told_moved(bot)) == 7


def test_requests_not_yet_reminded_are_not_reminded_one_dm_each_within_the_hour_after_their_summary(
    bot: RunningBot,
) -> None:
    """The summary stands for each one's reminder: the flood it spared would otherwise come at the next tick."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 8)
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.clock.advance(timedelta(hours=23))
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(deps, client)

    bot.clock.advance(timedelta(minutes=61))
    follow_up_pending_requests(deps, client)
    drain_outbox(deps, client)

    assert len(bot.slack.calls("chat.postMessage", channel="U0ADMIN")) == 1, "the summary alone"
    bot.clock.advance(timedelta(hours=24))
    follow_up_pending_requests(deps, client)
    assert pending_deciders(bot) == {"U0ADMIN"}, "nobody above the admins: it stays, reminded once"


def admins_home(bot: RunningBot) -> dict[str, Any]:
    """Ada's Home as she sees it: the last one published may be another's, whose request she decided."""
    home: dict[str, Any] | None = bot.slack.state.home_view("U0ADMIN")
    assert home is not None
    return home


def summary_now(bot: RunningBot, summary_ts: str) -> str:
    """What the summary says now: its last update, through the outbox."""
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    updates = [c for c in bot.slack.calls("chat.update") if c.args.get("ts") == summary_ts]
    return updates[-1].text if updates else ""


def test_the_summary_counts_down_as_its_requests_are_decided_and_says_when_none_is_left(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 12)
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [summary] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    summary_ts = str(summary.response["ts"])

    said: list[str] = []
    for _ in range(12):
        bot.driver.open_home("U0ADMIN")
        bot.driver.click_in_view("U0ADMIN", admins_home(bot), "resolution_approve")
        said.append(summary_now(bot, summary_ts))

    assert "11 of the 12 requests handed to you at once still wait for your decision" in said[0]
    assert "Home tab lists what waits for your decision" in said[0]
    assert "1 of the 12 requests handed to you at once still waits for your decision" in said[10]
    assert "All 12 requests handed to you at once are decided: none waits for you" in said[11]
    assert "latitude_" not in str(bot.slack.calls("chat.postMessage", channel="U0ADMIN")[0].args)
    assert bot.slack.violations == []


def test_a_summary_whose_requests_were_all_handed_on_says_none_waits_for_its_reader(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 6)
    reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST)  # to Omar, in one summary
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [summary] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR2") if "6 requests" in c.text]

    reimport(bot.sessions, bot.clock.now(), ORG_CSV)  # back to Maya

    said = summary_now(bot, str(summary.response["ts"]))
    assert "None of the 6 requests handed to you at once waits for you now: they were handed on to someone" in said


def test_a_summary_slack_held_back_while_one_of_its_requests_was_decided_counts_it_once_it_lands(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 12)
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    bot.slack.fail("chat.postMessage", status=429, retry_after=30, channel="U0ADMIN")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    held_back = bot.slack.calls("chat.postMessage", channel="U0ADMIN")

    bot.driver.open_home("U0ADMIN")
    bot.driver.click_in_view("U0ADMIN", bot.slack.calls("views.publish")[-1].args["view"], "resolution_approve")
    bot.clock.advance(timedelta(minutes=1))
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [summary] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")

    assert held_back == []
    assert "11 of the 12 requests handed to you at once still wait" in summary_now(bot, str(summary.response["ts"]))


def test_requests_gone_up_from_the_reader_of_their_summary_no_longer_count_as_waiting_on_them(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 6)
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.clock.advance(timedelta(hours=25))
    follow_up_pending_requests(deps, client)  # Maya reminded of each
    reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST)  # to Omar, in one summary
    drain_outbox(deps, client)
    [summary] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR2") if "6 requests" in c.text]

    bot.clock.advance(timedelta(hours=25))  # a full wait after the summary, which stood for Omar's reminder
    follow_up_pending_requests(deps, client)

    assert pending_deciders(bot) == {"U0ADMIN"}
    said = summary_now(bot, str(summary.response["ts"]))
    assert "None of the 6 requests handed to you at once waits for you now: they were handed on" in said


def test_a_summary_whose_reader_left_is_not_updated_when_their_requests_are_handed_on(bot: RunningBot) -> None:
    """Slack no longer lets the app reach a deactivated person's DMs: their summary stays as it was, and nothing is
    queued for it that could only be refused."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR2", "U0AGENT1")
    requests_to_maya(bot, 6)
    reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST)  # to Omar, in one summary
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [summary] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR2") if "6 requests" in c.text]

    bot.driver.user_change("U0MGR2", deleted=True)

    assert pending_deciders(bot) == {"U0ADMIN"}
    assert summary_now(bot, str(summary.response["ts"])) == ""
    with bot.sessions() as session:
        queued = session.scalars(select(Delivery.idempotency_key).where(Delivery.method == "chat.update")).all()
    assert not [key for key in queued if summary.response["channel"] in key]
