"""The listeners' Slack client retries only what is safe to repeat: a read or an update after a dropped connection
or a 5xx, a post only when it never reached Slack; a rate limit is raised at once, never slept through."""

import socket
import time
from http.client import RemoteDisconnected
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.state import RetryState

from bot.app import create_client
from bot.fakeslack import FakeSlack
from bot.retries import retry_handlers
from tests.conftest import bot_settings


def test_a_rate_limited_call_is_raised_at_once_with_retry_after_not_slept_through(slack: FakeSlack) -> None:
    slack.add_user("U0A", "Sam Agent")
    client = create_client(bot_settings(slack, "sqlite://"))
    slack.fail("chat.postMessage", status=429, retry_after=3)
    started = time.monotonic()

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0A", text="hello")

    assert time.monotonic() - started < 1.0, "a listener thread slept through Slack's Retry-After"
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "3"
    assert len(slack.calls("chat.postMessage:failed")) == 1


def test_a_server_error_is_retried_at_once_never_slept_through_in_the_listener_thread(slack: FakeSlack) -> None:
    """Bolt's authorize calls `auth.test` for each request of an OAuth install before anything is acked, and a
    listener asleep holds one of the pool's threads: a backoff of 0.5 s doubling, plus up to 1 s of jitter each
    time, could hold a request past Slack's 3 s. What still fails reaches the caller, whose outbox waits instead."""
    client = create_client(bot_settings(slack, "sqlite://"))
    slack.fail("auth.test", times=2, status=503)
    started = time.monotonic()

    assert client.auth_test()["ok"]

    assert time.monotonic() - started < 1.0, "a listener thread slept between retries"
    assert len(slack.calls("auth.test:failed")) == 2


def test_a_server_error_is_retried_twice_then_raised_for_a_call_safe_to_repeat(slack: FakeSlack) -> None:
    client = create_client(bot_settings(slack, "sqlite://"))
    slack.fail("chat.update", times=3, status=503)

    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="C0GENERAL", ts="1.000001", text="hello")

    assert raised.value.response.status_code == 503
    assert len(slack.calls("chat.update:failed")) == 3


def test_a_server_error_after_a_post_is_raised_at_once_as_slack_may_have_posted(slack: FakeSlack) -> None:
    slack.add_user("U0A", "Sam Agent")
    client = create_client(bot_settings(slack, "sqlite://"))
    slack.fail("chat.postMessage", times=3, status=503)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0A", text="hello")

    assert raised.value.response.status_code == 503
    assert len(slack.calls("chat.postMessage:failed")) == 1


def test_a_post_whose_connection_dropped_after_slack_acted_is_not_sent_again(slack: FakeSlack) -> None:
    slack.add_user("U0A", "Sam Agent")
    client = create_client(bot_settings(slack, "sqlite://"))
    slack.fail("chat.postMessage", hang_up_after_acting=True)

    with pytest.raises(RemoteDisconnected):
        client.chat_postMessage(channel="U0A", text="hello")

    assert len(slack.messages_to("U0A")) == 1


def test_an_update_whose_connection_dropped_after_slack_acted_is_sent_again(slack: FakeSlack) -> None:
    slack.add_user("U0A", "Sam Agent")
    client = create_client(bot_settings(slack, "sqlite://"))
    posted = client.chat_postMessage(channel="U0A", text="hello")
    slack.fail("chat.update", hang_up_after_acting=True)

    assert client.chat_update(channel=posted["channel"], ts=posted["ts"], text="done")["ok"]
    assert len(slack.calls("chat.update")) == 2


@pytest.mark.parametrize(
    ("reason", "retried"),
    [
        pytest.param(ConnectionRefusedError(111, "Connection refused"), True, id="refused"),
        pytest.param(socket.gaierror(-2, "Name or service not known"), True, id="no-address"),
        pytest.param(ConnectionResetError(104, "Connection reset by peer"), False, id="reset-while-sending"),
        pytest.param(TimeoutError("timed out"), False, id="timeout"),
    ],
)
def test_a_post_is_retried_only_when_the_request_never_reached_slack(reason: OSError, retried: bool) -> None:
    request = HttpRequest(method="POST", url="https://slack.com/api/chat.postMessage", headers={})
    error = URLError(reason)

    can = [h.can_retry(state=RetryState(), request=request, error=error) for h in retry_handlers()]

    assert any(can) is retried


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(URLError(TimeoutError("_ssl.c:989: The handshake operation timed out")), id="handshake"),
        pytest.param(URLError(TimeoutError("timed out")), id="connecting"),
        pytest.param(TimeoutError("The read operation timed out"), id="reading"),
    ],
)
def test_a_timeout_is_retried_for_no_method_not_even_a_read(error: Exception) -> None:
    """Bolt's authorize checks the token with a 1.5 s timeout before the ack: tried three times, a Slack that hangs
    in the handshake would hold the request 4.5 s, past Slack's 3 s."""
    request = HttpRequest(method="POST", url="https://slack.com/api/auth.test", headers={})

    can = [h.can_retry(state=RetryState(), request=request, error=error) for h in retry_handlers()]

    assert not any(can)


def test_a_dropped_connection_is_retried_twice_then_raised(slack: FakeSlack) -> None:
    client = create_client(bot_settings(slack, "sqlite://"))
    slack.fail("users.info", times=3, hang_up=True)

    with pytest.raises(ConnectionError):
        client.users_info(user="U0A")

    assert len(slack.calls("users.info:failed")) == 3
