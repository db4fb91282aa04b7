"""HR's reward history export: stable columns, RFC 4180 CSV or JSON lines, streamed, audited. Callers commit."""

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple, TextIO

from sqlalchemy import Select, String, case, cast, func, literal, null, select
from sqlalchemy.orm import Session, aliased

from models import Employee, RewardGrant, Team, Workspace
from services import audit, directory
from services.errors import InvalidInput, NotFound
from services.rewards.grants import month_start, require_hr
from services.text import FORMULA_START

FORMATS = ("csv", "jsonl")
SQLITE_FORMULA_GLOB = "[" + "".join(sorted(FORMULA_START - {"-"})) + "-]*"
"""A cell that starts like a formula, as a GLOB pattern (`-` last in the class, where it is literal)."""
BATCH = 1000


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


def parse_period(first: str | None, last: str | None, team: str | None, *, now: datetime) -> ExportPeriod:
    """FROM and TO as ISO dates; by default this month so far."""
    start = _day(first, "FROM") if first else month_start(now).date()
    end = _day(last, "TO") if last else now.astimezone(UTC).date()
    if end < start:
        raise InvalidInput(
            f"The range ends ({end.isoformat()}) before it starts ({start.isoformat()}): put the earlier date first."
        )
    return ExportPeriod(first=start, last=end, team=team.strip() if team and team.strip() else None)


def parse_period_words(words: list[str], *, now: datetime) -> ExportPeriod:
    """`[FROM] [TO] [team:NAME]` as typed after `/rewards export` (a team name may contain spaces)."""
    text = " ".join(words)
    head, _, team = text.partition("team:")
    dates = head.split()
    if len(dates) > 2:
        raise InvalidInput("Give at most two dates, FROM and TO, like `2026-03-01 2026-03-31`.")
    first, last = ([*dates, None, None])[:2]
    return parse_period(first, last, team or None, now=now)


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name} `{text[:20]}` is not a date: write it as YYYY-MM-DD, like 2026-03-01.") from None


def export_query(
    workspace: Workspace,
    period: ExportPeriod,
    team: Team | None,
    dialect: str,
    *,
    neutralise: bool,
    blank: Any = "",
) -> Select[*tuple[Any, ...]]:
    """The export's rows with every cell already formatted by the database, in the documented column order.

    Formatting in SQL (ISO timestamps, two-decimal values, formula-safe text) lets the CSV writer take
    whole batches at C speed. `blank` is what an empty cell holds: "" for Python's writer, NULL for
    COPY (which quotes an empty string to tell it from NULL, where Python's writer does not).
    """
    recipient, manager = aliased(Employee), aliased(Employee)
    nominator, approver = aliased(Employee), aliased(Employee)

    def text(column: Any) -> Any:
        cell = func.coalesce(column, "") if blank == "" else func.nullif(column, "")
        if not neutralise:
            return cell
        if dialect == "sqlite":  # one GLOB per cell is cheaper than substr and IN; NULL falls to the else
            risky = column.op("GLOB")(literal(SQLITE_FORMULA_GLOB, String))
            return case((risky, literal("'", String) + column), else_=cell)
        return case((func.substr(cell, 1, 1).in_(sorted(FORMULA_START)), literal("'", String) + cell), else_=cell)

    query = (
        select(
            RewardGrant.id,
            _iso_sql(RewardGrant.granted_at, dialect),
            *map(text, (recipient.slack_id, recipient.name, recipient.email, Team.name, manager.name)),
            *map(text, (RewardGrant.item_key, RewardGrant.title, RewardGrant.kind)),
            _money_sql(RewardGrant.value, dialect),
            *map(text, (RewardGrant.unit, nominator.name, approver.name, RewardGrant.reason)),
            func.coalesce(cast(RewardGrant.resolution_id, String), blank),
            text(RewardGrant.status),
            func.coalesce(_iso_sql(RewardGrant.fulfilled_at, dialect), blank),
        )
        .join(recipient, RewardGrant.recipient_id == recipient.id)
        .outerjoin(Team, recipient.team_id == Team.id)
        .outerjoin(manager, recipient.manager_id == manager.id)
        .join(nominator, RewardGrant.nominator_id == nominator.id)
        .outerjoin(approver, RewardGrant.approver_id == approver.id)
        .where(
            RewardGrant.workspace_id == workspace.id,
            RewardGrant.granted_at >= period.start,
            RewardGrant.granted_at < period.end,
            RewardGrant.status.in_(("approved", "fulfilled")),
        )
        .order_by(RewardGrant.granted_at, RewardGrant.id)
    )
    return query.where(recipient.team_id == team.id) if team is not None else query


