"""A request decided anywhere (its own DM, the App Home, another decider, a digest) or handed on: each weekly digest
that offered it with its buttons shows it as it stands.

The decision's transaction only queues, per digest, a redraw naming the digest (one INSERT of a key of its own, no
lock on any other message): the redraw is drawn when it is sent, from the digest as sent and each request in it as
it stands then (`decided_views.as_decided_now`, as a click in it redraws it), then drawn again once it landed, and
sent again until what landed last reads as stored: two redraws drawn before each other's decision may land in either
order. A digest not recorded sent yet is redrawn once it is; one given up never is."""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from handlers.blocks import digest_waiting
from handlers.decided_views import CATCH_UP_ROUNDS, as_decided_now
from handlers.delivery import send_for_workspace
from handlers.deps import Deps
from handlers.message_updates import drop_queued_updates
from models import Delivery, Resolution, Workspace
from models.engine import once_more_if_cut
from services import directory, outbox
from services.digest.keys import digests_prefix, digests_since
from services.errors import DomainError
from services.outbox import Claimed, SendOutcome
from services.outbox_keys import DIGEST_REDRAW, OUR_OWN

log = logging.getLogger(__name__)
Message = tuple[str, str]
Send = Callable[[Claimed], SendOutcome]

REDRAW = f"{OUR_OWN}digest_redraw"
"""On a queued update: the key of the digest to redraw as it is sent (its payload names only that and the reader)."""
NOTHING_TO_REDRAW = SendOutcome(ok=True, result={})
"""A redraw of a digest never sent (given up), or of a reader no longer known: done, with nothing sent."""
DIGEST_NOT_SENT = "digest_not_sent_yet"
NOT_SENT_WAIT = 30.0
"""How long a redraw waits, uncounted, for its digest to be recorded sent before it looks again."""
NOT_DRAWN = "digest_not_redrawn"


@dataclass(frozen=True)
class _Offering:
    """A digest that offered a request: its key, whom it was for, and where it was sent to (its payload's channel)."""

    key: str
    reader: str
    channel: str
    landed: Message | None


def queue_digest_redraws(
    session: Session,
    requests: list[Resolution],
    *,
    now: datetime,
    clicked: Message = ("", ""),
    held: bool = True,
    gone: str | None = None,
    readers: Iterable[str] = (),
) -> list[Claimed]:
    """Queue a redraw of each digest that offered any of the requests, sent or not yet, but `clicked` (the digest a
    decision was made from, which its click redraws) and those of `gone` (a reader Slack no longer lets the app
    reach). `held`: for the caller to send right after the commit (`send_held`). `readers`: whom the requests waited
    on before (a hand-over's), besides whom they wait on now. Keys are written in order, so two decisions at the same
    instant never wait on each other's."""
    if not requests:
        return []
    workspace = session.get_one(Workspace, requests[0].workspace_id)
    offering = {
        item.key: item
        for item in _offering(session, workspace, requests, set(readers))
        if item.reader != gone and (item.landed is None or item.landed != clicked)
    }
    held_here = held and workspace.migrating_since is None  # Slack asks apps not to call it while it migrates
    claims = [_queued(session, workspace, offering[key], now, held_here) for key in sorted(offering)]
    return [claim for claim in claims if claim is not None]


def _queued(session: Session, workspace: Workspace, item: _Offering, now: datetime, held: bool) -> Claimed | None:
    """One redraw of the digest, under a key of this instant numbered past any taken (one INSERT, or a few)."""
    payload = {"channel": item.channel, REDRAW: item.key, "user": item.reader}
    base, number = f"{DIGEST_REDRAW}{item.key}:{now.isoformat()}", 1
    key = base
    while True:
        if held:
            claim = outbox.enqueue_held(
                session, workspace_id=workspace.id, key=key, method="chat.update", payload=payload, now=now
            )
            if claim is not None:
                return claim
        elif outbox.enqueue(session, workspace=workspace, key=key, method="chat.update", payload=payload, now=now):
            return None
        number += 1
        key = f"{base}:{number}"


def is_redraw(delivery: Claimed) -> bool:
    return bool(delivery.payload.get(REDRAW))


def send_redraw(deps: Deps, delivery: Claimed, send: Send, send_again: Send) -> SendOutcome:
    """Draw the digest now and `send` it; then draw it again and `send_again` until it reads as what landed last (at
    most `CATCH_UP_ROUNDS` sends). The first send's outcome is what is recorded, or the last's if it failed (the
    redraw is then drawn and sent again later). Never raises."""
    ready = drawn(deps, delivery)
    if isinstance(ready, SendOutcome):
        return ready
    outcome = last = send(ready)
    sent = ready.payload
    for _ in range(CATCH_UP_ROUNDS - 1):
        again = drawn(deps, delivery) if last.ok else None
        if not isinstance(again, Claimed) or again.payload == sent:
            break
        sent, last = again.payload, send_again(again)
    return outcome if last.ok else last  # a catch-up Slack refused leaves an older draw showing: tried again later


