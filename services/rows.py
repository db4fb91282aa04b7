"""Inserting a row that may exist already, safely under concurrency. Callers commit."""

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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


def insert_unless_present(session: Session, model: type[Any], **values: Any) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING for this session's database (SQLite and PostgreSQL both have it):
    one statement where a find-then-insert in a savepoint takes four. Run it on `session.connection()` (the ORM
    bulk path reports no rowcount); and add RETURNING to tell whether it inserted."""
    return upsert_of(session, model).values(**values).on_conflict_do_nothing()


def upsert_of(session: Session, model: type[Any]) -> Any:
    """This session's database's INSERT, the one with ON CONFLICT clauses (SQLite and PostgreSQL spell it alike)."""
    return (postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(model)
