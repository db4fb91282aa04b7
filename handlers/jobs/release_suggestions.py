"""Send the anonymous suggestions whose random wait is over to their owners and team channels
(services/suggestions/release.py): each once, however many processes tick or restart meanwhile."""

from slack_sdk import WebClient

from handlers.delivery import send_now
from handlers.deps import Deps
from handlers.suggestions import queue_new_suggestion
from services.outbox import Claimed
from services.suggestions import release


def release_suggestions(deps: Deps, client: WebClient) -> int:
    """Returns how many messages it sent (cards and posts)."""
    claimed: list[Claimed] = []
    with deps.sessions.begin() as session:
        now = deps.now()
        for suggestion in release.release_due(session, now=now):
            claimed += queue_new_suggestion(session, suggestion, now)
    send_now(deps, client, claimed)
    return len(claimed)
