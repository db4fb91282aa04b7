"""Requests outside the boundaries: the decider's buttons, the decline-reason modal, reminders and escalation."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.fakeslack import Call
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import AuditEvent, Resolution
from services import request_viewers
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import add_org_people, count, employee, load_org, load_org_and_policy, load_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def request_over_the_limit(bot: RunningBot, user: str = "U0AGENT1") -> Call:
    bot.driver.command(user, "/resolve", "refund 80 order 42 parcel lost in transit")
    return bot.slack.calls("chat.postMessage")[-1]


def the_resolution(bot: RunningBot) -> Resolution:
    with bot.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        session.expunge(resolution)
        return resolution


def test_the_manager_approves_and_the_message_is_updated_in_place(ready: RunningBot) -> None:
    request = request_over_the_limit(ready)

    reply = ready.driver.click("U0MGR1", request, "resolution_approve")

    assert reply.status == 200
    [update] = ready.slack.calls("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (request.response["channel"], request.response["ts"])
    assert "approved by Maya Manager" in update.text
    assert "resolution_approve" not in str(update.args["blocks"])
    [outcome] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "Maya Manager approved your refund of $80" in outcome.text
    resolution = the_resolution(ready)
    assert resolution.status == "approved"
    assert resolution.decided_at == ready.clock.now()
    with ready.sessions() as session:
        assert resolution.decided_by_id == employee(session, "U0MGR1").id
        assert session.scalars(select(AuditEvent.action).where(AuditEvent.action == "resolution.approved")).one()


def test_decline_asks_for_a_reason_in_a_modal_then_tells_the_employee(ready: RunningBot) -> None:
    request = request_over_the_limit(ready)

    ready.driver.click("U0MGR1", request, "resolution_decline")
    [opened] = ready.slack.calls("views.open")
    empty = ready.driver.submit("U0MGR1", opened.args["view"], {"reason": ""}, forged=True)  # Slack's client asks first
    submitted = ready.driver.submit("U0MGR1", opened.args["view"], {"reason": "Lost parcels go to the carrier claim"})

    assert empty.json["response_action"] == "errors"
    assert submitted.status == 200 and submitted.body == ""
    assert "declined by Maya Manager: Lost parcels go to the carrier claim" in ready.slack.calls("chat.update")[0].text
    [outcome] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "declined your refund of $80" in outcome.text
    assert "Lost parcels go to the carrier claim" in outcome.text
    resolution = the_resolution(ready)
    assert (resolution.status, resolution.decline_reason) == ("declined", "Lost parcels go to the carrier claim")


def test_a_later_click_or_a_double_click_changes_nothing_and_says_why(ready: RunningBot) -> None:
    """A double click is two payloads, each with its own trigger and response URL: Slack never retries a click."""
    request = request_over_the_limit(ready)
    first, second, decline, later = (
        ready.driver.click_payload("U0MGR1", request, action)
        for action in ("resolution_approve", "resolution_approve", "resolution_decline", "resolution_approve")
    )
    ready.driver.send_clicks_at_once(first, second)  # the double click: both listeners run side by side
    decided_at = the_resolution(ready).decided_at
    ready.clock.advance(timedelta(minutes=5))

    ready.driver.send_click(decline)  # clicked on a screen the update had not reached
    ready.driver.send_click(later)

    responses = ready.slack.calls("response_url")
    assert len(responses) == 3
    assert all("already approved by Maya Manager" in r.text for r in responses)
    assert all(" New York time. Nothing changed." in r.text for r in responses), "when, on Maya's clock"
    assert ready.slack.calls("views.open") == []
    assert the_resolution(ready).decided_at == decided_at
    assert len(ready.slack.calls("chat.postMessage", channel="U0AGENT1")) == 1


def test_a_strangers_click_changes_nothing_and_says_why(ready: RunningBot) -> None:
    """Omar manages another team, and was never sent Sam's request: he hears it is not his, not whose it is."""
    request = request_over_the_limit(ready)

    ready.driver.click("U0MGR2", request, "resolution_approve", forged=True)

    [response] = ready.slack.calls("response_url")
    assert "You can't decide this request, or it no longer exists. Nothing changed." in response.text
    assert the_resolution(ready).status == "pending"
    assert ready.slack.calls("chat.update") == []