def drawn(deps: Deps, delivery: Claimed) -> Claimed | SendOutcome:
    """The update of the digest named by the redraw, as it reads now; or why there is none to send now."""
    try:
        with deps.sessions.begin() as session:
            return _drawn(session, delivery)
    except (SQLAlchemyError, DomainError) as error:
        log.warning("a digest redraw was not drawn, tried again later: %r", error)
    except Exception:  # a bug in a part of the digest: this redraw alone fails, the batch is still recorded
        log.exception("a digest redraw failed to draw, tried again later")
    return SendOutcome(ok=False, error=NOT_DRAWN)


def _drawn(session: Session, delivery: Claimed) -> Claimed | SendOutcome:
    key = str(delivery.payload[REDRAW])
    digest = session.scalar(select(Delivery).where(Delivery.idempotency_key == key))
    if digest is not None and digest.status == "pending":
        return SendOutcome(ok=False, error=DIGEST_NOT_SENT, retry_after=NOT_SENT_WAIT)
    result = (digest.result or {}) if digest is not None and digest.status == "sent" else {}
    workspace = session.get(Workspace, delivery.workspace_id)
    reader = None if workspace is None else directory.find_employee(session, workspace, str(delivery.payload["user"]))
    if digest is None or "ts" not in result or reader is None:
        return NOTHING_TO_REDRAW
    # an update of the digest queued at a click Slack answered 429, drawn then, would land over this later draw
    message = (str(result["channel"]), str(result["ts"]))
    drop_queued_updates(session, delivery.workspace_id, [message], reason="redrawn since")
    blocks = as_decided_now(session, reader, digest.payload["blocks"])
    text = str(digest.payload.get("text") or "")
    return replace(delivery, payload={"channel": result["channel"], "ts": result["ts"], "text": text, "blocks": blocks})


def send_held(deps: Deps, client: WebClient, claims: list[Claimed]) -> None:
    """Send the redraws a decision queued held, right after its commit, and record how each went (any not sent
    waits its turn with the background sender)."""
    if not claims:
        return

    def send(ready: Claimed) -> SendOutcome:
        return send_for_workspace(deps, client, ready)

    outcomes = [(claim, send_redraw(deps, claim, send, send)) for claim in claims]
    once_more_if_cut(lambda: _recorded(deps, outcomes))


def _recorded(deps: Deps, outcomes: list[tuple[Claimed, SendOutcome]]) -> None:
    with deps.sessions.begin() as session:
        outbox.record_outcomes(session, outcomes=outcomes, now=deps.now())


def _offering(session: Session, workspace: Workspace, requests: list[Resolution], before: set[str]) -> list[_Offering]:
    """The digests queued since a request was made (none before can list it) for whoever it may have waited on, that
    offered its buttons, each once; not those given up (never sent). One read of each reader's digests."""
    wanted: dict[str, set[str]] = defaultdict(set)
    since: dict[str, datetime] = {}
    for request in requests:
        for reader in _readers(request) | before:
            wanted[reader].add(f"{digest_waiting.DIGEST_DECIDE_PREFIX}{request.id}")
            since[reader] = min(since.get(reader, request.created_at), request.created_at)
    found = [
        delivery
        for reader in sorted(wanted)
        for delivery in digests_since(session, workspace, reader, since[reader])
        if delivery.status != "failed" and wanted[reader] & _block_ids(delivery.payload)
    ]
    return [_offered(workspace, delivery) for delivery in found]


def _offered(workspace: Workspace, delivery: Delivery) -> _Offering:
    reader = delivery.idempotency_key[len(digests_prefix(workspace)) :].split(":", 1)[0]
    result = delivery.result or {}
    landed = (str(result["channel"]), str(result["ts"])) if delivery.status == "sent" and "ts" in result else None
    return _Offering(delivery.idempotency_key, reader, str(delivery.payload.get("channel") or reader), landed)


def _readers(resolution: Resolution) -> set[str]:
    """Whose digests list the request while it waits (waiting_by_decider): the one it waits on and the requester's
    manager. Whom it waited on before was shown it as no longer theirs when it was handed on (handlers/handover.py)."""
    around = (resolution.decider, resolution.employee.manager)
    return {person.slack_id for person in around if person is not None and person.id != resolution.employee_id}


def _block_ids(payload: dict[str, Any]) -> set[str]:
    return {str(block.get("block_id")) for block in payload.get("blocks") or [] if isinstance(block, dict)}