def _iso_sql(column: Any, dialect: str) -> Any:
    """UTC ISO 8601 with a Z (timestamps are stored as UTC on both databases)."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m-%dT%H:%M:%SZ", column)
    return func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')


def _money_sql(column: Any, dialect: str) -> Any:
    return func.printf("%.2f", column) if dialect == "sqlite" else cast(column, String)


def export_batches(
    session: Session, workspace: Workspace, period: ExportPeriod, team: Team | None, *, neutralise: bool
) -> Iterator[Sequence[Sequence[Any]]]:
    """Rows in batches from a server-side cursor: memory stays flat however many grants there are.

    On SQLite the batches come straight from the driver's cursor (which reads lazily, nothing is buffered
    ahead): every cell is already formatted by the database, so the rows need nothing from SQLAlchemy's
    result processing.
    """
    dialect = session.get_bind().dialect.name
    query = export_query(workspace, period, team, dialect, neutralise=neutralise)
    if dialect != "sqlite":
        yield from session.connection().execute(query.execution_options(yield_per=BATCH)).partitions()
        return
    result = session.connection().execute(query)
    try:
        while batch := result.cursor.fetchmany(BATCH):
            yield batch
    finally:
        result.close()


def write_csv(batches: Iterator[Sequence[Sequence[Any]]], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for batch in batches:
        writer.writerows(batch)
        count += len(batch)
    return count


def copy_csv(session: Session, workspace: Workspace, period: ExportPeriod, team: Team | None, out: TextIO) -> int:
    """PostgreSQL writes the CSV itself (`COPY ... TO STDOUT`): the rows never become Python objects.

    COPY ends each record with LF and hands over one record at a time, so turning its last byte into
    CRLF gives RFC 4180 (a line break inside a quoted cell stays as typed).
    """
    connection = session.connection()
    query = export_query(workspace, period, team, "postgresql", neutralise=True, blank=null())
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    out.write(",".join(EXPORT_COLUMNS) + "\r\n")
    count = 0
    with cursor.copy(f"COPY ({compiled.string}) TO STDOUT WITH (FORMAT csv)", compiled.params) as copy:
        for record in copy:
            out.write(bytes(record)[:-1].decode("utf-8") + "\r\n")
            count += 1
    return count


def write_jsonl(batches: Iterator[Sequence[Sequence[Any]]], out: TextIO) -> int:
    count = 0
    for batch in batches:
        out.writelines(
            json.dumps(dict(zip(EXPORT_COLUMNS, row, strict=True)), ensure_ascii=False) + "\n" for row in batch
        )
        count += len(batch)
    return count


def check_export(session: Session, *, workspace: Workspace, requester: Employee, period: ExportPeriod) -> None:
    """Say no before any work: HR and admins only, and a team that exists."""
    require_hr(requester, "The reward export")
    _team(session, workspace, period.team)


def export_grants(
    session: Session,
    *,
    workspace: Workspace,
    requester: Employee | None,
    actor: str,
    period: ExportPeriod,
    out: TextIO,
    fmt: str = "csv",
    now: datetime,
) -> int:
    """Write the grants of the period to `out`; HR and admins only (`requester` None: the command line)."""
    if requester is not None:
        require_hr(requester, "The reward export")
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format {fmt!r}: use {' or '.join(FORMATS)}.")
    team = _team(session, workspace, period.team)
    count = _write(session, workspace, period, team, out, fmt)
    audit.record(
        session,
        workspace=workspace,
        actor=actor,
        action="reward.export",
        now=now,
        subject=period.describe(),
        details={"from": period.first.isoformat(), "to": period.last.isoformat(), "team": period.team, "rows": count},
    )
    session.flush()
    return count


def _write(
    session: Session, workspace: Workspace, period: ExportPeriod, team: Team | None, out: TextIO, fmt: str
) -> int:
    if fmt == "csv" and session.get_bind().dialect.name == "postgresql":
        return copy_csv(session, workspace, period, team, out)
    batches = export_batches(session, workspace, period, team, neutralise=fmt == "csv")
    return write_csv(batches, out) if fmt == "csv" else write_jsonl(batches, out)


def _team(session: Session, workspace: Workspace, name: str | None) -> Team | None:
    if name is None:
        return None
    team = directory.find_team(session, workspace, name)
    if team is None:
        raise NotFound(f"There is no team called {name!r} in the directory.")
    return team
