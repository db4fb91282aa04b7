"""Which process runs the scheduler: on PostgreSQL, the one holding an advisory lock."""

import logging
import threading

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)
LOCK_KEY = 0x1A717D


class Leadership:
    """Holds a session-level advisory lock on a dedicated connection; SQLite means one process."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    def is_leader(self) -> bool:
        if self._engine.dialect.name != "postgresql":
            return True
        with self._lock:
            if self._connection is None or self._connection.closed:
                self._connection = self._engine.connect()
            if self._connection.info.get("latitude_leader"):
                return True
            won = bool(self._connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar())
            self._connection.commit()
            if won:
                self._connection.info["latitude_leader"] = True
                log.info("this process runs the scheduler")
            return won

    def release(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