def test_a_forged_click_on_another_teams_request_names_neither_who_asked_nor_whom_it_waits_on(
    ready: RunningBot,
) -> None:
    """Request ids are counted up: Ines, of another team, forging Approve or Decline with the id of Sam's request
    (waiting on Maya) would otherwise learn, request after request, who asked and who decides."""
    request = request_over_the_limit(ready)

    for action in ("resolution_approve", "resolution_decline"):
        ready.driver.click("U0AGENT3", request, action, forged=True)  # the buttons of Maya's DM, carrying its id

    told = [call.text for call in ready.slack.calls("response_url")]
    assert len(told) == 2 and all(request_viewers.NOT_YOUR_REQUEST in text for text in told), told
    assert not any(name in text for text in told for name in ("Sam", "Maya", "Ada")), told
    resolution = the_resolution(ready)
    assert (resolution.status, resolution.decided_by_id, resolution.decided_at) == ("pending", None, None)
    assert ready.slack.calls("chat.update") == [] and ready.slack.calls("views.open") == []
    with ready.sessions() as session:
        assert session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("resolution.%"))).all() == []


def test_hr_whose_digests_list_the_request_still_hear_whose_it_is(ready: RunningBot) -> None:
    """HR read any team's digest (`/digest team:`), which lists what waits in it: Hana may not decide Sam's request,
    and is told who may."""
    request = request_over_the_limit(ready)

    ready.driver.click("U0HR", request, "resolution_approve", forged=True)

    [response] = ready.slack.calls("response_url")
    assert "Only Sam Agent's manager or an admin can decide this request. It waits on Maya Manager." in response.text
    assert the_resolution(ready).status == "pending"


def test_an_admin_may_decide_for_anyone(ready: RunningBot) -> None:
    request_over_the_limit(ready)

    approve_from_the_admins_home(ready)

    assert the_resolution(ready).status == "approved"


