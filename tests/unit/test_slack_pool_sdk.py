"""What `PooledWebClient` takes over from slack_sdk's own client: the private method it overrides, which slack-sdk's
version range does not keep from changing, and what that method logs."""

import hashlib
import inspect
import logging
import re

import pytest
from slack_sdk import WebClient
from slack_sdk.version import __version__ as slack_sdk_version
from slack_sdk.web.base_client import BaseClient

from tests.unit.test_slack_pool import ANSWERS, Counting, outcome, pooled, server

__all__ = ["server"]

KNOWN = {
    "3.47.0": ("603b5d2c263be9c2", "5c3782a8f3be925f"),
    "3.48.0": ("0ea01a87c9651e24", "5c3782a8f3be925f"),
}
"""Fingerprints of `BaseClient._perform_urllib_http_request` (the caller, which reads what the override returns) and
`_perform_urllib_http_request_internal` (the method overridden), in each slack_sdk version checked against it."""


def fingerprint(method: object) -> str:
    """A hash of the method's source, its lines stripped and blank ones left out."""
    lines = (line.strip() for line in inspect.getsource(method).splitlines())  # type: ignore[arg-type]
    return hashlib.sha256("\n".join(line for line in lines if line).encode()).hexdigest()[:16]


def test_the_slack_sdk_method_the_pooled_client_overrides_is_one_it_was_checked_against() -> None:
    found = (
        fingerprint(BaseClient._perform_urllib_http_request),
        fingerprint(BaseClient._perform_urllib_http_request_internal),
    )

    assert found in KNOWN.values(), (
        "slack_sdk changed the method bot/slack_pool.py overrides: re-check it, then add the new fingerprint "
        f"{slack_sdk_version!r}: {found!r} to KNOWN"
    )


@pytest.mark.parametrize("answer", ["ok", "a gzip file"])
def test_an_answer_is_logged_as_slack_sdks_own_client_logs_it(
    server: Counting, answer: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.answers += [ANSWERS[answer], ANSWERS[answer]]
    logged = []
    with caplog.at_level(logging.DEBUG, logger="slack_sdk.web.base_client"):
        for client in (pooled(server.api_url), WebClient(token="xoxb-pool", base_url=server.api_url)):
            caplog.clear()
            outcome(client)
            logged.append([without_date(record.getMessage()) for record in caplog.records if "response" in record.msg])

    assert logged[0] == logged[1] != []


def without_date(message: str) -> str:
    return re.sub(r"'Date': '[^']*'", "'Date': ...", message)
