"""The App Home of whoever a hand-over (or a request going up) takes requests or nominations from, or gives them to,
published again; so are the Homes listing a request someone else decided.

A Home once published stays on the person's screen as it was until the app publishes another: without this, a manager
whose team an org import moved keeps seeing the requests handed away (customers, amounts, names) until they open the
tab again, and the one who decides them now does not see them there until they do. One delivery per person and
hand-over, queued with the hand-over's messages and rendered only when the background sender sends it, from what is
stored then, paced with every other Home (handlers/pacing.py), behind every other message due in the workspace
(services/outbox.claim_due): one not sent yet is enough, so no second is queued beside it. Someone no longer active
(they left) is published nothing; suggestions are not on the Home, so handing one over publishes none.
"""

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from handlers.delivery_refusals import PUBLISH
from handlers.deps import Deps
from handlers.home import RENDER_WHEN_SENT, build_home
from handlers.home_readers import WITHHELD_UNKNOWN
from models import Employee, Resolution, Workspace
from services import directory, outbox, outbox_keys
from services.errors import DomainError
from services.handover import Handover
from services.outbox import Claimed, SendOutcome
from services.outbox_keys import home_again_key_prefix, waiting_untaken
from services.resolutions import decisions
from services.unknown_ids import Marked

log = logging.getLogger(__name__)

NOBODY_TO_PUBLISH_FOR = SendOutcome(ok=True, result={})
"""A Home to publish again for someone who has since left: done, with nothing sent."""
HOME_WITHHELD_FOR_UNKNOWN_ID = SendOutcome(ok=False, error=WITHHELD_UNKNOWN, permanent=True)
"""A Home for an org-file Slack id Slack has confirmed it has nobody of, since the last org import: dropped unsent (HR
hear of it again once a week: handlers/unknown_ids.py)."""
NOT_RENDERED = "home_not_rendered"
"""A Home that could not be rendered (the database failed meanwhile, or a bug): it alone waits, backing off, counted
as tried, and is given up as any message is."""


def queue_homes_again(
    session: Session,
    *,
    workspace: Workspace,
    handovers: list[Handover],
    now: datetime,
    also: Iterable[Employee | None] = (),
) -> None:
    """The Homes of those the hand-overs' requests and nominations left or reached, and of those `also` names."""
    touched = [p for h in handovers if h.kind != "suggestion" for p in (h.previous, h.current)]
    queue_homes_of(session, workspace=workspace, people=[*touched, *also], now=now)


def queue_homes_after_decision(session: Session, *, resolution: Resolution, now: datetime) -> None:
    """The Homes that listed a request now decided because of their owner (`decisions.listed_on_homes_of`): but the
    decider's, published again where they clicked, or left to the next time they open it. None while the workspace's
    Home tab is known to be off."""
    workspace = session.get_one(Workspace, resolution.workspace_id)
    if workspace.homes_off_since is not None:
        return
    listed = decisions.listed_on_homes_of(session, resolution)
    people = [person for person in listed if person.id != resolution.decided_by_id]
    queue_homes_of(session, workspace=workspace, people=people, now=now)


def queue_homes_of(session: Session, *, workspace: Workspace, people: Iterable[Employee | None], now: datetime) -> None:
    """One Home to publish again for each active one of `people` who has none waiting to be sent (one INSERT each; for
    one person, as a decision has, the look for one waiting is in the INSERT); none while the workspace's Home tab is
    known to be off."""
    active = {person.id: person for person in people if person is not None and person.active}
    if not active or workspace.homes_off_since is not None:  # Slack would refuse it (handlers/home_refusals.py)
        return
    if len(active) == 1 and _queued_unless_waiting(session, workspace, *active.values(), now=now):
        return
    prefix = home_again_key_prefix(workspace.slack_team_id)
    mine = [home_again_key_prefix(workspace.slack_team_id, person.slack_id) for person in active.values()]
    waiting = {key.removeprefix(prefix).split(":")[0] for key in waiting_untaken(session, key_prefixes=mine)}
    for person in active.values():
        if person.slack_id in waiting:
            continue
        key, number = f"{prefix}{person.slack_id}:{now.isoformat()}", 1
        payload = {"user_id": person.slack_id, RENDER_WHEN_SENT: True}
        # One of the same instant, taken or sent already, may show what was stored before: this one is numbered.
        while not outbox.enqueue(session, workspace=workspace, key=key, method=PUBLISH, payload=payload, now=now):
            number += 1
            key = f"{prefix}{person.slack_id}:{now.isoformat()}:{number}"


def _queued_unless_waiting(session: Session, workspace: Workspace, person: Employee, *, now: datetime) -> bool:
    """One person's Home queued in one statement unless one waits (a decision's, mostly): False when none was queued,
    one waiting or its key taken already (one of the same instant, which `queue_homes_of` numbers past)."""
    return outbox_keys.enqueue_unless_waiting(
        session,
        workspace_id=workspace.id,
        key=f"{home_again_key_prefix(workspace.slack_team_id)}{person.slack_id}:{now.isoformat()}",
        key_prefix=home_again_key_prefix(workspace.slack_team_id, person.slack_id),
        method=PUBLISH,
        payload={"user_id": person.slack_id, RENDER_WHEN_SENT: True},
        now=now,
    )


def rendered(deps: Deps, delivery: Claimed, marked: Marked) -> Claimed | SendOutcome:
    """A Home queued to be rendered as it is sent (published again, or opened while Slack rate-limited it), rendered
    from what is stored now (any other delivery as it is); done with nothing to send when its person is no longer
    known, or, unless they opened it, no longer active; dropped unsent, unless they opened it, for an id `marked` (read
    once a batch) as Slack's nobody. Never raises: a Home that cannot be rendered is a failed send of its own, tried
    again later, and the rest of the sender's batch is recorded."""
    if not delivery.payload.get(RENDER_WHEN_SENT):
        return delivery
    user_id, seen = str(delivery.payload["user_id"]), delivery.payload.get("hash")
    try:
        with deps.sessions.begin() as session:
            workspace = session.get(Workspace, delivery.workspace_id)
            person = None if workspace is None else directory.find_employee(session, workspace, user_id)
            if person is None or not (person.active or seen):
                return NOBODY_TO_PUBLISH_FOR
            if not seen and user_id in marked.get(delivery.workspace_id, {}):
                return HOME_WITHHELD_FOR_UNKNOWN_ID
            view = build_home(session, person, deps.now())
    except (SQLAlchemyError, DomainError) as error:
        log.warning("the Home of %s to publish was not rendered, tried again later: %r", user_id, error)
        return SendOutcome(ok=False, error=NOT_RENDERED)
    except Exception:  # a bug in a part of the Home: this Home alone fails, the sender's batch is still recorded
        log.exception("the Home of %s to publish failed to render, tried again later", user_id)
        return SendOutcome(ok=False, error=NOT_RENDERED)
    over = {"hash": seen} if seen else {}  # one published since the person opened it is newer: Slack keeps it
    return replace(delivery, payload={"user_id": user_id, "view": view, **over})
