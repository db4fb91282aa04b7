"""A decision request Slack refuses for good to deliver to its decider: the requester and HR hear why, once.

A fix outside the boundaries and a reward that needs approval wait on their decider's DM: the first request, a
reminder, a hand-over and an escalation alike. When Slack refuses one because its reader is a bot user
(`cannot_dm_bot`), it is dropped, not tried again, and the request would wait on someone who never saw it. So the
requester is told it did not reach them, and each HR person and admin what to fix (HR asking hears that instead), once
per request and decider. The request still waits, and goes one level up once it has waited too long, as any other
does. A decider Slack deactivated is handed over instead (handlers/departures.py).
A hand-over summary (handlers/handover_summary.py) refused so tells HR alone, once per decider: its requesters were
told of the hand-over already. One withheld for a marked id tells the requester of each request or nomination it told
of, as a hand-over DM of its own withheld would have.
A request withheld from a decider whose org-file Slack id Slack has nobody of (handlers/unknown_ids.py) tells its
requester, HR or not, once per request and decider, that the decider cannot be reached yet and what becomes of it
(the command's own reply says it instead when it can: handlers/unknown_deciders.py); HR hear of the id itself in
their weekly DM.
A manager's weekly digest refused so tells HR alone, once per workspace and manager: it is not queued again until the
next org import (services/digest/unreachable.py), when it is tried once more.
With the app's Messages tab off (`messages_tab_disabled`) Slack delivers none of Latitude's DMs, these notices
included: none is queued (handlers/messages_tab.py warns the operator and HR's Home says it), and whoever asked with a
command hears it in the command's own reply, which is no DM (`say_if_unreached`).
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from slack_bolt import Respond
from sqlalchemy.orm import Session

from handlers.blocks.request_refusals import (
    digest_notice,
    hr_notice,
    requester_dm,
    summary_notice,
    tab_off_reply,
    unknown_decider_dm,
)
from handlers.home_readers import DM_WITHHELD_UNKNOWN
from handlers.messages_tab import NOT_SENT, TAB_OFF
from models import Employee, Nomination, Resolution, Workspace
from services import directory, unknown_ids
from services.digest import unreachable
from services.outbox import Claimed, SendOutcome
from services.outbox_keys import HANDOVER_SUMMARY, REQUEST_UNREACHED, SUMMARY_TOLD_NOTES, reachable_recipients
from services.rewards import approvals

UNREACHABLE = frozenset({"cannot_dm_bot", DM_WITHHELD_UNKNOWN})
"""Refused because of its reader, or withheld: its reader's id is one Slack has nobody of (handlers/unknown_ids.py);
with the Messages tab off (`TAB_OFF`) no notice could reach anyone either."""
RESOLUTION_REQUEST = re.compile(r"^(resolution:(\d+)):(request|reminder|handover|escalation):")
REWARD_REQUEST = re.compile(rf"^({re.escape(approvals.REQUEST_KEY)}(\d+))(?:$|:handover:|:reminder$)")
SHARED_BY_SEVERAL = ("request", "escalation")
"""A fix's requests and escalations go to every admin at once when nobody manages its requester: under one prefix."""
SUMMARY = re.compile(rf"^{re.escape(HANDOVER_SUMMARY)}([^:]+):")
DIGEST = re.compile(r"^digest:[^:]+:([^:]+):")
"""A manager's weekly digest (services/digest/keys.py); the manager's Slack id."""
DIGEST_TOLD = "digest:"


@dataclass(frozen=True)
class Told:
    workspace: Workspace
    key: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Request:
    item: str
    """`resolution:12`, `reward-approval:7`: the notices' keys start with it."""
    requester: Employee
    what: str


def notices(
    session: Session, sends: list[tuple[Claimed, SendOutcome]], now: datetime, *, in_reply: bool = False
) -> list[Told]:
    """The DMs owed for each decision request among `sends` that Slack refused because of its reader; `in_reply`: what
    a command's reply says instead, which is read at once (a DM is read only once the Messages tab is on)."""
    return [
        told
        for delivery, outcome in sends
        if outcome.error in UNREACHABLE
        for told in _owed(session, delivery, str(outcome.error), now, in_reply)
    ]


def _owed(session: Session, delivery: Claimed, error: str, now: datetime, in_reply: bool) -> list[Told]:
    if error == DM_WITHHELD_UNKNOWN:  # HR hear of the id itself, once a week (handlers/unknown_ids.py)
        return _for_summarized(session, delivery, in_reply) or _for_request(session, delivery, error, in_reply=in_reply)
    return (
        _for_summary(session, delivery, error)
        or _for_digest(session, delivery, error, now)
        or _for_request(session, delivery, error)
    )


def _for_digest(session: Session, delivery: Claimed, error: str, now: datetime) -> list[Told]:
    """HR hear once per workspace and manager that their weekly digest did not reach them (a key without the
    workspace's team id, queued before it had one, counts too); it is not tried again until the next org import."""
    found = DIGEST.match(delivery.idempotency_key)
    if found is None:
        return []
    workspace = session.get_one(Workspace, delivery.workspace_id)
    manager = found[1]
    unreachable.remember_refused(session, workspace, manager, now=now)
    key = f"{REQUEST_UNREACHED}{DIGEST_TOLD}{workspace.slack_team_id}:{manager}:"
    old_key = f"{REQUEST_UNREACHED}{DIGEST_TOLD}{manager}:"
    people = [p.slack_id for p in approvals.hr_people(session, workspace.id) if p.slack_id != manager]
    told_before = unreachable.already_there(session, [old_key + person for person in people])
    return [
        Told(workspace, key + person, digest_notice(person, manager, error))
        for person in people
        if old_key + person not in told_before
    ]


