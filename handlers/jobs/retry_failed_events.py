"""Run again the state-changing events whose listener failed on something that may pass (handlers/event_retries.py).

Each goes through the same Bolt app as Slack's delivery, its checks (the signature, the workspace served, the
install) included, to the same listener; only the replay check lets it through. One the checks now refuse (the
workspace uninstalled since) is forgotten, as Slack's delivery would be refused now; one stopped in front of its
listener by something that may pass (the install could not be read, Slack did not answer `auth.test` or the token's
renewal) waits for its next try.
"""

from slack_sdk import WebClient

from handlers.deps import Deps
from handlers.event_attempts import Attempt
from handlers.event_retries import given_up, settle
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
            settle(deps, attempt)
    return len(due)
