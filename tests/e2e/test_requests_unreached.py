"""A decision request Slack will not deliver to its decider, for good: tried once, and the requester and HR told."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Delivery, Resolution
from services.messages_tab import RETRY_AFTER
from tests.conftest import RunningBot
from tests.e2e.test_people_leaving import ORG_CSV, SAM_MOVES_WEST, reimport
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
        assert "<@U0MGR1>, who decides it, is a bot user: name a person in their place" in str(notice.args["blocks"])
        assert "nobody has been asked to decide it" in str(notice.args["blocks"])
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).one() == "pending"

    bot.clock.advance(timedelta(hours=1))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert len(bot.slack.calls("chat.postMessage:failed", channel="U0MGR1")) == 1
    assert len([c for c in bot.slack.messages_to("U0AGENT1") if "could not reach" in c.text]) == 1


def test_with_the_messages_tab_off_requests_are_dropped_the_next_unsent_and_told_in_the_commands_reply_not_in_dms(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.messages_tab = False

    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT.replace("42", "43"))
    bot.clock.advance(RETRY_AFTER / 2)  # no try due yet
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    refused = bot.slack.calls("chat.postMessage:failed", channel="U0MGR1")
    assert [c.response["error"] for c in refused] == ["messages_tab_disabled"], "the second is not even tried"
    assert request_statuses(bot) == ["failed", "failed"]
    with bot.sessions() as session:
        errors = session.scalars(select(Delivery.last_error).where(Delivery.idempotency_key.like("resolution:%")))
        assert sorted(errors) == ["messages_tab_disabled", "not_sent_messages_tab_off"]
    assert [c for c in bot.slack.calls("chat.postMessage:failed") if "could not reach" in c.text] == [], "no DM can"
    told = [c for c in bot.slack.calls("response_url") if "did not deliver your request" in c.text]
    assert len(told) == 2 and "<@U0MGR1>" in told[0].text and "Messages tab" in told[0].text
    warnings = [r.getMessage() for r in caplog.records if r.name == "handlers.messages_tab"]
    assert len(warnings) == 1 and "Messages tab is off" in warnings[0]
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
    assert "<@U0ADMIN>, who decides it, is a bot user: name a person in their place" in str(told.args["blocks"])


def test_a_nomination_whose_approver_is_a_bot_user_names_that_approver_to_replace(bot: RunningBot) -> None:
    """A reward is approved by the nominee's manager, not the nominator's."""
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0MGR2", "Omar Manager", is_bot=True)

    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT3|ines> voucher_25 talked a customer out of cancelling")

    [notice] = [c for c in bot.slack.messages_to("U0HR") if "could not reach its decider" in c.text]
    shown = str(notice.args["blocks"])
    assert "<@U0MGR2>, who decides it, is a bot user: name a person in their place in the org file" in shown
    assert "<@U0AGENT1>'s manager" not in shown


def test_a_request_handed_over_to_a_bot_user_tells_the_requester_and_hr(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0MGR2", "Omar Manager", is_bot=True)
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)

    reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    [refused] = bot.slack.calls("chat.postMessage:failed", channel="U0MGR2")
    assert refused.response["error"] == "cannot_dm_bot"
    [told] = [c for c in bot.slack.messages_to("U0AGENT1") if "could not reach" in c.text]
    assert "<@U0MGR2> is a bot user" in str(told.args["blocks"])
    for person in ("U0HR", "U0ADMIN"):
        assert [c for c in bot.slack.messages_to(person) if "could not reach its decider" in c.text]


def test_a_request_escalated_to_a_bot_user_tells_the_requester_once(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0ADMIN", "Ada Admin", is_bot=True)
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)

    for _ in range(3):
        bot.clock.advance(timedelta(hours=24, minutes=5))
        follow_up_pending_requests(deps, client)
        drain_outbox(deps, client)

    refused = bot.slack.calls("chat.postMessage:failed", channel="U0ADMIN")
    assert refused and {c.response["error"] for c in refused} == {"cannot_dm_bot"}
    [told] = [c for c in bot.slack.messages_to("U0AGENT1") if "could not reach" in c.text]
    assert "<@U0ADMIN> is a bot user" in str(told.args["blocks"])


TWO_ADMINS = ORG_CSV.replace("U0HR,Hana Reyes,People,hr,U0ADMIN", "U0HR,Hana Reyes,People,hr,") + (
    "U0ADMIN2,Zoe Admin,Operations,admin,,zoe@example.com,Europe/London,\n"
)


def test_a_request_one_of_several_admins_cannot_read_says_the_others_were_asked(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    reimport(bot.sessions, bot.clock.now(), TWO_ADMINS)
    bot.slack.add_user("U0ADMIN2", "Zoe Admin", is_bot=True)

    bot.driver.command("U0HR", "/resolve", OVER_THE_LIMIT)

    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    [notice] = [c for c in bot.slack.messages_to("U0HR") if "could not reach its decider" in c.text]
    shown = str(notice.args["blocks"])
    assert "nobody has been asked" not in shown
    assert "it went to <@U0ADMIN> too, who can decide it" in shown


def test_a_nomination_gone_up_to_a_bot_user_tells_the_nominator_once(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0ADMIN", "Ada Admin", is_bot=True)
    deps, client = bot.runtime.deps, bot.runtime.app.client
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.senior> voucher_25 talked a customer out of cancelling")

    for _ in range(4):
        bot.clock.advance(timedelta(hours=24, minutes=5))
        follow_up_pending_requests(deps, client)
        drain_outbox(deps, client)

    refused = bot.slack.calls("chat.postMessage:failed", channel="U0ADMIN")
    assert refused and {c.response["error"] for c in refused} == {"cannot_dm_bot"}
    [told] = [c for c in bot.slack.messages_to("U0AGENT1") if "could not reach" in c.text]
    assert "nomination for Coffee" in str(told.args["blocks"]) and "<@U0ADMIN> is a bot user" in str(
        told.args["blocks"]
    )


def test_with_the_messages_tab_off_a_nomination_is_told_in_the_commands_reply(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.messages_tab = False

    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.senior> voucher_25 talked a customer out of cancelling")

    [told] = [c for c in bot.slack.calls("response_url") if "did not deliver your request" in c.text]
    assert "<@U0MGR1>" in told.text
