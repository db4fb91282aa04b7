"""A request decided anywhere (its own DM, the App Home, another decider, a digest): each weekly digest that offered
it with its buttons shows it as it stands now, rebuilt from the digest as sent as a click in it rebuilds it
(`decided_views.as_decided_now`), through the outbox in the decision's own transaction."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from handlers.blocks import digest_waiting
from handlers.blocks.kit import Block
from handlers.decided_views import as_decided_now
from handlers.message_updates import queue_updates
from models import Delivery, Resolution, Workspace
from services import directory, outbox, settled_updates
from services.digest.keys import digests_prefix, digests_since
from services.outbox import Claimed

Message = tuple[str, str]


@dataclass(frozen=True)
class _Offering:
    """A digest that offered the request: its key, whom it was for, as queued, and where it landed (if it did)."""

    key: str
    reader: str
    blocks: list[Block]
    text: str
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
    """Queue the update of each digest sent that offered any of the requests, but `clicked` (the digest a decision
    was made from, which its click redraws) and those of `gone` (a reader Slack no longer lets the app reach); one
    not sent yet shows it once it lands (services/settled_updates.py). `held`: for the caller to send after the
    commit. `readers`: whom the requests waited on before (a hand-over's), besides whom they wait on now. Each
    is drawn whole, every request in it as it stands, once however many of the requests it offered:
    redrawing twice shows the same, and two decisions at once take turns on each digest, the later drawing both."""
    if not requests:
        return []
    workspace = session.get_one(Workspace, requests[0].workspace_id)
    offering = [item for item in _offering(session, workspace, requests, set(readers)) if item.reader != gone]
    landed = [item.landed for item in offering if item.landed is not None and item.landed != clicked]
    prefixes = [f"update:{channel}:{ts}:" for channel, ts in landed]
    outbox.take_turns_under(session, workspace_id=workspace.id, key_prefixes=prefixes)
    claims: list[Claimed] = []
    for item in offering:
        if item.landed == clicked:
            continue
        shown = _drawn_now(session, workspace, item)
        if shown is None:
            continue
        if item.landed is None:
            settled_updates.follow(session, key_prefix=item.key, shown=shown, now=now)
        else:
            later = {item.landed: 0.0}
            claims += queue_updates(session, workspace.id, [item.landed], later, shown, now=now, held=held)
    return claims


def _drawn_now(session: Session, workspace: Workspace, item: _Offering) -> dict[str, object] | None:
    """The digest as its reader may see it now (None: the directory no longer has them)."""
    reader = directory.find_employee(session, workspace, item.reader)
    return None if reader is None else {"text": item.text, "blocks": as_decided_now(session, reader, item.blocks)}


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
    payload = delivery.payload
    return _Offering(delivery.idempotency_key, reader, payload["blocks"], str(payload.get("text") or ""), landed)


def _readers(resolution: Resolution) -> set[str]:
    """Whose digests list the request while it waits (waiting_by_decider): the one it waits on and the requester's
    manager. Whom it waited on before was shown it as no longer theirs when it was handed on (handlers/handover.py)."""
    around = (resolution.decider, resolution.employee.manager)
    return {person.slack_id for person in around if person is not None and person.id != resolution.employee_id}


def _block_ids(payload: dict[str, Any]) -> set[str]:
    return {str(block.get("block_id")) for block in payload.get("blocks") or [] if isinstance(block, dict)}
