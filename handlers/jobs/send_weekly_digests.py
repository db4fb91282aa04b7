"""The weekly digest DMs: each manager's digest queued once a week at their local hour, sent, then its chart."""

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session

from handlers.blocks import digest as blocks
from handlers.delivery import client_for
from handlers.deps import Deps
from handlers.digest_chart import digest_chart
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


def send_digests(deps: Deps, client: WebClient, *, force: bool = False) -> int:
    """Queue what is due (everyone with `force`), send it, then upload each new digest's chart beside it.

    The digests are worked out in a transaction that only reads (on SQLite, a thousand managers' digests
    would otherwise hold every request up for seconds), then queued in a short one. The outbox key makes
    a rerun, a restart or a second scheduler queue nothing twice; only the run that queued a digest
    uploads its chart.
    """
    now = deps.now()
    with reading(deps.sessions) as session:
        workspaces = directory.installed_workspaces(session)
        due = [d for w in workspaces for d in digest.due_digests(session, workspace=w, now=now, force=force)]
    messages = [(item, _message(item.digest)) for item in due]
    with deps.sessions.begin() as session:
        queued = [item for item, payload in messages if _queue(session, item, payload, now)]
    drain_outbox(deps, client)
    for item in queued:
        upload_chart(deps, client, item)
    return len(queued)


def _message(item: Digest) -> dict[str, Any]:
    return {"channel": item.manager.slack_id, "text": blocks.digest_text(item), "blocks": blocks.digest_blocks(item)}


def _queue(session: Session, due: DueDigest, payload: dict[str, Any], now: datetime) -> bool:
    workspace = session.get_one(Workspace, due.digest.workspace_id)
    return outbox.enqueue(
        session, workspace=workspace, key=due.key, method="chat.postMessage", payload=payload, now=now
    )


def upload_chart(deps: Deps, client: WebClient, item: DueDigest) -> None:
    """The chart goes into the DM the digest landed in; a digest not sent yet (Slack busy) goes without."""
    with deps.sessions() as session:
        channel = digest.delivered_channel(session, key=item.key)
    if channel is None:
        log.info("digest %s not sent yet: no chart this time", item.key)
        return
    label = item.digest.week.label
    try:
        own = client_for(deps, client, item.digest.workspace_id)
        if own is None:
            return
        own.files_upload_v2(
            channel=channel,
            file=digest_chart(item.digest),
            filename=f"digest-{label}.png",
            title=f"Customer fixes by category, {label}",
            request_file_info=False,
        )
    except SlackApiError as error:
        log.warning("digest chart for %s not uploaded: %s", item.key, error.response.get("error"))
    except (SlackClientError, OSError) as error:  # no token for the workspace now (a refused renewal)
        log.warning("digest chart for %s not uploaded: %s", item.key, type(error).__name__)
