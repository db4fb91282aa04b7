"""Transactions that only read (exports, the weekly digests) hold up no writer, and cannot write."""

import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Workspace
from models.engine import reading
from services import directory


def add_workspace(session: Session, team_id: str, now: datetime) -> None:
    directory.ensure_workspace(session, slack_team_id=team_id, now=now)
    session.flush()


def test_a_writer_goes_ahead_while_a_long_read_is_open(
    sessions: sessionmaker[Session], workspace: Workspace, clock: MovableClock
) -> None:
    wrote = threading.Event()

    def write() -> None:
        with sessions.begin() as writer:
            add_workspace(writer, "T0WRITER", clock.now())
        wrote.set()

    with reading(sessions) as reader:
        assert reader.scalar(select(func.count(Workspace.id))) == 1
        threading.Thread(target=write, daemon=True).start()
        assert wrote.wait(5), "the writer waited for a transaction that only reads"

    with sessions() as session:
        assert session.scalar(select(func.count(Workspace.id))) == 2


def test_a_write_in_a_reading_transaction_fails_and_leaves_the_connection_writable(
    sessions: sessionmaker[Session], workspace: Workspace, clock: MovableClock
) -> None:
    with reading(sessions) as reader:
        used = reader.connection().connection.dbapi_connection
        with pytest.raises(DBAPIError):
            add_workspace(reader, "T0SNEAKY", clock.now())

    for _attempt in range(20):  # the pool hands out its idle connections in turn: find the one the reader had
        with sessions.begin() as session:
            if session.connection().connection.dbapi_connection is used:
                add_workspace(session, "T0LATER", clock.now())
                break
    else:
        pytest.fail("the reader's connection never came back from the pool")

    with sessions() as session:
        teams = set(session.scalars(select(Workspace.slack_team_id)))
    assert teams == {"T0LATITUDE", "T0LATER"}
