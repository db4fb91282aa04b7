"""With SQLite, one process at a time renews an installation's token: a lock on a file beside the database's."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager


class RenewalLockUnavailable(Exception):
    """The lock file beside the database could not be opened or locked (a read-only folder, a file system without
    locks): a fault of this machine, not Slack's. Not an OSError, which reads as Slack not answering: the person is
    given the error message with a reference for their admin, rather than told to try again in a moment forever."""


def lock_file(database: str, digest: int) -> str:
    return f"{database}-renewal-{digest:08x}"


@contextmanager
def file_turn(database: str | None, digest: int, *, wait: bool) -> Iterator[bool]:
    """An exclusive lock on `<database file>-renewal-<installation's digest>`, let go when the file is closed (or the
    process ends, however it ends); an in-memory database belongs to one process."""
    if database is None:
        yield True
        return
    try:
        handle = open(lock_file(database, digest), "a")  # noqa: SIM115  (closed below, after the turn)
    except OSError as error:
        raise RenewalLockUnavailable(f"cannot open the token renewal's lock file: {error}") from error
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            taken = True
        except BlockingIOError:
            taken = False
        except OSError as error:
            raise RenewalLockUnavailable(f"cannot lock the token renewal's lock file: {error}") from error
        yield taken
