"""HR's reward history export: stable columns, RFC 4180 CSV or JSON lines, streamed, audited. Callers commit."""

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any, BinaryIO, NamedTuple, TextIO

from sqlalchemy import null
from sqlalchemy.orm import Session

from models import Employee, Team, Workspace
from services import audit, directory, teams
from services.errors import InvalidInput, NotFound
from services.rewards.export_mentions import mend_copied, prepare, shown
from services.rewards.export_sql import csv_lines_query, export_query

FORMATS = ("csv", "jsonl")
BATCH = 1000
SHOWN = 40
"""Characters of a typed team name shown back in a refusal."""
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
"""The days an export may name: every grant falls within them, and the day after LATEST is still a date."""


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
HEADER = ",".join(EXPORT_COLUMNS) + "\r\n"
REASON = EXPORT_COLUMNS.index("reason")


@dataclass(frozen=True)
class ExportPeriod:
    """Whole UTC days, both ends included."""

    first: date
    last: date
    team: str | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=UTC)

    def describe(self) -> str:
        team = f", team {self.team}" if self.team else ""
        return f"{self.first.isoformat()} to {self.last.isoformat()}{team}"


def parse_period(
    first: str | None, last: str | None, team: str | None, *, now: datetime, names: tuple[str, str] = ("FROM", "TO")
) -> ExportPeriod:
    """FROM and TO as ISO dates within `EARLIEST`..`LATEST`; by default this month so far. A team named empty stays
    "" (refused by `check_export`), never read as every team. `names` are what the user typed them as."""
    start = _day(first, names[0]) if first else now.astimezone(UTC).date().replace(day=1)
    end = _day(last, names[1]) if last else now.astimezone(UTC).date()
    if end < start:
        raise InvalidInput(_reversed(start, end, first, last, names))
    return ExportPeriod(first=start, last=end, team=team.strip() if team is not None else None)


def _reversed(start: date, end: date, first: str | None, last: str | None, names: tuple[str, str]) -> str:
    """Say which date is missing when the default of one end falls on the wrong side of the other."""
    start_name, end_name = names
    if first is None:
        return (
            f"{end_name} {end.isoformat()} is before {start.isoformat()}, where the range starts without "
            f"{start_name}: give {start_name} too."
        )
    if last is None:
        return (
            f"{start_name} {start.isoformat()} is after {end.isoformat()}, where the range ends without {end_name}: "
            f"give {end_name} too."
        )
    return f"The range ends ({end.isoformat()}) before it starts ({start.isoformat()}): put the earlier date first."


_LOOKS_LIKE_A_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_TEAM = re.compile(r"(team:)", re.IGNORECASE)  # in any letter case (`Team:`), as `/digest` takes it
_BETWEEN = frozenset({"to", "-", "–", "—", "..", "until"})  # `2026-03-01 to 2026-03-31` is two dates


def parse_period_words(words: list[str], *, now: datetime) -> ExportPeriod:
    """`[FROM] [TO] [team:NAME]` as typed after `/rewards export` (a team name may contain spaces); dates typed
    after the team (`team:Support East 2026-03-01`) are the range's, not the name's."""
    head, named, team = (*_TEAM.split(" ".join(words), maxsplit=1), "", "")[:3]
    team_words = team.split()
    trailing: list[str] = []
    while team_words and _LOOKS_LIKE_A_DATE.fullmatch(team_words[-1]):
        trailing.insert(0, team_words.pop())
    typed, team = head.split() + trailing, " ".join(team_words)
    dates = [word for at, word in enumerate(typed) if at == 0 or word.casefold() not in _BETWEEN]
    if len(dates) > 2:
        raise InvalidInput("Give at most two dates, FROM and TO, like `2026-03-01 2026-03-31`.")
    first, last = ([*dates, None, None])[:2]
    return parse_period(first, last, team if named else None, now=now)


def _day(text: str, name: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name} `{text[:20]}` is not a date: write it as YYYY-MM-DD, like 2026-03-01.") from None
    if not EARLIEST <= day <= LATEST:
        raise InvalidInput(
            f"{name} {day.isoformat()} is out of range: an export covers days from {EARLIEST.isoformat()} "
            f"to {LATEST.isoformat()}."
        )
    return day


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
    session: Session, workspace: Workspace, period: ExportPeriod, team: Team | None, out: TextIO
) -> int:
    """SQLite makes each CSV line (see `csv_lines_query`); Python joins a batch of them into one write."""
    out.write(HEADER)
    prepare(session, directory.slack_names(session, workspace))
    result = session.connection().execute(csv_lines_query(workspace, period, team))
    count = 0
    try:
        while batch := result.cursor.fetchmany(BATCH):
            out.write("".join([line for (line,) in batch]))
            count += len(batch)
    finally:
        result.close()
    return count


def copy_csv(session: Session, workspace: Workspace, period: ExportPeriod, team: Team | None, out: TextIO) -> int:
    """PostgreSQL writes the CSV itself (`COPY ... TO STDOUT`): the rows never become Python objects.

    The bytes go straight to the file underneath a text stream when it has one (a file, standard output);
    the few lines whose reason mentions someone are mended on the way (`export_mentions`).
    """
    from services.rewards.copy_out import copy_csv_chunks  # psycopg loads only where PostgreSQL is in use

    connection = session.connection()
    query = export_query(workspace, period, team, "postgresql", neutralise=True, blank=null())
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    driver = connection.connection.driver_connection
    statement = f"COPY ({compiled.string}) TO STDOUT WITH (FORMAT csv)"
    out.write(HEADER)
    binary: BinaryIO | None = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
    count = 0
    # Closed at once if writing fails (a full disk): the COPY is ended and the connection usable again.
    mend = partial(mend_copied, column=REASON, names=directory.slack_names(session, workspace))
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


def check_export(session: Session, *, workspace: Workspace, requester: Employee | None, period: ExportPeriod) -> None:
    """Say no before any work: HR and admins only (`requester` None: the command line), and a team that exists."""
    require_exporter(requester)
    _team(session, workspace, period.team)


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
) -> int:
    """Write the grants of the period to `out`; HR and admins only (`requester` None: the command line).

    It only reads, so callers run it in `models.engine.reading` and then `record_export` in a short write.
    """
    require_exporter(requester)
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format {fmt!r}: use {' or '.join(FORMATS)}.")
    team = _team(session, workspace, period.team)
    return _write(session, workspace, period, team, out, fmt)


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
    session: Session, workspace: Workspace, period: ExportPeriod, team: Team | None, out: TextIO, fmt: str
) -> int:
    if fmt == "jsonl":
        return write_jsonl(
            export_batches(session, workspace, period, team), out, directory.slack_names(session, workspace)
        )
    if session.get_bind().dialect.name == "postgresql":
        return copy_csv(session, workspace, period, team, out)
    return write_csv_lines(session, workspace, period, team, out)


def _team(session: Session, workspace: Workspace, name: str | None) -> Team | None:
    if name is None:
        return None
    if not name:
        raise InvalidInput(f"Name the team after `team:` (teams: {_known_teams(session, workspace)}).")
    team = teams.find_team(session, workspace, name)
    if team is None:
        shown = name if len(name) <= SHOWN else f"{name[:SHOWN]}…"
        raise NotFound(
            f"There is no team called {shown!r} in the directory (teams: {_known_teams(session, workspace)})."
        )
    return team


def _known_teams(session: Session, workspace: Workspace) -> str:
    return ", ".join(teams.team_names(session, workspace)[:20]) or "none yet"
