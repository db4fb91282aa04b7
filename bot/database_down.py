"""What a person is told when the check in front of Bolt cannot reach the database: that nothing was done.

Answered with a 503, Slack shows a click only a warning sign on the button and a form a generic "We had some trouble
connecting" line: the person cannot tell whether their refund was logged. So a command gets the apology as its
answer, a form gets it as an error under its first input (https://api.slack.com/surfaces/modals#displaying_errors),
a click in a message gets it as an ephemeral message through the payload's `response_url`. An event still gets 503,
which Slack retries for a while (https://api.slack.com/apis/events-api#retries); so does anything with no way to
show the apology (a click in the App Home or a modal has no `response_url`).
"""

import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.webhook import WebhookClient
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("latitude.requests")

DATABASE_DOWN = (
    "Sorry, Latitude can't use its database right now (reference `{ref}`), so nothing was done. "
    "Please try again in a minute; if it keeps happening, give this reference to your admin."
)
RESPONSE_URL_TIMEOUT = 1
"""Seconds to wait for Slack to take the apology, sent before the ack: the ack is still due within Slack's 3 s."""


@dataclass(frozen=True)
class Answer:
    """How the request is answered: status, body and its content type, and a line for the log."""

    status: int
    reason: str
    body: str
    content_type: str = "text/plain; charset=utf-8"


def database_down(body: bytes, error: SQLAlchemyError) -> Answer:
    ref = secrets.token_hex(4)
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    log.error("[ref %s] the database is out of reach or busy: %s", ref, reason)
    apology = DATABASE_DOWN.format(ref=ref)
    why = f"database out of reach [ref {ref}]"
    form = dict(parse_qsl(body.decode("utf-8", "replace")))
    if "command" in form:
        return Answer(200, why, apology)
    payload = _interaction(form)
    if payload.get("type") == "view_submission":
        first_input = _first_input(payload)
        if first_input is not None:
            errors = {"response_action": "errors", "errors": {first_input: apology}}
            return Answer(200, f"{why}, shown in the form", json.dumps(errors), "application/json")
    if payload.get("type") == "block_actions" and _told_through(payload.get("response_url"), apology):
        return Answer(200, f"{why}, told through the response URL", "")
    return Answer(503, why, "The database is out of reach; try again.")


def _interaction(form: dict[str, str]) -> dict[str, Any]:
    try:
        payload = json.loads(form.get("payload") or "{}")
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _first_input(payload: dict[str, Any]) -> str | None:
    """The block id of the form's first input, where Slack shows an error the person sees without scrolling."""
    blocks = (payload.get("view") or {}).get("blocks") or []
    return next((str(b["block_id"]) for b in blocks if b.get("type") == "input" and b.get("block_id")), None)


def _told_through(response_url: object, apology: str) -> bool:
    if not isinstance(response_url, str) or not response_url.startswith(("https://", "http://")):
        return False
    try:
        response = WebhookClient(response_url, timeout=RESPONSE_URL_TIMEOUT, retry_handlers=[]).send(
            text=apology, response_type="ephemeral", replace_original=False
        )
    except OSError as error:  # Slack out of reach too: the 503 still marks the click as failed
        log.warning("could not tell the person through the response URL: %s", type(error).__name__)
        return False
    return response.status_code == 200
