"""HR's copies of a tangible grant stay while it can still be fulfilled or revoked, and go five weeks after it was; a
boundary proposal's DMs go five weeks after it was applied; a request decided before its decision was dated goes
too. The rows they are about stay."""

from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import select, update

from bot.fakeslack import Call
from handlers.blocks import boundary_proposals as proposal_blocks
from handlers.blocks import nominations as blocks
from handlers.blocks import rewards as reward_blocks
from handlers.jobs.forget_sent_messages import forget_sent_messages
from handlers.jobs.propose_boundaries import propose_boundaries
from models import BoundaryProposal, Delivery, Resolution, RewardGrant
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy
from tests.rewards_helpers import set_up

LEE = "<@U0AGENT2|lee.senior>"


def keys(bot: RunningBot, prefix: str) -> set[str]:
    with bot.sessions() as session:
        found = session.scalars(select(Delivery.idempotency_key).where(Delivery.idempotency_key.startswith(prefix)))
        return set(found)


def forget(bot: RunningBot) -> int:
    return forget_sent_messages(bot.runtime.deps, WebClient(token="xoxb-x"), batch=500)


def hr_copies(bot: RunningBot) -> dict[str, Call]:
    sent = bot.slack.calls("chat.postMessage")
    return {call.args["channel"]: call for call in sent if reward_blocks.FULFIL in str(call.args)}


def test_hr_copies_of_a_grant_serve_while_it_can_be_revoked_and_go_five_weeks_after(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    [request] = [call for call in bot.slack.messages_to("U0MGR1") if call.method == "chat.postMessage"]
    bot.driver.click("U0MGR1", request, blocks.APPROVE)
    copies = hr_copies(bot)
    assert set(copies) == {"U0HR", "U0ADMIN"}
    with bot.sessions() as session:
        grant_id = session.scalars(select(RewardGrant.id)).one()
    theirs = f"reward-hr:{grant_id}:"
    assert len(keys(bot, theirs)) == 2

    bot.clock.advance(timedelta(days=200))
    forget(bot)
    assert len(keys(bot, theirs)) == 2, "a grant not fulfilled yet may be revoked however late: its copies stay"

    bot.driver.click("U0HR", copies["U0HR"], reward_blocks.REVOKE)
    [opened] = bot.slack.calls("views.open")
    bot.driver.submit("U0HR", opened.args["view"], {reward_blocks.DECISION_REASON: "Paid twice by mistake"})
    admins = copies["U0ADMIN"].response
    assert "Revoked by Hana Reyes" in str(bot.slack.message(admins["channel"], admins["ts"])["blocks"])

    bot.clock.advance(timedelta(days=34))
    forget(bot)
    assert len(keys(bot, theirs)) == 2

    bot.clock.advance(timedelta(days=2))
    forget(bot)
    assert keys(bot, theirs) == set()
    with bot.sessions() as session:
        assert session.get_one(RewardGrant, grant_id).revoke_reason == "Paid twice by mistake"


def test_a_request_decided_before_decisions_were_dated_goes_too(bot: RunningBot) -> None:
    """An older row whose decision has no date counts from when it was made, and goes once none of its messages is
    younger than five weeks."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    bot.driver.click("U0MGR1", bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1], "resolution_approve")
    with bot.sessions.begin() as session:
        resolution_id = session.scalars(select(Resolution.id)).one()
        session.execute(update(Resolution).values(decided_at=None))
    assert keys(bot, f"resolution:{resolution_id}:")

    bot.clock.advance(timedelta(days=34))
    forget(bot)
    assert keys(bot, f"resolution:{resolution_id}:")

    bot.clock.advance(timedelta(days=2))
    forget(bot)
    assert keys(bot, f"resolution:{resolution_id}:") == set()


def test_a_boundary_proposals_dms_stay_while_it_waits_and_go_five_weeks_after_it_was_applied(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    for number, amount in enumerate((60, 65, 70, 70, 75, 75, 80, 80, 85, 90)):
        bot.driver.command("U0AGENT1", "/resolve", f"refund {amount} order {5000 + number} customer kept waiting")
        bot.driver.click("U0MGR1", bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1], "resolution_approve")
    bot.clock.set(datetime(2026, 4, 1, 6, 0, tzinfo=UTC))
    assert propose_boundaries(bot.runtime.deps, bot.runtime.app.client) == 1
    with bot.sessions() as session:
        proposal_id = session.scalars(select(BoundaryProposal.id)).one()
    theirs = f"proposal:{proposal_id}:"
    assert len(keys(bot, theirs)) == 2

    bot.clock.advance(timedelta(days=90))
    forget(bot)
    assert len(keys(bot, theirs)) == 2, "a proposal waiting for HR keeps the DMs its decision updates"

    message = next(c for c in bot.slack.calls("chat.postMessage", channel="U0HR") if "Boundaries" in c.text)
    bot.driver.click("U0HR", message, proposal_blocks.APPLY)
    bot.clock.advance(timedelta(days=34))
    forget(bot)
    assert len(keys(bot, theirs)) == 2

    bot.clock.advance(timedelta(days=2))
    forget(bot)
    assert keys(bot, theirs) == set()
    with bot.sessions() as session:
        assert session.get_one(BoundaryProposal, proposal_id).status == "applied"
