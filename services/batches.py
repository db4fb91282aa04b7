"""Deleting a backlog a batch at a time, for the jobs that forget what is no longer needed. Each batch commits."""

from collections.abc import Callable

from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker


def delete_in_batches(sessions: sessionmaker[Session], delete_a_batch: Callable[[Connection], int], batch: int) -> int:
    """`delete_a_batch` (up to `batch` rows), each in a short transaction of its own, until one comes back short;
    returns how many went. A backlog (the first run after an upgrade) never holds SQLite's write lock for long:
    requests go on in between."""
    gone = 0
    while True:
        with sessions.begin() as session:
            deleted = delete_a_batch(session.connection())
        gone += deleted
        if deleted < batch:
            return gone
