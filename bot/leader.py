"""Which process runs the scheduler: on PostgreSQL, the one holding an advisory lock.

The lock lives on a dedicated connection. It is checked before every job run, never remembered:
if that connection dies (a restart of PostgreSQL, `pg_terminate_backend`, a network cut) the lock
is gone and another process may already hold it, so this one stops running jobs at once and tries
to win the lock again on a fresh connection.
"""

import logging
import threading

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)
LOCK_KEY = 0x1A717D
HOLDS_LOCK = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
    "AND classid = 0 AND objid = :key AND objsubid = 1 AND granted"
)


class Leadership:
    """Holds a session-level advisory lock on a dedicated connection; SQLite means one process."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._leading = False
        self._lock = threading.Lock()

    def is_leader(self) -> bool:
        """True only if this process holds the lock right now (asked of PostgreSQL each time)."""
        if self._engine.dialect.name != "postgresql":
            return True
        with self._lock:
            try:
                leading = self._still_holds() if self._leading else self._try_to_win()
            except DBAPIError as error:
                self._drop_connection()
                leading = False
                if self._leading:
                    log.warning("lost the scheduler lock (%s); another process may take over", _first_line(error))
            if leading != self._leading:
                log.info("this process %s the scheduler", "runs" if leading else "no longer runs")
            self._leading = leading
            return leading

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


def _first_line(error: Exception) -> str:
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0][:200]
