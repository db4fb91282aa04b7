"""The decision requests withheld from someone whose org-file Slack id was marked as Slack's nobody, sent again once
Slack shows it knows them (services/unknown_ids.py). Callers commit.

Only the one DM that asked them to decide each request still waiting on them goes again (the last of its request,
hand-over or escalation DMs to them; of hand-overs told in one summary, that summary): the requests decided or handed
on meanwhile, their reminders, and every other DM given up while they were marked (digests, news, pulse invitations)
stay given up, stale by now; the Home, published when the mark lifts, shows what waits on them. Past a
few, none goes again and one summary tells of them (handlers/withheld_summary.py, keyed by `summary_key`). The work
grows with their waiting requests (an admin's: the workspace's, as a request sent to every admin records only the
first), read from an index, and their DMs from the outbox key's: never with the workspace's deliveries.
"""

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from models import Delivery, Employee, Nomination, Resolution, Workspace
from services import deciders, messages_tab
from services.outbox_keys import IN_SUMMARY, IN_SUMMARY_OF, UNDER_PREFIX, WITHHELD_SUMMARY, prefix_bounds
from services.resolutions import decisions
from services.rewards.approvals import REQUEST_KEY

ASKING = ("request", "handover", "escalation")
"""A request's DMs that ask their reader to decide it (`resolution:<id>:<kind>:…<slack id>`): not its reminders."""
_PEOPLE = select(Employee).where(
    Employee.workspace_id == bindparam("workspace_id"), Employee.slack_id.in_(bindparam("slack_ids", expanding=True))
)
_REQUESTS = select(Resolution).where(  # ix_resolutions_decider_waiting
    Resolution.decider_id == bindparam("person_id"), Resolution.status == "pending"
)
_ADMINS = select(Employee.id).where(Employee.workspace_id == bindparam("workspace_id"), Employee.role == "admin")
_OTHERS_WAITING = select(Resolution).where(  # ix_resolutions_waiting
    Resolution.workspace_id == bindparam("workspace_id"),
    Resolution.status == "pending",
    Resolution.decider_id != bindparam("person_id"),
    Resolution.decider_id.in_(_ADMINS),  # sent to every admin; one handed to a manager since waits on them alone
)
_NOMINATIONS = select(Nomination).where(  # ix_nominations_approver_waiting
    Nomination.approver_id == bindparam("person_id"), Nomination.status == "pending"
)
_GIVEN_UP = select(Delivery.idempotency_key).where(  # uq_deliveries_idempotency_key
    Delivery.idempotency_key.in_(bindparam("keys", expanding=True)),
    Delivery.status == "failed",
    Delivery.last_error == bindparam("given_up_as"),
)
_KEYED = (  # a key and those under it (`<key>:…`), never another's whose id starts with the same digits
    select(Delivery.idempotency_key, Delivery.method, Delivery.payload, Delivery.last_error)
    .where(or_(Delivery.idempotency_key == bindparam("key"), and_(*UNDER_PREFIX)))
    .order_by(Delivery.id)
)


@dataclass(frozen=True)
class Waiting:
    """What waits on one person whose mark lifted: the keys of the DMs that asked them to decide it, and how many
    requests (`resolution`) and nominations (`nomination`) those asked of."""

    person: Employee
    keys: list[str]
    told: Counter[str]


def waiting_on(
    session: Session, workspace: Workspace, slack_ids: Collection[str], *, given_up_as: str
) -> list[Waiting]:
    """For each of these people, the last DM that asked them to decide each request or nomination still theirs, where
    it was given up unsent as `given_up_as` while they were marked: one sent before the mark, or told of already in a
    summary (`told_in_summary`), is neither counted nor sent again."""
    people = session.scalars(_PEOPLE, {"workspace_id": workspace.id, "slack_ids": sorted(slack_ids)})
    asked = {person: _asked(session, person) for person in people}
    keys = sorted({key for pairs in asked.values() for _, key in pairs})
    withheld = set(session.scalars(_GIVEN_UP, {"keys": keys, "given_up_as": given_up_as})) if keys else set()
    return [
        _withheld(person, [(kind, key) for kind, key in pairs if key in withheld]) for person, pairs in asked.items()
    ]


