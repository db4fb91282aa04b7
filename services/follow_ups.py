"""What waits on one person's decision (a request, a tangible reward's nomination) and nobody decided: when its
reminder is due, and when it goes one level up. Marking happens in the caller's transaction; callers commit."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from models import Delivery, Employee, Nomination, Resolution, Workspace
from services import directory
from services.outbox_keys import UNDER_PREFIX, prefix_bounds
from services.policy.quiet_hours import QuietHours
from services.policy.versions import current_policy

Waiting = TypeVar("Waiting", Resolution, Nomination)


def reminder_after(session: Session, workspace_id: int) -> timedelta:
    active = current_policy(session, session.get_one(Workspace, workspace_id))
    return timedelta(hours=active.policy.escalation_reminder_hours if active else 24)


def quiet_hours(session: Session, workspace_id: int) -> QuietHours | None:
    """The policy's nightly window in which no follow-up reaches its recipient; the default without a policy."""
    active = current_policy(session, session.get_one(Workspace, workspace_id))
    return active.policy.quiet_hours if active else QuietHours()


def mornings(session: Session, workspace_id: int, people: list[Employee], now: datetime) -> dict[int, datetime]:
    """When each of `people` (by id) may be sent a follow-up: now in their day, else at the end of their quiet hours.
    A step going to several at once (the admins) goes once one of them is in their day; the others, in another
    zone's night, each get it in their own morning rather than woken by the first's."""
    quiet = quiet_hours(session, workspace_id)
    return {person.id: quiet.morning(now, person.tz) if quiet else now for person in people}


def due(
    session: Session,
    model: type[Waiting],
    *,
    now: datetime,
    limit: int,
    recipients: Callable[[Waiting, str], list[Employee]] | None = None,
) -> list[tuple[Waiting, str]]:
    """Mark and return what is due, in every workspace the app is installed in, with "reminder" (N hours after it
    was made) or "escalation" (N more hours on, and at least N hours after the reminder was sent, which a scheduler
    that was down, or the reminded person's night, may have made late).

    A step whose DM would reach each of its `recipients` (the decider reminded, those it goes up to) in their quiet
    hours is left unmarked, and held until the first of them wakes: it is taken then, once one of them is in their
    day. Until then the tick reads past it in SQL, never working out its recipients again, unless the workspace's
    people or policy changed since (its `config_version`: a new zone, a new admin, other quiet hours).

    Only what is due is read, each workspace with its own N and up to `limit` steps, and what waits for a morning is
    read past, so neither crowds out those that are due, nor does one busy workspace (a zone's night of reminders
    going out at its 08:00) hold up the others. Rows are locked (SKIP LOCKED) and marked in the caller's transaction,
    and the messages carry idempotency keys, so a second scheduler or a rerun sends nothing twice."""
    marked: list[tuple[Waiting, str]] = []
    for workspace in directory.installed_workspaces(session):
        wait, quiet = reminder_after(session, workspace.id), quiet_hours(session, workspace.id)
        query = _due(model, workspace.id, wait, now).where(_not_held(model, now, workspace.config_version))
        taken = 0
        for item in _due_items(session, model, query, limit):
            kind = _step_due(item, wait, now)
            if kind is None:
                continue
            morning = _morning(quiet, recipients, item, kind, now)
            if morning > now:
                item.held_until, item.held_under = morning, workspace.config_version
                continue
            _mark(item, kind, now)
            marked.append((item, kind))
            taken += 1
            if taken >= limit:
                break
    session.flush()
    return marked


def _morning(
    quiet: QuietHours | None,
    recipients: Callable[[Waiting, str], list[Employee]] | None,
    item: Waiting,
    kind: str,
    now: datetime,
) -> datetime:
    """When the first recipient of the step is in their day: now, unless every one of them is in their night (a step
    with nobody to tell never waits)."""
    if quiet is None or recipients is None:
        return now
    people = recipients(item, kind)
    return min((quiet.morning(now, person.tz) for person in people), default=now)


def _not_held(model: type[Waiting], now: datetime, config_version: int) -> ColumnElement[bool]:
    """Not held for a morning still to come, as worked out with the workspace's people and policy as they are."""
    return or_(model.held_until.is_(None), model.held_until <= now, model.held_under != config_version)


def _due_items(session: Session, model: type[Waiting], query: Select[Waiting], page: int) -> Iterator[Waiting]:
    """The due rows, oldest first, a page at a time: a page held for a morning is followed by the next."""
    while page > 0:
        rows = list(session.scalars(query.limit(page)))
        yield from rows
        if len(rows) < page:
            return
        last = rows[-1]
        later = or_(model.created_at > last.created_at, and_(model.created_at == last.created_at, model.id > last.id))
        query = query.where(later)


def _due(model: type[Waiting], workspace_id: int, wait: timedelta, now: datetime) -> Select[Waiting]:
    to_remind = and_(model.reminded_at.is_(None), model.created_at <= now - wait)
    to_escalate = and_(model.reminded_at <= now - wait, model.created_at <= now - 2 * wait)
    return (
        select(model)
        .where(
            model.status == "pending",
            model.escalated_at.is_(None),
            model.workspace_id == workspace_id,
            or_(to_remind, to_escalate),
        )
        .order_by(model.created_at, model.id)
        .with_for_update(skip_locked=True, of=model.__table__)
    )


