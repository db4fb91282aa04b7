"""The weekly digest DMs: each manager's digest queued once a week at their local hour, sent, then its chart queued."""

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers.blocks import digest as blocks
from handlers.deps import Deps
from handlers.digest_chart import UPLOAD, chart_upload
from handlers.jobs.drain_outbox import drain_outbox
from models import Workspace
from models.engine import reading
from services import directory, outbox
from services.digest import weekly as digest
from services.digest.weekly import Digest, DueDigest

log = logging.getLogger(__name__)


def send_weekly_digests(deps: Deps, client: WebClient) -> None:
    """Scheduled: queue each manager's digest once their local weekday and hour have come, then send."""
    send_digests(deps, client)


def send_digests(deps: Deps, client: WebClient, *, force: bool = False, only: int | None = None) -> int:
    """Queue what is due (everyone with `force`; only workspace id `only`'s, if given), send it, then upload each
    new digest's chart beside it.

    The digests are worked out in a transaction that only reads (on SQLite, a thousand managers' digests
    would otherwise hold every request up for seconds), then queued in a short one. The outbox key makes
    a rerun, a restart or a second scheduler queue nothing twice; only the run that queued a digest
    queues its chart, and the outbox uploads it.
    """
    now = deps.now()
    with reading(deps.sessions) as session:
        workspaces = [w for w in directory.installed_workspaces(session) if only in (None, w.id)]
        due = [d for w in workspaces for d in digest.due_digests(session, workspace=w, now=now, force=force)]
    messages = [(item, _message(item.digest)) for item in due]
    with deps.sessions.begin() as session:
        queued = [item for item, payload in messages if _queue(session, item, payload, now)]
    drain_outbox(deps, client)
    if queue_charts(deps, queued):
        drain_outbox(deps, client)
    return len(queued)


def _message(item: Digest) -> dict[str, Any]:
    return {"channel": item.manager.slack_id, "text": blocks.digest_text(item), "blocks": blocks.digest_blocks(item)}


def _queue(session: Session, due: DueDigest, payload: dict[str, Any], now: datetime) -> bool:
    workspace = session.get_one(Workspace, due.digest.workspace_id)
    return outbox.enqueue(
        session, workspace=workspace, key=due.key, method="chat.postMessage", payload=payload, now=now
    )


def queue_charts(deps: Deps, items: list[DueDigest]) -> int:
    """Queue each digest's chart for the DM its digest landed in, under the key `digest-chart:<digest key>`: the
    outbox sends it once, after Slack's Retry-After if it is rate-limited. A digest not sent yet goes without."""
    queued = 0
    with deps.sessions.begin() as session:
        for item in items:
            channel = digest.delivered_channel(session, key=item.key)
            if channel is None:
                log.info("digest %s not sent yet: no chart this time", item.key)
                continue
            workspace = session.get_one(Workspace, item.digest.workspace_id)
            payload = chart_upload(item.digest, channel)
            key = f"digest-chart:{item.key}"
            queued += outbox.enqueue(
                session, workspace=workspace, key=key, method=UPLOAD, payload=payload, now=deps.now()
            )
    return queued
