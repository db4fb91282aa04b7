"""Which listener failures are worth running an event again for (handlers/event_retries.py `may_pass`)."""

import sqlite3
from http.client import BadStatusLine, IncompleteRead

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web import SlackResponse
from sqlalchemy.exc import InvalidRequestError, OperationalError

from handlers.deps import InstallGone
from handlers.event_retries import may_pass


def slack_refused(status: int, error: str) -> SlackApiError:
    response = SlackResponse(
        client=WebClient(),
        http_verb="POST",
        api_url="https://slack.com/api/users.info",
        req_args={},
        data={"ok": False, "error": error},
        headers={},
        status_code=status,
    )
    return SlackApiError(error, response)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked")),
        slack_refused(429, "ratelimited"),
        slack_refused(503, "service_unavailable"),
        slack_refused(200, "fatal_error"),
        SlackRequestError("connection reset"),
        ConnectionResetError("reset by peer"),
        TimeoutError("timed out"),
        IncompleteRead(b'{"ok": tr', 40),
        BadStatusLine("HTTP/1.1 2"),
    ],
)
def test_what_may_pass_is_tried_again(error: Exception) -> None:
    assert may_pass(error)


@pytest.mark.parametrize(
    "error",
    [
        AttributeError("'str' object has no attribute 'get'"),
        KeyError("type"),
        InvalidRequestError("a bug"),
        slack_refused(200, "user_not_found"),
        slack_refused(200, "invalid_auth"),
        InstallGone("the install is gone"),
    ],
)
def test_what_will_not_pass_is_not(error: Exception) -> None:
    assert not may_pass(error)
