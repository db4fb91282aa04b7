"""Whose weekly digests count a grant: every manager above its recipient (received) and above its nominator (given)
when it was granted, kept with the grant.

Someone who moves, or a team lead who moves under another manager with their team, leaves the recognition received
and given before with the managers they had then. Writers flush; callers commit.
"""

from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import GrantManager, RewardGrant
from services.directory import managers_above


def file_under_managers(session: Session, grant: RewardGrant) -> None:
    """Keep the managers of this moment above the recipient and above the nominator with the grant."""
    session.flush()
    rows = [
        {"grant_id": grant.id, "side": side, "manager_id": manager.id}
        for side, person in (("received", grant.recipient), ("given", grant.nominator))
        for manager in managers_above(person)
    ]
    if rows:
        session.execute(insert(GrantManager), rows)


Filed = dict[int, dict[str, tuple[int, ...]]]
"""By grant id, then side: the managers it was filed under."""


def managers_filed(session: Session, *where: Any) -> Filed:
    """The managers each grant matching `where` (conditions on `RewardGrant`) was filed under. A grant made before
    they were kept has none."""
    query = select(GrantManager.grant_id, GrantManager.side, GrantManager.manager_id).join(
        RewardGrant, RewardGrant.id == GrantManager.grant_id
    )
    filed: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for grant_id, side, manager_id in session.execute(query.where(*where)):
        filed[grant_id][side].append(manager_id)
    return {grant_id: {side: tuple(ids) for side, ids in sides.items()} for grant_id, sides in filed.items()}
