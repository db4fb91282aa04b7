"""Which process runs the scheduler: on PostgreSQL, the one holding an advisory lock; on SQLite, the one
holding a lock on a file beside the database, which the system lets go of when the process ends.

The lock lives on a dedicated connection. It is checked before every job run, never remembered:
if that connection dies (a restart of PostgreSQL, `pg_terminate_backend`, a network cut) the lock
is gone and another process may already hold it, so this one stops running jobs at once and tries
to win the lock again on a fresh connection.
"""

import fcntl
import logging
import threading
from typing import TextIO

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from bot.startup import first_line

log = logging.getLogger(__name__)
LOCK_KEY = 0x1A717D
HOLDS_LOCK = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
    "AND classid = 0 AND objid = :key AND objsubid = 1 AND granted"
)


class Leadership:
    """Holds a session-level advisory lock on a dedicated connection, or on SQLite a file lock."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._file = FileLock(engine.url.database) if engine.dialect.name == "sqlite" else None
        self._leading = False
        self._lock = threading.Lock()

    def is_leader(self) -> bool:
        """True only if this process holds the lock right now (asked of PostgreSQL each time)."""
        with self._lock:
            leading = self._file.held() if self._file is not None else self._holds_advisory_lock()
            if leading != self._leading:
                log.info("this process %s the scheduler", "runs" if leading else "no longer runs")
            self._leading = leading
            return leading

    def _holds_advisory_lock(self) -> bool:
        try:
            return self._still_holds() if self._leading else self._try_to_win()
        except DBAPIError as error:
            self._drop_connection()
            if self._leading:
                log.warning("lost the scheduler lock (%s); another process may take over", first_line(error)[:200])
            return False

    def _still_holds(self) -> bool:
        connection = self._open()
        held = bool(connection.execute(HOLDS_LOCK, {"key": LOCK_KEY}).scalar())
        connection.commit()
        return held or self._try_to_win()

    def _try_to_win(self) -> bool:
        connection = self._open()
        won = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar())
        connection.commit()
        return won

    def _open(self) -> Connection:
        if self._connection is None or self._connection.closed or self._connection.invalidated:
            self._connection = self._engine.connect()
        return self._connection

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()
                self._connection.close()
            except DBAPIError:
                pass
        self._connection = None

    def release(self) -> None:
        """Give the lock up now: a session lock outlives `close()`, which only returns the connection to the pool."""
        with self._lock:
            if self._file is not None:
                self._file.release()
            if self._connection is not None and self._leading:
                try:
                    self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                    self._connection.commit()
                except DBAPIError:
                    self._drop_connection()
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            self._leading = False


class FileLock:
    """An exclusive lock on `<database file>-leader`, held until released or the process ends (however it ends).

    Two `run` processes on one SQLite file would each run the scheduled jobs; the second one serves requests
    and leaves the jobs to the first. An in-memory database belongs to one process.
    """

    def __init__(self, database: str | None) -> None:
        self._path = f"{database}-leader" if database and database != ":memory:" else None
        self._file: TextIO | None = None

    def held(self) -> bool:
        if self._path is None or self._file is not None:
            return True
        handle = open(self._path, "a")  # noqa: SIM115  # kept open: closing it lets go of the lock
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
