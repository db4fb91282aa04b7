"""Everyone above a person in the manager chain, walked by the database in one recursive query: what a fix or a grant
files itself under as it is written, without a lazy load per level on the request's path.

`UNION` (not `UNION ALL`) drops a manager met again, so a cycle in stored data ends the walk, as
`directory.managers_above` does; the person themselves is left out by the caller's `WHERE`.
"""

from sqlalchemy import CTE, bindparam, select

from models import Employee


def chain_above(person: str) -> CTE:
    """The ids (`.c.id`) of the managers above the employee whose id is bound as `person`."""
    first = select(Employee.manager_id.label("id")).where(
        Employee.id == bindparam(person), Employee.manager_id.is_not(None)
    )
    chain = first.cte(f"above_{person}", recursive=True)
    step = select(Employee.manager_id).join(chain, Employee.id == chain.c.id).where(Employee.manager_id.is_not(None))
    return chain.union(step)
