"""What the stand-in sends is shaped as Slack sends it, so the app meets what a real workspace would send."""

import base64
import json
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.fakeslack import FakeSlack, SlackDriver
from bot.fakeslack.envelopes import event_envelope
from bot.fakeslack.server import BOT_TOKEN
from tests.unit.fakeslack_fixtures import driver

__all__ = ["driver"]

BUTTON = {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}, "value": "7"}


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("U0LEE", "Lee Senior")
        fake.add_channel("C0SUPPORT", "support")
        yield fake


def test_a_click_in_a_message_names_the_block_slack_gave_an_id_and_carries_the_message_as_slack_keeps_it(
    slack: FakeSlack, driver: SlackDriver
) -> None:
    """Slack gives a block the app sent without `block_id` one of its own: the click's action names it, and so
    does the message it carries; the message comes with who posted it and the (empty) state of its inputs."""
    client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
    client.chat_postMessage(channel="U0LEE", text="Go?", blocks=[{"type": "actions", "elements": [BUTTON]}])
    [posted] = slack.calls("chat.postMessage")

    payload = driver.click_payload("U0LEE", posted, "go")

    [block] = payload["message"]["blocks"]
    assert block["block_id"] and payload["actions"][0]["block_id"] == block["block_id"]
    assert payload["message"]["user"] == "U0LATBOT" and payload["message"]["bot_id"]
    assert payload["state"] == {"values": {}}
    assert payload["channel"] == {"id": "D0LEE", "name": "directmessage"}
    assert payload["enterprise"] is None and payload["is_enterprise_install"] is False
    assert payload["response_url"]


def test_a_click_in_an_ephemeral_message_carries_no_message_and_names_its_channel(
    slack: FakeSlack, driver: SlackDriver
) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
    blocks = [{"type": "actions", "block_id": "mine", "elements": [BUTTON]}]
    client.chat_postEphemeral(channel="C0SUPPORT", user="U0LEE", text="Go?", blocks=blocks)
    [posted] = slack.calls("chat.postEphemeral")

    payload = driver.click_payload("U0LEE", posted, "go")

    assert "message" not in payload
    assert payload["container"]["is_ephemeral"] is True
    assert payload["actions"][0]["block_id"] == "mine"
    assert payload["channel"] == {"id": "C0SUPPORT", "name": "support"}
    assert payload["response_url"]


def test_a_command_names_its_channel_as_slack_does(slack: FakeSlack, driver: SlackDriver) -> None:
    slack.add_channel("C0HRPRIV", "hr-private", private=True)
    assert driver.command_fields("U0LEE", "/resolve", channel="D0LEE")["channel_name"] == "directmessage"
    assert driver.command_fields("U0LEE", "/resolve", channel="C0HRPRIV")["channel_name"] == "privategroup"
    assert driver.command_fields("U0LEE", "/resolve", channel="C0SUPPORT")["channel_name"] == "support"
    assert driver.command_fields("U0LEE", "/resolve")["channel_name"] == "general"


def test_every_event_comes_with_its_context_and_whether_its_channel_is_shared() -> None:
    """https://docs.slack.dev/apis/events-api/#callback-field"""
    event = {"type": "app_home_opened", "user": "U0LEE", "channel": "D0LEE", "tab": "messages"}
    auth = {"team_id": "T0LATITUDE", "user_id": "U0LATBOT", "is_bot": True, "is_enterprise_install": False}

    envelope = event_envelope(event, team_id="T0LATITUDE", event_id="Ev1", event_time=1, authorization=auth)

    assert envelope["is_ext_shared_channel"] is False
    prefix, packed = envelope["event_context"].split("-", 1)
    named = json.loads(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)))
    assert prefix == "4"
    assert named == {"et": "app_home_opened", "tid": "T0LATITUDE", "aid": "A0LATITUDE", "cid": "D0LEE"}


@pytest.mark.parametrize("org_wide", [False, True], ids=["workspace install", "org-wide install"])
def test_a_view_comes_with_the_fields_slack_fills_in(slack: FakeSlack, org_wide: bool) -> None:
    """A form's submission names the workspace whose install opened it (`app_installed_team_id`, which Bolt reads
    first), and an empty `callback_id` and `private_metadata` where the app set none, as Slack sends them."""
    driver = SlackDriver("http://127.0.0.1:9/unused", "secret", slack, enterprise_id="E0GROUP", org_wide=org_wide)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Note"}, "blocks": []}
    slack.state.views.show(view, owner="U0LEE")

    sent = driver.submit_payload("U0LEE", view, {})["view"]

    assert (sent["callback_id"], sent["private_metadata"], sent["root_view_id"]) == ("", "", sent["id"])
    assert sent["app_installed_team_id"] == ("E0GROUP" if org_wide else slack.team_id)
