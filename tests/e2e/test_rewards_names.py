"""Reward messages name people as Slack shows them: a newcomer the directory knows only by Slack handle is a mention."""

from datetime import timedelta

import pytest

from handlers.blocks import nominations as blocks
from handlers.blocks import rewards as reward_blocks
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from services import directory
from tests.conftest import RunningBot
from tests.e2e.test_rewards_approval import LEE, WHY, action_ids, request_to
from tests.helpers import employee
from tests.rewards_helpers import newcomer_known_by_handle, set_up


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    return bot


def test_the_request_and_its_reminder_name_a_newcomer_as_slack_shows_them_not_by_handle(ready: RunningBot) -> None:
    nora = newcomer_known_by_handle(ready)
    ready.driver.command("U0AGENT1", "/nominate", f"<@{nora}|nora.newbie> voucher_25 a great first week")
    request = request_to(ready, "U0HR")

    ready.clock.advance(timedelta(hours=25))
    follow_up_pending_requests(ready.runtime.deps, ready.runtime.sender_client)

    assert request.args["text"] == "Approve Coffee &amp; cake voucher for <@U0NEWBIE>?"
    [reminder] = [c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if "Reminder" in c.text]
    assert reminder.args["text"] == "Reminder: Approve Coffee &amp; cake voucher for <@U0NEWBIE>?"


def test_the_nominators_dms_and_hrs_name_a_newcomer_nominee_as_slack_shows_them(ready: RunningBot) -> None:
    nora = newcomer_known_by_handle(ready)
    for why in ("a great first week", "a great second week"):
        ready.driver.command("U0AGENT1", "/nominate", f"<@{nora}|nora.newbie> voucher_25 {why}")
    first, second = [call for call in ready.slack.messages_to("U0HR") if blocks.APPROVE in action_ids(call.args)]

    ready.driver.click("U0HR", first, blocks.APPROVE)
    ready.driver.click("U0HR", second, blocks.DECLINE)
    [opened] = ready.slack.calls("views.open")
    ready.driver.submit("U0HR", opened.args["view"], {WHY: "One a month"})
    [to_ada] = [call for call in ready.slack.messages_to("U0ADMIN") if reward_blocks.REVOKE in action_ids(call.args)]
    ready.driver.click("U0ADMIN", to_ada, reward_blocks.REVOKE)
    [_, revoking] = ready.slack.calls("views.open")
    ready.driver.submit("U0ADMIN", revoking.args["view"], {WHY: "Counted twice"})

    approved, declined, revoked = (call.text for call in ready.slack.messages_to("U0AGENT1"))
    assert "<@U0NEWBIE>'s *Coffee &amp; cake voucher* was approved" in approved
    assert "Your nomination of <@U0NEWBIE> for *Coffee &amp; cake voucher* was declined by Hana Reyes" in declined
    assert "you gave <@U0NEWBIE> was revoked by HR" in revoked
    assert "for <@U0NEWBIE>, from Sam Agent, approved by Hana Reyes" in to_ada.text


def test_hrs_grant_and_the_recipients_revoke_dm_name_a_newcomer_nominator_as_slack_shows_them(
    ready: RunningBot,
) -> None:
    nora = newcomer_known_by_handle(ready)
    ready.driver.command(nora, "/nominate", f"{LEE} voucher_25 showed me the ropes")  # Slack answers: no guest
    ready.driver.click("U0MGR1", request_to(ready, "U0MGR1"), blocks.APPROVE)
    [to_hr] = [call for call in ready.slack.messages_to("U0HR") if call.method == "chat.postMessage"]

    ready.driver.click("U0HR", to_hr, reward_blocks.REVOKE)
    [opened] = ready.slack.calls("views.open")
    ready.driver.submit("U0HR", opened.args["view"], {WHY: "Counted twice"})

    assert "for Lee Senior, from <@U0NEWBIE>, approved by Maya Manager" in to_hr.text
    assert (
        "Your *Coffee &amp; cake voucher* from <@U0NEWBIE> was revoked by HR"
        in ready.slack.messages_to("U0AGENT2")[-1].text
    )
    assert all("nora.newbie" not in call.text for call in ready.slack.calls("chat.postMessage"))


def test_nobody_left_to_approve_names_a_newcomer_as_slack_shows_them(ready: RunningBot) -> None:
    nora = newcomer_known_by_handle(ready)
    with ready.sessions.begin() as session:
        for hr in ("U0HR", "U0ADMIN"):
            employee(session, hr).active = False
        directory.profile_updated(session, employee(session, "U0HR"))

    refused = ready.driver.command("U0AGENT1", "/nominate", f"<@{nora}|nora.newbie> voucher_25 a great first week")

    assert refused.text == "", "Slack is asked first whether she is a guest, the org file not listing her"
    [answer] = ready.slack.calls("response_url")
    assert "Nobody can approve a reward for <@U0NEWBIE>: they have no manager on file" in answer.args["text"]
    assert "nora.newbie" not in answer.args["text"]


def test_a_form_error_about_one_of_several_people_picked_names_them_in_words(ready: RunningBot) -> None:
    """Slack shows a form's errors as plain text, where a mention would read `<@U…>`."""
    nora = newcomer_known_by_handle(ready)
    for why in ("a great first week", "a great second week"):  # the catalog allows two a month
        ready.driver.command("U0AGENT1", "/nominate", f"<@{nora}|nora.newbie> voucher_25 {why}")
    ready.driver.command("U0AGENT3", "/nominate", "")
    [opened] = ready.slack.calls("views.open")

    reply = ready.driver.submit(
        "U0AGENT3",
        opened.args["view"],
        {blocks.PEOPLE: ["U0AGENT2", nora], blocks.REWARD: "voucher_25", blocks.REASON: "both were great"},
    )

    [error] = reply.json["errors"].values()
    assert error.startswith("nora.newbie has already received or been put forward for Coffee & cake voucher 2 times")


def test_rewards_history_names_a_newcomer_as_slack_shows_them(ready: RunningBot) -> None:
    nora = newcomer_known_by_handle(ready)
    ready.driver.command("U0AGENT1", "/nominate", f"<@{nora}|nora.newbie> great first week")

    history = ready.driver.command("U0AGENT1", "/rewards")

    assert f"to <@{nora}>" in history.text and "nora.newbie" not in history.text
