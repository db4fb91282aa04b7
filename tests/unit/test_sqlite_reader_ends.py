"""A SQLite connection goes back to the pool able to write and gives back the writer lock, even when ending its read
fails or nobody ends its transaction."""

import gc
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError

from models.engine import make_engine, make_session_factory, reading


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'readers.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))
    yield engine
    engine.dispose()


def test_a_reader_whose_end_fails_leaves_no_connection_read_only(engine: Engine) -> None:
    """The database blips as a reading transaction ends (its `PRAGMA query_only = OFF` fails): the connection
    must not go back to the pool still refusing writes, to fail whoever draws it next."""
    failing = {"once": True}

    def blip(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement == "PRAGMA query_only = OFF" and failing.pop("once", False):
            raise OperationalError(statement, {}, Exception("disk I/O error"))

    event.listen(engine, "before_cursor_execute", blip)
    sessions = make_session_factory(engine)
    with pytest.raises(OperationalError) as raised, reading(sessions) as session:
        session.execute(text("SELECT count(*) FROM notes"))
    del raised, session
    gc.collect()  # the error's traceback held the session: its connection goes back to the pool now

    for n in range(engine.pool.size() + 1):  # whichever pooled connection each draws
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO notes VALUES (:n)"), {"n": str(n)})
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notes")).scalar_one() == engine.pool.size() + 1


class Blipping(sqlite3.Connection):
    """A connection whose own `execute` (the pool's checkin runs its PRAGMA so, no cursor) fails while `failing`."""

    failing = False

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if Blipping.failing and sql == "PRAGMA query_only = OFF":
            raise sqlite3.OperationalError("disk I/O error")
        return super().execute(sql, *args)


def test_a_reader_whose_end_fails_twice_leaves_no_connection_read_only_nor_one_place_fewer_in_the_pool(
    engine: Engine,
) -> None:
    """Ending the read fails, and so does the pool's second try as the connection goes back: the connection is closed
    (one left read-only would fail whoever draws it next) and its place in the pool kept for a new one."""
    engine.dispose()
    event.listen(engine, "do_connect", lambda *args: args[3].update(factory=Blipping))
    event.listen(engine, "before_cursor_execute", _fail_the_first_end_of_a_read())
    Blipping.failing = True
    try:
        with pytest.raises(OperationalError) as raised, reading(make_session_factory(engine)) as session:
            session.execute(text("SELECT count(*) FROM notes"))
        del raised, session
        gc.collect()
    finally:
        Blipping.failing = False

    assert engine.pool.checkedout() == 0, "the connection's place in the pool was lost"
    for n in range(engine.pool.size() + 1):
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO notes VALUES (:n)"), {"n": str(n)})


def test_a_writer_dropped_unclosed_lets_the_next_writer_in(engine: Engine) -> None:
    """A transaction that writes, dropped without a commit or a rollback (the pool rolls it back as it collects its
    connection), gives back the process's writer lock: otherwise every later writer waits 30 s for it."""
    connection = engine.connect()
    connection.begin()
    connection.execute(text("INSERT INTO notes VALUES ('dropped')"))
    del connection
    gc.collect()

    wrote = threading.Event()

    def write() -> None:
        with engine.begin() as writing:
            writing.execute(text("INSERT INTO notes VALUES ('next')"))
        wrote.set()

    threading.Thread(target=write, daemon=True).start()
    assert wrote.wait(timeout=5), "the next writer waits for a lock nobody holds"
    with engine.connect() as reading_now:
        assert list(reading_now.execute(text("SELECT body FROM notes")).scalars()) == ["next"]


def _fail_the_first_end_of_a_read() -> Callable[..., None]:
    failing = {"once": True}

    def blip(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement == "PRAGMA query_only = OFF" and failing.pop("once", False):
            raise OperationalError(statement, {}, Exception("disk I/O error"))

    return blip
