"""The door in front of Bolt for HTTP requests: size, signature, shape and replay, checked before Bolt parses.

Bolt logs the whole body of a request whose signature fails, crashes (500) on a payload that is not a
JSON object, and acts twice on a signed request posted twice. Each request to /slack/events passes
here first; a rejected one is answered at once and logged as one short line, never with its body.
"""

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.signature import Clock, SignatureVerifier
from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, ProgrammingError, SQLAlchemyError

from bot.database_down import ApologyClients, database_down
from bot.request_shapes import is_ssl_check, read_signed, url_check_challenge
from bot.schema_watch import UPGRADING, SchemaWatch
from services import replays

log = logging.getLogger("latitude.requests")

PURGE_EVERY_SECONDS = 60
REPLAY_CHECK_WAITS = ("1s", "2s")
"""How long the replay check waits for a lock, and runs at most (PostgreSQL): it comes before any holding answer
(handlers/timely.py) can be given, so past that the request is told the database is out of reach, within Slack's 3 s,
rather than wait out DATABASE_LOCK_TIMEOUT behind a lock on its table."""
CONNECT_WITHIN = 2
"""Seconds a new connection is waited for before a request can be given its holding answer (libpq's least): a
database host that takes the connection and never answers (a failover in progress) is then told of within Slack's
3 s, not after the engine's own connect timeout (models/engine.py), which `run` and the listeners keep."""
APOLOGY_THREADS = 128
"""Apologies on their way at once: each is sent once its request was answered, which frees the server's thread for
the next, so a burst of clicks while the database is down is not bounded by those threads. Each must reach Slack
within its trigger's 3 s, so none may queue behind another (threads are started only as they are needed)."""
_QUICK = threading.local()


@contextmanager
def connecting_quickly() -> Iterator[None]:
    """A database connection opened meanwhile on this thread waits `CONNECT_WITHIN` seconds at most: around what is
    done with a request before it can be given its holding answer (the replay check, and Bolt's middleware: the
    schema check, the token look-up); the listeners run on threads of their own."""
    was = getattr(_QUICK, "asked", False)
    _QUICK.asked = True
    try:
        yield
    finally:
        _QUICK.asked = was


