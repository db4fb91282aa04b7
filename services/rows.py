"""Inserting a row that may exist already, safely under concurrency. Callers commit."""

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

T = TypeVar("T")


def get_or_create(session: Session, find: Callable[[], T | None], create: Callable[[], T]) -> tuple[T, bool]:
    """Find a row, or insert it in a savepoint; a concurrent insert of the same row wins quietly."""
    found = find()
    if found is not None:
        return found, False
    try:
        with session.begin_nested():
            row = create()
            session.add(row)
        return row, True
    except IntegrityError:
        found = find()
        assert found is not None, "a concurrent insert failed but left no row"
        return found, False