def _step_due(item: Waiting, wait: timedelta, now: datetime) -> str | None:
    if item.reminded_at is None:
        return "reminder" if now >= item.created_at + wait else None
    escalate_at = max(item.created_at + 2 * wait, item.reminded_at + wait)
    return "escalation" if now >= escalate_at else None


def _mark(item: Waiting, kind: str, now: datetime) -> None:
    item.held_until = item.held_under = None
    if kind == "reminder":
        item.reminded_at = now
    else:
        item.escalated_at = now


def restart(item: Waiting, now: datetime) -> None:
    """Handed to someone else: the new decider is asked now, by the hand-over's DM. It stands for the reminder the
    one before had, so they get the full wait before it goes up (and may go up again from them), never an escalation
    within the hour that names them as the one who let it wait. Before any reminder, theirs comes when it was due.
    That it went up is not forgotten with `escalated_at`: the DMs it went up by say so (`went_up`). A step held for
    the morning of the one before is worked out again for them."""
    item.held_until = item.held_under = None
    if item.reminded_at is not None:
        item.reminded_at, item.escalated_at = now, None


def summarized(item: Waiting, now: datetime) -> None:
    """Handed over among many to one person, who is told of them all in one DM (handlers/handover_summary.py): that DM
    stands for each one's reminder, so their reminders do not follow it one DM each within the hour; each goes up a
    full wait after it."""
    item.held_until = item.held_under = None
    if item.reminded_at is None:
        item.reminded_at = now


WAITED_ON_MARK = "from-"
"""In a went-up DM's key, before its recipient's Slack id: the Slack id of whom the item waited on before it went up."""


@dataclass(frozen=True)
class WentUp:
    """How far an item went up for waiting too long: everyone it went up to, and everyone who let it wait before it
    did (neither forgotten while the item waits: services/outbox_retention)."""

    reached: list[Employee]
    waited_on: list[Employee]


def went_up_key(key_prefix: str, waited_on: Employee | None, recipient: Employee) -> str:
    """The key of a DM an item went up by: it says for good to whom it went (last), and from whom."""
    mark = f"{WAITED_ON_MARK}{waited_on.slack_id}:" if waited_on is not None else ""
    return f"{key_prefix}{mark}{recipient.slack_id}"


def went_up(session: Session, item: Waiting, key_prefix: str, unmarked_from: str | None = None) -> WentUp:
    """How far `item` went up, read from the keys of the DMs it went up by (under `key_prefix`, `went_up_key`): unlike
    `escalated_at`, which times the next step and starts again when someone else is handed it, they say for good that
    it went up, and how far. Keys older than the mark of whom it waited on leave it to those of the DMs under
    `unmarked_from` (its reminders), each ending with its recipient's Slack id."""
    keys = _keys_under(session, key_prefix)
    reached = {key.rsplit(":", 1)[1] for key in keys}
    marks = [_waited_on_mark(key) for key in keys]
    waited_on = {mark for mark in marks if mark is not None}
    if unmarked_from is not None and None in marks:
        waited_on |= {key.rsplit(":", 1)[1] for key in _keys_under(session, unmarked_from)}
    return WentUp(_employees(session, item, reached), _employees(session, item, waited_on))


def _keys_under(session: Session, key_prefix: str) -> list[str]:
    return list(session.scalars(select(Delivery.idempotency_key).where(*UNDER_PREFIX), prefix_bounds(key_prefix)))


def _waited_on_mark(key: str) -> str | None:
    parts = key.split(":")
    return parts[-2].removeprefix(WAITED_ON_MARK) if len(parts) > 1 and parts[-2].startswith(WAITED_ON_MARK) else None


def _employees(session: Session, item: Waiting, slack_ids: set[str]) -> list[Employee]:
    if not slack_ids:
        return []
    found = select(Employee).where(Employee.workspace_id == item.workspace_id, Employee.slack_id.in_(slack_ids))
    return list(session.scalars(found))


def still_above(chain: list[Employee], went: WentUp, beyond: Callable[[Employee], bool]) -> list[Employee]:
    """Of the requester's managers (`chain`, nearest first), those an item whose decider left may go to: from the
    highest of them it reached going up on, and above everyone who let it wait (the one it reached may since have
    moved out of the chain), never back down; none once it reached someone `beyond` them (an admin, HR), who stand
    above every manager: it goes to another of those (`best_first`)."""
    if any(beyond(person) for person in went.reached):
        return []
    reached = [chain.index(person) for person in went.reached if person in chain]
    above_waited = [chain.index(person) + 1 for person in went.waited_on if person in chain]
    return chain[max(reached + above_waited, default=0) :]


def best_first(candidates: list[Employee], went: WentUp) -> list[Employee]:
    """Of the admins or HR people an item may be handed to, those it reached going up first, then the others; never
    one who let it wait (it would come back down to them)."""
    waited_on = {person.id for person in went.waited_on}
    kept = [person for person in candidates if person.id not in waited_on]
    return sorted(kept, key=lambda person: person not in went.reached)


def best_first_else_any(candidates: list[Employee], went: WentUp) -> list[Employee]:
    """For a hand-over (its decider left): `best_first`, or, with nobody else, those who let it wait after all: an
    item waiting on someone who left, with nobody told, is worse than one that comes back down."""
    return best_first(candidates, went) or candidates
