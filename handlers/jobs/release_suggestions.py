"""Send the anonymous suggestions whose random wait is over to their owners and team channels
(services/suggestions/release.py): each once, however many processes tick or restart meanwhile.

Each workspace's cards and posts go with that workspace's own token: the scheduler's client has none of its own when
Latitude is installed in several workspaces, and Slack would refuse every card for good."""

from itertools import groupby

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from handlers.delivery import client_for, send_now
from handlers.deps import Deps, InstallGone
from handlers.suggestions import queue_new_suggestion
from services.outbox import Claimed
from services.suggestions import release


def release_suggestions(deps: Deps, client: WebClient) -> int:
    """Returns how many messages it queued (cards and posts)."""
    claimed: list[Claimed] = []
    with deps.sessions.begin() as session:
        now = deps.now()
        for suggestion in release.release_due(session, now=now):
            claimed += queue_new_suggestion(session, suggestion, now)
    for workspace_id, messages in groupby(claimed, key=lambda delivery: delivery.workspace_id):
        _send_with_its_token(deps, client, workspace_id, list(messages))
    return len(claimed)


def _send_with_its_token(deps: Deps, client: WebClient, workspace_id: int, messages: list[Claimed]) -> None:
    """Without a token just now they stay queued: the background sender sends them once their lease ends, or says
    why it cannot."""
    try:
        own = client_for(deps, client, workspace_id)
    except (InstallGone, SlackClientError, OSError):
        return
    if own is not None:
        send_now(deps, own, messages)