def _for_summary(session: Session, delivery: Claimed, error: str) -> list[Told]:
    """HR hear once per decider that a hand-over summary did not reach them; the requesters heard of the hand-over."""
    found = SUMMARY.match(delivery.idempotency_key)
    if found is None:
        return []
    workspace = session.get_one(Workspace, delivery.workspace_id)
    decider = found[1]
    count = sum(len(delivery.payload.get(note) or []) for note in SUMMARY_TOLD_NOTES.values())
    key = f"{REQUEST_UNREACHED}{HANDOVER_SUMMARY}{decider}:"
    return [
        Told(workspace, key + person.slack_id, summary_notice(person.slack_id, decider, count, error))
        for person in approvals.hr_people(session, workspace.id)
        if person.slack_id != decider
    ]


def _for_summarized(session: Session, delivery: Claimed, in_reply: bool) -> list[Told]:
    """A hand-over summary withheld: each request or nomination it told of tells its requester, as its own hand-over
    DM withheld would have (under the same key: once per request and decider)."""
    if SUMMARY.match(delivery.idempotency_key) is None:
        return []
    prefixes = {"resolution": "resolution:", "nomination": approvals.REQUEST_KEY}
    handed = [
        f"{prefixes[kind]}{item}:handover:"
        for kind, note in SUMMARY_TOLD_NOTES.items()
        for item in delivery.payload.get(note) or []
    ]
    return [
        told
        for key in handed
        for told in _for_request(
            session, replace(delivery, idempotency_key=key), DM_WITHHELD_UNKNOWN, in_reply=in_reply
        )
    ]


def _for_request(session: Session, delivery: Claimed, error: str, *, in_reply: bool = False) -> list[Told]:
    request = _request(session, delivery.idempotency_key)
    if request is None:
        return []
    workspace = session.get_one(Workspace, delivery.workspace_id)
    decider = str(delivery.payload.get("channel") or "")
    others = _others(session, workspace, delivery.idempotency_key, decider)
    key = f"{REQUEST_UNREACHED}{request.item}:{decider}:"
    hr = approvals.hr_people(session, workspace.id)
    requester = request.requester.slack_id
    if error == DM_WITHHELD_UNKNOWN:  # HR hear of the id in their weekly DM; the requester, HR or not, of the request
        return [Told(workspace, key + requester, _unknown(session, workspace, request, decider, others, in_reply))]
    told = [
        Told(
            workspace,
            key + person.slack_id,
            hr_notice(person.slack_id, requester, request.what, decider, error, others),
        )
        for person in hr
        if person.slack_id != decider  # an admin who is the bot user cannot read it either
    ]
    if request.requester not in hr:  # HR asking hears what to fix instead
        told.insert(0, Told(workspace, key + requester, requester_dm(requester, request.what, decider, error, others)))
    return told


def _unknown(
    session: Session, workspace: Workspace, request: Request, decider: str, others: list[str], in_reply: bool
) -> dict[str, Any]:
    """What the requester hears of a decider whose org-file id Slack has nobody of: named as the file has them. With
    the Messages tab off none of HR's DMs can be sent (handlers/unknown_ids.py): only a command's reply, read at once,
    says so; a DM is read once the tab is on again, when HR are told."""
    name = directory.names_of(session, workspace, [decider]).get(decider, "whoever decides it")
    hr_told = not in_reply or workspace.dms_off_since is None
    return unknown_decider_dm(request.requester.slack_id, request.what, name, others, hr_told=hr_told)


def _others(session: Session, workspace: Workspace, key: str, decider: str) -> list[str]:
    """Who else can decide it: those it went to at once, but for `decider` and any whose id Slack has nobody of (their
    DM withheld too, if not yet recorded so)."""
    others = [other for other in _also_asked(session, key) if other != decider]
    if not others:
        return []
    marked = unknown_ids.marked_among(session, [workspace.id]).get(workspace.id, {})
    return [other for other in others if other not in marked]


def _also_asked(session: Session, key: str) -> list[str]:
    """Who else the same request went to at once (every admin, for a fix whose requester has no manager)."""
    found = RESOLUTION_REQUEST.match(key)
    if found is None or found[3] not in SHARED_BY_SEVERAL:
        return []
    return reachable_recipients(session, key_prefix=key.rsplit(":", 1)[0] + ":")


def _request(session: Session, key: str) -> Request | None:
    """Who asked, and what they asked for (`request to approve fix #12`), by the outbox key of a DM asking its decider
    (the first, a reminder, a hand-over, an escalation); None for any other message."""
    if (resolution := RESOLUTION_REQUEST.match(key)) is not None:
        found = session.get(Resolution, int(resolution[2]))
        return None if found is None else Request(resolution[1], found.employee, f"request to approve fix #{found.id}")
    if (reward := REWARD_REQUEST.match(key)) is not None:
        nomination = session.get(Nomination, int(reward[2]))
        if nomination is None:
            return None
        nominator = session.get_one(Employee, nomination.nominator_id)
        return Request(reward[1], nominator, f"nomination for {nomination.title} (#{nomination.id})")
    return None


def say_if_unreached(respond: Respond, sends: list[tuple[Claimed, SendOutcome]]) -> None:
    """The command's own reply tells whoever asked that their request reached nobody while the Messages tab is off:
    no DM could."""
    deciders = [
        str(delivery.payload.get("channel"))
        for delivery, outcome in sends
        if outcome.error in (TAB_OFF, NOT_SENT)
        and (RESOLUTION_REQUEST.match(delivery.idempotency_key) or REWARD_REQUEST.match(delivery.idempotency_key))
    ]
    if deciders:
        respond(text=tab_off_reply(deciders), response_type="ephemeral", replace_original=False)
