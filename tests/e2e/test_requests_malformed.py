"""Signed but malformed payloads reaching a listener: a clear 400 (a form: its reason shown), and nothing changes."""

import logging

import pytest
from sqlalchemy import select

from bot.fakeslack import Call
from models import Resolution
from tests.conftest import RunningBot
from tests.e2e.test_forms_altered import assert_refused_in_the_form
from tests.helpers import load_org_and_policy


@pytest.fixture
def request_message(bot: RunningBot) -> Call:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    return bot.slack.calls("chat.postMessage")[-1]


def statuses(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        return list(session.scalars(select(Resolution.status)))


def calls_since(bot: RunningBot, before: int) -> list[str]:
    return [call.method for call in bot.slack.calls()[before:]]


@pytest.mark.parametrize("value", ["abc", "", "1 OR 1=1", "-1", "99999999999999999999999"])
@pytest.mark.parametrize("button", ["resolution_approve", "resolution_decline"])
def test_a_decision_button_with_a_value_our_buttons_never_carry_gets_400(
    bot: RunningBot, request_message: Call, button: str, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    before = len(bot.slack.calls())

    with caplog.at_level(logging.WARNING):
        reply = bot.driver.click("U0MGR1", request_message, button, value=value, forged=True)

    assert reply.status == 400
    assert "Bad request" in reply.body
    assert statuses(bot) == ["pending"]
    assert calls_since(bot, before) == []
    assert any("malformed" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("metadata", ["not json", "[]", '{"resolution": "x", "channel": "D", "ts": "1"}', ""])
def test_a_decline_reason_with_bad_private_metadata_is_refused_in_the_form(
    bot: RunningBot, request_message: Call, metadata: str
) -> None:
    bot.driver.click("U0MGR1", request_message, "resolution_decline")
    view = bot.slack.calls("views.open")[-1].args["view"]
    before = len(bot.slack.calls())

    reply = bot.driver.submit("U0MGR1", {**view, "private_metadata": metadata}, {"reason": "no"}, forged=True)

    assert_refused_in_the_form(reply)
    assert statuses(bot) == ["pending"]
    assert calls_since(bot, before) == []


def test_a_resolve_form_without_its_state_gets_400(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")
    view = bot.slack.calls("views.open")[-1].args["view"]
    payload = bot.driver.submit_payload("U0AGENT1", view, {}, forged=True)
    del payload["view"]["state"]

    reply = bot.driver.post_payload(payload)

    assert reply.status == 400
    assert statuses(bot) == []


def test_a_resolve_form_with_a_field_left_out_gets_a_message_on_that_field(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")
    view = bot.slack.calls("views.open")[-1].args["view"]
    payload = bot.driver.submit_payload("U0AGENT1", view, {"amount": "20", "summary": "late parcel"}, forged=True)
    payload["view"]["state"]["values"].pop("category")

    reply = bot.driver.post_payload(payload)

    assert reply.status == 200
    assert reply.json["response_action"] == "errors"
    assert statuses(bot) == []
