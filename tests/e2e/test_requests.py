"""Hostile requests over HTTP: too large, unsigned, malformed, replayed. Each is refused briefly and changes nothing."""

import json
import logging
import re
import socket
import time
from urllib.parse import urlencode, urlparse

import pytest
from sqlalchemy import delete, event, insert, select

from bot.gate import Passed, SlackGate
from bot.request_shapes import is_ssl_check
from models import Employee, Resolution, SeenRequest
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.helpers import count, load_org_and_policy

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


def send_the_start(bot: RunningBot, body: bytes, headers: dict[str, str]) -> str:
    """Send the headers and the first 64 KiB of `body`, then read the answer (a server may close before the rest)."""
    address = urlparse(bot.events_url)
    lines = [f"{name}: {value}" for name, value in {**headers, "Content-Length": str(len(body))}.items()]
    head = "POST /slack/events HTTP/1.1\r\nHost: x\r\n" + "\r\n".join(lines) + "\r\n\r\n"
    with socket.create_connection((address.hostname, address.port), timeout=5) as connection:
        connection.sendall(head.encode() + body[:65536])
        return connection.recv(4096).decode(errors="replace")


def test_a_huge_body_gets_413_before_the_rest_is_read(bot: RunningBot) -> None:
    answer = send_the_start(bot, b"a" * (200 * 1024 * 1024), {"Content-Type": FORM})

    assert answer.startswith("HTTP/1.1 413")