def told_in_summary(session: Session, waiting: Waiting, *, given_up_as: str, told_as: str) -> None:
    """The DMs a summary told of instead stay given up, now as `told_as`: a later lift neither counts nor sends them."""
    session.execute(
        update(Delivery)
        .where(Delivery.idempotency_key.in_(waiting.keys), Delivery.status == "failed")
        .where(Delivery.last_error == given_up_as)
        .values(last_error=told_as)
        .execution_options(synchronize_session=False)
    )


def send_again(session: Session, waiting: Collection[Waiting], *, given_up_as: str, now: datetime) -> int:
    """Make due now the DMs that asked them to decide, given up unsent as `given_up_as` while they were marked; how
    many. Set-based: a sender taking one meanwhile is not undone."""
    keys = dict.fromkeys(key for one in waiting for key in one.keys)  # a summary told of many
    return messages_tab.queue_again(session, keys=list(keys), given_up_as=(given_up_as,), now=now)


def summary_key(workspace: Workspace, person: Employee, marked_at: datetime) -> str:
    """One summary a person and lifted mark, however many processes lift it: the mark's own time names it."""
    return f"{WITHHELD_SUMMARY}{workspace.slack_team_id}:{person.slack_id}:{marked_at.isoformat()}"


def _asked(session: Session, person: Employee) -> list[tuple[str, str]]:
    """(kind, key of the last DM that asked `person` to decide it) of each request and nomination still theirs."""
    asked = [
        ("resolution", key)
        for resolution in _requests_theirs(session, person)
        for key in _last_asking(session, f"resolution:{resolution.id}", person, _asks_to_resolve)
    ]
    for nomination in session.scalars(_NOMINATIONS, {"person_id": person.id}):
        if deciders.approver_fits(nomination, person):
            own = f"{REQUEST_KEY}{nomination.id}"
            asked += [("nomination", key) for key in _last_asking(session, own, person, _asks_to_approve)]
    return asked


def _withheld(person: Employee, asked: list[tuple[str, str]]) -> Waiting:
    return Waiting(person, list(dict.fromkeys(key for _, key in asked)), Counter(kind for kind, _ in asked))


def _requests_theirs(session: Session, person: Employee) -> list[Resolution]:
    """The pending requests `person` may decide: those recorded as waiting on them, and for an admin those sent to
    several admins at once (a requester with no manager, an escalation to the other admins), which record only the
    first of them and still wait on an admin; only those with a DM that asked this admin are sent again
    (`_last_asking`)."""
    theirs = [r for r in session.scalars(_REQUESTS, {"person_id": person.id}) if deciders.decider_fits(r, person)]
    if person.role == "admin":
        others = session.scalars(_OTHERS_WAITING, {"workspace_id": person.workspace_id, "person_id": person.id})
        theirs += [resolution for resolution in others if decisions.may_decide(resolution, person)]
    return theirs


def _asks_to_resolve(key: str, own: str) -> bool:
    return key.removeprefix(f"{own}:").split(":", 1)[0] in ASKING


def _asks_to_approve(key: str, own: str) -> bool:
    """The nomination's approval request, or one it was handed over or went up by; not its reminder."""
    return key == own or key.startswith(f"{own}:handover:")


def _last_asking(session: Session, own: str, person: Employee, asks: Callable[[str, str], bool]) -> list[str]:
    """Of the DMs keyed `own` or under it, the last that asked `person` to decide; for a hand-over told in a summary
    of many handed to them at once (written unsent), the summary's."""
    asking = [
        _told_in(key, payload, last_error)
        for key, method, payload, last_error in session.execute(_KEYED, {"key": own, **prefix_bounds(f"{own}:")})
        if method == "chat.postMessage" and payload.get("channel") == person.slack_id and asks(key, own)
    ]
    return asking[-1:]


def _told_in(key: str, payload: dict[str, object], last_error: str | None) -> str:
    summary = payload.get(IN_SUMMARY_OF) if last_error == IN_SUMMARY else None
    return str(summary) if summary else key
