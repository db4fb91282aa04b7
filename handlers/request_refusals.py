"""A decision request Slack refuses for good to deliver to its decider: the requester and HR hear why, once.

A fix outside the boundaries and a reward that needs approval wait on their decider's DM. When Slack refuses
that DM because of who reads it (the decider is a bot user, `cannot_dm_bot`; the app's Messages tab is off,
`messages_tab_disabled`), it is dropped, not tried again, and the request would wait on someone who never saw it.
So the requester is told it did not reach them, and each HR person and admin what to fix (HR asking hears that
instead), once per request and decider: a reminder, keyed otherwise, tells nobody again. The request still waits,
and goes one level up once it has waited too long, as any other does. A decider Slack deactivated is handed over
instead (handlers/departures.py).
"""

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from handlers.blocks.request_refusals import hr_notice, requester_dm
from models import Employee, Nomination, Resolution, Workspace
from services.outbox import Claimed, SendOutcome
from services.rewards import approvals

UNREACHABLE = frozenset({"cannot_dm_bot", "messages_tab_disabled"})
RESOLUTION_REQUEST = re.compile(r"^resolution:(\d+):request:\w+$")
REWARD_REQUEST = re.compile(rf"^{re.escape(approvals.REQUEST_KEY)}(\d+)$")
NOTICE_KEY = "request-unreached:"


@dataclass(frozen=True)
class Told:
    workspace: Workspace
    key: str
    payload: dict[str, Any]


def notices(session: Session, sends: list[tuple[Claimed, SendOutcome]]) -> list[Told]:
    """The DMs owed for each decision request among `sends` that Slack refused because of its reader."""
    return [
        told
        for delivery, outcome in sends
        if outcome.error in UNREACHABLE
        for told in _for_request(session, delivery, str(outcome.error))
    ]


def _for_request(session: Session, delivery: Claimed, error: str) -> list[Told]:
    found = _requester_and_what(session, delivery.idempotency_key)
    if found is None:
        return []
    requester, what = found
    workspace = session.get_one(Workspace, delivery.workspace_id)
    decider = str(delivery.payload.get("channel") or "")
    key = f"{NOTICE_KEY}{delivery.idempotency_key}:"
    hr = approvals.hr_people(session, workspace.id)
    told = [
        Told(workspace, key + person.slack_id, hr_notice(person.slack_id, requester.slack_id, what, decider, error))
        for person in hr
    ]
    if requester not in hr:  # HR asking hears what to fix instead
        told.insert(
            0, Told(workspace, key + requester.slack_id, requester_dm(requester.slack_id, what, decider, error))
        )
    return told


def _requester_and_what(session: Session, key: str) -> tuple[Employee, str] | None:
    """Who asked, and what they asked for (`request for fix #12`), by the request's outbox key; None for any
    other message."""
    if (resolution := RESOLUTION_REQUEST.match(key)) is not None:
        found = session.get(Resolution, int(resolution[1]))
        return None if found is None else (found.employee, f"request to approve fix #{found.id}")
    if (reward := REWARD_REQUEST.match(key)) is not None:
        nomination = session.get(Nomination, int(reward[1]))
        if nomination is None:
            return None
        nominator = session.get_one(Employee, nomination.nominator_id)
        return nominator, f"nomination for {nomination.title} (#{nomination.id})"
    return None
