"""Row ids that tell nothing: drawn at random below zero, where the database's own counter never goes.

A counted-up id keeps the order rows were written in, and a row deleted later leaves a gap in it: between the rows
kept, a reader of the database would count the ones gone and date them (who was reminded to answer a pulse, when an
anonymous idea was really sent). A row written to be forgotten, or to say nothing of when or in what order it was
written, takes one of these ids, so the counter never moves for it. Callers commit.
"""

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from models import Base
from services import rows


def draw() -> int:
    """A random id below zero, within a 32-bit integer column."""
    return -(secrets.randbelow(2**31 - 1) + 1)


def unordered_id(session: Session, model: type[Base]) -> int:
    """A random id below zero that no row of `model` has (a concurrent insert of the same one fails on its key)."""
    while True:
        drawn = draw()
        if session.get(model, drawn) is None:
            return drawn


def unordered_ids(session: Session, model: type[Base], count: int) -> list[int]:
    """`count` distinct random ids below zero that no row of `model` has, for rows inserted together."""
    id_column = model.__table__.c.id  # type: ignore[attr-defined]
    drawn: set[int] = set()
    while len(drawn) < count:
        more = {draw() for _ in range(count - len(drawn))} - drawn
        drawn |= more - set(session.scalars(select(id_column).where(id_column.in_(more))))
    return sorted(drawn, key=lambda _: secrets.randbits(32))


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
