"""The Slack client retries rate limits and Slack's 5xx; a rate limit waits as long as Slack's Retry-After asks."""

import pytest
from slack_sdk.errors import SlackApiError

from bot.app import create_client
from bot.fakeslack import FakeSlack
from tests.conftest import bot_settings


def test_a_rate_limited_call_waits_for_retry_after_then_goes_through(slack: FakeSlack) -> None:
    client = create_client(bot_settings(slack, "sqlite://", slack_retry_pace=1.0))
    slack.fail("chat.postMessage", status=429, retry_after=1)

    client.chat_postMessage(channel="U0A", text="hello")

    [refused] = slack.calls("chat.postMessage:failed")
    [sent] = slack.calls("chat.postMessage")
    assert sent.at - refused.at >= 1.0


def test_a_server_error_is_retried_twice_then_raised(slack: FakeSlack) -> None:
    client = create_client(bot_settings(slack, "sqlite://"))
    slack.fail("chat.postMessage", times=3, status=503)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0A", text="hello")

    assert raised.value.response.status_code == 503
    assert len(slack.calls("chat.postMessage:failed")) == 3
    assert slack.calls("chat.postMessage") == []


def test_a_dropped_connection_is_retried_twice_then_raised(slack: FakeSlack) -> None:
    client = create_client(bot_settings(slack, "sqlite://"))
    slack.fail("users.info", times=3, hang_up=True)

    with pytest.raises(ConnectionError):
        client.users_info(user="U0A")

    assert len(slack.calls("users.info:failed")) == 3
