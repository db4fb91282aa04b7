"""Refusing a role's command to someone the org file does not list yet. Latitude knows them only from Slack, as a
frontline team member, so HR or an admin trying Latitude before the first `org import` learns why and what makes it
work, rather than being told the command is for HR and to ask HR."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Employee
from services.errors import NotAllowed


def refused_by_role(employee: Employee, *, what: str, refusal: str) -> NotAllowed:
    """`refusal` for someone the org file lists; for anyone else, that their role is not known yet."""
    if employee.in_directory:
        return NotAllowed(refusal)
    return NotAllowed(
        f"{what} is for HR and admins, and the org file does not list you yet, so Latitude cannot tell your role. "
        "If you are HR or an admin, whoever runs Latitude imports the org file with your role in it "
        "(`python -m bot org import FILE`); then try again. Nothing changed."
    )


ORG_IMPORT = "org.import"
"""The audit action of every `org import`."""


def org_file_imported(session: Session, workspace_id: int) -> bool:
    """Whether an org import has listed anyone in the workspace yet: before the first, everyone is known only from
    Slack, and nobody is HR to add them."""
    listed = select(Employee.id).where(Employee.workspace_id == workspace_id, Employee.in_directory).limit(1)
    return session.scalar(listed) is not None


def last_import(session: Session, workspace_id: int) -> datetime | None:
    """When the workspace's org file was last imported; None: never."""
    query = select(func.max(AuditEvent.at)).where(
        AuditEvent.workspace_id == workspace_id, AuditEvent.action == ORG_IMPORT
    )
    return session.scalar(query)
