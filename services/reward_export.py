"""HR's reward history export: stable columns, RFC 4180 CSV or JSON lines, streamed, audited. Callers commit."""

import csv
import json
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TextIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from models import Employee, RewardGrant, Team, Workspace
from services import audit, directory
from services.errors import InvalidInput, NotFound
from services.rewards import month_start, require_hr
from services.text import safe_csv_cell

FORMATS = ("csv", "jsonl")
BATCH = 1000


@dataclass(frozen=True)
class ExportRow:
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


EXPORT_COLUMNS = tuple(field.name for field in fields(ExportRow))


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


def export_query(workspace: Workspace, period: ExportPeriod, team: Team | None) -> Select[*tuple[Any, ...]]:
    recipient, manager = aliased(Employee), aliased(Employee)
    nominator, approver = aliased(Employee), aliased(Employee)
    query = (
        select(
            RewardGrant.id,
            RewardGrant.granted_at,
            recipient.slack_id,
            recipient.name,
            recipient.email,
            Team.name,
            manager.name,
            RewardGrant.item_key,
            RewardGrant.title,
            RewardGrant.kind,
            RewardGrant.value,
            RewardGrant.unit,
            nominator.name,
            approver.name,
            RewardGrant.reason,
            RewardGrant.resolution_id,
            RewardGrant.status,
            RewardGrant.fulfilled_at,
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


def export_rows(session: Session, workspace: Workspace, period: ExportPeriod, team: Team | None) -> Iterator[ExportRow]:
    """Rows in batches from a server-side cursor: memory stays flat however many grants there are."""
    result = session.execute(export_query(workspace, period, team).execution_options(yield_per=BATCH))
    for row in result:
        granted_at, value, fulfilled_at = row[1], row[10], row[17]
        yield ExportRow(
            grant_id=row[0],
            granted_at=_iso(granted_at),
            recipient_id=row[2],
            recipient_name=row[3],
            recipient_email=row[4] or "",
            team=row[5] or "",
            manager=row[6] or "",
            reward_key=row[7],
            title=row[8],
            kind=row[9],
            value=f"{value:.2f}",
            currency=row[11],
            nominator=row[12],
            approver=row[13] or "",
            reason=row[14],
            resolution_id=str(row[15] or ""),
            status=row[16],
            fulfilled_at=_iso(fulfilled_at) if fulfilled_at else "",
        )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_csv(rows: Iterator[ExportRow], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([safe_csv_cell(value) if isinstance(value, str) else value for value in astuple(row)])
        count += 1
    return count


def write_jsonl(rows: Iterator[ExportRow], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(dict(zip(EXPORT_COLUMNS, astuple(row), strict=True)), ensure_ascii=False) + "\n")
        count += 1
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
    rows = export_rows(session, workspace, period, team)
    count = write_csv(rows, out) if fmt == "csv" else write_jsonl(rows, out)
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


def _team(session: Session, workspace: Workspace, name: str | None) -> Team | None:
    if name is None:
        return None
    team = directory.find_team(session, workspace, name)
    if team is None:
        raise NotFound(f"There is no team called {name!r} in the directory.")
    return team
