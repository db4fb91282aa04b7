"""Loading the org CSV: validate every row first, then write all or nothing. Callers commit.

An optional column the file lacks leaves everyone's stored value alone; an empty cell in one it has clears it.
Someone the directory learnt from Slack (never in the file) is deactivated by `deactivate_missing` only once the
file has had a chance to list them: if they were already known at the previous import. Someone Slack deactivated
(services/departures.py) stays inactive though the file lists them: only Slack reactivating them brings them back.
An import that would deactivate too many at once (a file of one region) is refused unless confirmed (`org_leavers`).
Without `deactivate_missing`, a manager the file names but does not list is one of the directory (`org_managers`).
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from models import Employee, Team, Workspace
from services import audit, deciders, org_leavers
from services.config_cache import bump
from services.handover import Handover, hand_over_pending, reported
from services.org_checks import to_check
from services.org_file import OPTIONAL_COLUMNS, OrgRow, cross_row_problems
from services.org_file import OrgFileError as OrgFileError
from services.org_file import parse_org_csv as parse_org_csv
from services.org_managers import as_stored, heads_detached
from services.org_moves import managers_left_and_joined
from services.org_sources import wanted_from_the_file
from services.org_teams import TeamsByName
from services.policy.versions import ActivePolicy, policy_to_change
from services.suggestions.teams import follow_moved_teams, follow_renamed_teams, managers_of, teams_of
from services.unlisted import ORG_IMPORT


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    newcomers_kept: list[str] = field(default_factory=list)  # learnt from Slack since the last import: left active
    left_slack: list[str] = field(default_factory=list)  # in the file, but deactivated in Slack: left inactive
    unchanged: int = 0
    handovers: list[Handover] = field(default_factory=list)
    homes_moved: list[Employee] = field(default_factory=list)  # managers left, joined by a requester still waiting;
    # and those what waits on them is stuck with (`stuck`): their Homes, published again
    kept_columns: list[str] = field(default_factory=list)  # optional columns not in the file: left as stored
    renamed_teams: list[str] = field(default_factory=list)  # a stored team the file spells in other letter case
    roles_missing: list[str] = field(default_factory=list)  # "admin", "hr": nobody active holds it after the import
    to_check: list[str] = field(default_factory=list)  # roles the tree contradicts, emails shared (org_checks)
    stuck: list[str] = field(default_factory=list)  # waiting on someone who may no longer decide it, nobody else can


def import_org(
    session: Session,
    *,
    workspace: Workspace,
    rows: list[OrgRow],
    deactivate_missing: bool,
    actor: str,
    now: datetime,
    confirm_mass_deactivation: bool = False,
) -> ImportReport:
    """`confirm_mass_deactivation`: the operator says the file leaves out that many people on purpose (see
    `org_leavers`); without it, an import that would deactivate too many is refused."""
    active = policy_to_change(session, workspace)  # first: policy loads (and other imports) wait until this commits
    existing = _everyone(session, workspace)
    directory = None if deactivate_missing else as_stored(existing.values())
    if problems := cross_row_problems(rows, {row.slack_id for row in rows}, directory):  # the directory may have moved
        raise OrgFileError(problems)  # since the rows were read: checked again, under the import's lock
    _check_profiles(active, rows, existing)
    _keep_an_admin(existing, rows, deactivate_missing)
    in_file = {row.slack_id for row in rows}
    leaving = org_leavers.leavers(session, workspace, existing, in_file) if deactivate_missing else None
    if leaving is not None:
        org_leavers.refuse_a_partial_file(existing, leaving, confirmed=confirm_mass_deactivation)
    managers_before, teams_before = managers_of(existing.values()), teams_of(existing.values())
    teams = TeamsByName(session, workspace)
    employees = _people_of_the_file(session, workspace, rows, existing, now)
    report = ImportReport(
        kept_columns=[c for c in OPTIONAL_COLUMNS if not any(c in row.columns for row in rows)],
        renamed_teams=teams.renamed,
    )
    powers: list[str] = []
    fresh: set[str] = set()  # added, or their email new here: who may be someone rehired under a new Slack id
    for row in rows:
        employee = employees[row.slack_id]
        team = teams.named(row.team)
        manager = (
            (employees.get(row.manager_slack_id) or existing[row.manager_slack_id]) if row.manager_slack_id else None
        )
        changes = _apply_row(employee, row, team, manager)
        powers += _powers_changed(row, changes, added=row.slack_id not in existing)
        if row.slack_id not in existing or any(change.startswith(("email ", "now in")) for change in changes):
            fresh.add(row.slack_id)
        label = f"{row.name} ({row.slack_id})"
        if row.slack_id not in existing:
            report.added.append(label)
        elif changes:
            report.updated.append(f"{label}: {', '.join(changes)}")
            employee.updated_at = now
        else:
            report.unchanged += 1
        if not employee.active and employee.left_slack_at is not None:
            report.left_slack.append(label)
    if leaving is not None:
        org_leavers.deactivate(existing, in_file, leaving, now)
        report.deactivated = [org_leavers.label(employee) for employee in leaving.gone]
        report.newcomers_kept = [org_leavers.label(employee) for employee in leaving.spared]
    session.flush()
    everyone = [*existing.values(), *employees.values()]
    report.roles_missing = [r for r in ("admin", "hr") if not any(e.active and e.role == r for e in everyone)]
    report.to_check = heads_detached(everyone, managers_before) + to_check(
        {e.id: e for e in everyone}.values(), fresh=fresh
    )
    after = managers_of(existing.values())
    follow_moved_teams(session, workspace=workspace, before=managers_before, after=after)
    follow_renamed_teams(session, workspace=workspace, before=teams_before, after=teams_of(everyone))
    report.homes_moved = managers_left_and_joined(session, workspace=workspace, before=managers_before, after=after)
    report.handovers = hand_over_pending(session, workspace=workspace, now=now)
    stuck = deciders.stuck(session, workspace)
    report.stuck = stuck.lines
    report.homes_moved += [person for person in stuck.people if person not in report.homes_moved]
    counts = {
        "added": len(report.added),
        "updated": len(report.updated),
        "deactivated": len(report.deactivated),
        "rerouted": len(reported(report.handovers)),
        "kept_columns": report.kept_columns,
        "powers": powers,
    }
    audit.record(session, workspace=workspace, actor=actor, action=ORG_IMPORT, now=now, details=counts)
    bump(session, workspace)
    return report


_POWERS = ("role ", "profile ", "manager ", "reactivated")


def _powers_changed(row: OrgRow, changes: list[str], *, added: bool) -> list[str]:
    """For the audit trail, whose powers changed: HR and admins added, and anyone's role, limits (profile), manager
    or return, so that a role given for a day and taken back leaves more behind than a count of people updated."""
    if added:
        return [f"{row.slack_id}: added as {row.role}"] if row.role in ("hr", "admin") else []
    changed = [change for change in changes if change.startswith(_POWERS)]
    return [f"{row.slack_id}: {', '.join(changed)}"] if changed else []


def _everyone(session: Session, workspace: Workspace) -> dict[str, Employee]:
    """Everyone as stored now, under the import's lock: one the session already holds is read again, not taken as
    it was when the file was checked."""
    everyone = select(Employee).where(Employee.workspace_id == workspace.id).options(lazyload("*"))
    everyone = everyone.execution_options(populate_existing=True)
    return {e.slack_id: e for e in session.scalars(everyone)}


def _people_of_the_file(
    session: Session, workspace: Workspace, rows: list[OrgRow], existing: dict[str, Employee], now: datetime
) -> dict[str, Employee]:
    """Each row's person: the stored one, else a new one. A newcomer's first request may add them from Slack
    after `existing` was read (requests never wait for an import): their row is then read and taken as stored."""
    while True:
        missing = [row for row in rows if row.slack_id not in existing]
        try:
            with session.begin_nested():
                added = {row.slack_id: _new_employee(session, workspace, row, now) for row in missing}
        except IntegrityError:
            arrived = {slack_id: e for slack_id, e in _everyone(session, workspace).items() if slack_id not in existing}
            if not arrived:
                raise
            existing.update(arrived)
            continue
        return {row.slack_id: existing.get(row.slack_id) or added[row.slack_id] for row in rows}


def _keep_an_admin(existing: dict[str, Employee], rows: list[OrgRow], deactivate_missing: bool) -> None:
    """Refuse an import that takes away the last active admin, naming the line (or the absence) that does it."""
    admins = [e for e in existing.values() if e.active and e.role == "admin"]
    in_file = {row.slack_id: row for row in rows}
    if not admins or any(row.role == "admin" for row in rows):
        return
    if not deactivate_missing and any(a.slack_id not in in_file for a in admins):
        return
    why = "which would leave no active admin: keep at least one row with role admin"
    raise OrgFileError(
        [
            f"line {in_file[a.slack_id].line}: makes {a.name} ({a.slack_id}) {in_file[a.slack_id].role}, {why}"
            if a.slack_id in in_file
            else f"{a.name} ({a.slack_id}) is not in the file and --deactivate-missing would deactivate them, {why}"
            for a in admins
        ]
    )


def _check_profiles(active: ActivePolicy | None, rows: list[OrgRow], existing: dict[str, Employee]) -> None:
    """Everyone's boundary profile after the import must exist in the policy in force (when one is loaded), read
    fresh while policy loads wait for this import to commit (`policy_to_change`): each checked against the
    other's old state, both could pass and leave someone with a profile in no policy."""
    if active is None:
        return
    profiles = {row.line: _profile_after(row, existing.get(row.slack_id)) for row in rows}
    problems = [
        f"line {line}: profile {profile!r} is not in policy version {active.version.number} "
        f"(it has {', '.join(sorted(active.policy.profiles))})"
        for line, profile in profiles.items()
        if profile not in active.policy.profiles
    ]
    if problems:
        raise OrgFileError(problems)


