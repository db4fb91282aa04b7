"""Slack ids of the org file that Slack has nobody of in their workspace: a mistyped id, or one of another workspace.

Slack refuses every Home published to such an id, and nothing the app does changes that: only a corrected org file
does. Once Slack confirms it (`users.info`: `user_not_found`), the id is marked in the audit trail (`MARKED`,
subject: the id) until the next org import, and no Home is published, nor DM sent, to it meanwhile. A mark can be
wrong (Slack answered of an id it knows): a later delivery to the id that Slack accepts clears it (`FOUND`). Callers
commit.
"""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.orm import Session, aliased

from models import AuditEvent, Delivery, Workspace
from services import audit
from services.outbox_keys import OUR_OWN, UNDER_PREFIX, prefix_bounds
from services.unlisted import ORG_IMPORT

MARKED = "org.slack_id_unknown"
"""Audited when Slack confirms it has nobody of an org-file Slack id in the workspace (subject: the id)."""
FOUND = "org.slack_id_found"
"""Audited when Slack accepts a Home or DM to an id marked so: the mark was wrong, and is lifted (subject: the id)."""
LISTED = f"{OUR_OWN}ids_listed"
"""On HR's DM of the ids Slack has nobody of: the ids it lists, kept unsent."""
Marked = dict[int, dict[str, datetime]]
"""By workspace: the ids marked, each with when."""


def _marks_standing() -> Select[int, str, datetime]:
    """The marks no later org import, nor a later `FOUND` of the same id, lifted, of the workspaces
    `workspace_ids` names: built once, it is read from the audit trail's index by workspace and action."""
    later = aliased(AuditEvent)
    imported_since = exists().where(
        later.workspace_id == AuditEvent.workspace_id, later.action == ORG_IMPORT, later.at > AuditEvent.at
    )
    found_since = exists().where(
        later.workspace_id == AuditEvent.workspace_id,
        later.action == FOUND,
        later.subject == AuditEvent.subject,
        later.at >= AuditEvent.at,
    )
    query = select(AuditEvent.workspace_id, AuditEvent.subject, AuditEvent.at).where(
        AuditEvent.workspace_id.in_(bindparam("workspace_ids", expanding=True)),
        AuditEvent.action == MARKED,
        ~imported_since,
        ~found_since,
    )
    return query.order_by(AuditEvent.at)


MARKS_STANDING = _marks_standing()


def _first_marks() -> Select[str, datetime]:
    """When each of the ids `slack_ids` of a workspace was first marked since Slack last showed it knows them (its
    last `FOUND`), the org imports between, which lift every mark, left out: one range of the audit trail's index by
    workspace and action (a mark, or a lift, of the id)."""
    found = aliased(AuditEvent)
    found_since = exists().where(
        found.workspace_id == AuditEvent.workspace_id,
        found.action == FOUND,
        found.subject == AuditEvent.subject,
        found.at >= AuditEvent.at,
    )
    query = select(AuditEvent.subject, func.min(AuditEvent.at)).where(
        AuditEvent.workspace_id == bindparam("workspace_id"),
        AuditEvent.action == MARKED,
        AuditEvent.subject.in_(bindparam("slack_ids", expanding=True)),
        ~found_since,
    )
    return query.group_by(AuditEvent.subject)


FIRST_MARKS = _first_marks()


def first_marked(session: Session, workspace: Workspace, slack_ids: Collection[str]) -> dict[str, datetime]:
    """When each of these ids was first found to be Slack's nobody, however many org imports of the same mistyped
    file marked it again since (a nightly one clears the marks each night): Slack showing it knows the id starts it
    anew."""
    if not slack_ids:
        return {}
    found = session.execute(FIRST_MARKS, {"workspace_id": workspace.id, "slack_ids": sorted(slack_ids)})
    return {str(slack_id): at for slack_id, at in found}


def marked_among(session: Session, workspace_ids: Collection[int]) -> Marked:
    """The ids marked in these workspaces since their last org import and not found since, with when: one statement."""
    if not workspace_ids:
        return {}
    marked: Marked = {}
    for workspace_id, slack_id, at in session.execute(MARKS_STANDING, {"workspace_ids": sorted(workspace_ids)}):
        marked.setdefault(workspace_id, {}).setdefault(slack_id, at)
    return marked


def remember_unknown(
    session: Session, workspace: Workspace, slack_ids: set[str], *, now: datetime
) -> dict[str, datetime]:
    """Slack has nobody of these ids in the workspace: marked until the next org import, or until Slack accepts a
    delivery to one (once each). Returns every id marked so, these included, with when it was marked."""
    marked = marked_among(session, [workspace.id]).get(workspace.id, {})
    for slack_id in sorted(slack_ids - marked.keys()):
        audit.record(session, workspace=workspace, actor="slack", action=MARKED, subject=slack_id, now=now)
        marked[slack_id] = now
    return marked


def found_again(session: Session, workspace: Workspace, slack_ids: set[str], *, now: datetime) -> None:
    """Slack accepted a delivery to these marked ids: it knows them, and their marks are lifted (the DMs withheld
    meanwhile are the caller's to send again: services/withheld_requests.py)."""
    for slack_id in sorted(slack_ids):
        audit.record(session, workspace=workspace, actor="slack", action=FOUND, subject=slack_id, now=now)


def lift(session: Session, workspace: Workspace, slack_id: str, *, now: datetime) -> datetime | None:
    """Slack shows it knows `slack_id` (they opened their Home): a mark on it is lifted; when it was made, if any."""
    marked_at = marked_among(session, [workspace.id]).get(workspace.id, {}).get(slack_id)
    if marked_at is not None:
        found_again(session, workspace, {slack_id}, now=now)
    return marked_at


def listed_under(session: Session, key_prefix: str) -> set[str]:
    """The ids listed by the DMs to HR under `key_prefix` (one person's, one week's)."""
    found = session.scalars(select(Delivery.payload).where(*UNDER_PREFIX), prefix_bounds(key_prefix))
    return {str(slack_id) for payload in found for slack_id in payload.get(LISTED) or []}
