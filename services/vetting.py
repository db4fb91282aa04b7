"""Someone the org file does not list acts only once Slack has said whether they are a guest: a guest logs no fix and
nominates nobody, so while Slack has not answered about them, nothing of theirs is recorded."""

from models import Employee
from services import directory
from services.errors import NotAllowed


def not_vetted_yet(what: str) -> str:
    return (
        "HR's org file doesn't list you, and Slack hasn't told me yet whether you are a member of this workspace or a "
        f"guest, so I can't {what} yet. Try again in a few minutes; if this keeps happening, ask HR to add you to the "
        "org file."
    )


def require_vetted(employee: Employee, *, what: str) -> None:
    """`directory.require_member`, and Slack has said whether they are a guest when the org file leaves them out.
    `what` they want done (`log a fix from you`), for the refusal."""
    directory.require_member(employee)
    if directory.unvetted(employee):
        raise NotAllowed(not_vetted_yet(what))
