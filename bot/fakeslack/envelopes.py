"""The outer part of what Slack sends: the Events API envelope around an event, and the URL check of the Request URL.

Every event comes with an `event_context`, an opaque id of the event for `apps.event.authorizations.list`
(https://docs.slack.dev/reference/methods/apps.event.authorizations.list), and `is_ext_shared_channel`, whether it
happened in a channel shared with another organisation: https://docs.slack.dev/apis/events-api/#callback-field.
"""

import base64
import json
from typing import Any

APP_ID = "A0LATITUDE"
TOKEN = "verification-token-unused"


def event_context(event: dict[str, Any], team_id: str | None) -> str:
    """Opaque to the app; Slack's reads `4-` and a base64 JSON naming the event type, workspace, app and channel."""
    named = {"et": event.get("type"), "tid": team_id, "aid": APP_ID, "cid": event.get("channel")}
    packed = json.dumps({key: value for key, value in named.items() if value}, separators=(",", ":"))
    return "4-" + base64.urlsafe_b64encode(packed.encode()).decode().rstrip("=")


def event_envelope(
    event: dict[str, Any], *, team_id: str | None, event_id: str, event_time: int, authorization: dict[str, Any]
) -> dict[str, Any]:
    """An `event_callback` delivery; Slack names one installation that may see it in `authorizations`."""
    return {
        "token": TOKEN,
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [authorization],
        "is_ext_shared_channel": False,
        "event_context": event_context(event, team_id),
    }


def url_verification(challenge: str) -> dict[str, Any]:
    """What Slack posts when the Request URL is saved in the app's settings: the app must answer with `challenge`
    (https://docs.slack.dev/reference/events/url_verification)."""
    return {"token": TOKEN, "challenge": challenge, "type": "url_verification"}
