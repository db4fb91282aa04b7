"""Bulk writing for the benchmark generators: the generated org and rows written in batches (COPY on PostgreSQL)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, text

BATCH = 20_000


@dataclass(frozen=True)
class Org:
    workspace_id: int
    policy_version_id: int
    frontline: list[int]
    manager_of: dict[int, int]


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime
    per_year: int


def reset_sequences(connection: Connection, tables: tuple[str, ...]) -> None:
    if connection.dialect.name == "postgresql":
        for table in tables:
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )


def bulk(connection: Connection, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    """Write rows in batches: COPY on PostgreSQL, executemany of Core `insert()` elsewhere."""
    if connection.dialect.name == "postgresql":
        return _copy(connection, table, rows)
    written, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            connection.execute(insert(table), batch)
            written, batch = written + len(batch), []
    if batch:
        connection.execute(insert(table), batch)
    return written + len(batch)


def _copy(connection: Connection, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    first = next(rows, None)
    if first is None:
        return 0
    columns = list(first)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    written = 0
    with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in _chain(first, rows):
            copy.write_row([row[column] for column in columns])
            written += 1
    return written


def _chain(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest
