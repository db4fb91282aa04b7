"""An org-file Slack id Slack has nobody of in the workspace: the HR people and admins hear what to fix, once a week.

The background sender asks Slack of someone a Home was refused for (handlers/home_reader_asks.py); when Slack answers
`user_not_found`, the Home's outcome says so (`UNKNOWN`), the id is remembered (services/unknown_ids.py) and no Home
is published to it again until the next org import: one queued meanwhile is dropped unsent with the same outcome
(handlers/home_again.py). Each such outcome tells HR, under a key naming the workspace, the id, the person told and
the week: once a week while Latitude still has something to show them, never once a drain. A person Slack only
deactivated is a departure (handlers/departures.py), not a mistyped id: nobody is told here. The background sender
gives up the DMs to such an id unsent as well (`withhold_dms`): Slack would refuse each (`channel_not_found`).
"""

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.blocks.unknown_ids import unknown_id_notice
from handlers.delivery_refusals import PUBLISH
from handlers.home_readers import UNKNOWN
from handlers.messages_tab import held_back
from handlers.request_refusals import Told
from models import Employee, Workspace
from services import directory, unknown_ids
from services.outbox import Claimed, SendOutcome
from services.outbox_keys import SLACK_ID_UNKNOWN
from services.rewards import approvals

log = logging.getLogger(__name__)

NOTICE_KEY = SLACK_ID_UNKNOWN
DM_NOT_SENT = SendOutcome(ok=False, error="not_sent_slack_id_unknown", permanent=True)
"""A DM given up unsent: Slack has confirmed it has nobody of its reader's id, since the last org import."""


def notices(session: Session, sends: list[tuple[Claimed, SendOutcome]], now: datetime) -> list[Told]:
    """The DMs owed, this week, for the org-file people among `sends` whose Home Slack has nobody to publish to; the ids
    remembered as unknown until the next org import."""
    found: dict[int, set[str]] = {}
    for delivery, outcome in sends:
        if delivery.method == PUBLISH and outcome.error == UNKNOWN:
            found.setdefault(delivery.workspace_id, set()).add(str(delivery.payload.get("user_id")))
    return [
        told
        for workspace_id, slack_ids in sorted(found.items())
        for told in _told_in(session, session.get_one(Workspace, workspace_id), slack_ids, now)
    ]


def _told_in(session: Session, workspace: Workspace, slack_ids: set[str], now: datetime) -> list[Told]:
    unknown = unknown_ids.remember_unknown(session, workspace, slack_ids, now=now)
    if workspace.dms_off_since is not None:  # no DM could reach HR: the Messages tab's own warning says why
        return []
    found = [directory.find_employee(session, workspace, slack_id) for slack_id in sorted(slack_ids)]
    hr = [person for person in approvals.hr_people(session, workspace.id) if person.slack_id not in unknown]
    return [_notice(workspace, person, told, now) for person in found if person is not None for told in hr]


def _notice(workspace: Workspace, person: Employee, told: Employee, now: datetime) -> Told:
    key = f"{NOTICE_KEY}{workspace.slack_team_id}:{person.slack_id}:{told.slack_id}:{now:%G-W%V}"
    return Told(workspace, key, unknown_id_notice(told.slack_id, person.name, person.slack_id))


def withhold_dms(session: Session, claimed: list[Claimed]) -> tuple[list[Claimed], list[tuple[Claimed, SendOutcome]]]:
    """(to send, not sent): the DMs of the batch to an org-file id Slack has nobody of, given up (`DM_NOT_SENT`), in
    one line a batch rather than Slack's refusal of each."""
    dms = {delivery.workspace_id for delivery in claimed if held_back(delivery)}
    unknown = {
        workspace_id: unknown_ids.unknown_since_import(session, session.get_one(Workspace, workspace_id))
        for workspace_id in sorted(dms)
    }
    to_send, kept = [], []
    for delivery in claimed:
        reader = str(delivery.payload.get("channel"))
        if held_back(delivery) and reader in unknown[delivery.workspace_id]:
            kept.append((delivery, DM_NOT_SENT))
        else:
            to_send.append(delivery)
    if kept:
        log.info("%d DMs given up unsent: Slack has nobody of their reader's id (the org file's to fix)", len(kept))
    return to_send, kept
