"""PostgreSQL's `COPY ... TO STDOUT` records, read straight from libpq through psycopg's `pq` layer.

psycopg's `Copy` object runs its wait machinery for every record, which costs more than the database
spends making the record: on a large export the client, not PostgreSQL, set the pace. Here a record
already in libpq's buffer is taken with one call, and only an empty buffer waits on the socket (in
`select`, which lets other threads run).
"""

import select
from collections.abc import Callable, Generator
from typing import Any

import psycopg
from psycopg import pq
from psycopg.errors import error_from_result

Mend = Callable[[bytes, list[memoryview]], bytes]
"""A chunk of CSV lines and the records it is made of -> the chunk to write."""


def copy_csv_chunks(
    connection: psycopg.Connection[Any], statement: str, params: dict[str, Any], lines: int, mend: Mend
) -> Generator[tuple[int, bytes], None, None]:
    """The records of `statement` (a `COPY ... TO STDOUT WITH (FORMAT csv)`) as (count, chunk of `lines` CSV lines).

    COPY ends each record with LF: a chunk's records are joined with CRLF in place of that last byte
    (RFC 4180; a line break inside a quoted cell stays as typed). Records are gathered in one tight loop
    rather than handed out one by one: at a million records, a Python step per record is what sets the
    pace; `mend` sees each chunk whole. The parameters are bound by psycopg's own quoting.
    """
    pgconn, encoding = connection.pgconn, connection.info.encoding
    pgconn.send_query(psycopg.ClientCursor(connection).mogrify(statement, params).encode(encoding))
    started = _next_result(pgconn)
    if started is None or started.status != pq.ExecStatus.COPY_OUT:
        _drain(pgconn)
        raise _failure(pgconn, started, encoding)
    get_copy_data, finished = pgconn.get_copy_data, False
    try:
        chunk: list[memoryview] = []
        while True:
            size, record = get_copy_data(1)
            if size > 0:
                chunk.append(record[:-1])
                if len(chunk) == lines:
                    yield _csv_lines(chunk, mend)
                    chunk = []
            elif size == 0:
                _wait(pgconn)
            else:
                finished = True
                break
        if chunk:
            yield _csv_lines(chunk, mend)
    finally:
        if not finished:  # the reader stopped early: end the COPY so the connection stays usable
            pgconn.get_cancel().cancel()
            while pgconn.get_copy_data(0)[0] >= 0:
                pass
            _drain(pgconn)
    ended = _next_result(pgconn)
    _drain(pgconn)
    if ended is None or ended.status != pq.ExecStatus.COMMAND_OK:
        raise _failure(pgconn, ended, encoding)


def _csv_lines(records: list[memoryview], mend: Mend) -> tuple[int, bytes]:
    return len(records), mend(b"\r\n".join(records) + b"\r\n", records)


def _wait(pgconn: pq.abc.PGconn) -> None:
    select.select([pgconn.socket], [], [])
    pgconn.consume_input()


def _next_result(pgconn: pq.abc.PGconn) -> pq.abc.PGresult | None:
    while pgconn.is_busy():
        _wait(pgconn)
    return pgconn.get_result()


def _drain(pgconn: pq.abc.PGconn) -> None:
    while _next_result(pgconn) is not None:
        pass


def _failure(pgconn: pq.abc.PGconn, result: pq.abc.PGresult | None, encoding: str) -> Exception:
    if result is not None and result.status == pq.ExecStatus.FATAL_ERROR:
        return error_from_result(result, encoding=encoding)
    return psycopg.OperationalError(f"the export's COPY failed: {pgconn.get_error_message(encoding)}")
