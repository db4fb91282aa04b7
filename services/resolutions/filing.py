"""Whose weekly digests count a fix: every manager above its giver when it was logged, kept with the fix.

A team lead who moves under another manager with their team leaves the fixes the team logged before with the
manager it had then, as someone who moves alone does. Writers flush; callers commit.
"""

from collections import defaultdict
from typing import Any

from sqlalchemy import Integer, bindparam, insert, select
from sqlalchemy.orm import Session

from models import Employee, Resolution, ResolutionManager
from services.manager_chains import chain_above

_ABOVE = chain_above("giver")
_FILE = insert(ResolutionManager).from_select(
    [ResolutionManager.resolution_id, ResolutionManager.manager_id],
    select(bindparam("resolution", type_=Integer), _ABOVE.c.id).where(_ABOVE.c.id != bindparam("giver")),
)


def file_under_managers(session: Session, resolution: Resolution, giver: Employee) -> None:
    """Keep the giver's managers of this moment, at every level, with the fix (flushed already, so it has an id)."""
    session.connection().execute(_FILE, {"resolution": resolution.id, "giver": giver.id})


def managers_filed(session: Session, *where: Any) -> dict[int, tuple[int, ...]]:
    """The managers each fix matching `where` (conditions on `Resolution`) was filed under, by fix id. A fix logged
    before they were kept, or by someone without a manager, is left out."""
    query = select(ResolutionManager.resolution_id, ResolutionManager.manager_id).join(
        Resolution, Resolution.id == ResolutionManager.resolution_id
    )
    filed: dict[int, list[int]] = defaultdict(list)
    for resolution_id, manager_id in session.execute(query.where(*where)):
        filed[resolution_id].append(manager_id)
    return {resolution_id: tuple(managers) for resolution_id, managers in filed.items()}
