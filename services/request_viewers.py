"""Who may hear who asked for a decision and whom it waits on. Read only.

A click on Approve or Decline by someone who may not decide is told why. The why names the requester and the one it
waits on, which is only for those who could see the request already: the people it was ever sent to (its first DM, a
reminder, a hand-over, an escalation: the outbox keeps one row per recipient while it waits, and 35 days after its
decision, services/outbox_retention.py), the managers above its requester, and HR and admins (a team's `/digest` lists
what waits in it, with names). Anyone else, with a forwarded message or a click forged with another request's id (they
are counted up), hears the words a missing id gets (`NOT_YOUR_REQUEST`): nothing of whose it is, nor whether it still
waits, nor even whether it exists, which would tell roughly how many requests there are. They are true of each: one it
was only sent to, once the outbox forgot so, can't decide it either.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Delivery, Employee, Nomination, Resolution
from services import directory
from services.outbox_keys import reachable_recipients, told

NOT_YOUR_REQUEST = "You can't decide this request, or it no longer exists. Nothing changed."
NOT_YOUR_NOMINATION = "You can't decide this nomination, or it no longer exists. Nothing changed."
SEES_EVERYTHING = ("hr", "admin")


def sees_request(session: Session, resolution: Resolution, person: Employee) -> bool:
    ones = (resolution.employee_id, resolution.decider_id, resolution.decided_by_id)
    if person.id in ones or _above_or_hr(person, resolution.employee):
        return True
    return person.slack_id in reachable_recipients(session, key_prefix=f"resolution:{resolution.id}:", summarised=True)


def sees_nomination(session: Session, nomination: Nomination, person: Employee, key: str) -> bool:
    """`key`: the nomination's approval request's (services/rewards/approvals.py), its reminder and hand-overs after
    it (`key:...`)."""
    ones = (nomination.nominator_id, nomination.approver_id, nomination.decided_by_id)
    if person.id in ones or _above_or_hr(person, nomination.nominee):
        return True
    first = session.scalar(select(Delivery).where(Delivery.idempotency_key == key))
    if first is not None and told(first) and first.payload.get("channel") == person.slack_id:
        return True
    return person.slack_id in reachable_recipients(session, key_prefix=f"{key}:", summarised=True)


def as_there(session: Session, person: Employee, workspace_id: int) -> Employee | None:
    """The same Slack user in another workspace's directory (a Grid org's user ids are the same in each): who they
    were where something was left behind when the org took that workspace over (services/org_takeover.py)."""
    return session.scalar(
        select(Employee).where(Employee.workspace_id == workspace_id, Employee.slack_id == person.slack_id)
    )


def _above_or_hr(person: Employee, requester: Employee) -> bool:
    return directory.acts_as(person, SEES_EVERYTHING) or directory.answers_to(requester, person)
