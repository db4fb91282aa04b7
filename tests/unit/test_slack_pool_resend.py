"""A call whose sending fails because the server reset the connection: sent once more only on a kept connection,
which the server may have closed as the call went out, never on one just opened for it (bot/slack_pool.py)."""

import logging
import urllib.error

import pytest

from tests.unit.test_slack_pool import Counting, pooled, post, server

__all__ = ["server"]

LONG = "x" * 16_000_000
"""Longer than what the sockets of a local connection hold, so that its sending is under way when it is reset."""


def test_a_call_whose_kept_connection_fails_as_it_is_sent_is_sent_again_on_a_new_one(
    server: Counting, caplog: pytest.LogCaptureFixture
) -> None:
    """A server closing a kept connection after the check before reuse: the call's sending fails (here, a call too
    long for the sockets' buffers, reset as it arrives). Slack never had all of it, so it goes once more."""
    client = pooled(server.api_url, retry_handlers=[])  # no retry of slack_sdk's to send it again
    post(client)

    server.resets_next = True
    with caplog.at_level(logging.DEBUG, logger="bot.slack_pool"):
        post(client, LONG)

    assert [text for _, text in server.calls] == ["Thanks for the refund, Sam", LONG]
    assert len(server.connections) == 2
    assert [record.levelno for record in caplog.records if record.name == "bot.slack_pool"] == [logging.DEBUG]


def test_a_call_whose_new_connection_is_reset_as_it_is_sent_fails_and_is_not_sent_again(server: Counting) -> None:
    """The server refused the call itself, not a connection it had given up: sending it again would only repeat it."""
    client = pooled(server.api_url, retry_handlers=[])

    server.resets_next = True
    with pytest.raises(urllib.error.URLError):
        post(client, LONG)

    assert server.calls == []
    assert len(server.connections) == 1
