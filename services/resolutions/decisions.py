"""Deciding requests outside the boundaries: who may, and what a decision records. Callers commit."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from models import Employee, Resolution, Workspace
from services import audit, deciders, directory, org_takeover, request_viewers
from services.calendar import moment_words
from services.errors import AlreadyDone, DomainError, InvalidInput, NotAllowed, NotFound
from services.rereading import as_now
from services.text import escape_mrkdwn

MAX_REASON = 1000

# Every decision and App Home runs these: built once, since building a statement costs more than running it.
_DECIDABLE = (
    select(Resolution)
    .where(Resolution.id == bindparam("resolution_id"), Resolution.workspace_id == bindparam("workspace_id"))
    .with_for_update(of=Resolution)
)
WAITING_SHOWN = 20
_PENDING_NOT_OWN = and_(
    Resolution.workspace_id == bindparam("workspace_id"),
    Resolution.status == "pending",
    Resolution.employee_id != bindparam("decider_id"),
)
_NOT_THEIRS_NOW = Resolution.id.not_in(bindparam("no_longer_theirs", expanding=True))
_PENDING_FOR_ADMIN = and_(  # not their own bosses', unless sent to them while they still fit (`may_decide`)
    _PENDING_NOT_OWN,
    (Resolution.decider_id == bindparam("decider_id"))
    | Resolution.employee_id.not_in(bindparam("bosses", expanding=True)),
    _NOT_THEIRS_NOW,
)
_REPORTS = select(Employee.id).where(Employee.manager_id == bindparam("decider_id"))
_PENDING_HERE = (Resolution.workspace_id == bindparam("workspace_id"), Resolution.status == "pending")
_WAITING_ON_THEM = union_all(  # two index ranges, theirs only: with an OR, SQLite walked the workspace's pending
    select(Resolution.id).where(Resolution.decider_id == bindparam("decider_id"), *_PENDING_HERE),
    select(Resolution.id).where(Resolution.employee_id.in_(_REPORTS), *_PENDING_HERE),
)
_PENDING_FOR_MANAGER = and_(
    Resolution.id.in_(_WAITING_ON_THEM),
    Resolution.employee_id != bindparam("decider_id"),
    _NOT_THEIRS_NOW,
)
_WAITING_FOR_ADMIN, _WAITING_FOR_MANAGER = (
    select(Resolution, *columns).where(pending).order_by(Resolution.created_at, Resolution.id).limit(WAITING_SHOWN)
    for pending, columns in ((_PENDING_FOR_ADMIN, ()), (_PENDING_FOR_MANAGER, (Resolution.employee_id.in_(_REPORTS),)))
)
_COUNT_FOR_ADMIN, _COUNT_FOR_MANAGER = (
    select(func.count()).select_from(Resolution).where(pending)
    for pending in (_PENDING_FOR_ADMIN, _PENDING_FOR_MANAGER)
)
_SENT = (Resolution.decider_id == bindparam("decider_id"), Resolution.status == "pending")
_SENT_NOW = (*_SENT, _NOT_THEIRS_NOW)
_SENT_TO_ADMIN = (  # its count as a subquery run once: one statement, both read from ix_resolutions_decider_waiting
    select(Resolution, select(func.count()).select_from(Resolution).where(*_SENT_NOW).scalar_subquery())
    .where(*_SENT_NOW)
    .order_by(Resolution.created_at, Resolution.id)
    .limit(WAITING_SHOWN)
)


def may_decide(resolution: Resolution, decider: Employee) -> bool:
    if decider.id == resolution.employee_id or decider.workspace_id != resolution.workspace_id or not decider.active:
        return False
    if decider.role == "admin":  # not for their own boss, unless sent to them as nobody else can (fixes.deciders_for)
        if not directory.answers_to(decider, resolution.employee):
            return True
        return decider.id == resolution.decider_id and deciders.decider_fits(resolution, decider)
    if decider.id == resolution.employee.manager_id:
        return True
    # One it was sent to, while they still fit: demoted (or moved) with nobody to hand it to, it stays with them
    # but is no longer theirs to decide (services/deciders.py).
    return decider.id == resolution.decider_id and deciders.still_fits(decider, resolution.employee)


def no_longer_theirs(requester: str) -> str:
    return (
        "This request waits on you, but you may no longer decide it: the org directory makes you neither an admin nor "
        f"a manager above {escape_mrkdwn(requester)}, and nobody else could take it over. Nothing changed: HR "
        "decides who does (the org import names it to them)."
    )


def decidable(session: Session, *, resolution_id: int, decider: Employee) -> Resolution:
    """The pending request this person may decide now, or the reason they can't."""
    resolution = session.scalar(_DECIDABLE, {"resolution_id": resolution_id, "workspace_id": decider.workspace_id})
    if resolution is None:
        raise _missing(session, resolution_id, decider)
    decider = as_now(session, decider)  # the request is locked: who they are now is what they may decide
    if decider.id == resolution.employee_id:
        raise NotAllowed("You can't decide your own request.")
    if not decider.active:
        raise NotAllowed(directory.NO_LONGER_ACTIVE)
    if not may_decide(resolution, decider):
        if not request_viewers.sees_request(session, resolution, decider):  # nor whose it is, nor whether it waits
            raise NotAllowed(request_viewers.NOT_YOUR_REQUEST)
        if resolution.status != "pending":  # who decided, and how, is for those who may decide it
            raise AlreadyDone("This request was already decided. Nothing changed.")
        waiting = resolution.decider
        waits_on = f" It waits on {escape_mrkdwn(waiting.name)}." if waiting else ""
        if decider.role == "admin":
            boss = escape_mrkdwn(resolution.employee.name)
            if waiting is not None and waiting.id == decider.id:  # until the hand-over gives it to one who may
                raise NotAllowed(f"You report to {boss}, and someone who does not may decide this. Nothing changed.")
            raise NotAllowed(f"You report to {boss}, so another admin decides this.{waits_on} Nothing changed.")
        if waiting is not None and waiting.id == decider.id:
            raise NotAllowed(no_longer_theirs(resolution.employee.name))
        raise NotAllowed(
            f"Only {escape_mrkdwn(resolution.employee.name)}'s manager or an admin can decide this "
            f"request.{waits_on} Nothing changed."
        )
    if resolution.status != "pending":  # said only to someone who may decide it: who decided is theirs to know
        raise AlreadyDone(already_decided(resolution, decider))
    return resolution


