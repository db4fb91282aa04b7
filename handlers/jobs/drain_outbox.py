"""The background sender: sends what the outbox holds that is due, a batch at a time, paced like Slack.

A few threads send each batch (lent to this drain alone, and kept for the next with their connections to Slack:
handlers/deps.SenderPool), each call waiting its turn in its workspace's and method's bucket
(handlers/pacing.py); a 429 pauses only that bucket and the message waits exactly Retry-After.
The batch's outcomes are recorded together in one transaction: a crash mid-batch can resend the
messages of that one batch (at most `batch`, 25 by default) once their lease ends, never more.
"""

from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import (
    channel_refusals,
    digest_redraws,
    home_again,
    home_refusals,
    messages_tab,
    pulse_relay_outbox,
    suggestion_told,
    unknown_ids,
)
from handlers.delivery import send_for_workspace
from handlers.delivery_refusals import PUBLISH, TOKEN_RETRY_SECONDS, TOKEN_UNAVAILABLE
from handlers.deps import Deps
from handlers.home_reader_asks import ReaderAsks
from models.engine import once_more_if_cut
from services import home_tab, outbox
from services.outbox import Claimed, SendOutcome
from services.unknown_ids import Marked

BATCH = 25
TICK_SENDING_AT_MOST = timedelta(seconds=30)
"""How long a tick (the follow-ups') takes batches of what it queued: the batch under way then is finished (25
Homes at 100 a minute: 15 s more). What is left (after an import, its Homes) goes with the scheduled drain, and the
tick's next run is not held up meanwhile."""
LEASE_ENDED = SendOutcome(ok=False, error="lease_ended", retry_after=0)
"""Not sent: due again at once, unless the sender that took it over meanwhile holds it (outbox.record_outcomes)."""
HOME_NOT_SENT = SendOutcome(ok=False, error=home_refusals.NOT_SENT, permanent=True)
"""A Home dropped unsent: Slack refused one in its workspace in this drain, its Home tab off (still marked so when
the batch was taken)."""


def drain_outbox(deps: Deps, client: WebClient, *, batch: int = BATCH, at_most: timedelta | None = None) -> int:
    """Send what is due until nothing is, or the process is stopping; returns how many were sent. With `at_most`,
    no batch is taken past that long (the updates owed to the last one are still sent): a tick sending what it
    queued is not held up by a backlog (an import's Homes, paced), which the scheduled drain sends."""
    until = None if at_most is None else deps.now() + at_most
    with deps.sender_pool.lend(deps.sender_threads) as pool:
        return drain_on(pool, deps, client, batch=batch, until=until)


def drain_on(pool: Executor, deps: Deps, client: WebClient, *, batch: int, until: datetime | None) -> int:
    """The drain, sending each batch on the threads it was lent: no other drain's waits hold them up."""
    sent = 0
    found = Found(readers=ReaderAsks(deps.pacer))  # each Home is sent, and Slack asked, with its workspace's token
    owed: list[Claimed] = []  # updates this drain holds for messages settled while on their way, sent next
    first, out_of_time = True, False
    while not deps.stopping.is_set():
        taken_at = deps.now()
        with deps.sessions.begin() as session:
            if first:  # a Messages tab try due where no DM is (handlers/messages_tab.py), once a drain
                messages_tab.queue_tries(session, now=taken_at)
                first = False
            found.homes_off &= home_tab.off_among(session, workspace_ids=found.homes_off)  # opened meanwhile?
            claimed = [*owed, *([] if out_of_time else outbox.claim_due(session, now=taken_at, limit=batch))]
            found.marked = unknown_ids.marked_in(session, claimed)
            # DMs to an id Slack has nobody of go first: none of them may be a Messages tab try (never sent)
            to_send, unknown = unknown_ids.withhold_dms(claimed, found.marked)
            to_send, kept = messages_tab.withhold(session, to_send, now=taken_at)
            to_send, told = suggestion_told.told_otherwise(session, deps.relay, to_send)
            kept += told + unknown
        sends = kept + [
            pair
            for pairs in pool.map(lambda group: send_in_order(deps, client, group, found), by_channel(to_send))
            for pair in pairs
        ]
        noticed, owed = 0, []  # notices queued for this batch's refusals are sent before the drain ends
        if sends:
            owed, noticed = once_more_if_cut(partial(recorded, deps, sends, taken_at, found.marked))
        sent += sum(outcome.ok for _, outcome in sends)
        given_back = any(outcome is LEASE_ENDED for _, outcome in sends)  # due now: claimed again unless taken
        out_of_time = until is not None and deps.now() >= until
        if not owed and (out_of_time or (len(claimed) < batch and not noticed and not given_back)):
            break
    found.readers.log_not_asked()
    return sent


