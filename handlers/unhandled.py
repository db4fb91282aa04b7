"""Requests no listener takes: a button of an earlier release still in a message, a form or command it no longer has,
an event the app is no longer subscribed to. Bolt would answer 404, on which Slack shows the person an error and
sends an event again and again: each is acknowledged, and the person who clicked or typed is told why nothing
happened. A click is taken by a listener registered after every other (`register`), so that it is acked before
the person is told; the rest reach the error handler (handlers/errors.py), whose answer is the ack.
"""

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltResponse, Respond

from handlers.timely import bolt_stopped_waiting

log = logging.getLogger("latitude.errors")

OLD_BUTTON = (
    "That button is from an earlier version of Latitude and does nothing now: nothing was changed. "
    "Run the command again, or open Latitude's Home tab, for a fresh one."
)
UNKNOWN_COMMAND = "Latitude has no `{command}` any more: nothing was done. Its commands are in its Home tab."


def register(app: App) -> None:
    """Last of all listeners: Bolt hands a click to the first that matches."""
    app.action(re.compile(".*"))(old_button_clicked)


def old_button_clicked(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext) -> None:
    """Acked, then told through the message's response URL (a click in the Home or a form has none, and what it
    shows is already today's). A click whose listener Bolt stopped waiting for is that listener's, still at work: it
    is not told that nothing changed."""
    ack()
    if bolt_stopped_waiting(context):
        log.warning("a click's listener had not acked when Bolt stopped waiting (%s): left to it", _what(body))
        return
    log.info("nothing listens to this block_actions request (%s): acknowledged", _what(body))
    if body.get("response_url"):
        try:
            respond(text=OLD_BUTTON, response_type="ephemeral", replace_original=False)
        except Exception:
            log.warning("could not tell the person that their button is from an earlier version")


def answer_unhandled(body: dict[str, Any]) -> BoltResponse:
    """Acknowledge a request nothing listens to; a command gets its answer in the ack."""
    kind = str(body.get("type") or ("slash_command" if body.get("command") else "unknown"))
    log.info("nothing listens to this %s request (%s): acknowledged", kind, _what(body))
    if kind == "slash_command":
        return BoltResponse(status=200, body=UNKNOWN_COMMAND.format(command=str(body.get("command"))[:40]))
    return BoltResponse(status=200, body="")


def _what(body: dict[str, Any]) -> str:
    """The action, form or event kind, for the log: never a value or anything typed."""
    actions = body.get("actions") or [{}]
    view = body.get("view") or {}
    event = body.get("event") or {}
    named = actions[0].get("action_id") or view.get("callback_id") or event.get("type") or body.get("command")
    return str(named or "?")[:60]