def _missing(session: Session, resolution_id: int, clicker: Employee) -> DomainError:
    """No such request here. One left in a workspace the org took over is told of to those who could see it there;
    anyone else hears what one not theirs says (`request_viewers`), so that a forged id tells nothing."""
    left = org_takeover.left_behind(session, Resolution, resolution_id, clicker.workspace_id)
    there = request_viewers.as_there(session, clicker, left.workspace_id) if left else None
    if left is not None and there is not None and request_viewers.sees_request(session, left, there):
        return NotFound(org_takeover.request_left_behind(left))
    clicker = as_now(session, clicker)  # answered as an existing request not theirs is: inactive, told so first
    return NotAllowed(request_viewers.NOT_YOUR_REQUEST if clicker.active else directory.NO_LONGER_ACTIVE)


def decide(
    session: Session, *, resolution_id: int, decider: Employee, approve: bool, reason: str | None, now: datetime
) -> Resolution:
    """Approve or decline a pending request; a second decision changes nothing and says who decided."""
    resolution = decidable(session, resolution_id=resolution_id, decider=decider)
    if not approve and not (reason or "").strip():
        raise InvalidInput("Say why you decline, so that the employee can learn from it.")
    resolution.status = "approved" if approve else "declined"
    resolution.decided_by, resolution.decided_at = decider, now
    resolution.decline_reason = None if approve else (reason or "").strip()[:MAX_REASON]
    audit.record(
        session,
        workspace=session.get_one(Workspace, decider.workspace_id),
        actor=decider.slack_id,
        action=f"resolution.{resolution.status}",
        subject=f"resolution {resolution.id}",
        now=now,
    )
    session.flush()
    return resolution


def already_decided(resolution: Resolution, reader: Employee) -> str:
    who = resolution.decided_by.name if resolution.decided_by else "someone"
    when = f" on {moment_words(resolution.decided_at, reader.tz)}" if resolution.decided_at else ""
    return f"This request was already {resolution.status} by {escape_mrkdwn(who)}{when}. Nothing changed."


@dataclass(frozen=True)
class Waiting:
    """The oldest pending requests a person may decide, and how many wait on them in all."""

    oldest: list[Resolution]
    total: int
    workspace_wide: bool = False
    """An admin's: every request waiting in the workspace that they may decide (not one of someone above them in the
    manager chain, unless sent to them while nobody else may), not only those sent to them."""
    sent: list[Resolution] = field(default_factory=list)
    """An admin's: the oldest sent to them (handed over, gone up), which older ones waiting on others may hide."""
    sent_total: int = 0


def waiting_for(session: Session, decider: Employee) -> Waiting:
    """The 20 oldest pending requests this person may decide, and the count of all (queried only past 20); for an
    admin, also the oldest sent to them, and their count."""
    if not decider.active:
        return Waiting([], 0)
    params: dict[str, object] = {"workspace_id": decider.workspace_id, "decider_id": decider.id}
    if decider.role != "admin":
        return _waiting_for_manager(session, decider, params)
    return _waiting_for_admin(session, decider, params)


_SENT_FROM_BOSSES = select(Resolution).where(*_SENT, Resolution.employee_id.in_(bindparam("bosses", expanding=True)))


