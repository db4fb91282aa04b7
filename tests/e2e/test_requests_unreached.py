"""A decision request Slack will not deliver to its decider, for good: tried once, and the requester and HR told."""

from datetime import timedelta

from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Delivery, Resolution
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy
from tests.rewards_helpers import set_up

OVER_THE_LIMIT = "refund 80 order 42 parcel lost in transit"


def request_statuses(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        return list(session.scalars(select(Delivery.status).where(Delivery.idempotency_key.like("resolution:%"))))


def test_a_request_to_a_manager_who_is_a_bot_user_is_not_retried_and_the_requester_and_hr_hear_why(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0MGR1", "Maya Manager", is_bot=True)

    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)

    [refused] = bot.slack.calls("chat.postMessage:failed", channel="U0MGR1")
    assert refused.response["error"] == "cannot_dm_bot"
    assert request_statuses(bot) == ["failed"]
    [told] = [c for c in bot.slack.messages_to("U0AGENT1") if "could not reach" in c.text]
    assert "<@U0MGR1> is a bot user" in str(told.args["blocks"]) and "still waiting" in str(told.args["blocks"])
    for person in ("U0HR", "U0ADMIN"):
        [notice] = [c for c in bot.slack.messages_to(person) if "could not reach its decider" in c.text]
        assert "name a person as <@U0AGENT1>'s manager in the org file" in str(notice.args["blocks"])
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).one() == "pending"

    bot.clock.advance(timedelta(hours=1))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert len(bot.slack.calls("chat.postMessage:failed", channel="U0MGR1")) == 1
    assert len([c for c in bot.slack.messages_to("U0AGENT1") if "could not reach" in c.text]) == 1


def test_with_the_messages_tab_off_a_request_is_dropped_once_and_nothing_loops(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.messages_tab = False

    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)
    bot.clock.advance(timedelta(hours=1))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    [refused] = bot.slack.calls("chat.postMessage:failed", channel="U0MGR1")
    assert refused.response["error"] == "messages_tab_disabled"
    assert request_statuses(bot) == ["failed"]
    notices = [c for c in bot.slack.calls("chat.postMessage:failed") if "could not reach" in c.text]
    assert sorted(c.channel for c in notices) == ["U0ADMIN", "U0AGENT1", "U0HR"], "each tried once, then dropped"
    with bot.sessions() as session:
        assert session.scalars(select(Delivery).where(Delivery.status == "pending")).all() == []


def test_a_reward_waiting_for_an_approver_who_is_a_bot_user_tells_the_nominator_and_hr(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0MGR1", "Maya Manager", is_bot=True)

    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.senior> voucher_25 talked a customer out of cancelling")

    [refused] = bot.slack.calls("chat.postMessage:failed", channel="U0MGR1")
    assert refused.response["error"] == "cannot_dm_bot"
    [told] = [c for c in bot.slack.messages_to("U0AGENT1") if "could not reach" in c.text]
    assert "nomination for Coffee" in str(told.args["blocks"]) and "<@U0MGR1> is a bot user" in str(told.args["blocks"])
    assert [c for c in bot.slack.messages_to("U0HR") if "could not reach its decider" in c.text]


def test_a_request_its_bot_manager_never_saw_still_goes_one_level_up_in_time(bot: RunningBot) -> None:
    """What the requester is told holds: it still waits, and escalates as any unanswered request does."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0MGR1", "Maya Manager", is_bot=True)
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)

    for _ in range(2):
        bot.clock.advance(timedelta(hours=24, minutes=5))
        follow_up_pending_requests(deps, client)
        drain_outbox(deps, client)

    [escalation] = [c for c in bot.slack.calls("chat.postMessage") if "waited too long" in c.text]
    assert escalation.channel == "U0ADMIN"
    assert len([c for c in bot.slack.messages_to("U0AGENT1") if "could not reach" in c.text]) == 1
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "U0ADMIN"


def test_hr_whose_own_request_never_reached_their_manager_hears_what_to_fix(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0ADMIN", "Ada Admin", is_bot=True)

    bot.driver.command("U0HR", "/resolve", "refund 500 order 42 parcel lost in transit")

    [told] = [c for c in bot.slack.messages_to("U0HR") if "could not reach" in c.text]
    assert "name a person as <@U0HR>'s manager in the org file" in str(told.args["blocks"])
