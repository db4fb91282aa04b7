"""Whom a request's messages told: what counts as having seen a request (services/request_viewers.py)."""

from sqlalchemy.orm import Session

from models import Delivery, Workspace
from services.outbox_keys import IN_SUMMARY, reachable_recipients
from services.superseded import SUPERSEDED
from services.unsent import record_unsent
from tests.conftest import MONDAY_MORNING


def delivery(workspace: Workspace, key: str, channel: str, status: str, attempts: int, error: str | None) -> Delivery:
    return Delivery(
        workspace_id=workspace.id,
        idempotency_key=key,
        method="chat.postMessage",
        payload={"channel": channel, "text": "Sam's request now waits on you"},
        status=status,
        attempts=attempts,
        last_error=error,
        next_attempt_at=MONDAY_MORNING,
        created_at=MONDAY_MORNING,
    )


def test_a_request_told_in_a_summary_counts_as_seen_but_one_slack_refused_or_given_up_does_not(
    session: Session, workspace: Workspace
) -> None:
    session.add_all(
        [
            delivery(workspace, "resolution:7:request:1", "U0SENT", "sent", 1, None),
            delivery(workspace, "resolution:7:handover:1", "U0BOT", "failed", 1, "cannot_dm_bot"),
            delivery(workspace, "resolution:7:handover:2", "U0DROPPED", "failed", 0, SUPERSEDED),
            delivery(workspace, "resolution:71:request:1", "U0OTHER", "sent", 1, None),
        ]
    )
    dm = {"channel": "U0SUMMED", "text": "Sam's request now waits on you"}
    key, method = "resolution:7:handover:3", "chat.postMessage"
    record_unsent(
        session, workspace_id=workspace.id, key=key, method=method, payload=dm, reason=IN_SUMMARY, now=MONDAY_MORNING
    )

    seen = reachable_recipients(session, key_prefix="resolution:7:", summarised=True)
    reached = reachable_recipients(session, key_prefix="resolution:7:")

    assert sorted(seen) == ["U0SENT", "U0SUMMED"]
    assert reached == ["U0SENT"], "what is counted as reached by Slack stays as it was"
