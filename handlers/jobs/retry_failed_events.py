"""Run again the state-changing events whose listener failed on something that may pass (handlers/event_retries.py).

Each goes through the same Bolt app as Slack's delivery, its checks (the signature, the workspace served, the
install) included, to the same listener; only the replay check lets it through. One the checks now refuse (the
workspace uninstalled since) is forgotten, as Slack's delivery would be refused now.
"""

from slack_sdk import WebClient

from handlers.deps import Deps
from handlers.event_attempts import Attempt
from handlers.event_retries import given_up
from services import event_retries


def retry_failed_events(deps: Deps, _client: WebClient) -> int:
    """How many events were run again. Their listeners run on the listener threads, which forget each one done."""
    if not deps.events_again.connected:
        return 0
    with deps.sessions.begin() as session:
        due, dropped = event_retries.claim_due(session, now=deps.now())
    for gone in dropped:
        given_up(gone.event_type, gone.event_id, event_retries.TRIES)
    for event in due:
        attempt = Attempt(event.event_id, event.event_type, number=event.attempt, last=event.last)
        if not deps.events_again(event.body, attempt):
            with deps.sessions.begin() as session:
                event_retries.forget(session, event_id=event.event_id)
    return len(due)
