"""One engine and session factory for SQLite or PostgreSQL."""

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.util import asbool

DEFAULT_DATABASE_URL = "sqlite:///latitude.db"
WRITER_WAIT = 30.0
READ_ONLY = "latitude_read_only"
PING_IDLE_AFTER = 5.0
KEPT_OPEN = 10
DEFAULT_MOST_CONNECTIONS = 30
BUSY_TIMEOUT = 30
CONNECT_TIMEOUT = 10
"""Seconds to wait for PostgreSQL to answer a new connection. psycopg waits 130 s by default, and a host that takes
the connection but never answers (a failover in progress, a firewall dropping the reply) would hold `run` silent
that long at start, and each request's thread as long while the bot runs."""
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 60_000,
}
"""TCP keepalives on each PostgreSQL connection, and how long (ms) data sent may go unacknowledged. A database host
that vanishes without closing its connections (a failover, a host powered off) would otherwise leave a statement
waiting for its answer until the kernel gives up, some 15 minutes: these notice it within about a minute. A long
query is not cut: the server's kernel answers the probes while it runs."""
log = logging.getLogger(__name__)
T = TypeVar("T")
_WRITER_LOCKS: WeakKeyDictionary[Engine, threading.Lock] = WeakKeyDictionary()


def make_engine(
    url: str,
    *,
    ping_idle_after: float = PING_IDLE_AFTER,
    most_connections: int = DEFAULT_MOST_CONNECTIONS,
    connect_timeout: int = CONNECT_TIMEOUT,
    lock_timeout: int | None = None,
    statement_timeout: int | None = None,
) -> Engine:
    """On PostgreSQL a pool keeps up to 10 connections open and opens more, up to `most_connections`, when
    that many threads want one at once; a thread wanting one beyond that waits for one to come back. A new connection
    gets `connect_timeout` seconds (at least 2, as libpq counts) unless the URL gives its own `connect_timeout`; so
    with `KEEPALIVES`, each of which the URL may give too. `lock_timeout` and `statement_timeout` (0: none): see
    `_give_up_after`."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    kept = min(KEPT_OPEN, most_connections)
    defaults: dict[str, int] = {"connect_timeout": connect_timeout, **KEEPALIVES}
    unless_given = {name: value for name, value in defaults.items() if name not in parsed.query}
    engine = create_engine(
        url, pool_size=kept, max_overflow=most_connections - kept, hide_parameters=True, connect_args=unless_given
    )
    _ping_when_idle(engine, ping_idle_after)
    timeouts = {"lock_timeout": lock_timeout, "statement_timeout": statement_timeout}
    _give_up_after(engine, {name: seconds for name, seconds in timeouts.items() if seconds is not None})
    return engine


def _give_up_after(engine: Engine, timeouts: dict[str, int]) -> None:
    """A statement waiting longer than `lock_timeout` seconds for a lock fails, so that a request held up behind a long
    lock (a `VACUUM FULL`, a hand-run `ALTER TABLE`) is told to try again rather than keep its thread and its
    connection for as long as the lock lasts, while every new request piles up behind it the same way. A statement
    running longer than `statement_timeout` (a runaway query, a plan gone wrong) is cancelled for the same reason."""
    if not timeouts:
        return

    @event.listens_for(engine, "connect")
    def set_timeouts(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            for name, seconds in timeouts.items():
                cursor.execute(f"SET {name} = '{int(seconds)}s'")
        dbapi_connection.commit()  # a SET in a transaction rolled back (the pool's reset) would be undone


def _ping_when_idle(engine: Engine, seconds: float) -> None:
    """Test a pooled connection before use only when it sat idle for a while (SQLAlchemy's pessimistic
    disconnect recipe, limited): a database restart or an idle timeout is noticed and the connection
    replaced, while a busy process does not pay a round trip on every checkout as `pool_pre_ping` would.
    A connection that dies while in steady use fails its statement once, and SQLAlchemy then renews the pool.
    """

    @event.listens_for(engine, "checkin")
    def note_idle_since(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")  # none yet: the connection was just made (the pool clears info)
        if idle_since is None or time.monotonic() - idle_since < seconds:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as error:  # any failure means this connection is no good: the pool makes a new one
            log.info("a pooled database connection failed its ping (%s); replacing it", type(error).__name__)
            raise DisconnectionError() from error


def once_more_if_cut(work: Callable[[], T]) -> T:
    """Run `work`, a transaction of its own, and once more if the database had cut its connection (a restart or a
    failover since the connection was last used): the pool then drops every connection as old, so the second try
    gets a fresh one. For work whose first try, rolled back with its connection, may simply be done again."""
    try:
        return work()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    log.info("a pooled database connection was cut (the database restarted?); trying once more on a fresh one")
    return work()


def _sqlite_engine(url: str) -> Engine:
    """SQLite with foreign keys, WAL, a busy timeout and BEGIN IMMEDIATE, writers queued in the process.

    Taking the write lock when a transaction begins lets concurrent writers wait instead of failing
    when a read transaction later tries to write. They wait on a lock of this process rather than on
    SQLite's busy handler, which polls with sleeps of up to 100 ms and so turns a burst into seconds
    of tail latency; another process (the CLI) still waits on the busy timeout.
    """
    _owner_only(sqlite_file(url))
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT, "check_same_thread": False}, hide_parameters=True
    )
    writer = _WRITER_LOCKS[engine] = threading.Lock()

    @event.listens_for(engine, "connect")
    def configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # a deleted answer is overwritten, not left in a free page
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA journal_size_limit=0")  # each time the WAL starts over, its old pages go
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin_immediate(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")  # a WAL reader: a snapshot, no lock anyone waits for
            connection.exec_driver_sql("PRAGMA query_only = ON")
            connection.info["read_only"] = True
            return
        connection.info["writer"] = writer.acquire(timeout=WRITER_WAIT)
        if not connection.info["writer"]:
            log.warning("waited %.0f s for this process's SQLite writer lock; going on without it", WRITER_WAIT)
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def end(connection: Any) -> None:
        """The reader's mark goes only once its connection writes again (if that fails, the pool's checkin tries
        again, or closes the connection); the writer lock goes whatever happens, or every later writer would wait."""
        try:
            if connection.info.get("read_only"):
                connection.exec_driver_sql("PRAGMA query_only = OFF")
                del connection.info["read_only"]
        finally:
            if connection.info.pop("writer", False):
                writer.release()

    @event.listens_for(engine, "checkin")
    def end_at_checkin(dbapi_connection: Any, record: Any) -> None:
        """A transaction the pool rolled back itself (its connection dropped unclosed, or its end failed) ends here as
        `end` ends it. A reader's connection that cannot write again is closed rather than pooled (an error raised
        here would lose its place in the pool): whoever draws that place next gets a new connection."""
        try:
            if record.info.get("read_only") and dbapi_connection is not None:
                dbapi_connection.execute("PRAGMA query_only = OFF")
            record.info.pop("read_only", None)
        except sqlite3.Error as error:
            log.warning("a SQLite reader's connection could not write again (%s); closing it", type(error).__name__)
            record.invalidate(error)
        finally:
            if record.info.pop("writer", False):
                writer.release()

    return engine


def writer_lock(engine: Engine) -> "threading.Lock | None":
    """The lock this process's SQLite writers on `engine` queue on (`_sqlite_engine`), for a check that none was left
    held; None for PostgreSQL, and for a copy (`execution_options()`): ask the engine it was copied from."""
    return _WRITER_LOCKS.get(engine)


def sqlite_file(url: str | URL) -> str | None:
    """The file a SQLite database URL keeps its data in, as SQLite opens it (relative to the working folder), a URI
    filename's (`sqlite:///file:/data/latitude.db?uri=true`) included; None for another database or one in memory.
    Without `uri=true` SQLAlchemy opens the path as written, `file:` and any SQLite option included."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if not asbool(parsed.query.get("uri", False)) or not database.startswith("file:"):
        return database
    path, _, inline = database.removeprefix("file:").partition("#")[0].partition("?")
    options = {**dict(parse_qsl(inline)), **{key: str(value) for key, value in parsed.query.items()}}
    if path.startswith("//"):  # file://host/path: the path after the authority
        path = "/" + path[2:].partition("/")[2]
    path = unquote(path)
    in_memory = options.get("mode") == "memory" or options.get("vfs") == "memdb"
    return None if not path or path == ":memory:" or in_memory else path


