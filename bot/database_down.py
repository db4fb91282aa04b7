"""What a person is told when the check in front of Bolt cannot reach the database: that nothing was done.

Answered with a 503, Slack shows a click only a warning sign on the button and a form a generic "We had some trouble
connecting" line: the person cannot tell whether their refund was logged. So a command gets the apology as its
answer, a form gets it as an error under its first input (https://api.slack.com/surfaces/modals#displaying_errors), or
a form without inputs as a view pushed over it (`response_action: "push"`), a click in a message gets it as an
ephemeral message through the payload's `response_url`, and a click in the App Home or in a modal (no `response_url`)
in a small modal opened or pushed with the click's `trigger_id`, with the bot's one token or, with OAuth installs
(whose tokens are in the database), the workspace's token the bot last used (`ApologyClients`). A click is acked
first and told afterwards (`Answer.then`): Slack waits 3 s for the ack, however slow it is to take the apology. An
event still gets 503, which Slack retries for a while (https://api.slack.com/apis/events-api#retries); so does a
click the apology has no way to reach.
"""

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import BoltContext
from slack_bolt.request.internals import extract_team_id
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient
from sqlalchemy.exc import SQLAlchemyError

from bot.slack_pool import PooledWebClient
from bot.slack_tls import slack_tls
from bot.startup import first_line
from handlers.anonymous_requests import sent_anonymously
from handlers.errors import DATABASE_DOWN, DATABASE_DOWN_ANONYMOUS
from handlers.form_apologies import apology_view, form_apology

log = logging.getLogger("latitude.requests")

RESPONSE_URL_TIMEOUT = 2
"""Seconds to wait for Slack to take the apology, sent after the ack: a click's `trigger_id` lasts 3 s."""


@dataclass(frozen=True)
class Answer:
    """How the request is answered: status, body and its content type, a line for the log, and what to do once the
    answer was given (`then`), away from the request's thread."""

    status: int
    reason: str
    body: str
    content_type: str = "text/plain; charset=utf-8"
    then: Callable[[], None] | None = None


def database_down(body: bytes, error: SQLAlchemyError, *, clients: "ApologyClients | None" = None) -> Answer:
    """`clients`: a token to open the apology with, for a click that has no `response_url`."""
    ref = secrets.token_hex(4)
    log.error("[ref %s] the database is out of reach or busy: %s", ref, first_line(error))
    why = f"database out of reach [ref {ref}]"
    form = dict(parse_qsl(body.decode("utf-8", "replace")))
    if "command" in form:
        return Answer(200, why, DATABASE_DOWN.format(ref=ref))
    payload = _interaction(form)
    apology = DATABASE_DOWN_ANONYMOUS if sent_anonymously(payload) else DATABASE_DOWN.format(ref=ref)
    if payload.get("type") == "view_submission":
        answer = form_apology(payload.get("view") or {}, apology)
        where = "in" if answer["response_action"] == "errors" else "over"
        return Answer(200, f"{why}, shown {where} the form", json.dumps(answer), "application/json")
    client = clients.for_team(extract_team_id(payload)) if clients is not None else None
    if payload.get("type") == "block_actions" and _reachable(payload, client):
        return Answer(200, f"{why}, told after the ack", "", then=lambda: _tell_of_the_click(payload, apology, client))
    return Answer(503, why, "The database is out of reach; try again.")


def _reachable(payload: dict[str, Any], client: WebClient | None) -> bool:
    """Whether the click has a way to be told: its message's response URL, or a modal with the bot's one token."""
    return _response_url(payload) is not None or (client is not None and bool(_trigger_id(payload)))


def _tell_of_the_click(payload: dict[str, Any], apology: str, client: WebClient | None) -> None:
    """Under the message clicked, else in a modal; nothing is left to answer with when both fail, so it is logged."""
    if _told_through(_response_url(payload), apology):
        return
    if client is not None and _shown_in_a_modal(client, payload, apology):
        return
    log.warning("the person who clicked could not be told the database is out of reach")


def _response_url(payload: dict[str, Any]) -> str | None:
    url = payload.get("response_url")
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


def _trigger_id(payload: dict[str, Any]) -> str | None:
    trigger_id = payload.get("trigger_id")
    return trigger_id if isinstance(trigger_id, str) and trigger_id else None


def _interaction(form: dict[str, str]) -> dict[str, Any]:
    try:
        payload = json.loads(form.get("payload") or "{}")
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _told_through(response_url: str | None, apology: str) -> bool:
    if response_url is None:
        return False
    try:
        response = WebhookClient(response_url, timeout=RESPONSE_URL_TIMEOUT, retry_handlers=[], ssl=slack_tls()).send(
            text=apology, response_type="ephemeral", replace_original=False
        )
    except OSError as error:  # Slack out of reach too
        log.warning("could not tell the person through the response URL: %s", type(error).__name__)
        return False
    return response.status_code == 200


def _shown_in_a_modal(client: WebClient, payload: dict[str, Any], apology: str) -> bool:
    """Over the modal the click came from (views.push), or opened over the App Home (views.open)."""
    trigger_id = _trigger_id(payload)
    if trigger_id is None:
        return False
    in_a_modal = (payload.get("view") or {}).get("type") == "modal"
    show = client.views_push if in_a_modal else client.views_open
    try:
        show(trigger_id=trigger_id, view=apology_view(apology))
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("could not show the person the apology in a modal: %s", type(error).__name__)
        return False
    return True


class ApologyClients:
    """A token to tell a person with while the database is out of reach: the bot's one token; with OAuth installs,
    whose tokens are kept in the database, the token Bolt last authorized a request of that workspace with, for
    `REMEMBERED_FOR` seconds (a rotated token is renewed well before it expires: bot/renewals.py)."""

    REMEMBERED_FOR = 3600.0

    def __init__(self, api_url: str, bot_token: str = "", *, clock: Callable[[], float] = time.monotonic) -> None:
        self._api_url = api_url
        self._bot_token = bot_token
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, float]] = {}

    def remember(self, team_id: str | None, token: str | None) -> None:
        if team_id and token:
            with self._lock:
                self._tokens[team_id] = (token, self._clock())

    def for_team(self, team_id: str | None) -> WebClient | None:
        token = self._bot_token or self._remembered(team_id)
        if not token:
            return None
        return PooledWebClient(
            token=token, base_url=self._api_url, timeout=RESPONSE_URL_TIMEOUT, retry_handlers=[], ssl=slack_tls()
        )

    def _remembered(self, team_id: str | None) -> str | None:
        with self._lock:
            token, seen = self._tokens.get(team_id or "", ("", 0.0))
        return token if token and self._clock() - seen < self.REMEMBERED_FOR else None


def remembering_tokens(clients: ApologyClients) -> Callable[[BoltContext, Callable[[], None]], None]:
    """Global middleware, with OAuth installs: each request's workspace token, as Bolt authorized it, is remembered."""

    def middleware(context: BoltContext, next: Callable[[], None]) -> None:
        clients.remember(context.team_id, context.bot_token)
        next()

    return middleware
