"""The App Home of whoever a hand-over (or a request going up) takes requests or nominations from, or gives them to,
published again.

A Home once published stays on the person's screen as it was until the app publishes another: without this, a manager
whose team an org import moved keeps seeing the requests handed away (customers, amounts, names) until they open the
tab again, and the one who decides them now does not see them there until they do. One delivery per person and
hand-over, queued with the hand-over's messages and rendered only when the background sender sends it, from what is
stored then, paced with every other Home (handlers/pacing.py). Someone no longer active (they left) is published
nothing; suggestions are not on the Home, so handing one over publishes none.
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.delivery import PUBLISH
from handlers.deps import Deps
from handlers.home import build_home
from models import Employee, Workspace
from services import directory, outbox
from services.handover import Handover
from services.outbox import Claimed
from services.outbox_keys import HOME_AGAIN, OUR_OWN

RENDER_WHEN_SENT = f"{OUR_OWN}home_again"
"""On a queued Home: render it when it is sent (its payload names only whose Home it is)."""


def queue_homes_again(session: Session, *, workspace: Workspace, handovers: list[Handover], now: datetime) -> None:
    """The Homes of those the hand-overs' requests and nominations left or reached."""
    touched = [(h.previous, h.current) for h in handovers if h.kind != "suggestion"]
    queue_homes_of(session, workspace=workspace, people=[p for pair in touched for p in pair], now=now)


def queue_homes_of(session: Session, *, workspace: Workspace, people: Iterable[Employee | None], now: datetime) -> None:
    """One Home to publish again for each active one of `people` (one INSERT each; once per person and moment)."""
    active = {person.id: person for person in people if person is not None and person.active}
    for person in active.values():
        key = f"{HOME_AGAIN}{workspace.slack_team_id}:{person.slack_id}:{now.isoformat()}"
        payload = {"user_id": person.slack_id, RENDER_WHEN_SENT: True}
        outbox.enqueue(session, workspace=workspace, key=key, method=PUBLISH, payload=payload, now=now)


def rendered(deps: Deps, delivery: Claimed) -> Claimed | None:
    """A Home queued to be published again, rendered from what is stored now (any other delivery as it is); None when
    its person is no longer active, or no longer known: nothing is published for them."""
    if not delivery.payload.get(RENDER_WHEN_SENT):
        return delivery
    user_id = str(delivery.payload["user_id"])
    with deps.sessions.begin() as session:
        workspace = session.get(Workspace, delivery.workspace_id)
        person = None if workspace is None else directory.find_employee(session, workspace, user_id)
        if person is None or not person.active:
            return None
        view = build_home(session, person, deps.now())
    return replace(delivery, payload={"user_id": user_id, "view": view})
