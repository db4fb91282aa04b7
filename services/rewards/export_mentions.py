"""A reason that mentions people or channels (`<@U123>`, `<#C123|support>`) is exported as Slack shows it, and
markup typed key by key as typed (`<@U123>`, without the word joiner stored after its `<`: `text.outside_slack`).

Only a reason holding `<@`, `<#` or typed markup takes a slower path, through Python (`as_slack_shows`, then
the formula guard, so a reason that now starts with `@` gets the quote like any cell starting with `@`):

- SQLite builds each CSV line in SQL: one GLOB per reason (all that a plain one pays) sends a reason with a
  mention to a Python function registered on the connection (`prepare`), which returns the finished cell.
- PostgreSQL's `COPY` query is the same as without mentions: looking names up in it takes a correlated
  subquery, which keeps every cell's formatting out of the parallel workers (tried: 40 % slower on 100,000
  grants without a single mention). Its output is mended instead (`mend_copied`): a chunk of a thousand
  lines with no `<` (one `memchr`) is written as it came; in the others each line whose reason holds a
  mention is read and written again by Python's CSV writer.
- JSON lines render the reason of such a row as they write it (`shown`).

The names come from one query before the export (`services.directory.slack_names`): PostgreSQL can answer none while its
`COPY` streams. It costs with the size of the directory, not of the export.
"""

import csv
import io
from collections.abc import Mapping
from functools import partial

from sqlalchemy import ColumnElement, String, case, func, literal
from sqlalchemy.orm import Session

from services.text import MENTION_MARKS, TYPED_MARKUP, WORD_JOINER, as_slack_shows, formula_safe, outside_slack

SQLITE_MENTION_GLOB = f"*<[@#{WORD_JOINER}]*"
"""A reason holding one of `MARKS`, as a GLOB pattern (one GLOB costs a third of two `instr`)."""
MARKS = (*MENTION_MARKS, TYPED_MARKUP)
"""What a reason rendered in Python holds: a mention, or markup typed key by key."""


class CsvLine:
    """Python's CSV writer, one line at a time, CRLF included (it quotes a cell holding one of the line end's
    characters). One per thread: it reuses its buffer."""

    def __init__(self, delimiter: str = ",") -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, delimiter=delimiter, lineterminator="\r\n")

    def __call__(self, cells: list[str]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(cells)
        return self.buffer.getvalue()


def sqlite_reason_cell(reason: ColumnElement[str], plain: ColumnElement[str]) -> ColumnElement[str]:
    """SQLite: the reason's CSV cell, `plain` unless the reason holds a mention, then made in Python (`prepare`)."""
    mentions = reason.op("GLOB")(literal(SQLITE_MENTION_GLOB, String))
    return case((mentions, func.latitude_reason_cell(reason)), else_=plain)


def prepare(session: Session, names: Mapping[str, str], delimiter: str = ",") -> None:
    """SQLite: register `latitude_reason_cell`, with this export's names, on this session's connection."""
    driver = session.connection().connection.driver_connection
    cell = partial(reason_cell, names=names, line=CsvLine(delimiter))
    driver.create_function("latitude_reason_cell", 1, cell, deterministic=True)  # type: ignore[union-attr]


def shown(reason: str, names: Mapping[str, str]) -> str:
    """Mentions as Slack shows them, then typed markup as typed (never the other way: it would become a mention)."""
    if "<" not in reason:
        return reason
    return outside_slack(as_slack_shows(reason, names) if any(mark in reason for mark in MENTION_MARKS) else reason)


def reason_cell(reason: str, names: Mapping[str, str], line: CsvLine) -> str:
    """One finished CSV cell: rendered, formula-safe, quoted exactly where Python's CSV writer would."""
    return line([formula_safe(shown(reason, names))]).removesuffix("\r\n")


def mend_copied(
    chunk: bytes, records: list[memoryview], *, column: int, names: Mapping[str, str], delimiter: str = ","
) -> bytes:
    """`COPY`'s CSV lines (`chunk`, made of `records`) with the reason in `column` rendered where it holds a
    mention or typed markup. `<` is looked for first: one byte is found by `memchr`, about a hundred times faster
    than `<@`."""
    if b"<" not in chunk or not any(mark.encode() in chunk for mark in MARKS):
        return chunk
    line = CsvLine(delimiter)
    return b"".join(_mended(bytes(record), column, names, line) for record in records)


def _mended(record: bytes, column: int, names: Mapping[str, str], line: CsvLine) -> bytes:
    """The cell was made formula-safe by the database: a quote put before it stays first after rendering."""
    if b"<" in record:
        row = next(csv.reader((record.decode("utf-8"),), delimiter=line.writer.dialect.delimiter))
        if any(mark in row[column] for mark in MARKS):
            row[column] = formula_safe(shown(row[column], names))
            return line(row).encode("utf-8")
    return record + b"\r\n"
