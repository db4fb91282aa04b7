"""The listeners' Slack client retries Slack's 5xx; a rate limit is raised at once, never slept through."""

import time

import pytest
from slack_sdk.errors import SlackApiError

from bot.app import create_client
from bot.fakeslack import FakeSlack
from tests.conftest import bot_settings


def test_a_rate_limited_call_is_raised_at_once_with_retry_after_not_slept_through(slack: FakeSlack) -> None:
    client = create_client(bot_settings(slack, "sqlite://", slack_retry_pace=1.0))  # production's pace
    slack.fail("chat.postMessage", status=429, retry_after=3)
    started = time.monotonic()

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0A", text="hello")

    assert time.monotonic() - started < 1.0, "a listener thread slept through Slack's Retry-After"
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "3"
    assert len(slack.calls("chat.postMessage:failed")) == 1


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
