"""Renewals' own rules: the SQLite file a database URL names (their lock file lies beside it), and which failures
of a renewal its request stopped waiting for are logged."""

import logging
from concurrent.futures import Future

import pytest
from slack_sdk.oauth.installation_store import Installation

from bot.renewals import _log_failure
from models.engine import sqlite_file

RENEWAL = Future[tuple[Installation, bool]]


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("sqlite:////data/latitude.db", "/data/latitude.db"),
        ("sqlite:///latitude.db", "latitude.db"),
        ("sqlite:///file:/data/latitude.db?uri=true", "/data/latitude.db"),
        ("sqlite:///file:data/latitude.db?mode=rwc&uri=true", "data/latitude.db"),
        ("sqlite:///file:///data/my%20latitude.db?uri=true", "/data/my latitude.db"),
        ("sqlite:///file://localhost/data/latitude.db?uri=true", "/data/latitude.db"),
        ("sqlite:///file::memory:?cache=shared&uri=true", None),
        ("sqlite:///file:shared?mode=memory&cache=shared&uri=true", None),
        ("sqlite:///file:/latitude?vfs=memdb&uri=true", None),
        ("sqlite:///file:data/latitude.db?vfs=memdb&uri=true", None),
        ("sqlite:///file:data/latitude.db#part?uri=true", "data/latitude.db"),
        ("sqlite:///file:latitude.db", "file:latitude.db"),
        ("sqlite:///file:/data/latitude.db", "file:/data/latitude.db"),
        ("sqlite:///latitude.db?mode=memory", "latitude.db"),
        ("sqlite:///:memory:", None),
        ("sqlite://", None),
        ("postgresql+psycopg://latitude@db/latitude", None),
    ],
)
def test_the_file_a_sqlite_url_names_is_found_a_uri_filenames_included_and_an_in_memory_one_has_none(
    url: str, file: str | None
) -> None:
    """The file beside which the renewals' lock file lies, which is made readable by its owner only, and which a
    command other than `db upgrade` refuses to create."""
    assert sqlite_file(url) == file


def test_a_renewal_failing_after_its_request_went_on_is_an_error_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    renewal: RENEWAL = Future()
    renewal.set_exception(RuntimeError("database is locked"))

    with caplog.at_level(logging.ERROR, logger="bot.renewals"):
        _log_failure(renewal)

    assert [record.exc_info[1] for record in caplog.records if record.exc_info] == [renewal.exception()]


@pytest.mark.parametrize("outcome", ["answered", "cancelled", "unanswered"])
def test_a_renewal_that_went_well_or_was_already_warned_of_logs_no_error(
    outcome: str, caplog: pytest.LogCaptureFixture
) -> None:
    renewal: RENEWAL = Future()
    if outcome == "answered":
        renewal.set_result((Installation(user_id="U0A", team_id="T0A"), False))
    elif outcome == "cancelled":
        renewal.cancel()
    else:
        renewal.set_exception(TimeoutError("timed out"))

    with caplog.at_level(logging.ERROR, logger="bot.renewals"):
        _log_failure(renewal)

    assert not caplog.records
