"""The Slack stand-in's faults: a connection closed unanswered (before or after acting), a fault met only by calls to
one channel."""

from http.client import RemoteDisconnected

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack
from bot.fakeslack.server import BOT_TOKEN


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    """Without slack_sdk's default retry of a dropped connection: each call meets one fault."""
    return WebClient(token=BOT_TOKEN, base_url=slack.api_url, retry_handlers=[])


def test_a_hang_up_closes_the_connection_without_an_answer_or_a_post(slack: FakeSlack, client: WebClient) -> None:
    slack.add_user("U0A", "Ada Admin")
    slack.fail("chat.postMessage", hang_up=True)

    with pytest.raises(RemoteDisconnected):
        client.chat_postMessage(channel="U0A", text="hello")

    assert slack.calls("chat.postMessage") == []
    assert client.chat_postMessage(channel="U0A", text="hello")["ok"], "the next call is answered"


def test_a_hang_up_after_acting_posts_then_closes_the_connection(slack: FakeSlack, client: WebClient) -> None:
    slack.add_user("U0A", "Ada Admin")
    slack.fail("chat.postMessage", hang_up_after_acting=True)

    with pytest.raises(RemoteDisconnected):
        client.chat_postMessage(channel="U0A", text="hello")

    [posted] = slack.calls("chat.postMessage")
    assert posted.text == "hello"
    assert client.chat_postMessage(channel="U0A", text="again")["ok"], "the next call is answered"


def test_a_fault_for_one_channel_leaves_calls_to_the_others_alone(slack: FakeSlack, client: WebClient) -> None:
    slack.add_user("U0A", "Ada Admin")
    slack.add_user("U0B", "Ben Agent")
    slack.fail("chat.postMessage", error="channel_not_found", channel="U0B")

    assert client.chat_postMessage(channel="U0A", text="to A")["ok"]
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0B", text="to B")

    assert raised.value.response["error"] == "channel_not_found"
    assert [call.channel for call in slack.calls("chat.postMessage")] == ["U0A"]


def test_a_rate_limit_without_its_retry_after_is_not_one_slack_sends(slack: FakeSlack) -> None:
    with pytest.raises(ValueError, match="Retry-After"):
        slack.fail("chat.postMessage", status=429)
