"""A worker process gunicorn starts while the database is out of reach (restarting, failing over) waits for it."""

import socket
import threading
from collections.abc import Iterator
from contextlib import suppress

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.fakeslack import FakeSlack
from bot.prefork import BOOT_PATIENCE, PreforkServer, boot_waits
from bot.startup import DatabaseUnreachable, StartupError
from tests.conftest import bot_settings


class DatabaseDoor:
    """A TCP door in front of the database: shut, it takes each connection and closes it at once (a database
    restarting); open, it passes bytes both ways."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.open = False
        self._listening = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listening.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listening.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            server = socket.create_connection(self.target)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()

    def close(self) -> None:
        self._listening.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    """Bytes from `source` to `sink` until either end closes; each socket is closed by the pipe reading it."""
    with suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    with suppress(OSError):
        sink.shutdown(socket.SHUT_WR)
    source.close()


@pytest.fixture
def door(database_url: str) -> Iterator[tuple[DatabaseDoor, str]]:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL")
    url = make_url(database_url)
    door = DatabaseDoor(url.host or "127.0.0.1", url.port or 5432)
    yield door, url.set(host="127.0.0.1", port=door.port).render_as_string(hide_password=False)
    door.close()


def test_a_worker_started_while_the_database_restarts_waits_for_it_instead_of_stopping_the_server(
    door: tuple[DatabaseDoor, str], slack: FakeSlack, sessions: sessionmaker[Session]
) -> None:
    """gunicorn stops every worker, the healthy ones too, when one fails to boot (exit 3)."""
    shut, url = door
    waited: list[float] = []

    def database_back_after_two_waits(seconds: float) -> None:
        waited.append(seconds)
        shut.open = len(waited) >= 2

    server = PreforkServer(
        bot_settings(slack, url), host="127.0.0.1", port=0, workers=2, scheduler=False,
        sleep=database_back_after_two_waits,
    )  # fmt: skip
    try:
        server.load()
        assert server.runtime is not None and server.runtime.healthy()
    finally:
        if server.runtime is not None:
            server.runtime.close()

    assert waited == [1.0, 2.0]


def test_a_worker_waits_for_the_database_five_minutes_at_most_ten_seconds_between_tries() -> None:
    waits = list(boot_waits())
    assert waits[:5] == [1.0, 2.0, 4.0, 8.0, 10.0] and max(waits) == 10.0
    assert BOOT_PATIENCE - 10 < sum(waits) <= BOOT_PATIENCE


@pytest.mark.parametrize("wrong", ["database", "user"])
def test_a_worker_given_a_database_or_user_that_does_not_exist_stops_at_once_in_one_line(
    database_url: str, slack: FakeSlack, wrong: str
) -> None:
    """Waiting cannot heal a wrong DATABASE_URL: five minutes of retries would only delay saying so."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL")
    url = make_url(database_url)
    url = url.set(database=f"{url.database}_missing") if wrong == "database" else url.set(username="latitude_nobody")
    waited: list[float] = []
    server = PreforkServer(
        bot_settings(slack, url.render_as_string(hide_password=False)), host="127.0.0.1", port=0, workers=2,
        scheduler=False, sleep=waited.append,
    )  # fmt: skip

    with pytest.raises(StartupError) as refused:
        server.load()

    assert not isinstance(refused.value, DatabaseUnreachable)
    assert waited == []
    assert str(refused.value).startswith(f"the database at postgresql+psycopg://{url.host}:{url.port}/")
    assert "does not exist" in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "fault", [{"status": 503}, {"hang_up": True}, {"status": 200, "error": "service_unavailable"}], ids=str
)
def test_a_worker_started_while_slack_cannot_check_the_token_waits_for_it_instead_of_stopping_the_server(
    database_url: str, slack: FakeSlack, sessions: sessionmaker[Session], fault: dict[str, object]
) -> None:
    """Slack down, busy or out of reach as gunicorn starts a worker again: the worker tries again, as it does for the
    database, rather than fail to boot and take the healthy workers down with it."""
    tries = 3 if fault.get("status") != 200 else 1  # the client tries a dropped connection or a 5xx twice more
    slack.fail("auth.test", times=2 * tries, **fault)  # type: ignore[arg-type]
    waited: list[float] = []
    server = PreforkServer(
        bot_settings(slack, database_url), host="127.0.0.1", port=0, workers=2, scheduler=False, sleep=waited.append
    )
    try:
        server.load()
        assert server.runtime is not None and server.runtime.healthy()
    finally:
        if server.runtime is not None:
            server.runtime.close()

    assert waited == [1.0, 2.0]


def test_a_worker_whose_token_slack_refuses_stops_at_once_in_one_line(
    database_url: str, slack: FakeSlack, sessions: sessionmaker[Session]
) -> None:
    slack.fail("auth.test", times=5, error="invalid_auth")
    waited: list[float] = []
    server = PreforkServer(
        bot_settings(slack, database_url), host="127.0.0.1", port=0, workers=2, scheduler=False, sleep=waited.append
    )

    with pytest.raises(StartupError, match=r"did not accept SLACK_BOT_TOKEN.*invalid_auth"):
        server.load()
    assert waited == []