def _waiting_for_admin(session: Session, decider: Employee, params: dict[str, object]) -> Waiting:
    """`waiting_for` an admin: all they may decide, and apart those sent to them, each in one statement. One sent to
    them by someone they report to they may decide only while nobody else may (`deciders.decider_fits`): any other is
    left out, here while both lists hold all there are, else in SQL (read again, and counted, without them)."""
    bosses = [boss.id for boss in directory.managers_above(decider)]
    params.update(bosses=bosses, no_longer_theirs=[])
    oldest, (sent, sent_total) = list(session.scalars(_WAITING_FOR_ADMIN, params)), _sent_to_admin(session, params)
    complete = sent_total <= len(sent)
    no_longer = _not_theirs_now(session, decider, bosses, sent if complete else None, params) if sent else []
    if no_longer and complete and len(oldest) < WAITING_SHOWN:  # every one is here: left out without reading again
        oldest = [resolution for resolution in oldest if resolution.id not in no_longer]
        sent = [resolution for resolution in sent if resolution.id not in no_longer]
        return Waiting(oldest, len(oldest), True, sent, len(sent))
    if no_longer:
        params["no_longer_theirs"] = no_longer
        oldest, (sent, sent_total) = list(session.scalars(_WAITING_FOR_ADMIN, params)), _sent_to_admin(session, params)
    total = len(oldest) if len(oldest) < WAITING_SHOWN else int(session.scalar(_COUNT_FOR_ADMIN, params) or 0)
    return Waiting(oldest, total, True, sent, sent_total)


def _sent_to_admin(session: Session, params: dict[str, object]) -> tuple[list[Resolution], int]:
    rows = session.execute(_SENT_TO_ADMIN, params).all()
    return [resolution for resolution, _ in rows], int(rows[0][1]) if rows else 0


def _not_theirs_now(
    session: Session, decider: Employee, bosses: list[int], sent: list[Resolution] | None, params: dict[str, object]
) -> list[int]:
    """Of the requests sent to this admin (`sent`, or read when it holds only the oldest), those of someone they
    report to that they may no longer decide: someone who does not report to the requester may."""
    if not bosses:
        return []
    candidates = sent if sent is not None else list(session.scalars(_SENT_FROM_BOSSES, params))
    fits: dict[int, bool] = {}  # each was sent to them: the answer hangs on its requester alone, asked once each
    for request in candidates:
        if request.employee_id in bosses and request.employee_id not in fits:
            fits[request.employee_id] = may_decide(request, decider)
    return [r.id for r in candidates if r.employee_id in bosses and not fits[r.employee_id]]


_SENT_FROM_BEYOND_REPORTS = select(Resolution).where(*_SENT, Resolution.employee_id.not_in(_REPORTS))


def _waiting_for_manager(session: Session, decider: Employee, params: dict[str, object]) -> Waiting:
    """`waiting_for` a manager (or anyone sent a request), in one statement when fewer than `WAITING_SHOWN` wait: each
    row says whether its requester reports to them, and one sent from beyond their reports they may no longer decide
    is left out here (`_no_longer_theirs`). With more, those are left out in SQL, so that the first 20 and the count
    are of the others."""
    rows = session.execute(_WAITING_FOR_MANAGER, {**params, "no_longer_theirs": []}).all()
    if len(rows) < WAITING_SHOWN:
        oldest = [resolution for resolution, reports in rows if reports or may_decide(resolution, decider)]
        return Waiting(oldest, len(oldest))
    params["no_longer_theirs"] = no_longer = _no_longer_theirs(session, decider)
    if no_longer:
        rows = session.execute(_WAITING_FOR_MANAGER, params).all()
    total = int(session.scalar(_COUNT_FOR_MANAGER, params) or 0)
    return Waiting([resolution for resolution, _reports in rows], total)


def _no_longer_theirs(session: Session, decider: Employee) -> list[int]:
    """The requests sent to this manager they may no longer decide (demoted or moved, with nobody to hand them to):
    their Home leaves them out. Only those sent from beyond their direct reports can be."""
    sent = session.scalars(_SENT_FROM_BEYOND_REPORTS, {"decider_id": decider.id})
    return [resolution.id for resolution in sent if not may_decide(resolution, decider)]


_ADMINS = select(Employee).where(
    Employee.workspace_id == bindparam("workspace_id"), Employee.role == "admin", Employee.active
)


def listed_on_homes_of(session: Session, resolution: Resolution) -> list[Employee]:
    """Whose App Home lists this request because of them: its requester's, among their fixes, and while it waits
    that of the one it waits on (handed over or gone up, an admin among them), the requester's manager, or, sent to
    the admins (the requester has no manager), theirs; as `waiting_for` reads them. Other admins, whose Home lists
    every request waiting in the workspace, are left out: publishing each of theirs at every decision would spend the
    workspace's views.publish budget (Slack's 100 a minute) on Homes nobody may be looking at; theirs shows the
    request until they open it again, and a click on it there says who decided it."""
    manager = resolution.employee.manager
    sent_to_admins = manager is None or not manager.active  # `fixes.deciders_for`: each was sent it
    admins = session.scalars(_ADMINS, {"workspace_id": resolution.workspace_id}) if sent_to_admins else ()
    around = (resolution.decider, manager, *admins)
    deciders = [person for person in around if person is not None and may_decide(resolution, person)]
    return [resolution.employee, *deciders]


def requests_by_id(session: Session, *, workspace_id: int, ids: list[int]) -> dict[int, Resolution]:
    """The workspace's requests among `ids` (others are left out), to show each as it stands now."""
    found = session.scalars(select(Resolution).where(Resolution.workspace_id == workspace_id, Resolution.id.in_(ids)))
    return {resolution.id: resolution for resolution in found}
