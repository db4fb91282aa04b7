"""Reading the one who acts as they are now, once what they act on is locked. Read only."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee


def as_now(session: Session, person: Employee) -> Employee:
    """The person as committed now (their role, whether active, their manager), read again into the same instance:
    a caller read before their transaction locked what they decide (or from this process's copy) may have been
    deactivated or demoted since, and what it waits on handed over. FOR KEY SHARE: a departure holding their row (FOR
    NO KEY UPDATE) while it waits for what this decision locked is not waited for in turn."""
    fresh = session.scalar(
        select(Employee)
        .where(Employee.id == person.id)
        .with_for_update(of=Employee, read=True, key_share=True)
        .execution_options(populate_existing=True)
    )
    return fresh if fresh is not None else person
