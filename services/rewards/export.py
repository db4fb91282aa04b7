"""HR's reward history export: stable columns, RFC 4180 CSV or JSON lines, streamed, audited. Callers commit."""

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any, BinaryIO, NamedTuple, TextIO

from sqlalchemy import null
from sqlalchemy.orm import Session

from models import Employee, Team, Workspace
from services import audit, directory, teams
from services.errors import InvalidInput, NotFound
from services.rewards.export_mentions import mend_copied, prepare, shown
from services.rewards.export_period import ExportPeriod as ExportPeriod
from services.rewards.export_period import parse_period as parse_period
from services.rewards.export_sql import COMMAS as COMMAS
from services.rewards.export_sql import SEMICOLONS as SEMICOLONS
from services.rewards.export_sql import Layout as Layout
from services.rewards.export_sql import csv_lines_query, export_query
from services.rewards.export_words import parse_period_words as parse_period_words
from services.rewards.export_words import typed_range as typed_range

FORMATS = ("csv", "jsonl")
BATCH = 1000
SHOWN = 40
"""Characters of a typed team name shown back in a refusal."""


class ExportRow(NamedTuple):
    """One reward grant as HR and payroll read it; the field order is the documented column order."""

    grant_id: int
    granted_at: str
    recipient_id: str
    recipient_name: str
    recipient_email: str
    team: str
    manager: str
    reward_key: str
    title: str
    kind: str
    value: str
    currency: str
    nominator: str
    approver: str
    reason: str
    resolution_id: str
    status: str
    fulfilled_at: str


EXPORT_COLUMNS = ExportRow._fields
BYTE_ORDER_MARK = "\ufeff"
"""Written once before the header for a spreadsheet: Excel on Windows reads a CSV without it in the legacy code page."""
REASON = EXPORT_COLUMNS.index("reason")
LAYOUTS = {"commas": COMMAS, "semicolons": SEMICOLONS}
"""The CSV's layouts by the name HR asks for one with (`semicolons`: Excel in a locale with a decimal comma)."""


def header(layout: Layout) -> str:
    return layout.delimiter.join(EXPORT_COLUMNS) + "\r\n"


def export_batches(
    session: Session, workspace: Workspace, period: ExportPeriod, team: Team | None
) -> Iterator[Sequence[Sequence[Any]]]:
    """Rows in batches from a server-side cursor, cells as they are (JSON lines): memory stays flat.

    On SQLite the batches come straight from the driver's cursor (which reads lazily, nothing is buffered ahead):
    every cell is already formatted by the database, so the rows need nothing from SQLAlchemy's result processing.
    """
    dialect = session.get_bind().dialect.name
    query = export_query(workspace, period, team, dialect, neutralise=False)
    if dialect != "sqlite":
        yield from session.connection().execute(query.execution_options(yield_per=BATCH)).partitions()
        return
    result = session.connection().execute(query)
    try:
        while batch := result.cursor.fetchmany(BATCH):
            yield batch
    finally:
        result.close()


def write_csv_lines(
    session: Session, workspace: Workspace, period: ExportPeriod, team: Team | None, out: TextIO, layout: Layout
) -> int:
    """SQLite makes each CSV line (see `csv_lines_query`); Python joins a batch of them into one write."""
    out.write(header(layout))
    prepare(session, directory.slack_names(session, workspace), layout.delimiter)
    result = session.connection().execute(csv_lines_query(workspace, period, team, layout))
    count = 0
    try:
        while batch := result.cursor.fetchmany(BATCH):
            out.write("".join([line for (line,) in batch]))
            count += len(batch)
    finally:
        result.close()
    return count


def copy_csv(
    session: Session, workspace: Workspace, period: ExportPeriod, team: Team | None, out: TextIO, layout: Layout
) -> int:
    """PostgreSQL writes the CSV itself (`COPY ... TO STDOUT`): the rows never become Python objects.

    The bytes go straight to the file underneath a text stream when it has one (a file, standard output);
    the few lines whose reason mentions someone are mended on the way (`export_mentions`).
    """
    from services.rewards.copy_out import copy_csv_chunks  # psycopg loads only where PostgreSQL is in use

    connection = session.connection()
    query = export_query(workspace, period, team, "postgresql", neutralise=True, blank=null(), decimal=layout.decimal)
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    driver = connection.connection.driver_connection
    delimiter = "" if layout.delimiter == "," else f", DELIMITER '{layout.delimiter}'"  # one of `LAYOUTS`, never typed
    statement = f"COPY ({compiled.string}) TO STDOUT WITH (FORMAT csv{delimiter})"
    out.write(header(layout))
    binary: BinaryIO | None = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
    count = 0
    # Closed at once if writing fails (a full disk): the COPY is ended and the connection usable again.
    mend = partial(
        mend_copied, column=REASON, names=directory.slack_names(session, workspace), delimiter=layout.delimiter
    )
    with closing(copy_csv_chunks(driver, statement, compiled.params, BATCH, mend)) as chunks:  # type: ignore[arg-type]
        for lines, chunk in chunks:
            if binary is not None:
                binary.write(chunk)
            else:
                out.write(chunk.decode("utf-8"))
            count += lines
    return count


