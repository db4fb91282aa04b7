"""DMs while the app's Messages tab is off: Slack refuses every one, so none is sent until it is turned back on.

The first refusal (`messages_tab_disabled`) marks the workspace (services/messages_tab.py) and warns the operator once,
whichever process meets it. From then on a DM due there is given up unsent (`NOT_SENT`), the wasted call and its log
line saved: a message held for days would be stale by the time it went, and a decision request still waits on the
decider's Home; a digest's chart, shared into its manager's DM, is given up with them. Every `RETRY_AFTER` (ten
minutes: what is given up once it is back on) the DMs telling HR and admins it is on again are queued (again), and
the first DM due there, theirs or another, is tried all the same (`queue_tries`); once one sent after the flag was set
goes through (or someone opens the Messages tab, handlers/home.py), DMs are sent again. A try Slack refuses because
of its reader (a bot user, a deactivated account) says nothing of the tab: the next DM due is tried. HR's Home says it
is off meanwhile.
"""

import logging
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from handlers.blocks.messages_tab import tab_on_again
from handlers.digest_chart import UPLOAD
from services import messages_tab, outbox
from services.outbox import Claimed, SendOutcome
from services.rewards import approvals
from services.suggestions.relay import is_sealed

log = logging.getLogger(__name__)

TAB_OFF = "messages_tab_disabled"
NOT_SENT = "not_sent_messages_tab_off"
"""The error of a DM given up unsent: the workspace's Messages tab is off, so Slack would refuse it."""
WITHHELD = SendOutcome(ok=False, error=NOT_SENT, permanent=True)
AFTER_THE_TRY = SendOutcome(ok=False, error="waits_for_messages_tab_try", retry_after=60)
"""A DM due beside the one tried to find the tab on again: due a minute later, sent or given up by that try's answer."""
POST = "chat.postMessage"
READER_REFUSED = frozenset(
    {"cannot_dm_bot", "user_not_found", "user_disabled", "user_not_visible", "channel_not_found"}
)
"""Slack refused a DM because of its reader: it says nothing of the Messages tab."""
DM_PREFIXES = ("U", "W", "D")
"""A person's id, or a DM's: where Slack refuses a message with the Messages tab off."""


def is_dm(delivery: Claimed) -> bool:
    channel = delivery.payload.get("channel")
    return delivery.method == POST and (str(channel).startswith(DM_PREFIXES) or is_sealed(channel))


def is_upload_to_dm(delivery: Claimed) -> bool:
    """A digest's chart, shared into the manager's DM: given up with the DMs, never the try (Slack's answer to a file
    says nothing sure of the Messages tab)."""
    return delivery.method == UPLOAD and str(delivery.payload.get("channel")).startswith(DM_PREFIXES)


def held_back(delivery: Claimed) -> bool:
    return is_dm(delivery) or is_upload_to_dm(delivery)


Kept = list[tuple[Claimed, SendOutcome]]
"""DMs not sent, each with why: given up (`WITHHELD`), or due again once a try found whether the tab is on."""


SEEN_OFF: set[int] = set()
"""Workspaces whose DMs this process saw Slack refuse for the tab, or the database say so, until one went through. A
listener's send asks the database only for those, and only their flag is cleared when a DM goes through: elsewhere a
DM goes straight to Slack, which says so if the tab was turned off meanwhile (a refusal the outbox records and learns
from), and the drain, which always asks the database, clears a flag by its try."""


def withhold_in(
    sessions: sessionmaker[Session], claimed: list[Claimed], *, now: datetime
) -> tuple[list[Claimed], Kept]:
    """`withhold`, in a transaction of its own, opened only for DMs of a workspace this process saw refuse them."""
    if not any(held_back(delivery) and delivery.workspace_id in SEEN_OFF for delivery in claimed):
        return claimed, []
    with sessions.begin() as session:
        return withhold(session, claimed, now=now)


