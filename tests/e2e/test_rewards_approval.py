"""Tangible rewards end to end: the approver's buttons, declines with a reason, HR's fulfilment and revocation."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.cli import main
from bot.fakeslack import Call
from handlers.blocks import nominations as blocks
from handlers.blocks import rewards as reward_blocks
from handlers.jobs.drain_outbox import drain_outbox
from services import request_viewers
from services.calendar import moment_words
from tests.conftest import RunningBot
from tests.rewards_helpers import (
    EXAMPLE_POLICY,
    grants,
    load_policy_text,
    nominations,
    set_up,
)

LEE = "<@U0AGENT2|lee.senior>"
WHY = reward_blocks.DECISION_REASON


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    return bot


def request_to(bot: RunningBot, approver: str) -> Call:
    [request] = [call for call in bot.slack.messages_to(approver) if call.method == "chat.postMessage"]
    return request


def action_ids(message: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in message.get("blocks") or []
        for element in block.get("elements") or []
        if "action_id" in element
    ]


def test_a_voucher_waits_for_the_managers_approval_then_is_granted_announced_and_sent_to_hr(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 talked a customer out of cancelling")

    assert "waiting for approval by Maya Manager" in reply.text
    assert ready.slack.calls("chat.postMessage", channel="C0KUDOS") == []
    request = request_to(ready, "U0MGR1")
    assert "Sam Agent nominated *Lee Senior* for *Coffee &amp; cake voucher* (25 USD)" in request.text
    with ready.sessions() as session:
        assert grants(session) == []

    ready.driver.click("U0MGR1", request, blocks.APPROVE)

    [update] = ready.slack.calls("chat.update")
    assert "Approved by Maya Manager" in update.text
    assert action_ids(ready.slack.message(update.channel, update.args["ts"])) == []
    [post] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "with *Coffee &amp; cake voucher*" in post.text
    assert "recognised you with *Coffee &amp; cake voucher* (25 USD)" in ready.slack.messages_to("U0AGENT2")[0].text
    assert "was approved" in ready.slack.messages_to("U0AGENT1")[0].text
    assert action_ids(ready.slack.messages_to("U0HR")[0].args) == [reward_blocks.FULFIL, reward_blocks.REVOKE]
    with ready.sessions() as session:
        [grant] = grants(session)
        assert (grant.status, grant.approver.slack_id, grant.nominator.slack_id) == ("approved", "U0MGR1", "U0AGENT1")
        assert str(grant.value) == "25.00"


def test_a_second_click_says_it_was_already_decided_and_changes_nothing(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    request = request_to(ready, "U0MGR1")

    ready.driver.double_click("U0MGR1", request, blocks.APPROVE)

    [told] = ready.slack.calls("response_url")
    assert "already approved by Maya Manager on " in told.args["text"]
    assert " New York time; nothing changed." in told.args["text"], "when, on Maya's clock"
    assert len(ready.slack.calls("chat.update")) == 1
    with ready.sessions() as session:
        assert len(grants(session)) == 1


def test_only_the_approver_may_decide(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    request = request_to(ready, "U0MGR1")

    ready.driver.click("U0MGR2", request, blocks.APPROVE, forged=True)

    [told] = ready.slack.calls("response_url")
    assert "You can't decide this nomination, or it no longer exists. Nothing changed." in told.args["text"]
    with ready.sessions() as session:
        assert [n.status for n in nominations(session)] == ["pending"]


def test_a_forged_click_on_another_teams_nomination_names_neither_who_asked_nor_whom_it_waits_on(
    ready: RunningBot,
) -> None:
    """Nomination ids are counted up: Ines, of another team, forging Approve or Decline with the id of Sam's
    nomination of Lee (waiting on Maya) would otherwise learn, one after another, who asked and who decides."""
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    request = request_to(ready, "U0MGR1")

    for action in (blocks.APPROVE, blocks.DECLINE):
        ready.driver.click("U0AGENT3", request, action, forged=True)  # the buttons of Maya's DM, carrying its id

    told = [call.args["text"] for call in ready.slack.calls("response_url")]
    assert len(told) == 2 and all(request_viewers.NOT_YOUR_NOMINATION in text for text in told), told
    assert not any(name in text for text in told for name in ("Sam", "Lee", "Maya")), told
    assert ready.slack.calls("chat.update") == [] and ready.slack.calls("views.open") == []
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert (nomination.status, nomination.decided_by_id, nomination.decided_at) == ("pending", None, None)
        assert grants(session) == []


def test_when_the_nominator_is_the_nominees_manager_the_approval_goes_one_level_up(ready: RunningBot) -> None:
    reply = ready.driver.command("U0MGR1", "/nominate", f"{LEE} half_day weekend cover")

    assert "waiting for approval by Ada Admin" in reply.text
    request = request_to(ready, "U0ADMIN")
    ready.driver.click("U0ADMIN", request, blocks.APPROVE)
    with ready.sessions() as session:
        [grant] = grants(session)
        people = {grant.nominator.slack_id, grant.approver.slack_id, grant.recipient.slack_id}
        assert people == {"U0MGR1", "U0ADMIN", "U0AGENT2"}


def test_a_decline_needs_a_reason_tells_the_nominator_and_gives_the_allowance_back(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 helped me with a ticket")
    request = request_to(ready, "U0MGR1")

    ready.driver.click("U0MGR1", request, blocks.DECLINE)
    [opened] = ready.slack.calls("views.open")
    empty = ready.driver.submit("U0MGR1", opened.args["view"], {WHY: "  "})
    declined = ready.driver.submit("U0MGR1", opened.args["view"], {WHY: "Shout-out <fits> better"})

    assert "Say why you decline" in empty.json["errors"][WHY]
    assert declined.body == ""
    [update] = ready.slack.calls("chat.update")
    assert "Declined by Maya Manager: Shout-out &lt;fits&gt; better" in update.text
    [dm] = ready.slack.messages_to("U0AGENT1")
    assert "was declined by Maya Manager" in dm.text
    assert ready.slack.messages_to("U0AGENT2") == []
    history = ready.driver.command("U0AGENT1", "/rewards")
    assert "5 of 5 nominations left" in history.text
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert (nomination.status, nomination.decline_reason) == ("declined", "Shout-out <fits> better")
        assert grants(session) == []


def test_hr_marks_a_grant_fulfilled_once_and_the_recipient_is_told(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    ready.driver.click("U0MGR1", request_to(ready, "U0MGR1"), blocks.APPROVE)
    [to_hr] = [call for call in ready.slack.messages_to("U0HR") if call.method == "chat.postMessage"]

    ready.driver.double_click("U0HR", to_hr, reward_blocks.FULFIL)

    assert "Fulfilled by Hana Reyes" in ready.slack.calls("chat.update")[-1].text
    assert "has been fulfilled by HR" in ready.slack.messages_to("U0AGENT2")[-1].text
    assert "already fulfilled" in ready.slack.calls("response_url")[-1].args["text"]
    with ready.sessions() as session:
        [grant] = grants(session)
        assert grant.status == "fulfilled"
        assert grant.fulfilled_at == ready.clock.now()


def test_hr_revokes_a_grant_with_a_reason_and_the_giver_gets_the_nomination_back(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    ready.driver.click("U0MGR1", request_to(ready, "U0MGR1"), blocks.APPROVE)
    [to_hr] = [call for call in ready.slack.messages_to("U0HR") if call.method == "chat.postMessage"]

    ready.driver.click("U0HR", to_hr, reward_blocks.REVOKE)
    [opened] = ready.slack.calls("views.open")
    ready.driver.submit("U0HR", opened.args["view"], {WHY: "Duplicate of last week's voucher"})

    assert "Revoked by Hana Reyes" in ready.slack.calls("chat.update")[-1].text
    assert "was revoked by HR" in ready.slack.messages_to("U0AGENT1")[-1].text
    assert "5 of 5 nominations left" in ready.driver.command("U0AGENT1", "/rewards").text
    with ready.sessions() as session:
        [grant] = grants(session)
        assert (grant.status, grant.revoke_reason) == ("revoked", "Duplicate of last week's voucher")


def test_a_frontline_employee_cannot_fulfil_a_grant(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    ready.driver.click("U0MGR1", request_to(ready, "U0MGR1"), blocks.APPROVE)
    [to_hr] = [call for call in ready.slack.messages_to("U0HR") if call.method == "chat.postMessage"]

    ready.driver.click("U0AGENT3", to_hr, reward_blocks.FULFIL, forged=True)

    assert "is for HR and admins" in ready.slack.calls("response_url")[-1].args["text"]
    with ready.sessions() as session:
        assert grants(session)[0].status == "approved"


def test_hr_cannot_fulfil_a_reward_they_received_even_with_the_button_of_another(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", "<@U0HR|hana> voucher_25 sorted the payroll mess")
    [request] = [call for call in ready.slack.messages_to("U0ADMIN") if call.method == "chat.postMessage"]
    ready.driver.click("U0ADMIN", request, blocks.APPROVE)
    [to_admin] = [call for call in ready.slack.messages_to("U0ADMIN") if reward_blocks.FULFIL in action_ids(call.args)]

    ready.driver.click("U0HR", to_admin, reward_blocks.FULFIL, forged=True)

    assert "a reward you received is for another HR person" in ready.slack.calls("response_url")[-1].args["text"]
    with ready.sessions() as session:
        [grant] = grants(session)
        assert (grant.status, grant.fulfilled_by_id) == ("approved", None)


def test_hr_cannot_revoke_a_reward_they_gave_to_get_their_nomination_back(ready: RunningBot) -> None:
    ready.driver.command("U0HR", "/nominate", f"{LEE} voucher_25 saved a key account")
    [request] = [call for call in ready.slack.calls("chat.postMessage") if blocks.APPROVE in action_ids(call.args)]
    ready.driver.click(request.args["channel"], request, blocks.APPROVE)
    [to_hana] = [call for call in ready.slack.messages_to("U0HR") if reward_blocks.REVOKE in action_ids(call.args)]

    ready.driver.click("U0HR", to_hana, reward_blocks.REVOKE)

    assert ready.slack.calls("views.open") == [], "no form asks for a reason that cannot count"
    [told] = ready.slack.calls("response_url")
    assert "Revoking a reward you gave is for another HR person" in told.args["text"]
    with ready.sessions() as session:
        [grant] = grants(session)
        assert grant.status == "approved"


def test_when_one_hr_person_fulfils_a_grant_every_other_hr_copy_loses_its_buttons(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    ready.driver.click("U0MGR1", request_to(ready, "U0MGR1"), blocks.APPROVE)
    copies = {
        c.args["channel"]: c for c in ready.slack.calls("chat.postMessage") if reward_blocks.FULFIL in str(c.args)
    }

    ready.driver.click("U0HR", copies["U0HR"], reward_blocks.FULFIL)

    assert set(copies) == {"U0HR", "U0ADMIN"}
    for copy in copies.values():
        message = ready.slack.message(copy.response["channel"], copy.response["ts"])
        assert action_ids(message) == [] and "Fulfilled by" in str(message["blocks"])


def test_a_grant_fulfilled_from_the_command_line_takes_the_buttons_off_every_hr_copy(
    ready: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    ready.driver.click("U0MGR1", request_to(ready, "U0MGR1"), blocks.APPROVE)
    copies = [call for call in ready.slack.calls("chat.postMessage") if reward_blocks.FULFIL in str(call.args)]
    with ready.sessions() as session:
        [grant] = grants(session)
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["rewards", "fulfil", str(grant.id)]) == 0
    ready.clock.set(datetime.now(UTC))  # the command line queues on the wall clock
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    assert len(copies) == 2
    for copy in copies:
        message = ready.slack.message(copy.response["channel"], copy.response["ts"])
        assert action_ids(message) == [] and "Fulfilled from the command line" in str(message["blocks"])


def test_a_copy_slack_no_longer_has_does_not_stop_the_others_or_the_recipients_dm(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    ready.driver.click("U0MGR1", request_to(ready, "U0MGR1"), blocks.APPROVE)
    sent = ready.slack.calls("chat.postMessage")
    copies = {call.args["channel"]: call for call in sent if reward_blocks.FULFIL in str(call.args)}
    gone = copies["U0ADMIN"].response
    ready.slack.state.replace_message(gone["channel"], gone["ts"], None)  # deleted, or past the retention

    ready.driver.click("U0HR", copies["U0HR"], reward_blocks.FULFIL)

    assert "fulfilled" in ready.slack.calls("chat.postMessage", channel="U0AGENT2")[-1].text.lower()
    assert "Sorry, something went wrong" not in " ".join(call.text for call in ready.slack.calls("response_url"))
    kept = ready.slack.message(copies["U0HR"].response["channel"], copies["U0HR"].response["ts"])
    assert action_ids(kept) == []


def test_the_monthly_most_of_a_reward_holds_across_the_turn_of_the_month(ready: RunningBot) -> None:
    """Two vouchers (the most a month) put forward on 31 March and approved on 1 April count in April."""
    ready.clock.set(datetime(2026, 3, 31, 20, 0, tzinfo=UTC))
    for giver, why in (("U0AGENT1", "calmed a customer"), ("U0AGENT3", "covered a shift")):
        ready.driver.command(giver, "/nominate", f"{LEE} voucher_25 {why}")
    ready.clock.set(datetime(2026, 4, 1, 15, 0, tzinfo=UTC))

    third = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved an order")
    for request in [call for call in ready.slack.calls("chat.postMessage") if blocks.APPROVE in str(call.args)]:
        ready.driver.click(request.channel, request, blocks.APPROVE)

    assert "already received or been put forward for Coffee &amp; cake voucher 2 times this month" in third.text
    assert "Until the ones still waiting for approval (2) are decided, a new month frees none" in third.text
    assert "again from" not in third.text, "a new month frees nothing while both still wait"
    with ready.sessions() as session:
        assert [grant.item_key for grant in grants(session)] == ["voucher_25", "voucher_25"]


def test_a_reward_at_its_monthly_most_says_from_when_it_can_be_given_again_on_the_nominators_clock(
    ready: RunningBot,
) -> None:
    for giver, why in (("U0AGENT1", "calmed a customer"), ("U0AGENT3", "covered a shift")):
        ready.driver.command(giver, "/nominate", f"{LEE} voucher_25 {why}")
    for request in [call for call in ready.slack.calls("chat.postMessage") if blocks.APPROVE in str(call.args)]:
        ready.driver.click(request.channel, request, blocks.APPROVE)

    refused = ready.driver.command("U0AGENT3", "/nominate", f"{LEE} voucher_25 saved an order")
    ready.clock.set(datetime(2026, 4, 1, 0, 0, 30, tzinfo=UTC))
    again = ready.driver.command("U0AGENT3", "/nominate", f"{LEE} voucher_25 saved an order")

    assert "Coffee &amp; cake voucher 2 times this month" in refused.text
    assert (
        "Try a shout-out or another reward, or this one again from Tuesday 31 March at 17:00 Los Angeles time."
        in refused.text
    ), "midnight UTC on Ines's clock: the evening before in Los Angeles"
    assert "waiting for approval by Maya Manager" in again.text


def test_approving_after_the_catalog_was_lowered_below_what_was_granted_says_both_counts(ready: RunningBot) -> None:
    raised = EXAMPLE_POLICY.read_text().replace("max_per_month = 2", "max_per_month = 3", 1)
    load_policy_text(ready.sessions, ready.clock.now(), raised)
    for giver, why in (("U0AGENT1", "calmed a customer"), ("U0AGENT3", "covered a shift"), ("U0MGR2", "a rush")):
        ready.driver.command(giver, "/nominate", f"{LEE} voucher_25 {why}")
    requests = [call for call in ready.slack.calls("chat.postMessage") if blocks.APPROVE in str(call.args)]
    for request in requests[:2]:
        ready.driver.click(request.channel, request, blocks.APPROVE)
    lowered = EXAMPLE_POLICY.read_text().replace("max_per_month = 2", "max_per_month = 1", 1)
    load_policy_text(ready.sessions, ready.clock.now(), lowered)

    ready.driver.click(requests[2].channel, requests[2], blocks.APPROVE)

    refused = ready.slack.calls("response_url")[-1].text
    assert "has already received Coffee &amp; cake voucher 2 times this month, more than the 1 the catalog allows" in (
        refused
    )
    with ready.sessions() as session:
        assert len(grants(session)) == 2


def test_approving_past_the_monthly_most_is_refused_when_the_catalog_was_lowered_meanwhile(
    ready: RunningBot,
) -> None:
    for giver, why in (("U0AGENT1", "calmed a customer"), ("U0AGENT3", "covered a shift")):
        ready.driver.command(giver, "/nominate", f"{LEE} voucher_25 {why}")
    lowered = EXAMPLE_POLICY.read_text().replace("max_per_month = 2", "max_per_month = 1", 1)
    load_policy_text(ready.sessions, ready.clock.now(), lowered)

    requests = [call for call in ready.slack.calls("chat.postMessage") if blocks.APPROVE in str(call.args)]
    for request in requests:
        ready.driver.click(request.channel, request, blocks.APPROVE)

    refused = ready.slack.calls("response_url")[-1].text
    assert "has already received Coffee &amp; cake voucher 1 time this month" in refused
    assert "decline this one, or approve it from Tuesday 31 March at 20:00 New York time" in refused, "Maya's clock"
    with ready.sessions() as session:
        assert len(grants(session)) == 1


def test_vouchers_put_forward_in_march_and_granted_in_april_count_in_april(ready: RunningBot) -> None:
    ready.clock.set(datetime(2026, 3, 31, 20, 0, tzinfo=UTC))
    for giver, why in (("U0AGENT1", "calmed a customer"), ("U0AGENT3", "covered a shift")):
        ready.driver.command(giver, "/nominate", f"{LEE} voucher_25 {why}")
    ready.clock.set(datetime(2026, 4, 1, 9, 0, tzinfo=UTC))
    for request in [call for call in ready.slack.calls("chat.postMessage") if blocks.APPROVE in str(call.args)]:
        ready.driver.click(request.channel, request, blocks.APPROVE)

    third = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved an order")

    assert "already received or been put forward for Coffee &amp; cake voucher 2 times this month" in third.text


def test_decline_on_a_nomination_already_approved_says_so_before_any_form_opens(ready: RunningBot) -> None:
    """A click sent before the update reached the screen: its Decline must not ask for a reason it will then refuse."""
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    request = request_to(ready, "U0MGR1")
    decline = ready.driver.click_payload("U0MGR1", request, blocks.DECLINE)
    ready.driver.click("U0MGR1", request, blocks.APPROVE)

    ready.driver.send_click(decline)

    assert ready.slack.calls("views.open") == []
    [told] = ready.slack.calls("response_url")
    assert "already approved by Maya Manager" in told.args["text"]


def test_an_old_click_on_a_nomination_revoked_since_says_when_it_was_approved_and_when_revoked(
    ready: RunningBot,
) -> None:
    """A revoked nomination keeps its approval's decider and date: HR revoked it, not its approver, and later."""
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    request = request_to(ready, "U0MGR1")
    approve_again = ready.driver.click_payload("U0MGR1", request, blocks.APPROVE)
    ready.driver.click("U0MGR1", request, blocks.APPROVE)
    approved_at = ready.clock.now()
    ready.clock.advance(timedelta(days=2))
    [to_hr] = [call for call in ready.slack.messages_to("U0HR") if call.method == "chat.postMessage"]
    ready.driver.click("U0HR", to_hr, reward_blocks.REVOKE)
    [opened] = ready.slack.calls("views.open")
    ready.driver.submit("U0HR", opened.args["view"], {WHY: "Duplicate of last week's voucher"})

    ready.driver.send_click(approve_again)

    [told] = ready.slack.calls("response_url")
    approved, revoked = (moment_words(at, "America/New_York") for at in (approved_at, ready.clock.now()))
    assert told.args["text"] == (
        f":warning: This nomination was already approved by Maya Manager on {approved}, then revoked by HR on "
        f"{revoked}; nothing changed."
    )
    with ready.sessions() as session:
        assert [grant.status for grant in grants(session)] == ["revoked"]


