"""Purging a workspace the app was uninstalled from, once its retention has passed: every row of it deleted, and its
id kept with the moment, so that a purge run again says it was done. Callers commit."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Table, and_, delete, func, select
from sqlalchemy.orm import Session

from models import Base, Delivery, PurgedWorkspace, Workspace, slack_bots, slack_installations
from services.errors import DomainError
from services.suggestions import author_news


@dataclass(frozen=True)
class PurgePlan:
    workspace: Workspace
    rows: dict[str, int]
    """Rows per table that purging removes (tables without any are left out)."""
    now: datetime

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def purge_plan(session: Session, *, workspace: Workspace, now: datetime, retention_days: int, force: bool) -> PurgePlan:
    """What purging this workspace would delete; refused while the app is installed there or within retention."""
    if workspace.uninstalled_at is None:
        raise DomainError(
            f"Latitude is still installed in {workspace.slack_team_id}: uninstall the app there first; "
            "its data is kept while it is installed."
        )
    ends = workspace.uninstalled_at + timedelta(days=retention_days)
    if now < ends and not force:
        raise DomainError(
            f"{workspace.slack_team_id} was uninstalled on {workspace.uninstalled_at:%Y-%m-%d}; its data is kept until "
            f"{ends:%Y-%m-%d} (WORKSPACE_RETENTION_DAYS={retention_days}). Add --now to purge it before then."
        )
    counts = {table.name: _count(session, table, where) for table, where in _owned(workspace)}
    counts[Delivery.__tablename__] = counts.get(Delivery.__tablename__, 0) + len(
        author_news.moved_away(session, workspace)
    )
    return PurgePlan(workspace, {name: count for name, count in counts.items() if count}, now)


def purge(session: Session, plan: PurgePlan) -> None:
    """Delete every row of the planned workspace, children before parents, the workspace row last; its id is kept
    with the moment (the latest, for a workspace installed again and purged again)."""
    moved = author_news.moved_away(session, plan.workspace)
    session.execute(delete(Delivery).where(Delivery.id.in_(moved)).execution_options(synchronize_session=False))
    for table, where in _owned(plan.workspace):
        session.execute(delete(table).where(where))
    session.merge(PurgedWorkspace(slack_team_id=plan.workspace.slack_team_id, purged_at=plan.now))
    session.flush()


def purged_on(session: Session, team_id: str) -> datetime | None:
    """When the workspace (or org) `team_id` was last purged; None if it never was."""
    return session.scalar(select(PurgedWorkspace.purged_at).where(PurgedWorkspace.slack_team_id == team_id))


def _count(session: Session, table: Table, where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(table).where(where)) or 0)


def _owned(workspace: Workspace) -> list[tuple[Table, ColumnElement[bool]]]:
    """Each table with the condition for the workspace's rows, in an order that deletes children first.

    A table with `workspace_id` is scoped directly; one without is reached through its first foreign key
    to a scoped table (pulse answers through their round, backers through their suggestion).
    """
    scoped: dict[str, ColumnElement[bool]] = {"workspaces": Workspace.__table__.c.id == workspace.id}
    for table in Base.metadata.sorted_tables:
        if "workspace_id" in table.c:
            scoped[table.name] = table.c.workspace_id == workspace.id
            continue
        for column in table.c:
            parent = next(iter(column.foreign_keys), None)
            if parent is not None and parent.column.table.name in scoped:
                parent_table = parent.column.table
                ids = select(parent.column).where(scoped[parent_table.name])
                scoped[table.name] = column.in_(ids)
                break
    installs = [(t, install_rows(t, workspace)) for t in (slack_installations, slack_bots)]
    ordered = [(t, scoped[t.name]) for t in reversed(Base.metadata.sorted_tables) if t.name in scoped]
    return installs + ordered


def install_rows(table: Table, workspace: Workspace) -> ColumnElement[bool]:
    if workspace.org_wide:
        return and_(table.c.enterprise_id == workspace.slack_team_id, table.c.is_enterprise_install.is_(True))
    return and_(table.c.team_id == workspace.slack_team_id, table.c.is_enterprise_install.is_(False))
