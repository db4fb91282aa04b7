"""The App Home Slack shows each person, as far as we know it (its hash), and the keys to publish it again under when
what it lists changed without them: a request or nomination handed over away from them leaves its details (a
customer's reference, a nominator's reason) there until it is redrawn. Callers commit.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from models import Employee, Workspace
from services import outbox
from services.outbox_keys import home_key_prefix

REDRAWN = "redrawn:"
SUPERSEDED = "a newer Home of the person was queued"


def remember_home(session: Session, *, workspace_id: int, slack_id: str, view_hash: str | None) -> None:
    """Slack now shows the person the Home of `view_hash` (seen when they opened it, or just published)."""
    if not view_hash:
        return
    session.execute(
        update(Employee)
        .where(Employee.workspace_id == workspace_id, Employee.slack_id == slack_id)
        .where(or_(Employee.home_hash.is_(None), Employee.home_hash != view_hash))
        .values(home_hash=view_hash)
        .execution_options(synchronize_session=False)
    )


def seen_with(employee: Employee, view_hash: str | None) -> None:
    """The person opened their Home, which Slack showed as `view_hash` (nothing written when it is the one known)."""
    if view_hash and employee.home_hash != view_hash:
        employee.home_hash = view_hash


def to_redraw(people: Iterable[Employee | None], *, gone: str | None = None) -> list[Employee]:
    """Each person once, however many of their items moved, among those who were shown a Home (whose hash is known:
    one queued blind could replace a newer one) and whom Slack still shows it: not `gone` from the workspace, nor
    deactivated in Slack."""
    found = {person.id: person for person in people if person is not None and person.home_hash}
    return [person for person in found.values() if person.slack_id != gone and person.left_slack_at is None]


def queue_redrawn(
    session: Session, *, workspace: Workspace, person: Employee, method: str, view: dict[str, Any], now: datetime
) -> None:
    """Queue the person's Home published again over the one they were last shown (Slack refuses it if another came
    since: the newer stays). Their Homes still waiting (rate limited when opened, redrawn before) are given up, each
    older than this one."""
    assert person.home_hash is not None
    person_prefix = home_key_prefix(workspace.slack_team_id, person.slack_id)
    outbox.give_up_pending(session, key_prefix=person_prefix, reason=SUPERSEDED)
    prefix = f"{person_prefix}{person.home_hash}:{REDRAWN}"
    payload = {"user_id": person.slack_id, "view": view, "hash": person.home_hash}
    number = outbox.count_under(session, key_prefix=prefix) + 1
    # Numbered by those kept: one deleted as old (services/outbox_retention.py) leaves its number to a later one.
    while not outbox.enqueue(
        session, workspace=workspace, key=f"{prefix}{number}", method=method, payload=payload, now=now
    ):
        number += 1
