"""A fix's messages hold whatever people and policies wrote: the longest names, summaries and reasons are shown
whole over several sections, or cut where the reader sees it, never cut off unsaid at a section's 3,000 characters."""

from datetime import timedelta

import pytest

from bot.fakeslack import Call
from handlers.blocks.kit import NAME_SHOWN
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from tests.conftest import RunningBot
from tests.helpers import employee, load_org_and_policy

LONGEST_NAME = "&" * 200
"""A name as long as the directory keeps one, each character escaped in mrkdwn to five."""


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def sections_of(call: Call) -> list[str]:
    return [block["text"]["text"] for block in call.args["blocks"] if block["type"] == "section"]


def test_every_earlier_fix_for_the_customer_is_shown_whatever_the_names_of_those_who_made_them(
    ready: RunningBot,
) -> None:
    with ready.sessions.begin() as session:
        employee(session, "U0AGENT3").name = LONGEST_NAME
    for number in range(1, 6):
        ready.driver.command("U0AGENT3", "/resolve", f"credit 5 order 555 earlier fix number {number}")
        ready.clock.advance(timedelta(minutes=10))

    reply = ready.driver.command("U0AGENT1", "/resolve", "credit 5 order 555 still wrong size")

    assert "Earlier for this customer" in reply.text
    assert all(f"earlier fix number {number}" in reply.text for number in range(1, 6)), reply.text
    shown = sections_of_reply(reply.json)
    assert shown and all(len(text) <= 3000 and not text.endswith("…") for text in shown)
    assert ready.slack.violations == []


def sections_of_reply(body: dict[str, object]) -> list[str]:
    blocks = body.get("blocks") or []
    assert isinstance(blocks, list)
    return [block["text"]["text"] for block in blocks if block["type"] == "section"]


def test_a_decline_reason_reaches_the_employee_whole_whatever_the_deciders_name(ready: RunningBot) -> None:
    with ready.sessions.begin() as session:
        employee(session, "U0MGR1").name = LONGEST_NAME
    ready.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    request = ready.slack.calls("chat.postMessage")[-1]
    reason = "Q&A " * 246 + "file it today"  # 997 characters, escaped to 1,983
    ready.driver.click("U0MGR1", request, "resolution_decline")
    [opened] = ready.slack.calls("views.open")

    ready.driver.submit("U0MGR1", opened.args["view"], {"reason": reason})

    [outcome] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "file it today" in sections_of(outcome)[-1]
    assert all(len(text) <= 3000 for text in sections_of(outcome))
    assert ready.slack.violations == []


def test_the_longest_names_in_a_request_and_its_escalation_are_cut_as_everywhere_else(ready: RunningBot) -> None:
    with ready.sessions.begin() as session:
        employee(session, "U0AGENT1").name = LONGEST_NAME
        employee(session, "U0MGR1").name = LONGEST_NAME
    ready.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    for wait in (timedelta(hours=25), timedelta(hours=25)):  # a reminder, then it goes up
        ready.clock.advance(wait)
        follow_up_pending_requests(ready.runtime.deps, ready.runtime.app.client)

    [request] = ready.slack.calls("chat.postMessage", channel="U0MGR1")[:1]
    [escalation] = ready.slack.calls("chat.postMessage", channel="U0ADMIN")
    for message, names in ((request, 1), (escalation, 2)):
        heading = sections_of(message)[0].split("\n")[0]
        assert heading.count("…") == names and len(heading) <= names * NAME_SHOWN + 80, heading
        assert "*Customer:* order 42" in sections_of(message)[0]
    assert ready.slack.violations == []