def test_without_a_manager_the_request_goes_to_the_admins_and_the_employee_is_told(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NOBODY", "Nico Nobody")

    bot.driver.command("U0NOBODY", "/resolve", "credit 40 big goodwill gesture")

    [reply] = bot.slack.calls("response_url")  # once Slack was asked whether they are a guest
    assert "added you as a frontline employee" in reply.text
    assert "sent it to Ada Admin to decide" in reply.text
    [request] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "needs your decision" in request.text


def test_a_waiting_request_reminds_once_then_goes_one_level_up(ready: RunningBot) -> None:
    request_over_the_limit(ready)
    deps, client = ready.runtime.deps, ready.runtime.app.client

    ready.clock.advance(timedelta(hours=23))
    follow_up_pending_requests(deps, client)
    assert len(ready.slack.calls("chat.postMessage", channel="U0MGR1")) == 1

    ready.clock.advance(timedelta(hours=2))
    follow_up_pending_requests(deps, client)
    follow_up_pending_requests(deps, client)
    reminders = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    assert len(reminders) == 2
    assert "Reminder" in reminders[-1].text

    ready.clock.advance(timedelta(hours=24))
    follow_up_pending_requests(deps, client)
    follow_up_pending_requests(deps, client)
    [escalation] = ready.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "waited too long for Maya Manager, so it comes to you" in escalation.text
    ready.driver.click("U0ADMIN", escalation, "resolution_approve")
    assert the_resolution(ready).status == "approved"


def test_the_managers_home_shows_what_waits_for_a_decision(ready: RunningBot) -> None:
    request_over_the_limit(ready)

    ready.driver.open_home("U0MGR1")

    [home] = ready.slack.calls("views.publish")
    assert "Waiting for your decision" in home.text
    assert "resolution_approve" in str(home.args["view"]["blocks"])
    ready.driver.click_in_view("U0MGR1", home.args["view"], "resolution_approve")
    assert the_resolution(ready).status == "approved"
    refreshed = ready.slack.calls("views.publish")[-1]
    assert "Waiting for your decision" not in refreshed.text


def test_an_admins_home_says_its_list_is_the_whole_workspaces(
    ready: RunningBot,
) -> None:
    request_over_the_limit(ready)  # waits on Maya, not on Ada

    ready.driver.open_home("U0ADMIN")

    [home] = ready.slack.calls("views.publish")
    assert "Waiting for a decision in the workspace* (1): as an admin you may decide these" in home.text
    assert "Waiting for your decision" not in home.text


def test_declining_from_the_home_through_the_reason_modal_refreshes_the_home(ready: RunningBot) -> None:
    request_over_the_limit(ready)
    ready.driver.open_home("U0MGR1")
    [home] = ready.slack.calls("views.publish")

    ready.driver.click_in_view("U0MGR1", home.args["view"], "resolution_decline")
    [opened] = ready.slack.calls("views.open")
    submitted = ready.driver.submit("U0MGR1", opened.args["view"], {"reason": "Send it to the carrier claim"})

    assert submitted.status == 200 and submitted.body == ""
    assert the_resolution(ready).status == "declined"
    _home, refreshed = ready.slack.calls("views.publish", user_id="U0MGR1")
    assert "Waiting for your decision" in home.text and "Waiting for your decision" not in refreshed.text
    assert [c.method for c in ready.slack.calls() if c.method.endswith(":failed")] == []


def test_a_click_in_the_home_on_a_request_already_decided_says_so_in_the_home(ready: RunningBot) -> None:
    request_over_the_limit(ready)
    ready.driver.open_home("U0MGR1")
    [home] = ready.slack.calls("views.publish")
    on_mayas_home = ready.driver.view_click_payload("U0MGR1", home.args["view"], "resolution_decline")
    approve_from_the_admins_home(ready)

    ready.driver.send_click(on_mayas_home)  # clicked before Ada's decision reached Maya's Home

    _home, refreshed = ready.slack.calls("views.publish", user_id="U0MGR1")
    assert "already approved by Ada Admin" in refreshed.text
    assert "Waiting for your decision" not in refreshed.text
    assert ready.slack.calls("views.open") == []
    assert [c.method for c in ready.slack.calls() if c.method.endswith(":failed")] == []


def test_the_employees_home_shows_recent_resolutions_and_allowance(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "refund 45 order 1 late")

    ready.driver.open_home("U0AGENT1")

    [home] = ready.slack.calls("views.publish")
    assert "My recent resolutions" in home.text
    assert "refund $45: ✅ within your boundaries" in home.text
    assert "*refund*: $105 left today, $955 left this month" in home.text


def test_the_resolve_modal_logs_a_fix(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve")
    [opened] = ready.slack.calls("views.open")

    bad = ready.driver.submit(
        "U0AGENT1", opened.args["view"], {"category": "credit", "amount": "-5", "summary": "sorry"}
    )
    good = ready.driver.submit(
        "U0AGENT1",
        opened.args["view"],
        {
            "category": "credit",
            "amount": "$20",
            "customer_ref": "CASE-9",
            "summary": "Sorry for the wait",
            "outcome": "happy",
        },
    )

    assert bad.json == {"response_action": "errors", "errors": {"amount": bad.json["errors"]["amount"]}}
    assert "can't be negative" in bad.json["errors"]["amount"]
    assert good.status == 200
    [confirmation] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "Logged your *credit* of $20" in confirmation.text
    resolution = the_resolution(ready)
    assert (resolution.customer_ref, resolution.customer_outcome, resolution.amount) == ("CASE-9", "happy", 20)


def test_the_resolve_modal_logs_a_fix_without_the_optional_fields(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve")
    [opened] = ready.slack.calls("views.open")

    reply = ready.driver.submit(
        "U0AGENT1", opened.args["view"], {"category": "credit", "amount": "20", "summary": "Sorry for the wait"}
    )

    assert reply.json == {}
    [confirmation] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "Logged your *credit* of $20" in confirmation.text
    resolution = the_resolution(ready)
    assert (resolution.customer_ref, resolution.customer_outcome) == (None, None)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "A “credit” involves money: give an amount above zero, like “45”."),
        ("0", "A “credit” involves money: give an amount above zero, like “45”."),
        ("€20", "Your limits are in USD, and “€20” is not"),
        ("<5>", "“<5>” isn't an amount I understand."),  # Slack shows a form's error as plain text
        ("1 200", "Write the amount without a space: “1200” or “1,200”, not “1 200”."),
    ],
)
def test_the_resolve_modal_refuses_a_money_fix_without_an_amount_in_the_policy_currency(
    ready: RunningBot, amount: str, message: str
) -> None:
    ready.driver.command("U0AGENT1", "/resolve")
    [opened] = ready.slack.calls("views.open")

    reply = ready.driver.submit(
        "U0AGENT1", opened.args["view"], {"category": "credit", "amount": amount, "summary": "Sorry for the wait"}
    )

    assert message in reply.json["errors"]["amount"]
    assert ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert count(session, Resolution) == 0


