"""Where the app is installed: installs and uninstalls; purging a workspace's data after its retention is in
services/workspace_purge.py. Callers commit.

A workspace here is the scope of every row: one Slack workspace, or a whole Grid org when the app is
installed org-wide (its `slack_team_id` is then the enterprise id).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from models import AuditEvent, Delivery, Workspace, slack_bots, slack_installations
from services import audit, directory
from services.event_order import Sent
from services.org_takeover import KEPT_IN_ORG, TAKEN_OVER, org_still_serving
from services.org_takeover import REINSTALLED as REINSTALLED  # the audit action, kept here for its other readers
from services.pulse import rounds as pulse_rounds
from services.suggestions import author_news
from services.workspace_purge import install_rows

UNINSTALLED = "app_uninstalled"
WORKSPACES_REMOVED = "team_access_revoked"
"""The audit action of Slack removing workspaces of an org from its org-wide install (`record_team_access`)."""
ANOTHER_TOKEN = "bot_token_of_another_workspace"
GRID_MIGRATION_STARTED = "grid_migration_started"
GRID_MIGRATION_SEEN_FINISHED = "grid_migration_seen_finished"
"""The audit action of a migration ended by a request naming the org (Slack's `grid_migration_finished` missed)."""
MIGRATION_ACTIONS = (GRID_MIGRATION_STARTED, "grid_migration_finished", GRID_MIGRATION_SEEN_FINISHED)
MIGRATION_PLAUSIBLE = timedelta(hours=24)
"""How long a Grid migration may plausibly last (Slack says only "an extended period"): past it, the log warns."""
QUEUED_WHILE_UNINSTALLED = "queued while the app was uninstalled"
NO_OAUTH_INSTALL = "no_oauth_install"
"""The audit action of a workspace stopped at start with OAuth installs, having none (set up with one bot token)."""


def scope_key(*, team_id: str | None, enterprise_id: str | None, org_wide: bool) -> str:
    """The id a workspace row is kept under: the enterprise for an org-wide install, else the team."""
    key = enterprise_id if org_wide else team_id
    if not key:
        raise ValueError("an install names a team, or an enterprise when it is org-wide")
    return key


def record_install(
    session: Session,
    *,
    team_id: str | None,
    enterprise_id: str | None,
    org_wide: bool,
    name: str,
    now: datetime,
    ends_migration: bool = True,
) -> Workspace:
    """The workspace (or org) the app was just installed in, installed again if it had been uninstalled.

    An install made again ends the wait for a Grid migration; a process starting with the one `SLACK_BOT_TOKEN`
    (`ends_migration` False) has only checked its token, and Slack may still be migrating. One made again in a
    workspace the org's org-wide install took over and still serves leaves it stopped: the org goes on serving it
    (services/org_takeover.py)."""
    key = scope_key(team_id=team_id, enterprise_id=enterprise_id, org_wide=org_wide)
    workspace = directory.ensure_workspace(
        session, slack_team_id=key, now=now, name=name, enterprise_id=enterprise_id, org_wide=org_wide
    )
    if name:
        workspace.name = name
    workspace.enterprise_id = enterprise_id  # a workspace that joined an Enterprise Grid org since it was added
    if ends_migration:
        workspace.migrating_since = None
    if workspace.uninstalled_at is not None and org_still_serving(session, workspace) is not None:
        audit.record(session, workspace=workspace, actor="slack", action=KEPT_IN_ORG, now=now)
    elif workspace.uninstalled_at is not None:
        workspace.uninstalled_at = None
        audit.record(session, workspace=workspace, actor="slack", action=REINSTALLED, now=now)
        # A reinstall starts from now, not a backlog; an anonymous author's news still goes (author_news.py).
        _drop_pending(session, workspace, QUEUED_WHILE_UNINSTALLED, authors_news_kept=True)
    return workspace


def record_uninstall(session: Session, *, workspace: Workspace, now: datetime, reason: str = UNINSTALLED) -> int:
    """Stop everything for this workspace at once: it is marked uninstalled, its queued messages are dropped and
    its installation (its tokens, which Slack has revoked) is forgotten.

    Its data stays until `purge` (after the retention period). Returns how many queued messages were dropped.
    """
    if workspace.uninstalled_at is None:
        workspace.uninstalled_at = now
        audit.record(session, workspace=workspace, actor="slack", action=reason, now=now)
    dropped = _drop_pending(session, workspace, reason)
    for table in (slack_installations, slack_bots):
        session.execute(delete(table).where(install_rows(table, workspace)))
    return dropped


def hold(session: Session, workspace: Workspace) -> None:
    """Lock the workspace's row until the caller commits: two of Slack's changes to it, one of them the app's late try,
    are then decided one after the other, each seeing what the other recorded (SQLite serialises writers)."""
    session.refresh(workspace, with_for_update={"key_share": True})  # rows added under it (an import's) still go


def record_team_access(
    session: Session, *, workspace: Workspace, action: str, team_ids: list[str], sent: Sent, now: datetime
) -> None:
    """Slack added workspaces to the org's org-wide install, or removed them (`action`): the audit trail says so, with
    when Slack sent it (services/event_order.py)."""
    details = {"team_ids": team_ids, **sent.details()}
    audit.record(session, workspace=workspace, actor="slack", action=action, now=now, details=details)


@dataclass(frozen=True)
class Removal:
    """Slack removing workspaces of an org (`org`: its id) from the org-wide install, `at` when we recorded it."""

    org: str
    at: datetime
    team_ids: list[str]


def removals(session: Session) -> list[Removal]:
    """Every removal the audit trail holds (`record_team_access`), newest first, each with all the workspaces it
    named: HR's notice names only the first few of a large one."""
    rows = session.execute(
        select(Workspace.slack_team_id, AuditEvent.at, AuditEvent.details)
        .join(Workspace, Workspace.id == AuditEvent.workspace_id)
        .where(AuditEvent.action == WORKSPACES_REMOVED)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return [Removal(org, at, [str(team) for team in details.get("team_ids") or []]) for org, at, details in rows]


def take_over_granted_workspaces(
    session: Session, *, org: Workspace, team_ids: list[str], now: datetime
) -> list[tuple[Workspace, int]]:
    """Slack granted the org-wide install these workspaces of the org (`team_access_granted`): each that had an
    install of its own is served by the org from then on, and its own stops as by an uninstall (its queued messages
    dropped but anonymous authors' news, which the org sends, its data kept until `purge`) rather than go on as a
    second directory of the same people. Its stored
    install stays, so a request Slack still sends through it is served by the org (`serving`). Each workspace
    taken over, with how many queued messages were dropped. Nothing is taken over at the org-wide install itself:
    Slack adds it to no workspace until an org admin does."""
    if not org.org_wide or not team_ids:
        return []
    own_installs = session.scalars(
        select(Workspace).where(
            Workspace.slack_team_id.in_(team_ids),
            Workspace.enterprise_id == org.slack_team_id,
            Workspace.org_wide.is_(False),
            Workspace.uninstalled_at.is_(None),
        )
    ).all()
    taken = []
    for workspace in own_installs:
        workspace.uninstalled_at = now
        audit.record(session, workspace=workspace, actor="slack", action=TAKEN_OVER, now=now)
        author_news.send_from(session, author_news.waiting_in(session, workspace), org)
        taken.append((workspace, _drop_pending(session, workspace, TAKEN_OVER)))
    return taken


def serving(session: Session, workspace: Workspace) -> Workspace:
    """The workspace that serves a request made under `workspace`: its org, once the org's org-wide install took this
    workspace over (`take_over_granted_workspaces`), else the same."""
    if workspace.installed or workspace.org_wide or not workspace.enterprise_id:
        return workspace
    org = session.scalar(
        select(Workspace).where(Workspace.slack_team_id == workspace.enterprise_id, Workspace.org_wide.is_(True))
    )
    return org if org is not None and org.installed else workspace


def record_grid_migration(
    session: Session,
    *,
    workspace: Workspace,
    action: str,
    enterprise_id: str | None,
    now: datetime,
    sent: Sent | None = None,
) -> None:
    """Slack began migrating the workspace into the Grid org `enterprise_id`, or finished (`action`, the event's
    type): its messages wait meanwhile, as Slack asks; when it is done, the workspace belongs to the org. `sent`: when
    Slack sent it (services/event_order.py); None when the app saw the migration finished itself."""
    started = action == GRID_MIGRATION_STARTED
    if started and workspace.migrating_since is None:
        workspace.migrating_since = now
    if not started:
        workspace.migrating_since = None
        workspace.enterprise_id = enterprise_id or workspace.enterprise_id
    details = {"enterprise": enterprise_id, **(sent.details() if sent is not None else {})}
    audit.record(session, workspace=workspace, actor="slack", action=action, now=now, details=details)


def end_migration_seen_finished(
    session: Session, *, workspace: Workspace, enterprise_id: str | None, now: datetime
) -> bool:
    """A request from a migrating workspace that names the org it is joining (one it did not belong to) shows the
    migration is done: Slack's `grid_migration_finished` was missed (the bot down past Slack's retries), and its
    messages would otherwise wait for good. True when this ended the migration."""
    joined = enterprise_id is not None and enterprise_id != workspace.enterprise_id
    if workspace.migrating_since is None or workspace.org_wide or not joined:
        return False
    record_grid_migration(
        session, workspace=workspace, action=GRID_MIGRATION_SEEN_FINISHED, enterprise_id=enterprise_id, now=now
    )
    return True


def long_migrations(session: Session, *, now: datetime) -> list[tuple[Workspace, int]]:
    """The installed workspaces migrating into a Grid org for longer than is plausible, with how many messages each
    has waiting: Slack's `grid_migration_finished` may have been missed."""
    waiting = (
        select(func.count())
        .where(Delivery.workspace_id == Workspace.id, Delivery.status == "pending")
        .scalar_subquery()
    )
    rows = session.execute(
        select(Workspace, waiting)
        .where(Workspace.migrating_since <= now - MIGRATION_PLAUSIBLE, Workspace.uninstalled_at.is_(None))
        .order_by(Workspace.migrating_since)
    ).all()
    return [(workspace, int(count)) for workspace, count in rows]


def installed_since(session: Session, *, workspace: Workspace, moment: datetime) -> bool:
    """Whether the workspace's stored install was made after the second of `moment` (slack_sdk's tables keep naive
    UTC). False with one bot token, which stores no install."""
    made = session.scalar(select(func.max(slack_bots.c.installed_at)).where(install_rows(slack_bots, workspace)))
    return made is not None and made >= (moment + timedelta(seconds=1)).astimezone(UTC).replace(tzinfo=None)


def served_without_install(session: Session) -> list[int]:
    """The served workspaces with no install row (`install_rows`, asked of them all in one query): a start-up looks
    at these alone with `stop_if_never_installed`, rather than hold every served workspace in turn."""
    rows, org_wide = slack_installations.c, Workspace.org_wide.is_(True)
    as_org = and_(org_wide, rows.is_enterprise_install.is_(True), rows.enterprise_id == Workspace.slack_team_id)
    as_team = and_(~org_wide, rows.is_enterprise_install.is_(False), rows.team_id == Workspace.slack_team_id)
    served = select(Workspace.id).where(Workspace.uninstalled_at.is_(None))
    return list(session.scalars(served.where(~exists().where(or_(as_org, as_team)))))


def stop_if_never_installed(session: Session, *, workspace: Workspace, now: datetime) -> int | None:
    """With OAuth installs, a workspace served before with one SLACK_BOT_TOKEN has no install to take a token from:
    it is stopped as by an uninstall, its data kept, so that nothing is queued for it only to be dropped (a pulse
    round's people count as not asked) and its install picks up where it left off (anonymous authors' news waits for
    it). How many queued messages were dropped; None, and nothing changed, when it has an install."""
    if session.scalar(select(exists().where(install_rows(slack_installations, workspace)))):
        return None
    workspace.uninstalled_at = now
    audit.record(session, workspace=workspace, actor="latitude", action=NO_OAUTH_INSTALL, now=now)
    return _drop_pending(session, workspace, NO_OAUTH_INSTALL, authors_news_kept=True)


def serve_only(session: Session, *, workspace: Workspace, now: datetime) -> list[Workspace]:
    """With one bot token only its workspace is served: any other still marked installed (the token was replaced by
    another workspace's, on the same database) is uninstalled as by `app_uninstalled`, its data kept until purged.
    Otherwise the scheduled jobs would send what it holds through this workspace's bot. Returns those workspaces."""
    others = session.scalars(
        select(Workspace).where(Workspace.id != workspace.id, Workspace.uninstalled_at.is_(None))
    ).all()
    for other in others:
        record_uninstall(session, workspace=other, now=now, reason=ANOTHER_TOKEN)
    return list(others)


def _drop_pending(session: Session, workspace: Workspace, reason: str, *, authors_news_kept: bool = False) -> int:
    """Give up the workspace's queued messages; how many. With `authors_news_kept`, anonymous authors' news waiting its
    moment stays, to go once the workspace is served again (services/suggestions/author_news.py)."""
    pulse_rounds.unask_undelivered(session, workspace)
    kept = author_news.waiting_in(session, workspace) if authors_news_kept else []
    dropped = session.execute(
        update(Delivery)
        .where(Delivery.workspace_id == workspace.id, Delivery.status == "pending", Delivery.id.not_in(kept))
        .values(status="failed", last_error=reason)
    )
    return int(dropped.rowcount)  # type: ignore[attr-defined]
