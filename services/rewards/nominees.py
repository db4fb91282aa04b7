"""Whom a nomination may name: a colleague active in the workspace, never oneself, a bot or a guest the org file does
not list; someone Slack knows but the directory does not yet is added. Callers commit."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Workspace
from services import directory
from services.directory import SlackPerson
from services.errors import NotAllowed


class NomineeRefused(NotAllowed):
    """This person cannot be nominated (yourself, a bot, someone not in the workspace)."""


def nominee_of(
    session: Session,
    workspace: Workspace,
    nominator: Employee,
    slack_id: str,
    person: SlackPerson | None,
    bot_user_id: str | None,
    now: datetime,
) -> Employee:
    """The colleague `slack_id` names (`person`: what Slack says of them, when the directory may not know them)."""
    if slack_id == nominator.slack_id:
        raise NomineeRefused("You can't nominate yourself. Recognise a colleague who helped you instead.")
    if slack_id == bot_user_id or (person is not None and person.is_bot):
        raise NomineeRefused("Bots can't receive recognition. Name a colleague.")
    found = directory.find_employee(session, workspace, slack_id)
    guest = (found is not None and bool(found.slack_guest)) or (person is not None and person.guest)
    if guest and not (found is not None and found.in_directory):  # one the org file lists is staff
        raise NomineeRefused(
            f"<@{slack_id}> is a guest of this Slack workspace whom HR's org file does not list, "
            "so they can't be nominated."
        )
    if found is not None and found.active:
        if person is not None and person.exists and found.slack_guest is None:  # the next need not ask Slack again
            directory.update_slack_profile(found, name=None, email=None, tz=None, now=now, guest=person.guest)
            directory.profile_updated(session, found)
        return found
    if found is not None or person is None or not person.exists:
        raise _not_active(slack_id)
    identity = directory.identify(session, workspace=workspace, slack_id=slack_id, name=person.name, now=now)
    newcomer = identity.employee
    if (
        directory.update_slack_profile(
            newcomer, name=person.name, email=person.email, tz=person.tz, now=now, guest=person.guest
        )
        and not identity.newly_added
    ):
        directory.profile_updated(session, newcomer)  # added meanwhile by another process, which may hold a copy
    return newcomer


def hold_still_active(session: Session, nominees: list[Employee]) -> None:
    """For a shout-out, granted at once: the nominees' rows as they are now, held until the caller commits (FOR
    SHARE). Slack or an import deactivating one meanwhile waits for this nomination, then treats it as any grant to
    someone who left; one deactivated just before is seen here, and refused. A reward that waits for approval takes
    no such hold (an import moving its nominee need not wait): its approval refuses a leaver."""
    held = (
        select(Employee)
        .where(Employee.id.in_([nominee.id for nominee in nominees]))
        .order_by(Employee.id)
        .with_for_update(read=True, of=Employee)
        .execution_options(populate_existing=True)
    )
    for nominee in session.scalars(held):
        if not nominee.active:
            raise _not_active(nominee.slack_id)


def _not_active(slack_id: str) -> NomineeRefused:
    return NomineeRefused(f"<@{slack_id}> is not an active member of this workspace, so they can't be nominated.")