def write_jsonl(batches: Iterator[Sequence[Sequence[Any]]], out: TextIO, names: Mapping[str, str]) -> int:
    """Cells as the database formatted them, but for a reason mentioning someone: rendered, as in the CSV."""
    count = 0
    for batch in batches:
        out.writelines(_json_line(row, names) for row in batch)
        count += len(batch)
    return count


def _json_line(row: Sequence[Any], names: Mapping[str, str]) -> str:
    record = dict(zip(EXPORT_COLUMNS, row, strict=True))
    record["reason"] = shown(record["reason"], names)
    return json.dumps(record, ensure_ascii=False) + "\n"


def check_export(
    session: Session, *, workspace: Workspace, requester: Employee | None, period: ExportPeriod
) -> ExportPeriod:
    """Say no before any work: HR and admins only (`requester` None: the command line), and a team that exists. The
    period comes back with the team as the directory names it (`support east.` typed is `Support East`)."""
    require_exporter(requester)
    team = _team(session, workspace, period.team)
    return period if team is None else replace(period, team=team.name)


def require_exporter(requester: Employee | None) -> None:
    """HR and admins only (`requester` None: the command line); checked before the range, which only they need."""
    if requester is not None:  # the rules of grants and the policy load only then: the command line needs neither
        from services.rewards.grants import require_hr

        require_hr(requester, "The reward export")


def export_grants(
    session: Session,
    *,
    workspace: Workspace,
    requester: Employee | None,
    period: ExportPeriod,
    out: TextIO,
    fmt: str = "csv",
    byte_order_mark: bool = False,
    layout: Layout = COMMAS,
) -> int:
    """Write the grants of the period to `out`; HR and admins only (`requester` None: the command line).

    `byte_order_mark` and `layout` shape a CSV for the spreadsheet HR opens it in. It only reads, so callers run it
    in `models.engine.reading` and then `record_export` in a short write.
    """
    require_exporter(requester)
    check_format(fmt, spreadsheet=byte_order_mark or layout != COMMAS)
    team = _team(session, workspace, period.team)
    if byte_order_mark:
        out.write(BYTE_ORDER_MARK)
    return _write(session, workspace, period, team, out, fmt, layout)


def check_format(fmt: str, *, spreadsheet: bool) -> None:
    """A known format; a byte order mark or semicolons only for CSV (JSON lines have neither)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format {fmt!r}: use {' or '.join(FORMATS)}.")
    if spreadsheet and fmt != "csv":
        raise InvalidInput(
            "A byte order mark or semicolons are for a CSV opened in a spreadsheet: JSON lines have none."
        )


def record_export(
    session: Session, *, workspace: Workspace, actor: str, period: ExportPeriod, rows: int, now: datetime
) -> None:
    """The audit log's line for an export made."""
    details = {"from": period.first.isoformat(), "to": period.last.isoformat(), "team": period.team, "rows": rows}
    audit.record(
        session,
        workspace=workspace,
        actor=actor,
        action="reward.export",
        now=now,
        subject=period.describe(),
        details=details,
    )


def _write(
    session: Session,
    workspace: Workspace,
    period: ExportPeriod,
    team: Team | None,
    out: TextIO,
    fmt: str,
    layout: Layout,
) -> int:
    if fmt == "jsonl":
        return write_jsonl(
            export_batches(session, workspace, period, team), out, directory.slack_names(session, workspace)
        )
    if session.get_bind().dialect.name == "postgresql":
        return copy_csv(session, workspace, period, team, out, layout)
    return write_csv_lines(session, workspace, period, team, out, layout)


def _team(session: Session, workspace: Workspace, name: str | None) -> Team | None:
    if name is None:
        return None
    if not name:
        raise InvalidInput(f"Name the team after `team:` (teams: {_known_teams(session, workspace)}).")
    team = teams.find_team(session, workspace, name)
    if team is None:
        shown = name if len(name) <= SHOWN else f"{name[:SHOWN]}…"
        meant = " or ".join(map(repr, teams.closest_teams(name, teams.team_names(session, workspace))))
        hint = f" Did you mean {meant}?" if meant else ""
        raise NotFound(
            f"There is no team called {shown!r} in the directory (teams: {_known_teams(session, workspace)}).{hint}"
        )
    return team


def _known_teams(session: Session, workspace: Workspace) -> str:
    return teams.team_names_in_words(session, workspace, str)
