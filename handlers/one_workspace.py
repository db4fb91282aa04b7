"""With one bot token, Latitude serves the token's workspace and nobody else.

Slack can bring a request from another workspace to the app: someone from another workspace in a shared
channel (Slack Connect, or a channel shared across an Enterprise Grid org) clicking a button or typing a
command. Without this check, such a request would start a second directory for their workspace, add them
to it as a frontline employee, and leave every command-line call asking which workspace to use. With OAuth
installs each workspace has its own install, and this middleware is not used.
"""

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import BoltContext, BoltResponse, Respond

from handlers.early_answers import command_answer

log = logging.getLogger(__name__)

SERVES_ANOTHER_WORKSPACE = (
    "Latitude here is set up for another workspace, so it can't act for people in yours. Nothing was done. "
    "To use it in your own workspace, ask your Slack admin to install it there."
)


def serve_only_the_tokens_workspace(executor: Executor) -> Callable[..., BoltResponse | None]:
    """Global middleware: a request from a workspace other than the bot token's is refused, and says so. A click
    is told through its response URL on `executor` (the listeners'), so that no Slack call holds up its ack."""

    def middleware(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        served = context.authorize_result.team_id if context.authorize_result is not None else None
        if served is None or context.team_id in (None, served):
            next()
            return None
        log.warning("refused a %s from workspace %s: this install serves %s", _kind(body), context.team_id, served)
        if body.get("command"):
            return command_answer(SERVES_ANOTHER_WORKSPACE)
        respond = context.respond
        if body.get("type") == "block_actions" and respond is not None:
            executor.submit(_tell, respond)
        return BoltResponse(status=200, body="")

    return middleware


def _tell(respond: Respond) -> None:
    try:
        respond(text=SERVES_ANOTHER_WORKSPACE, response_type="ephemeral", replace_original=False)
    except Exception:
        log.warning("could not tell someone from another workspace why their click was refused")


def _kind(body: dict[str, Any]) -> str:
    return "command" if body.get("command") else str(body.get("type") or "request")
