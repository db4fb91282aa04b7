"""Global middleware: inject dependencies, read slash-command text as typed, drop Slack's retried events."""

import html
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from handlers.deps import Deps
from models import ProcessedEvent
from services.rows import insert_new

Middleware = Callable[..., BoltResponse | None]
log = logging.getLogger(__name__)


def inject_deps(deps: Deps) -> Middleware:
    def middleware(context: BoltContext, next: Callable[[], None]) -> None:
        context["deps"] = deps
        next()

    return middleware


def unescape_command_text(body: dict[str, Any], next: Callable[[], None]) -> None:
    """Turn a command's text back into what the person typed, once, where it enters.

    With `should_escape: true` Slack sends `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;` (mentions and links stay
    markup): https://api.slack.com/reference/surfaces/formatting#escaping. Listeners and the database see the
    text as typed; builders escape it once when they write mrkdwn.
    """
    if body.get("command") and isinstance(body.get("text"), str):
        body["text"] = html.unescape(body["text"])
    next()


def drop_repeated_events(deps: Deps) -> Middleware:
    """An event id is handled once, whichever worker gets it; a retry is acked and dropped.

    This runs its own short transaction before the listener starts: it must not wrap `next()`,
    which in Bolt's sync App only marks the chain as passed.
    """

    def middleware(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not _first_delivery(deps, str(event_id)):
            log.info("dropping repeated delivery of event %s", event_id)
            return BoltResponse(status=200, body="")
        next()
        return None

    return middleware


def _first_delivery(deps: Deps, event_id: str) -> bool:
    with deps.sessions.begin() as session:
        row = {"event_id": event_id, "received_at": deps.now()}
        return insert_new(session.connection(), ProcessedEvent, ProcessedEvent.event_id, row) is not None
