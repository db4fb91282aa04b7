"""Whom a nomination may name: a colleague active in the workspace, never oneself, a bot or a guest the org file does
not list; someone Slack knows but the directory does not yet is added. Callers commit."""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from models import Employee, Workspace
from services import directory
from services.directory import SlackPerson
from services.errors import NotAllowed
from services.vetting import require_vetted


class NomineeRefused(NotAllowed):
    """This person cannot be nominated (yourself, a bot, someone not in the workspace)."""


def require_nominator(nominator: Employee) -> None:
    """`directory.require_member`, and Slack has said whether someone the org file leaves out is a guest: a guest
    nominates nobody, so when Slack did not answer, nothing is recorded until it does."""
    require_vetted(nominator, what="record a nomination from you")


def nominees_of(
    session: Session,
    workspace: Workspace,
    nominator: Employee,
    slack_ids: list[str],
    slack_people: Mapping[str, SlackPerson],
    bot_user_id: str | None,
    *,
    hold: bool,
    now: datetime,
) -> list[Employee]:
    """The colleagues `slack_ids` name (`slack_people`: what Slack says of them, when the directory may not know
    them). `hold`: a shout-out's nominees are held (`hold_still_active`) before anything is learnt of them, and every
    process is told of what was learnt last: the order a departure or an org import takes the same rows in (the
    person first, the workspace's config version last). The other way round, each would wait for the other."""
    named = [
        _named(session, workspace, nominator, slack_id, slack_people.get(slack_id), bot_user_id)
        for slack_id in slack_ids
    ]
    known = [found for found in named if isinstance(found, Employee)]
    guests = {found.id: guest for found in known if (guest := _guest_to_learn(found, slack_people)) is not None}
    if hold:
        hold_still_active(session, known, writing=bool(guests))
    changed = [found for found in known if found.id in guests and _learn_guest(found, guests[found.id], now)]
    nominees = []
    for found in named:
        if not isinstance(found, Employee):
            found = _newcomer(session, workspace, found, changed, hold=hold, now=now)
        nominees.append(found)
    if changed:
        directory.profile_updated(session, changed[0])  # one bump tells every process of them all
    return nominees


def _named(
    session: Session,
    workspace: Workspace,
    nominator: Employee,
    slack_id: str,
    person: SlackPerson | None,
    bot_user_id: str | None,
) -> Employee | SlackPerson:
    """Who `slack_id` is: the directory's active colleague, or one only Slack knows (to add); else why they can't be
    named."""
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
        return found
    if found is not None or person is None or not person.exists:
        raise _not_active(slack_id)
    return person


def _guest_to_learn(found: Employee, slack_people: Mapping[str, SlackPerson]) -> bool | None:
    """Whether Slack says they are a guest, when the directory does not know yet: the next need not ask Slack again."""
    person = slack_people.get(found.slack_id)
    return person.guest if person is not None and person.exists and found.slack_guest is None else None


def _learn_guest(found: Employee, guest: bool, now: datetime) -> bool:
    return directory.update_slack_profile(found, name=None, email=None, tz=None, now=now, guest=guest)


def _newcomer(
    session: Session, workspace: Workspace, person: SlackPerson, changed: list[Employee], *, hold: bool, now: datetime
) -> Employee:
    """Someone Slack knows and the directory did not, added; into `changed` if another process added them meanwhile
    and what Slack says changed them (that process may hold a copy)."""
    identity = directory.identify(session, workspace=workspace, slack_id=person.slack_id, name=person.name, now=now)
    newcomer = identity.employee
    if (
        directory.update_slack_profile(
            newcomer, name=person.name, email=person.email, tz=person.tz, now=now, guest=person.guest
        )
        and not identity.newly_added
    ):
        changed.append(newcomer)
    if hold:
        hold_still_active(session, [newcomer])
    return newcomer


def _hold(*, writing: bool) -> Select[Employee]:
    return (
        select(Employee)
        .where(Employee.id.in_(bindparam("ids", expanding=True)))
        .order_by(Employee.id)
        .with_for_update(read=not writing, key_share=writing, of=Employee)
        .execution_options(populate_existing=True)
    )


# Every shout-out runs one: built once, since building a statement costs more than running it.
_HOLD_READING, _HOLD_WRITING = _hold(writing=False), _hold(writing=True)


def hold_still_active(session: Session, nominees: list[Employee], *, writing: bool = False) -> None:
    """For a shout-out, granted at once: the nominees' rows as they are now, held until the caller commits (FOR
    SHARE; FOR NO KEY UPDATE when `writing` to them, so that two shout-outs learning the same of someone take turns
    rather than each wait to write what the other holds). Slack or an import deactivating one meanwhile waits for this
    nomination, then treats it as any grant to someone who left; one deactivated just before is seen here, and
    refused. A reward that waits for approval takes no such hold (an import moving its nominee need not wait): its
    approval refuses a leaver."""
    ids = {"ids": [nominee.id for nominee in nominees]}
    for nominee in session.scalars(_HOLD_WRITING if writing else _HOLD_READING, ids):
        if not nominee.active:
            raise _not_active(nominee.slack_id)


def _not_active(slack_id: str) -> NomineeRefused:
    return NomineeRefused(f"<@{slack_id}> is not an active member of this workspace, so they can't be nominated.")
