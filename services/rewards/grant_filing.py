"""Whose weekly digests count a grant: every manager above its recipient (received) and above its nominator (given)
when it was granted, kept with the grant.

Someone who moves, or a team lead who moves under another manager with their team, leaves the recognition received
and given before with the managers they had then. Writers flush; callers commit.
"""

from collections import defaultdict
from typing import Any

from sqlalchemy import Integer, bindparam, insert, literal, select, union_all
from sqlalchemy.orm import Session

from models import GrantManager, RewardGrant
from services.manager_chains import chain_above

_RECEIVED, _GIVEN = chain_above("recipient"), chain_above("nominator")
_GRANT = bindparam("grant", type_=Integer)
_FILE = insert(GrantManager).from_select(
    [GrantManager.grant_id, GrantManager.side, GrantManager.manager_id],
    union_all(
        select(_GRANT, literal("received"), _RECEIVED.c.id).where(_RECEIVED.c.id != bindparam("recipient")),
        select(_GRANT, literal("given"), _GIVEN.c.id).where(_GIVEN.c.id != bindparam("nominator")),
    ),
)


def file_under_managers(session: Session, grant: RewardGrant) -> None:
    """Keep the managers of this moment above the recipient and above the nominator with the grant."""
    session.flush()
    session.connection().execute(
        _FILE, {"grant": grant.id, "recipient": grant.recipient_id, "nominator": grant.nominator_id}
    )


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