def withhold(session: Session, claimed: list[Claimed], *, now: datetime) -> tuple[list[Claimed], Kept]:
    """(to send, not sent): the DMs of a workspace whose Messages tab is off are given up, but one tried when a try
    is due there; the others of its batch wait for that try's answer."""
    dms = {delivery.workspace_id for delivery in claimed if held_back(delivery)}
    off = messages_tab.off_among(session, workspace_ids=dms) if dms else set()
    SEEN_OFF.update(off)
    SEEN_OFF.difference_update(dms - off)  # turned back on, as another process found
    if not off:
        return claimed, []
    trying = _tries(session, [d for d in claimed if is_dm(d) and d.workspace_id in off], now=now)
    send: list[Claimed] = []
    kept: Kept = []
    for delivery in claimed:
        workspace_id = delivery.workspace_id
        if not held_back(delivery) or workspace_id not in off or delivery.id in trying.values():
            send.append(delivery)
        elif workspace_id in trying:
            kept.append((delivery, AFTER_THE_TRY))
        else:
            kept.append((delivery, WITHHELD))
    return send, kept


def _tries(session: Session, dms: list[Claimed], *, now: datetime) -> dict[int, int]:
    """The DM tried, by workspace: each workspace's first, where its try is due."""
    first: dict[int, int] = {}
    for delivery in dms:
        first.setdefault(delivery.workspace_id, delivery.id)
    return {
        found: tried for found, tried in first.items() if messages_tab.take_retry(session, workspace_id=found, now=now)
    }


def queue_tries(session: Session, *, now: datetime) -> int:
    """Where a try is due, tell HR and admins the tab is on again: the first DM due there (one of those, or another)
    is the try, the others wait for its answer, so a workspace with no other DM due finds it on again within
    `RETRY_AFTER`. Each lapse of the tab has its keys, queued again at each try; how many are due. A workspace with
    nobody to tell keeps its try for the first DM due there: putting it off would give that DM up."""
    queued = 0
    for workspace in messages_tab.tries_due(session, now=now):
        off_since = workspace.dms_off_since or now
        lapse = f"{messages_tab.TAB_ON_AGAIN}{workspace.slack_team_id}:{off_since:%Y%m%dT%H%M%S}:"
        told = {f"{lapse}{person.slack_id}": person.slack_id for person in approvals.hr_people(session, workspace.id)}
        if not told:
            continue
        for key, person in told.items():
            payload = tab_on_again(person)
            queued += outbox.enqueue(session, workspace=workspace, key=key, method=POST, payload=payload, now=now)
        queued += messages_tab.queue_again(session, keys=list(told), given_up_as=(TAB_OFF, NOT_SENT), now=now)
    return queued


def learn(session: Session, outcomes: list[tuple[Claimed, SendOutcome]], *, now: datetime, sent_from: datetime) -> None:
    """What Slack's answers say of each workspace's Messages tab: off (warned once, by whoever learns it first), or on
    again once a DM sent from `sent_from` (when the batch was taken to send) went through."""
    refused = {delivery.workspace_id for delivery, outcome in outcomes if outcome.error == TAB_OFF}
    SEEN_OFF.update(refused)
    for workspace_id in sorted(refused):
        if messages_tab.mark_off(session, workspace_id=workspace_id, now=now):
            log.warning(
                "Slack delivers none of Latitude's DMs in workspace #%s: the app's Messages tab is off (App Home > "
                "Show Tabs > Messages Tab, `messages_tab_enabled` in manifest.yml). DMs are given up unsent (%s) and "
                "one is tried every %s; decision requests wait on their deciders' Home. Turn it on.",
                workspace_id,
                NOT_SENT,
                messages_tab.RETRY_AFTER,
            )
    by_reader = {d.workspace_id for d, outcome in outcomes if outcome.error in READER_REFUSED and is_dm(d)} - refused
    messages_tab.try_again_now(session, workspace_ids=by_reader & SEEN_OFF, sent_from=sent_from, now=now)
    reached = {d.workspace_id for d, outcome in outcomes if outcome.ok and not outcome.error and is_dm(d)} - refused
    reached &= SEEN_OFF  # the flag of a workspace this process never saw off is cleared by the drain's try
    # A DM on its way before the flag was set says nothing of the tab since: only one sent after it clears it.
    cleared = messages_tab.mark_on(session, workspace_ids=reached, sent_from=sent_from)
    SEEN_OFF.difference_update(cleared)
    for workspace_id in cleared:
        log.warning("Slack delivers Latitude's DMs in workspace #%s again: its Messages tab is on", workspace_id)
