"""Loading the org CSV: validate every row first, then write all or nothing. Callers commit."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ROLES, Employee, Team, Workspace
from services import audit
from services.errors import InvalidInput
from services.handover import Handover, hand_over_pending
from services.policy.versions import current_policy

REQUIRED_COLUMNS = ("slack_id", "name", "team", "role", "manager_slack_id")
OPTIONAL_COLUMNS = ("email", "tz", "profile")
_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PROFILE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class OrgRow:
    line: int
    slack_id: str
    name: str
    team: str
    role: str
    manager_slack_id: str | None
    email: str | None
    tz: str | None
    profile: str | None


class OrgFileError(InvalidInput):
    """The file has problems; each names its line. Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0
    handovers: list[Handover] = field(default_factory=list)


def parse_org_csv(text: str) -> list[OrgRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise OrgFileError([f"line 1: missing column(s) {', '.join(missing)} (need {','.join(REQUIRED_COLUMNS)})"])
    unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise OrgFileError([f"line 1: unknown column(s) {', '.join(unknown)}"])
    rows, problems = [], []
    for raw in reader:
        values = {key.strip(): (value or "").strip() for key, value in raw.items() if key is not None}
        row_problems = _row_problems(values)
        problems += [f"line {reader.line_num}: {problem}" for problem in row_problems]
        if not row_problems:
            rows.append(_to_row(reader.line_num, values))
    problems += _cross_row_problems(rows)
    if problems:
        raise OrgFileError(problems)
    if not rows:
        raise OrgFileError(["the file has a header but no people"])
    return rows


def _row_problems(values: dict[str, str]) -> list[str]:
    problems = []
    if not _SLACK_USER_ID.match(values.get("slack_id", "")):
        problems.append(f"slack_id {values.get('slack_id')!r} is not a Slack user id (like U012AB3CD)")
    for column in ("name", "team"):
        if not values.get(column):
            problems.append(f"{column} is empty")
    if values.get("role") not in ROLES:
        problems.append(f"unknown role {values.get('role')!r} (use {', '.join(ROLES)})")
    if values.get("email") and not _EMAIL.match(values["email"]):
        problems.append(f"email {values['email']!r} is not an email address")
    if values.get("tz") and not _is_time_zone(values["tz"]):
        problems.append(f"tz {values['tz']!r} is not an IANA time zone (like Europe/Paris)")
    if values.get("profile") and not _PROFILE.match(values["profile"]):
        problems.append(f"profile {values['profile']!r} must be lowercase letters, digits and _")
    return problems


def _is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _to_row(line: int, values: dict[str, str]) -> OrgRow:
    return OrgRow(
        line=line,
        slack_id=values["slack_id"],
        name=values["name"],
        team=values["team"],
        role=values["role"],
        manager_slack_id=values.get("manager_slack_id") or None,
        email=values.get("email") or None,
        tz=values.get("tz") or None,
        profile=values.get("profile") or None,
    )


def _cross_row_problems(rows: list[OrgRow]) -> list[str]:
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for row in rows:
        if row.slack_id in first_line:
            problems.append(
                f"line {row.line}: duplicate slack_id {row.slack_id} (first on line {first_line[row.slack_id]})"
            )
        else:
            first_line[row.slack_id] = row.line
    for row in rows:
        if row.manager_slack_id == row.slack_id:
            problems.append(f"line {row.line}: {row.slack_id} cannot be their own manager")
        elif row.manager_slack_id and row.manager_slack_id not in first_line:
            problems.append(f"line {row.line}: manager {row.manager_slack_id} is not in the file")
    if not problems:
        problems += _cycle_problems(rows)
    return problems


def _cycle_problems(rows: list[OrgRow]) -> list[str]:
    manager_of = {row.slack_id: row.manager_slack_id for row in rows}
    line_of = {row.slack_id: row.line for row in rows}
    reported: set[str] = set()
    problems = []
    for start in manager_of:
        seen: list[str] = []
        current: str | None = start
        while current and current not in seen:
            seen.append(current)
            current = manager_of[current]
        if current and current == start and not reported & set(seen):
            reported |= set(seen)
            chain = " -> ".join([*seen, start])
            problems.append(f"line {line_of[start]}: manager cycle {chain}")
    return problems


def import_org(
    session: Session,
    *,
    workspace: Workspace,
    rows: list[OrgRow],
    deactivate_missing: bool,
    actor: str,
    now: datetime,
) -> ImportReport:
    _check_profiles(session, workspace, rows)
    existing = {e.slack_id: e for e in session.scalars(select(Employee).where(Employee.workspace_id == workspace.id))}
    _keep_an_admin(existing, rows, deactivate_missing)
    teams = {t.name: t for t in session.scalars(select(Team).where(Team.workspace_id == workspace.id))}
    employees = {
        row.slack_id: existing.get(row.slack_id) or _new_employee(session, workspace, row, now) for row in rows
    }
    session.flush()
    report = ImportReport()
    for row in rows:
        employee = employees[row.slack_id]
        team = teams.get(row.team) or _new_team(session, workspace, row.team, teams)
        manager = employees[row.manager_slack_id] if row.manager_slack_id else None
        changes = _apply_row(employee, row, team, manager)
        label = f"{row.name} ({row.slack_id})"
        if row.slack_id not in existing:
            report.added.append(label)
        elif changes:
            report.updated.append(f"{label}: {', '.join(changes)}")
            employee.updated_at = now
        else:
            report.unchanged += 1
    if deactivate_missing:
        report.deactivated = _deactivate(existing, employees, now)
    session.flush()
    report.handovers = hand_over_pending(session, workspace=workspace)
    counts = {
        "added": len(report.added),
        "updated": len(report.updated),
        "deactivated": len(report.deactivated),
        "rerouted": len(report.handovers),
    }
    audit.record(session, workspace=workspace, actor=actor, action="org.import", now=now, details=counts)
    session.flush()
    return report


def _keep_an_admin(existing: dict[str, Employee], rows: list[OrgRow], deactivate_missing: bool) -> None:
    """Refuse an import that takes away the last active admin, naming the line (or the absence) that does it."""
    admins = [e for e in existing.values() if e.active and e.role == "admin"]
    in_file = {row.slack_id: row for row in rows}
    if not admins or any(row.role == "admin" for row in rows):
        return
    if not deactivate_missing and any(a.slack_id not in in_file for a in admins):
        return
    problems = [
        f"line {in_file[a.slack_id].line}: makes {a.name} ({a.slack_id}) {in_file[a.slack_id].role}"
        if a.slack_id in in_file
        else f"{a.name} ({a.slack_id}) is not in the file and --deactivate-missing would deactivate them"
        for a in admins
    ]
    raise OrgFileError([*problems, "this would leave no active admin: keep at least one row with role admin"])


def _check_profiles(session: Session, workspace: Workspace, rows: list[OrgRow]) -> None:
    """Everyone's boundary profile must exist in the policy in force (when one is loaded)."""
    active = current_policy(session, workspace)
    if active is None:
        return
    problems = [
        f"line {row.line}: profile {row.profile or row.role!r} is not in policy version {active.version.number} "
        f"(it has {', '.join(sorted(active.policy.profiles))})"
        for row in rows
        if (row.profile or row.role) not in active.policy.profiles
    ]
    if problems:
        raise OrgFileError(problems)


def _new_employee(session: Session, workspace: Workspace, row: OrgRow, now: datetime) -> Employee:
    employee = Employee(
        workspace_id=workspace.id,
        slack_id=row.slack_id,
        name=row.name,
        role=row.role,
        created_at=now,
        updated_at=now,
    )
    session.add(employee)
    return employee


def _new_team(session: Session, workspace: Workspace, name: str, teams: dict[str, Team]) -> Team:
    team = Team(workspace_id=workspace.id, name=name)
    session.add(team)
    teams[name] = team
    return team


def _apply_row(employee: Employee, row: OrgRow, team: Team, manager: Employee | None) -> list[str]:
    """Make the employee match the row; returns what changed, in words."""
    wanted = {"name": row.name, "role": row.role, "email": row.email, "tz": row.tz, "profile": row.profile}
    changes = [
        f"{key} {getattr(employee, key)!r} -> {value!r}"
        for key, value in wanted.items()
        if getattr(employee, key) != value
    ]
    if employee.team_id != team.id or team.id is None:
        changes.append(f"team -> {team.name}")
    if employee.manager_id != (manager.id if manager else None):
        changes.append(f"manager -> {manager.name if manager else 'none'}")
    if not employee.active or not employee.in_directory:
        changes.append("now in the directory" if employee.active else "reactivated")
    for key, value in wanted.items():
        setattr(employee, key, value)
    employee.team, employee.manager = team, manager
    employee.active, employee.in_directory = True, True
    return changes


def _deactivate(existing: dict[str, Employee], kept: dict[str, Employee], now: datetime) -> list[str]:
    gone = []
    for slack_id, employee in existing.items():
        if slack_id not in kept and employee.active:
            employee.active, employee.updated_at = False, now
            gone.append(f"{employee.name} ({slack_id})")
    return gone


def org_tree(session: Session, workspace: Workspace) -> list[tuple[int, Employee]]:
    """Everyone, as (depth, employee) in the order of a tree of managers; roots first by name."""
    employees = list(
        session.scalars(select(Employee).where(Employee.workspace_id == workspace.id).order_by(Employee.name))
    )
    children: dict[int | None, list[Employee]] = {}
    for employee in employees:
        children.setdefault(employee.manager_id, []).append(employee)
    lines: list[tuple[int, Employee]] = []

    def walk(manager_id: int | None, depth: int) -> None:
        for employee in children.get(manager_id, []):
            lines.append((depth, employee))
            walk(employee.id, depth + 1)

    walk(None, 0)
    return lines