def _profile_after(row: OrgRow, employee: Employee | None) -> str:
    """The boundary profile the row leaves its person with: without a profile column, the stored one stays."""
    profile = row.profile if "profile" in row.columns or employee is None else employee.profile
    return profile or row.role


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


def _apply_row(employee: Employee, row: OrgRow, team: Team, manager: Employee | None) -> list[str]:
    """Make the employee match the row, touching only what differs; returns what changed, in words.

    An import mostly rewrites people as they are: an untouched row costs the flush nothing.
    """
    changes = []
    wanted = {"name": row.name, "role": row.role, **wanted_from_the_file(employee, row.optional_values())}
    for key, value in wanted.items():
        if getattr(employee, key) != value:
            changes.append(f"{key} {getattr(employee, key)!r} -> {value!r}")
            setattr(employee, key, value)
    if employee.team_id != team.id or team.id is None:
        changes.append(f"team -> {team.name}")
        employee.team = team
    if employee.manager_id != (manager.id if manager else None):
        changes.append(f"manager -> {manager.name if manager else 'none'}")
        _set_manager(employee, manager)
    if not employee.active and employee.left_slack_at is not None:  # only Slack brings back whom Slack deactivated
        if not employee.in_directory:
            changes.append("now in the directory")
            employee.in_directory = True
    elif not employee.active or not employee.in_directory:
        changes.append("now in the directory" if employee.active else "reactivated")
        employee.active, employee.in_directory = True, True
    return changes


def _set_manager(employee: Employee, manager: Employee | None) -> None:
    """Write the manager's id itself, the relationship only mirroring it: a manager and their report trading places
    is then two plain updates, where setting each one's `manager` is a loop the flush cannot order."""
    employee.manager_id = manager.id if manager else None
    set_committed_value(employee, "manager", manager)


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