def _connect_quickly_when_asked(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
    """Whatever `connect_timeout` the URL gives (`2.5`, `0` for none at all): libpq waits 2 s at the least."""
    if getattr(_QUICK, "asked", False):
        params["connect_timeout"] = CONNECT_WITHIN


def waiting_no_longer(engine: Engine) -> Engine:
    """`engine` for what is done with a request before it can be given its holding answer (the replay check, the
    schema check every 10 s in bot/schema_watch.py, the token look-up with OAuth installs): on PostgreSQL each of its
    statements waits for a lock and runs no longer than `REPLAY_CHECK_WAITS`, so that a lock on what it reads (a
    `db upgrade` of the next release in the middle of its migration) cannot keep a request past Slack's 3 s. The pool
    and the engine's own events are shared; the limits are this copy's alone, and last one transaction."""
    quick = engine.execution_options()
    if engine.dialect.name == "postgresql":
        event.listen(quick, "before_cursor_execute", _set_waits)
    return quick


def _set_waits(_connection: object, cursor: Any, *_: object) -> None:
    cursor.execute(
        "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)", REPLAY_CHECK_WAITS
    )


@dataclass(frozen=True)
class Rejection:
    status: int
    reason: str
    body: str = ""
    content_type: str = "text/plain; charset=utf-8"
    then: Callable[[], object] | None = None
    """Run once the answer was handed to the server, so that nothing holds the ack up (bot/server.py)."""
    refused: bool = True
    """False for a request answered here as Slack expects, not turned away (logged without a warning)."""


SSL_CHECK = Rejection(200, "Slack's certificate check (ssl_check)", refused=False)


@dataclass(frozen=True)
class Passed:
    body: bytes
    timestamp: int = 0
    signature: str = ""
    read: dict[str, Any] | None = None
    """The body as Bolt reads it, read once here (`request_shapes.Read`)."""


class SlackGate:
    def __init__(
        self,
        signing_secret: str,
        engine: Engine,
        *,
        max_body: int,
        clock: Callable[[], float] = time.time,
        apologies: ApologyClients | None = None,
        schema: SchemaWatch | None = None,
    ) -> None:
        """`apologies`: see `database_down`; `schema`: the process's, asked when the replay check fails."""
        self._schema = schema
        self.max_body = max_body
        self._apology_clients = apologies
        self._verifier = SignatureVerifier(signing_secret, clock=_SdkClock(clock))
        self._engine = engine
        self._checking = waiting_no_longer(engine)
        self._clock = clock
        self._purged_at = 0.0
        self._purging: Future[None] | None = None
        self._housekeeping = ThreadPoolExecutor(1, thread_name_prefix="forget-signatures")
        self._apologies = ThreadPoolExecutor(APOLOGY_THREADS, thread_name_prefix="apology")
        if engine.dialect.name == "postgresql":  # one gate per process, in Socket Mode too: see `connecting_quickly`
            event.listen(engine, "do_connect", _connect_quickly_when_asked)

    def close(self) -> None:
        """Finish the clean-up and apologies under way, before the database they write to goes."""
        self._housekeeping.shutdown(wait=True)
        self._apologies.shutdown(wait=True)

    def inspect(self, environ: dict[str, Any]) -> Passed | Rejection:
        length = _content_length(environ)
        if length is None:
            return Rejection(400, "no valid Content-Length", "Bad request.")
        if length > self.max_body:
            return Rejection(413, f"body of {length} bytes is over the {self.max_body} byte limit", "Too large.")
        body = environ["wsgi.input"].read(length) if length else b""
        if is_ssl_check(body, environ.get("CONTENT_TYPE", "")):
            return SSL_CHECK
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not _is_epoch(timestamp):
            return Rejection(401, f"missing or malformed timestamp ({len(body)} bytes)", '{"error":"invalid request"}')
        if not self._verifier.is_valid(body=body, timestamp=timestamp, signature=signature):
            return Rejection(
                401, f"missing, wrong or stale signature ({len(body)} bytes)", '{"error":"invalid request"}'
            )
        read = read_signed(body, environ.get("CONTENT_TYPE", ""))
        if read.problem:
            return Rejection(400, f"signed but malformed: {read.problem}", "Bad request: Slack never sends this.")
        challenge = url_check_challenge(body)
        if challenge is not None:
            answered = json.dumps({"challenge": challenge})
            return Rejection(200, "Slack's check of the Request URL", answered, "application/json", refused=False)
        try:
            with connecting_quickly():
                passing = self._let_through_on_a_live_connection(int(timestamp), signature)
        except SQLAlchemyError as error:
            if self._schema_moved(error):
                return _upgrading(body)
            answer = database_down(body, error, clients=self._apology_clients)
            then = partial(self._apologies.submit, answer.then) if answer.then else None
            return Rejection(answer.status, answer.reason, answer.body, answer.content_type, then)
        if not passing:
            return Rejection(200, "replay of a request already handled, or failed as often as Slack tries one")
        return Passed(body, int(timestamp), signature, read.body)

    def _let_through_on_a_live_connection(self, timestamp: int, signature: str) -> bool:
        """A pooled connection the database cut since its last use (a restart, a failover) fails its first statement
        and the pool drops every connection as old: the check is made once more on a fresh one, so that the request
        goes through rather than being told the database is out of reach when it is back. A cut met by the check left
        nothing written: the second answer stands, and a replay is still refused. One met by the commit, once the
        check let the request through, may have come after the commit, or a copy may have reached the restarted
        database first: finding it seen, the second cannot tell whose row it is, so the request is failed as one
        the database failed, its failure noted for Slack's retry, and neither runs it."""
        answers: list[bool] = []
        try:
            return self._let_through(timestamp, signature, answers)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            cut = error
        log.info("a pooled database connection was cut (the database restarted?); checking the request again")
        if self._let_through(timestamp, signature, []):
            return True
        if answers:  # the row seen is this request's own or a copy's that came first: neither may run it twice
            self._note_failure(timestamp, signature)
            raise cut
        return False

    def failed(self, passed: Passed) -> None:
        """Note that the app failed a request with a 5xx: Slack sends such an event again, possibly within the same
        second and so with the same signature, which must not be taken for a replay (the event id still runs it once);
        a copy sent more often than Slack tries an event is (`replays.MOST_PASSES`)."""
        try:
            self._note_failure(passed.timestamp, passed.signature)
        except SQLAlchemyError as error:
            failed = type(error).__name__
            log.warning("a failed request's failure not noted (%s): a retry reusing its signature is refused", failed)

    def _note_failure(self, timestamp: int, signature: str) -> None:
        """Once more on a fresh connection if a restart cut the pooled one: noted twice, a failure still counts once."""
        try:
            self._note_failure_once(timestamp, signature)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            self._note_failure_once(timestamp, signature)

    def _note_failure_once(self, timestamp: int, signature: str) -> None:
        with self._checking.begin() as connection:
            replays.note_failure(connection, timestamp=timestamp, signature=signature)

    def _schema_moved(self, error: SQLAlchemyError) -> bool:
        """Whether the replay check failed as the schema is not this code's (a newer release's `db upgrade`, an older
        backup restored) rather than as the database is out of reach. Asked only of a statement refused as naming
        what the database lacks: one out of reach would take the schema's question as long again to fail."""
        if self._schema is None or not _names_what_is_missing(error):
            return False
        with connecting_quickly():
            return self._schema.ask() is False

    def housekeeping_done(self, timeout: float = 10.0) -> None:
        """Wait for the forgetting of expired signatures under way, if any."""
        if self._purging is not None:
            wait([self._purging], timeout)

    def _let_through(self, timestamp: int, signature: str, answers: list[bool]) -> bool:
        """`answers`: the check's answer, once given, whether or not its commit fails after it."""
        with self._checking.begin() as connection:
            passing = replays.let_through(connection, timestamp=timestamp, signature=signature)
            answers.append(passing)
        self._forget_expired_when_due()
        return passing

    def _forget_expired_when_due(self) -> None:
        """Once a minute, on a thread of its own: forgetting held up behind another worker's (or failing) never holds
        up, or fails, the request that happened to find it due."""
        now = self._clock()
        if now - self._purged_at < PURGE_EVERY_SECONDS or (self._purging is not None and not self._purging.done()):
            return
        self._purged_at = now
        self._purging = self._housekeeping.submit(self._forget_expired, now)

    def _forget_expired(self, now: float) -> None:
        try:
            with self._engine.begin() as connection:
                replays.forget_expired(connection, now_epoch=int(now))
        except SQLAlchemyError as error:
            self._purged_at = 0.0
            log.warning("expired request signatures not forgotten (%s); tried again next request", type(error).__name__)


def _is_epoch(timestamp: str) -> bool:
    """Slack's timestamp is whole seconds; anything else would make the verifier's `int()` raise (a 500 and a
    traceback for an unsigned request), so it is refused before."""
    return timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12


class _SdkClock(Clock):
    """slack_sdk's verifier asks a clock object for `now()` in Unix seconds."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock()


def _content_length(environ: dict[str, Any]) -> int | None:
    raw = str(environ.get("CONTENT_LENGTH") or "0").strip()
    return int(raw) if raw.isdigit() else None


def _upgrading(body: bytes) -> Rejection:
    """As `refuse_on_a_moved_schema` answers, Bolt not reached: a command is told to come again, anything else 503."""
    why = "the database's schema is not this code's: nothing done"
    if "command" in dict(parse_qsl(body.decode("utf-8", "replace"))):
        return Rejection(200, why, UPGRADING)
    return Rejection(503, why)


def _names_what_is_missing(error: SQLAlchemyError) -> bool:
    """A statement refused for a table or column the database lacks (PostgreSQL's `ProgrammingError`, SQLite's
    "no such ..."), not one that could not reach it."""
    return isinstance(error, ProgrammingError) or (isinstance(error, DBAPIError) and "no such" in str(error.orig))