def test_when_one_admin_decides_every_admins_buttons_are_replaced(bot: RunningBot) -> None:
    csv_text = (
        "slack_id,name,team,role,manager_slack_id\n"
        "U0ADM1,Ada One,Ops,admin,\nU0ADM2,Bo Two,Ops,admin,\nU0LONE,Lone Agent,Ops,frontline,\n"
    )
    load_org(bot.sessions, bot.clock.now(), csv_text)
    add_org_people(bot.slack, csv_text)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0LONE", "/resolve", "credit 40 big goodwill gesture")
    first = bot.slack.calls("chat.postMessage", channel="U0ADM1")[0]

    bot.driver.click("U0ADM1", first, "resolution_approve")

    updated = {call.args["channel"] for call in bot.slack.calls("chat.update")}
    assert updated == {"D0ADM1", "D0ADM2"}
    assert all("approved by Ada One" in call.text for call in bot.slack.calls("chat.update"))


@pytest.mark.parametrize("typed", ["20.", "$20,", "20 USD."])
def test_an_amount_in_the_form_with_a_full_stop_or_comma_after_it_is_that_amount(ready: RunningBot, typed: str) -> None:
    """Refused, `20.` was answered "isn't an amount I understand. Use digits", to someone who had."""
    ready.driver.command("U0AGENT1", "/resolve")
    opened = ready.slack.calls("views.open")[-1]

    reply = ready.driver.submit(
        "U0AGENT1", opened.args["view"], {"category": "credit", "amount": typed, "summary": "Sorry for the wait"}
    )

    assert reply.json == {}
    assert the_resolution(ready).amount == 20


def approve_from_the_admins_home(ready: RunningBot) -> None:
    """Ada opens her Home, which lists every request waiting in the workspace, and approves the first."""
    ready.driver.open_home("U0ADMIN")
    home = ready.slack.calls("views.publish", user_id="U0ADMIN")[-1]
    ready.driver.click_in_view("U0ADMIN", home.args["view"], "resolution_approve")


ORG_WITH_A_DIRECTOR = (FIXTURES / "org.csv").read_text().replace(
    "U0MGR1,Maya Manager,Support East,manager,U0ADMIN,", "U0MGR1,Maya Manager,Support East,manager,U0DIR,"
) + "U0DIR,Dan Director,Support,manager,U0ADMIN,dan@example.com,America/New_York,\n"


def test_a_manager_above_the_requesters_manager_hears_whose_it_is(bot: RunningBot) -> None:
    """Dan manages Maya, who manages Sam: his Home and digest show his whole org's waiting requests, names and all.
    He may not decide Sam's (Maya does), and is told so by name."""
    load_org(bot.sessions, bot.clock.now(), ORG_WITH_A_DIRECTOR)
    add_org_people(bot.slack, ORG_WITH_A_DIRECTOR)
    load_policy(bot.sessions, bot.clock.now())
    request = request_over_the_limit(bot)

    bot.driver.click("U0DIR", request, "resolution_approve", forged=True)

    [response] = bot.slack.calls("response_url")
    assert "Only Sam Agent's manager or an admin can decide this request. It waits on Maya Manager." in response.text
    assert the_resolution(bot).status == "pending"


def test_who_decided_a_request_hears_so_after_they_no_longer_manage_anyone_above_it(ready: RunningBot) -> None:
    """Ada approved Sam's request from her Home (it was sent to Maya); the org then makes her an agent of Omar's, and
    Omar the admin. Her second click on the copy she decided from still says it was decided, not that it is none of
    hers."""
    request = request_over_the_limit(ready)
    ready.driver.click("U0ADMIN", request, "resolution_approve", forged=True)  # the Home's buttons, as Maya's DM's
    demoted = (
        (FIXTURES / "org.csv")
        .read_text()
        .replace("U0ADMIN,Ada Admin,Operations,admin,,", "U0ADMIN,Ada Admin,Support West,frontline,U0MGR2,")
        .replace(",U0ADMIN,", ",,")
        .replace("U0MGR2,Omar Manager,Support West,manager,", "U0MGR2,Omar Manager,Support West,admin,")
    )
    load_org(ready.sessions, ready.clock.now(), demoted)
    add_org_people(ready.slack, demoted)
    ready.slack.reset()

    ready.driver.click("U0ADMIN", request, "resolution_approve", forged=True)

    [response] = ready.slack.calls("response_url")
    assert "This request was already decided. Nothing changed." in response.text, response.text
    assert the_resolution(ready).status == "approved"
