"""The database dropping while the bot assembles itself, after it first answered: a restart or failover in the middle
of start-up is waited for like one before it, never a crash with a traceback."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from bot.fakeslack import FakeSlack
from bot.prefork import PreforkServer
from bot.runtime import build_runtime
from bot.startup import DatabaseUnreachable, describe_url
from tests.conftest import bot_settings


@contextmanager
def dropping_once_start_up_writes_its_workspace() -> Iterator[list[bool]]:
    """Every engine's statements on the workspaces fail as on a connection the database cut, while the flag it
    yields holds True: the check made when the database is opened has passed by then."""
    dropping = [True]

    def cut(connection: Any, _cursor: object, statement: str, *_: object) -> None:
        if dropping[0] and "workspaces" in statement:
            raise connection.dialect.dbapi.OperationalError("server closed the connection unexpectedly")

    event.listen(Engine, "before_cursor_execute", cut)
    try:
        yield dropping
    finally:
        event.remove(Engine, "before_cursor_execute", cut)


def test_a_database_that_drops_in_the_middle_of_start_up_is_one_line_saying_it_cannot_be_reached(
    slack: FakeSlack, sessions: sessionmaker[Session], database_url: str
) -> None:
    with dropping_once_start_up_writes_its_workspace(), pytest.raises(DatabaseUnreachable) as unreachable:
        build_runtime(bot_settings(slack, database_url))

    assert str(unreachable.value) == (
        f"cannot reach the database at {describe_url(database_url)}: server closed the connection unexpectedly"
    )


def test_a_worker_whose_database_drops_in_the_middle_of_its_start_waits_for_it_instead_of_stopping_the_server(
    slack: FakeSlack, sessions: sessionmaker[Session], database_url: str
) -> None:
    """gunicorn stops every worker, the healthy ones too, when one fails to boot."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL")
    waited: list[float] = []
    with dropping_once_start_up_writes_its_workspace() as dropping:

        def database_back(seconds: float) -> None:
            waited.append(seconds)
            dropping[0] = False

        server = PreforkServer(
            bot_settings(slack, database_url), host="127.0.0.1", port=0, workers=2, scheduler=False,
            sleep=database_back,
        )  # fmt: skip
        try:
            server.load()
            assert server.runtime is not None and server.runtime.healthy()
        finally:
            if server.runtime is not None:
                server.runtime.close()

    assert waited == [1.0]
