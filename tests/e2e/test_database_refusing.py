"""A database that refuses Latitude at start, as an operator meets it: a wrong password in DATABASE_URL."""

import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.fakeslack import FakeSlack
from tests.e2e.test_cli import bot_environment, cli
from tests.e2e.test_cli_startup_mishaps import one_error_line

PASSWORD = "n0t-the-password"
NEGOTIATIONS = (80877103, 80877104)
"""SSLRequest and GSSENCRequest: libpq asks for encryption first, and goes on in clear when told no."""


def _refuse_every_login(listening: socket.socket) -> None:
    while True:
        try:
            connection, _ = listening.accept()
        except OSError:
            return
        with connection:
            _refuse(connection)


def _refuse(connection: socket.socket) -> None:
    """Answer the startup as PostgreSQL does a wrong password: FATAL 28P01."""
    while True:
        header = connection.recv(8)
        if len(header) < 8:
            return
        length, code = struct.unpack("!ii", header)
        if code not in NEGOTIATIONS:
            connection.recv(length - 8)
            break
        connection.sendall(b"N")
    fields = [b"SFATAL", b"VFATAL", b"C28P01", b'Mpassword authentication failed for user "latitude"']
    body = b"".join(field + b"\0" for field in fields) + b"\0"
    connection.sendall(b"E" + struct.pack("!i", len(body) + 4) + body)


@pytest.fixture
def refusing_database() -> Iterator[int]:
    """A port where a PostgreSQL server refuses the password given."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(8)
        threading.Thread(target=_refuse_every_login, args=(listening,), daemon=True).start()
        yield int(listening.getsockname()[1])


def test_a_wrong_database_password_stops_run_at_once_in_one_line_without_the_password(
    tmp_path: Path, slack: FakeSlack, refusing_database: int
) -> None:
    """Trying again cannot heal it: `run` says so at once, in one line and no traceback, naming no password."""
    url = f"postgresql+psycopg://latitude:{PASSWORD}@127.0.0.1:{refusing_database}/latitude"
    started = time.monotonic()

    result = cli(tmp_path, "run", "--port", "0", env={**bot_environment(slack), "DATABASE_URL": url})

    assert time.monotonic() - started < 10
    assert one_error_line(result) == (
        f"error: the database at postgresql+psycopg://127.0.0.1:{refusing_database}/latitude refused Latitude: "
        'connection failed: connection to server at "127.0.0.1", port '
        f'{refusing_database} failed: FATAL:  password authentication failed for user "latitude"'
    )
    assert PASSWORD not in result.stderr + result.stdout