def recorded(
    deps: Deps, sends: list[tuple[Claimed, SendOutcome]], taken_at: datetime, marked: Marked
) -> tuple[list[Claimed], int]:
    """Record what Slack answered: the updates owed to messages settled while on their way, and how many notices
    were queued; the ids `marked` as Slack's nobody that Slack took a Home or DM to are unmarked. Tried once more on a
    fresh connection if the database restarted while the batch was sent, which would otherwise leave the batch
    leased, to go out again when the lease ends."""
    with deps.sessions.begin() as session:
        owed = outbox.record_outcomes(session, outcomes=sends, now=deps.now())
        asked_slack = [
            (delivery, outcome) for delivery, outcome in sends if outcome is not suggestion_told.TOLD_OTHERWISE
        ]
        messages_tab.learn(session, asked_slack, now=deps.now(), sent_from=taken_at)
        asked = [(delivery, outcome) for delivery, outcome in sends if outcome is not home_again.NOBODY_TO_PUBLISH_FOR]
        home_refusals.learn(session, asked, taken_at=taken_at, now=deps.now())
        unsent = (suggestion_told.TOLD_OTHERWISE, home_again.NOBODY_TO_PUBLISH_FOR)  # done, with nothing sent
        answered = [(delivery, outcome) for delivery, outcome in sends if all(outcome is not u for u in unsent)]
        unknown_ids.found_again(session, answered, marked, deps.now())
        return owed, notices_for(session, deps, sends)


def notices_for(session: Session, deps: Deps, sends: list[tuple[Claimed, SendOutcome]]) -> int:
    """Queue, due now, what HR must hear of channel posts Slack refused (handlers/channel_refusals.py) and of requests
    that never reached their decider (handlers/request_refusals.py), and what the sender of a relayed pulse message
    must hear of one given up (handlers/pulse_relay_outbox.py); how many."""
    refused = [(delivery, outcome) for delivery, outcome in sends if not outcome.ok]
    told = channel_refusals.queue_due(session, refused, now=deps.now())
    return told + pulse_relay_outbox.queue_not_delivered(session, refused, now=deps.now())


def by_channel(claimed: list[Claimed]) -> list[list[Claimed]]:
    """One group per conversation, in queue order: messages to one person arrive in the order they were queued."""
    groups: dict[str, list[Claimed]] = {}
    for delivery in claimed:
        groups.setdefault(str(delivery.payload.get("channel", "")), []).append(delivery)
    return list(groups.values())


@dataclass
class Found:
    """What this drain found Slack refuses whatever is sent, not to ask it again before the drain ends: the
    workspaces whose token it would not renew, those whose app Home tab is off (handlers/home_refusals.py), and what
    Slack said of the people it refused a Home for (handlers/home_reader_asks.py); and, read again each batch, the
    ids Slack has nobody of (handlers/unknown_ids.py)."""

    readers: ReaderAsks
    tokenless: set[int] = field(default_factory=set)
    homes_off: set[int] = field(default_factory=set)
    marked: Marked = field(default_factory=dict)


def send_in_order(
    deps: Deps, client: WebClient, group: list[Claimed], found: Found
) -> list[tuple[Claimed, SendOutcome]]:
    return [(delivery, paced_send(deps, client, delivery, found)) for delivery in group]


def paced_send(deps: Deps, client: WebClient, delivery: Claimed, found: Found) -> SendOutcome:
    """Send in the bucket's turn, unless waiting for it outlasted the lease; a 429 pauses the bucket. A workspace
    found without a token (Slack would not renew it) is not asked for one again in this drain: its messages wait,
    and nobody else waits for them. One found with the Home tab off is sent no Home again in this drain while it is
    still marked off (read again each batch: someone may open the tab): they are dropped, unpaced."""
    if delivery.workspace_id in found.tokenless:
        return SendOutcome(ok=False, error=TOKEN_UNAVAILABLE, retry_after=TOKEN_RETRY_SECONDS)
    if delivery.method == PUBLISH and delivery.workspace_id in found.homes_off:
        return HOME_NOT_SENT
    if digest_redraws.is_redraw(delivery):  # drawn as it is sent, and again until what landed last is current; paced
        paced = partial(paced_redraw, deps, client, found)  # only as it calls Slack, not while its digest is unsent
        return digest_redraws.send_redraw(deps, delivery, paced, paced)
    deps.pacer.wait_turn(delivery.workspace_id, delivery.method)
    if deps.now() >= delivery.lease_until:  # waited past the lease: another sender may have taken it, and sent it
        return LEASE_ENDED
    ready = home_again.rendered(deps, delivery, found.marked)  # a Home queued to be rendered as it is sent
    if isinstance(ready, SendOutcome):
        return ready
    return sent_as_ready(deps, client, found, ready)


def paced_redraw(deps: Deps, client: WebClient, found: Found, ready: Claimed) -> SendOutcome:
    """A send of a redraw drawn as it is sent (one more, once it landed), in its bucket's turn; not once waiting for
    it outlasted the lease: another sender may have drawn it since, later than this draw."""
    deps.pacer.wait_turn(ready.workspace_id, ready.method)
    if deps.now() >= ready.lease_until:
        return LEASE_ENDED
    return sent_as_ready(deps, client, found, ready)


def sent_as_ready(deps: Deps, client: WebClient, found: Found, ready: Claimed) -> SendOutcome:
    """Send the message as it is now, noting what Slack's answer says of its workspace."""
    outcome = send_for_workspace(deps, client, ready, found.readers)
    if outcome.error == TOKEN_UNAVAILABLE:
        found.tokenless.add(ready.workspace_id)
    elif home_refusals.is_tab_off(ready, outcome):
        found.homes_off.add(ready.workspace_id)
    elif outcome.retry_after is not None:
        deps.pacer.pause(ready.workspace_id, ready.method, outcome.retry_after)
    return outcome