def test_a_signed_3_mib_resolve_is_refused_without_logging_it(
    ready: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    body = urlencode(ready.driver.command_fields("U0AGENT1", "/resolve", "refund 5 order 1 " + "x" * (3 << 20)))
    stamp = int(time.time())
    signed = {"X-Slack-Request-Timestamp": str(stamp), "X-Slack-Signature": ready.driver.signature(body, stamp)}

    with caplog.at_level(logging.DEBUG):
        answer = send_the_start(ready, body.encode(), {"Content-Type": FORM, **signed})

    assert answer.startswith("HTTP/1.1 413")
    assert len(log_text(caplog)) < 2000
    with ready.sessions() as session:
        assert count(session, Resolution) == 0


def test_an_unsigned_flood_logs_one_short_line_per_request_and_never_the_body(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    body = "token=x&text=" + "A" * 500_000 + "\n2026-03-02 09:00:00 ERROR latitude: FORGED"

    with caplog.at_level(logging.DEBUG):
        replies = [bot.driver.post(body, FORM, signature="") for _ in range(3)]

    assert [reply.status for reply in replies] == [401, 401, 401]
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 3
    assert all(len(r.getMessage()) < 200 for r in refused)
    assert "FORGED" not in log_text(caplog)
    assert "AAAA" not in log_text(caplog)


@pytest.mark.parametrize("timestamp", ["", "soon", "1e9", "-5", "9" * 5000])
def test_a_request_without_a_usable_timestamp_is_refused_in_one_line(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, timestamp: str
) -> None:
    with caplog.at_level(logging.DEBUG):
        reply = bot.driver.post("token=x", FORM, signature="v0=0", headers={"X-Slack-Request-Timestamp": timestamp})

    assert reply.status == 401
    [refused] = [r for r in caplog.records if "refused" in r.getMessage()]
    assert "malformed timestamp" in refused.getMessage()
    assert "Traceback" not in log_text(caplog)


@pytest.mark.parametrize(
    "body",
    [
        urlencode({"payload": "{not json"}),
        urlencode({"payload": "[1, 2, 3]"}),
        urlencode({"payload": json.dumps({"type": "block_actions", "actions": []})}),
        urlencode(
            {"payload": json.dumps({"type": "view_submission", "user": {"id": "U0AGENT1"}, "team": {"id": "T"}})}
        ),
        urlencode({"command": "/resolve", "text": "refund 5 x", "team_id": "T0LATITUDE"}),
        urlencode({"command": "/resolve", "text": "refund 5 x", "user_id": "U0AGENT1"}),
        json.dumps(["event_callback"]),
        json.dumps({"type": "event_callback", "team_id": "T0LATITUDE", "event_id": "Ev1", "event": "x"}),
    ],
    ids=[
        "payload-not-json",
        "payload-array",
        "actions-without-user",
        "view-submission-without-view",
        "command-without-user",
        "command-without-team",
        "event-array",
        "event-not-object",
    ],
)
def test_a_signed_body_slack_could_never_send_gets_400_and_changes_nothing(bot: RunningBot, body: str) -> None:
    reply = bot.driver.post(body, "application/json" if body.startswith("[") else FORM)

    assert reply.status == 400
    assert "Slack never sends this" in reply.body
    with bot.sessions() as session:
        assert count(session, Employee) == 0
    assert [call.method for call in bot.slack.calls() if call.method != "auth.test"] == []


def test_the_same_signed_resolve_posted_twice_logs_one_resolution(
    ready: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    body = urlencode(ready.driver.command_fields("U0AGENT1", "/resolve", "refund 20 order 7 late"))
    stamp = int(time.time())

    first = ready.driver.post(body, FORM, timestamp=stamp)
    with caplog.at_level(logging.INFO):
        replay = ready.driver.post(body, FORM, timestamp=stamp)

    assert "Logged your *refund* of $20" in first.text
    assert (replay.status, replay.body) == (200, "")
    assert "replay" in log_text(caplog)
    with ready.sessions() as session:
        assert count(session, Resolution) == 1


def test_a_replay_to_another_worker_is_refused_too(bot: RunningBot) -> None:
    """Two workers share the database: the second gate knows what the first let through."""
    other_worker = SlackGate(SIGNING_SECRET, bot.runtime.engine, max_body=1024 * 1024)
    body = urlencode(bot.driver.command_fields("U0AGENT1", "/boundaries", "help"))
    stamp = int(time.time())

    first = bot.driver.post(body, FORM, timestamp=stamp)
    signature = bot.driver.signature(body, stamp)
    verdict = other_worker.inspect(signed_environ(body, stamp, signature))

    assert first.status == 200
    assert getattr(verdict, "status", None) == 200
    assert "replay" in getattr(verdict, "reason", "")


def test_remembered_requests_are_forgotten_once_their_signature_is_stale(bot: RunningBot) -> None:
    now = [time.time()]
    gate = SlackGate(SIGNING_SECRET, bot.runtime.engine, max_body=1024 * 1024, clock=lambda: now[0])
    body = urlencode(bot.driver.command_fields("U0AGENT1", "/boundaries", "help"))
    stamp = int(now[0])
    signature = bot.driver.signature(body, stamp)

    assert isinstance(gate.inspect(signed_environ(body, stamp, signature)), Passed)
    gate.housekeeping_done()  # the first request always finds forgetting due: done before the signature is stale
    now[0] += 7 * 60
    late = gate.inspect(signed_environ(body, stamp, signature))
    fresh = gate.inspect(signed_environ(body, int(now[0]), bot.driver.signature(body, int(now[0]))))

    gate.housekeeping_done()

    assert (getattr(late, "status", None), isinstance(fresh, Passed)) == (401, True)
    with bot.sessions() as session:
        assert count(session, SeenRequest) == 1


def test_a_request_the_app_failed_is_forgotten_too_once_its_signature_is_stale(bot: RunningBot) -> None:
    now = [time.time()]
    gate = SlackGate(SIGNING_SECRET, bot.runtime.engine, max_body=1024 * 1024, clock=lambda: now[0])
    body = urlencode(bot.driver.command_fields("U0AGENT1", "/boundaries", "help"))
    stamp = int(now[0])
    signature = bot.driver.signature(body, stamp)
    for _ in range(2):
        passed = gate.inspect(signed_environ(body, stamp, signature))
        assert isinstance(passed, Passed), "let through again while each pass failed"
        gate.failed(passed)
    gate.housekeeping_done()
    with bot.sessions() as session:
        assert [(row.passes, row.failures) for row in session.scalars(select(SeenRequest))] == [(2, 2)]

    now[0] += 7 * 60
    fresh = gate.inspect(signed_environ(body, int(now[0]), bot.driver.signature(body, int(now[0]))))
    gate.housekeeping_done()

    assert isinstance(fresh, Passed)
    with bot.sessions() as session:
        assert [row.timestamp for row in session.scalars(select(SeenRequest))] == [int(now[0])]


def signed_environ(body: str, stamp: int, signature: str) -> dict[str, object]:
    import io

    raw = body.encode()
    return {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": FORM,
        "CONTENT_LENGTH": str(len(raw)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": str(stamp),
        "HTTP_X_SLACK_SIGNATURE": signature,
        "wsgi.input": io.BytesIO(raw),
    }


def test_with_the_database_out_of_reach_a_command_is_told_with_a_reference_and_an_event_gets_503(
    ready: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    engine = ready.runtime.engine
    dbapi_error = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]

    def unreachable(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if "seen_requests" in statement:
            raise dbapi_error("server closed the connection unexpectedly")

    event.listen(engine, "before_cursor_execute", unreachable)
    try:
        with caplog.at_level(logging.INFO):
            command = ready.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 late")
            event_body = json.dumps(
                {
                    "type": "event_callback",
                    "team_id": "T0LATITUDE",
                    "event_id": "Ev1",
                    "event": {"type": "app_home_opened", "user": "U0AGENT1"},
                }
            )
            pushed = ready.driver.post(event_body, "application/json")
    finally:
        event.remove(engine, "before_cursor_execute", unreachable)

    [ref] = re.findall(r"reference `([0-9a-f]{8})`", command.text)
    assert command.status == 200 and "can't use its database right now" in command.text
    assert pushed.status == 503, "Slack retries an event it got no 200 for"
    assert f"[ref {ref}] the database is out of reach or busy" in log_text(caplog)
    with ready.sessions() as session:
        assert count(session, Resolution) == 0


def test_a_request_due_to_forget_stale_signatures_goes_through_while_another_worker_is_forgetting_them(
    bot: RunningBot,
) -> None:
    """Each worker forgets the stale signatures once a minute. The request that finds it due must not wait behind
    (or fail on) another worker doing the same: it is told nothing of it, and the forgetting is done after."""
    engine = bot.runtime.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no other worker's forgetting to wait behind")
    now = [time.time()]
    gate = SlackGate(SIGNING_SECRET, engine, max_body=1024 * 1024, clock=lambda: now[0])
    stale = int(now[0]) - 3600
    with engine.begin() as connection:
        connection.execute(insert(SeenRequest), [{"timestamp": stale, "signature": f"v0={n}"} for n in range(50)])
    body = urlencode(bot.driver.command_fields("U0AGENT1", "/boundaries", "help"))
    stamp = int(now[0])

    with engine.connect() as other_worker:
        other_worker.execute(delete(SeenRequest).where(SeenRequest.timestamp <= stale))  # not committed yet
        verdict = gate.inspect(signed_environ(body, stamp, bot.driver.signature(body, stamp)))
        other_worker.rollback()
    gate.housekeeping_done()

    assert isinstance(verdict, Passed), verdict
    with bot.sessions() as session:
        assert count(session, SeenRequest) == 1, "the stale signatures are forgotten once the other worker let go"


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
def test_slacks_certificate_check_is_answered_200_and_changes_nothing(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, signed: bool
) -> None:
    """Slack posts `ssl_check=1` and the verification token to a command's URL to check its certificate; its docs do
    not say the check is signed, and Bolt answers it before any signature check."""
    with caplog.at_level(logging.INFO):
        reply = bot.driver.post("ssl_check=1&token=verification-token", FORM, signature=None if signed else "")

    assert (reply.status, reply.body) == (200, "")
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING and not waitress_load(record)]
    with bot.sessions() as session:
        assert count(session, SeenRequest) == 0
    assert [call.method for call in bot.slack.calls() if call.method != "auth.test"] == []


def test_slacks_check_of_the_request_url_is_answered_with_its_challenge_and_changes_nothing(bot: RunningBot) -> None:
    """Saving the Request URL in the app's settings (Event Subscriptions) posts a signed `url_verification`, which
    Slack accepts only if the answer carries its `challenge`; each save sends a new one."""
    first = bot.driver.verify_url("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    again = bot.driver.verify_url("Q7eFwPz1")

    assert (first.status, first.json) == (200, {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})
    assert (again.status, again.json) == (200, {"challenge": "Q7eFwPz1"})
    assert [call.method for call in bot.slack.calls() if call.method != "auth.test"] == []


def waitress_load(record: logging.LogRecord) -> bool:
    """The server's own word on a busy machine ("Task queue depth is 2"), which says nothing of the request."""
    return record.name.startswith("waitress") and "queue depth" in record.getMessage()


MANY_LITTLE_FIELDS = "a&" * (500 * 1024)
"""A megabyte of fields: read as a form field by field, it takes a CPU for a good part of a second."""


def test_a_megabyte_of_little_fields_is_not_read_as_a_form_to_look_for_the_certificate_check() -> None:
    started = time.thread_time()
    checked = is_ssl_check(MANY_LITTLE_FIELDS.encode(), FORM)
    spent = time.thread_time() - started

    assert not checked
    assert spent < 0.05, f"{spent:.3f} s of CPU to see that it is no certificate check"


@pytest.mark.parametrize(
    "body",
    [MANY_LITTLE_FIELDS, "ssl_check=1&token=verification-token&" + MANY_LITTLE_FIELDS],
    ids=["many fields", "a certificate check larger than Slack sends"],
)
def test_a_megabyte_of_little_fields_unsigned_is_refused(bot: RunningBot, body: str) -> None:
    reply = bot.driver.post(body, FORM, signature="")

    assert reply.status == 401
    with bot.sessions() as session:
        assert count(session, SeenRequest) == 0


def test_an_unsigned_command_calling_itself_a_certificate_check_is_still_refused(ready: RunningBot) -> None:
    fields = {**ready.driver.command_fields("U0AGENT1", "/resolve", "refund 5 order 1 late"), "ssl_check": "1"}

    reply = ready.driver.post(urlencode(fields), FORM, signature="")

    assert reply.status == 401
    with ready.sessions() as session:
        assert count(session, Resolution) == 0
