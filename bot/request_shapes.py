"""What Slack sends, read before Bolt reads it: its certificate and Request URL checks, and the shape of a signed
body."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

SSL_CHECK_MOST_BYTES = 1024
"""Slack's certificate check is `ssl_check=1&token=…`, some 50 bytes, and its Request URL check some 150: anything
much larger is no such check."""


def is_ssl_check(raw: bytes, content_type: str) -> bool:
    """Slack's check of the certificate behind a command's URL: a form of `ssl_check=1` and the app's verification
    token, which Slack's docs do not say is signed. Bolt answers it 200 before it checks a signature (its SslCheck
    middleware runs ahead of RequestVerification), and so does the gate: it carries nothing and changes nothing. A
    body larger than the check ever is, or without `ssl_check=1`, is not read as one: an unsigned request is not
    parsed field by field (a megabyte of `a&a&…` takes a CPU for a good part of a second)."""
    if len(raw) > SSL_CHECK_MOST_BYTES or b"ssl_check=1" not in raw:
        return False
    if content_type.split(";")[0].strip() == "application/json" or raw.startswith(b"{"):
        return False
    form = dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
    return form.get("ssl_check") == "1" and "command" not in form and "payload" not in form


def url_check_challenge(raw: bytes) -> str | None:
    """The challenge of Slack's check of the Events API Request URL, saved in the app's settings
    (https://api.slack.com/events/url_verification), to be answered as it is; None for any other request. It carries
    nothing and changes nothing, so the gate answers it ahead of the replay check: a database out of reach or a schema
    moved under the process does not keep an admin from saving the URL."""
    if len(raw) > SSL_CHECK_MOST_BYTES or b"url_verification" not in raw:
        return None
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(body, dict) or body.get("type") != "url_verification":
        return None
    challenge = body.get("challenge")
    return challenge if isinstance(challenge, str) else None


@dataclass(frozen=True)
class Read:
    """A signed body read once: what makes it something Slack never sends (None when fine), and the body as Bolt's
    `parse_body` reads it (but for a command saying `payload`), for Bolt to take as read (None: Bolt reads it itself,
    as for a type header Bolt reads otherwise). A click's form carries the whole message, so reading it costs more
    than anything else in the gate."""

    problem: str | None
    body: dict[str, Any] | None = None


def read_signed(raw: bytes, content_type: str) -> Read:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Read("body is not UTF-8")
    if content_type.split(";")[0].strip() == "application/json" or text.startswith("{"):
        bolt_reads_json = content_type.split(";")[0] == "application/json" or text.startswith("{")
        return _as_read(_json_problem(text, _event_problem), bolt_reads_json)
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in text and "payload" in form:
        return _as_read(_json_problem(form["payload"], _interaction_problem), True)
    problem = _missing(form, ("command", "user_id", "team_id")) if "command" in form else None
    # Not as Bolt reads it: Bolt reads nothing of a form with the word `payload` anywhere and no such field, so a
    # command typed with it (`/resolve refund 20 order 42 the payload page crashed`) would be dropped unanswered.
    return Read(problem, form)


def _as_read(checked: tuple[str | None, dict[str, Any]], as_bolt_reads: bool) -> Read:
    problem, data = checked
    return Read(problem, data if as_bolt_reads and problem is None else None)


def _json_problem(text: str, check: Callable[[dict[str, Any]], str | None]) -> tuple[str | None, dict[str, Any]]:
    try:
        data = json.loads(text)
    except ValueError:
        return "payload is not JSON", {}
    if not isinstance(data, dict):
        return f"payload is a JSON {type(data).__name__}, not an object", {}
    if not isinstance(data.get("type"), str):
        return "payload has no type", data
    return check(data), data


def _event_problem(data: dict[str, Any]) -> str | None:
    if data["type"] != "event_callback":
        return None
    event = data.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event_callback without an event"
    if data.get("team_id") is None and _missing(data, ("enterprise_id",)) is None:
        return _missing(data, ("event_id",))  # an event about a Grid org itself names the org and no team
    return _missing(data, ("team_id", "event_id"))


INTERACTIONS_WITH = {"block_actions": "actions", "view_submission": "view", "view_closed": "view"}


def _interaction_problem(data: dict[str, Any]) -> str | None:
    user = data.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not user["id"]:
        return "payload has no user id"
    team = data.get("team")
    team_id = team.get("id") if isinstance(team, dict) else None
    if not isinstance(team_id or user.get("team_id"), str):
        return "payload has no team id"
    part = INTERACTIONS_WITH.get(data["type"])
    if part == "actions":
        actions = data.get("actions")
        if not isinstance(actions, list) or not actions or not all(_has_str(a, "action_id") for a in actions):
            return "block_actions without actions"
    if part == "view":
        view = data.get("view")
        state = view.get("state", {}) if isinstance(view, dict) else None
        if not (_has_str(view, "callback_id") and _has_str(view, "type") and isinstance(state, dict)):
            return f"{data['type']} without a view"
    return None


def _has_str(value: Any, key: str) -> bool:
    return isinstance(value, dict) and isinstance(value.get(key), str)


def _missing(data: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    absent = [key for key in keys if not isinstance(data.get(key), str) or not data[key]]
    return f"no {', '.join(absent)}" if absent else None