def test_revoke_on_a_grant_already_fulfilled_says_so_before_any_form_opens(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")
    ready.driver.click("U0MGR1", request_to(ready, "U0MGR1"), blocks.APPROVE)
    [to_hr] = [call for call in ready.slack.messages_to("U0HR") if call.method == "chat.postMessage"]
    revoke = ready.driver.click_payload("U0HR", to_hr, reward_blocks.REVOKE)
    ready.driver.click("U0HR", to_hr, reward_blocks.FULFIL)

    ready.driver.send_click(revoke)  # sent before the update of the message reached the screen

    assert ready.slack.calls("views.open") == []
    [told] = ready.slack.calls("response_url")
    assert "is already fulfilled; nothing changed" in told.args["text"]


def test_a_refusal_at_the_monthly_most_promises_no_date_while_others_waiting_could_take_the_next_month(
    ready: RunningBot,
) -> None:
    three = EXAMPLE_POLICY.read_text().replace("max_per_month = 2", "max_per_month = 3", 1)
    load_policy_text(ready.sessions, ready.clock.now(), three)
    for giver, why in (("U0AGENT1", "calmed a customer"), ("U0AGENT3", "covered a shift"), ("U0HR", "trained us")):
        ready.driver.command(giver, "/nominate", f"{LEE} voucher_25 {why}")
    lowered = EXAMPLE_POLICY.read_text().replace("max_per_month = 2", "max_per_month = 1", 1)
    load_policy_text(ready.sessions, ready.clock.now(), lowered)
    first, second, third = [call for call in ready.slack.calls("chat.postMessage") if blocks.APPROVE in str(call.args)]
    ready.driver.click("U0MGR1", first, blocks.APPROVE)

    ready.driver.click("U0MGR1", second, blocks.APPROVE)
    refused = ready.slack.calls("response_url")[-1].text
    ready.clock.set(datetime(2026, 4, 1, 9, 0, tzinfo=UTC))
    ready.driver.click("U0MGR1", third, blocks.APPROVE)
    ready.driver.click("U0MGR1", second, blocks.APPROVE)
    refused_again = ready.slack.calls("response_url")[-1].text

    assert "approve it from" not in refused, "the third, approved first in April, takes April's one"
    assert "1 other nomination of Lee Senior for it still waits for approval" in refused
    assert "has already received Coffee &amp; cake voucher 1 time this month" in refused_again