def _owner_only(path: str | None) -> None:
    """Create the database file readable by its owner only (SQLite gives its journal, WAL and shared-memory
    files the database file's permissions), and take group and other access away from an existing one."""
    if path is None:
        return
    with suppress(FileExistsError):  # never open a file this process may hold: closing a handle drops its locks
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(path, 0o600)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction that only reads, for long reads (an export, the weekly digests); a write in it fails.

    It reads one snapshot, taken at its first read: what is committed meanwhile is not seen, so its figures and rows
    cannot mix two moments (PostgreSQL's REPEATABLE READ; READ COMMITTED would see each statement afresh). On SQLite
    every other transaction takes the write lock as it begins, so a long read there would hold up every request
    meanwhile; this one reads a WAL snapshot and holds up nobody.
    """
    with sessions() as session:
        connection = session.connection(execution_options={READ_ONLY: True})
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield session


def empty_journal_after_commit(session: Session) -> None:
    """Once this session commits, copy SQLite's write-ahead log into the database and truncate it.

    Until the log starts over (after 1,000 pages or more), it keeps the image of every page written, commit
    by commit: rows deleted or rewritten since (a pulse round's answers and receipts) can be read back from
    it in the order they were written. PostgreSQL's WAL is the operator's to keep (README).
    """
    engine = session.get_bind()
    if isinstance(engine, Engine):
        event.listen(session, "after_commit", lambda _session: empty_journal(engine), once=True)


def empty_journal(engine: Engine) -> bool:
    """Empty SQLite's log without waiting: while a long read (an export) uses it, it cannot be emptied, and
    waiting would hold up every writer meanwhile. The pulse tick calls this every minute, so what one try (or
    another process, the command line) left is emptied at the next. True when emptied (or not SQLite)."""
    if engine.dialect.name != "sqlite":
        return True
    connection = engine.raw_connection()
    try:
        connection.execute("PRAGMA busy_timeout = 0")
        try:
            busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except engine.dialect.dbapi.OperationalError:  # type: ignore[union-attr]  # another writer holds the lock
            busy = 1
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    finally:
        connection.close()
    if busy:
        log.info("SQLite's write-ahead log is in use; it is emptied at the next try")
    return not busy
