"""Writing safely under concurrency: rows that may exist already, and writers that must take turns. Callers commit."""

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Connection, Integer, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Base

T = TypeVar("T")


def writers_overlap(session: Session) -> bool:
    """Whether two writing transactions can run at once, so counted limits need a lock.

    PostgreSQL's can; SQLite's take the database's write lock when they begin (models/engine.py).
    """
    return session.get_bind().dialect.name != "sqlite"


_TAKE_TURNS = select(func.pg_advisory_xact_lock(bindparam("space", type_=Integer), bindparam("key", type_=Integer)))
_TRY_TAKE_TURNS = select(
    func.pg_try_advisory_xact_lock(bindparam("space", type_=Integer), bindparam("key", type_=Integer))
)

_KEY = func.unnest(bindparam("keys", type_=ARRAY(Integer))).column_valued("key")
_TAKE_ALL_TURNS = select(func.count(func.pg_advisory_xact_lock(bindparam("space", type_=Integer), _KEY)))
_TRY_TAKE_ALL_TURNS = select(func.bool_and(func.pg_try_advisory_xact_lock(bindparam("space", type_=Integer), _KEY)))


def take_turns(session: Session, space: int, keys: Iterable[int], *, wait: bool = True) -> bool:
    """Until the caller commits, another transaction asking for the same (space, key) waits.

    PostgreSQL's transaction advisory locks: unlike a row lock, they hold up nothing but each other (an
    org import updating the same people goes on). Taken in key order, so two callers cannot deadlock.
    SQLite's writers take turns anyway. `wait=False`, for a caller holding turns taken earlier in the transaction
    (so not in one order with everyone's) that can come back later: none is waited for, and it says whether it got all.
    """
    if not writers_overlap(session):
        return True
    ordered = sorted(set(keys))
    if len(ordered) > 1:  # one statement, taking them in the array's order
        taken = session.scalar(_TAKE_ALL_TURNS if wait else _TRY_TAKE_ALL_TURNS, {"space": space, "keys": ordered})
        return taken is not False
    statement = _TAKE_TURNS if wait else _TRY_TAKE_TURNS
    return all([session.scalar(statement, {"space": space, "key": key}) is not False for key in ordered])


def get_or_create(session: Session, find: Callable[[], T | None], create: Callable[[], T]) -> tuple[T, bool]:
    """Find a row, or insert it in a savepoint; a concurrent insert of the same row wins quietly.

    An insert refused with no row to find after it was no race but a real refusal (a constraint, a trigger, a
    parent row gone): the database's own error goes on, saying why."""
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
        if found is None:
            raise
        return found, False


def insert_new(connection: Connection, model: type[Base], returning: Any, values: dict[str, Any]) -> Any | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING one column: its value when the row is new, None when a row
    with the same key was there (a concurrent insert included). One statement where a find-then-insert in a
    savepoint takes four; built once per database and table, since the hot paths (every request) use it."""
    return connection.scalar(_insert_new(connection.dialect.name, model, returning), values)


@cache
def _insert_new(dialect: str, model: Any, returning: Any) -> Any:
    return insert_of(dialect, model).on_conflict_do_nothing().returning(returning)


def insert_new_rows(
    connection: Connection, model: type[Base], key: Any, returning: Any, rows: list[dict[str, Any]]
) -> dict[Any, Any]:
    """`insert_new` of several rows in one statement (the database's many-rows INSERT): `returning`'s value of each new
    row by its unique `key`; a row whose key was there is missing."""
    if not rows:
        return {}
    if len(rows) == 1:
        inserted = insert_new(connection, model, returning, rows[0])
        return {} if inserted is None else {rows[0][key.key]: inserted}
    statement = _insert_new_rows(connection.dialect.name, model, key, returning)
    return {row[0]: row[1] for row in connection.execute(statement, rows)}


@cache
def _insert_new_rows(dialect: str, model: Any, key: Any, returning: Any) -> Any:
    return insert_of(dialect, model).on_conflict_do_nothing().returning(key, returning)


@cache
def upsert(dialect: str, model: Any, keys: tuple[str, ...], changing: tuple[str, ...]) -> Any:
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET the `changing` columns to the new row's values."""
    insert = insert_of(dialect, model)
    return insert.on_conflict_do_update(
        index_elements=list(keys), set_={column: insert.excluded[column] for column in changing}
    )


def insert_of(dialect: str, model: type[Any]) -> Any:
    """The database's INSERT with its ON CONFLICT clauses (SQLite and PostgreSQL spell them alike)."""
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(model)


def lock_again(session: Session, model: type[Base], ids: Iterable[int]) -> None:
    """Leave this transaction's stamp on these rows, in place of an earlier one that dated an anonymous act.

    On PostgreSQL a row keeps the transaction that last locked it (`xmax`), a foreign key's check included: a row
    that an answer, a comment or an anonymous idea named by its key would tell a reader of the database when that was
    sent. Locking it again (`FOR KEY SHARE`, which holds up no update of it) stamps it with this transaction instead.
    """
    keys = sorted(set(ids))
    if keys and writers_overlap(session):
        column = model.__table__.c.id  # type: ignore[attr-defined]
        query = select(column).where(column.in_(keys)).order_by(column)
        session.execute(query.with_for_update(key_share=True)).all()
