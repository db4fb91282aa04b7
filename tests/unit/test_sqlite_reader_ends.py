"""A SQLite connection that read goes back to the pool able to write, even when ending its read fails."""

import gc
from collections.abc import Iterator
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
