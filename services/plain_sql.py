"""Statements that load no ORM rows (columns, counts, an UPDATE of a few columns), run as Core on the session's
connection: the ORM's setup of such a statement costs more than running it, and an UPDATE set up as the ORM's bulk
update several times more. Every click and every App Home view runs some. Callers commit."""

from typing import Any

from sqlalchemy import Executable, Result
from sqlalchemy.orm import Session

Rows = Result[*tuple[Any, ...]]


def execute(session: Session, statement: Executable, values: dict[str, Any] | None = None) -> Rows:
    """`session.execute` of a statement loading no ORM rows, in the session's transaction. Changes the session holds
    are flushed first, as the ORM would (autoflush); the statement leaves the session's rows as they are, so it must
    not change a row the session holds and reads again."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, values)
