"""Row ids that tell nothing: drawn at random below zero, where the database's own counter never goes.

A counted-up id keeps the order rows were written in, and a row deleted later leaves a gap in it: between the rows
kept, a reader of the database would count the ones gone and date them (who was reminded to answer a pulse, when an
anonymous idea was really sent, a manager's reply to an anonymous comment). A row written to be forgotten, or to say
nothing of when or in what order it was written, takes one of these ids, so the counter never moves for it.

The id is drawn and the row inserted in one statement that does nothing when another row has the id (ON CONFLICT (id)
DO NOTHING; one a concurrent transaction inserted included, once it commits): the id is then drawn again. No clash of
ids ever raises, so none aborts the caller's PostgreSQL transaction. Callers commit.
"""

import secrets
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, inspect, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, make_transient_to_detached

from models import Base
from services import rows


def draw() -> int:
    """A random id below zero, within a 32-bit integer column."""
    return -(secrets.randbelow(2**31 - 1) + 1)


def insert(session: Session, model: type[Base], values: dict[str, Any]) -> int:
    """Insert a row of `model` under a random id below zero; its id. A clash on another key fails as a plain insert."""
    connection = _flushed(session)
    statement = _unless_the_id_is_taken(connection.dialect.name, model)
    while True:
        inserted = connection.scalar(statement, {**values, "id": draw()})
        if inserted is not None:
            return int(inserted)


def insert_all(session: Session, model: type[Base], values: Sequence[dict[str, Any]]) -> None:
    """Insert rows of `model` together, in the order given, each under its own random id below zero."""
    connection = _flushed(session)
    statement = _unless_the_id_is_taken(connection.dialect.name, model)
    waiting = list(values)
    while waiting:
        drawn = [{**row, "id": given} for row, given in zip(waiting, _distinct(len(waiting)), strict=True)]
        inserted = set(connection.scalars(statement, drawn))
        waiting = [row for row in drawn if row["id"] not in inserted]


def add(session: Session, row: Base) -> None:
    """`insert` a new ORM object (not yet in the session): it joins the session as a row read back would (a column
    it left to its default is read when first used). Only its columns are written: one built with a related object
    (`parent=...` rather than `parent_id=...`) is refused, as its key would be written empty."""
    state = inspect(row)
    related = [link.key for link in state.mapper.relationships if link.key in state.dict]
    if related:
        raise ValueError(f"set the key columns, not {', '.join(related)}: only columns are written")
    values = {attr.columns[0].key: state.dict[attr.key] for attr in state.mapper.column_attrs if attr.key in state.dict}
    values.pop("id", None)
    state.dict["id"] = insert(session, type(row), values)
    make_transient_to_detached(row)
    session.add(row)


def insert_or_change(
    session: Session, model: type[Base], values: dict[str, Any], *, keys: tuple[str, ...], changing: tuple[str, ...]
) -> None:
    """Insert the row under a random id below zero, or set `changing` on the row with the same `keys` (one inserted
    concurrently included). PostgreSQL's ON CONFLICT takes one target, so a clash of ids and one of keys are told apart
    by the update that follows: a clash it finds no row for was the id's, drawn again."""
    connection = session.connection()
    id_column = model.__table__.c.id
    named = {f"key_{key}": values[key] for key in keys} | {f"new_{column}": values[column] for column in changing}
    while True:
        if rows.insert_new(connection, model, id_column, {**values, "id": draw()}) is not None:
            return
        if connection.scalar(_change(model, keys, changing), named) is not None:
            return


@cache
def _change(model: type[Base], keys: tuple[str, ...], changing: tuple[str, ...]) -> Any:
    """UPDATE of the `changing` columns of the row with the same `keys`, RETURNING its id: built once per table, since
    every pulse click runs `insert_or_change` (bound as `key_<column>` and `new_<column>`)."""
    table = model.__table__
    same = [table.c[key] == bindparam(f"key_{key}") for key in keys]
    new: dict[str, Any] = {column: bindparam(f"new_{column}") for column in changing}
    return update(model).where(*same).values(new).returning(table.c.id)


def insert_new(
    session: Session, model: type[Base], values: dict[str, Any], *, key: InstrumentedAttribute[str]
) -> int | None:
    """`rows.insert_new` of a row under a random id below zero: its id when new, None when a row with the same `key`
    exists (a concurrent insert included). An id another row took meanwhile is simply drawn again."""
    id_column = model.__table__.c.id  # type: ignore[attr-defined]
    while True:
        inserted = rows.insert_new(session.connection(), model, id_column, {**values, "id": draw()})
        if inserted is not None:
            return int(inserted)
        if session.scalar(select(key).where(key == values[key.key])) is not None:
            return None


def _flushed(session: Session) -> Connection:
    """The session's connection, once the rows it holds are written (a parent the new row names among them), as an
    ORM query would first."""
    session.flush()
    return session.connection()


def _distinct(count: int) -> list[int]:
    """`count` different draws, in the order drawn."""
    drawn: dict[int, None] = {}
    while len(drawn) < count:
        drawn[draw()] = None
    return list(drawn)


@cache
def _unless_the_id_is_taken(dialect: str, model: Any) -> Any:
    id_column = model.__table__.c.id
    return rows.insert_of(dialect, model).on_conflict_do_nothing(index_elements=[id_column]).returning(id_column)
