"""The one global error handler: log the traceback with a short reference, tell the user."""

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from slack_bolt import BoltContext, BoltResponse, Respond
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from handlers.blocks.kit import PRIVATE_NOTICE, text_block
from handlers.deps import AuthorizationFailedForNow, deps_of
from handlers.early_answers import command_answer, json_answer
from handlers.event_retries import kept_for_later, note_failure
from handlers.failure_replies import FailureReply
from handlers.form_apologies import SLACK_NOT_ANSWERING, SLACK_UNREACHABLE, form_apology
from handlers.form_seals import seal_refused
from handlers.payload import BrokenSeal, MalformedPayload
from handlers.people import known_serving_workspace
from handlers.slack_answers import retry_after_seconds
from handlers.timely import TimelyAck, answer_bolt_stopped_waiting_for
from handlers.unhandled import answer_unhandled
from models import Workspace
from services import anonymous_dms, outbox
from services.departures import ReadOvertaken
from services.pulse import rounds

log = logging.getLogger("latitude.errors")

SORRY = (
    "Sorry, something went wrong on our side (reference `{ref}`). Nothing you did caused it. "
    "Please try again in a minute; if it keeps happening, give this reference to your admin."
)

DATABASE_DOWN = (
    "Sorry, Latitude can't use its database right now (reference `{ref}`), so nothing was done. "
    "Please try again in a minute; if it keeps happening, give this reference to your admin."
)
DONE_THEN_SORRY = (
    "{done}, but then something went wrong on our side (reference `{ref}`). There is no need to do it again; "
    "if this keeps happening, give this reference to your admin."
)
"""For an error after the work was committed: "try again" would do it twice."""
UNREFERENCED = (  # what an anonymous sender is told instead of a reference (`anonymous_request`)
    " No reference is given, so that you stay anonymous: the error is logged to the millisecond, and a reference "
    "passed on would show when you sent it, and so what is yours."
)
SORRY_ANONYMOUS = (
    "Sorry, something went wrong on our side. Nothing you did caused it. Please try again in a minute." + UNREFERENCED
)
DATABASE_DOWN_ANONYMOUS = (
    "Sorry, Latitude can't use its database right now, so nothing was done. Please try again in a minute."
    + UNREFERENCED
)
DONE_THEN_SORRY_ANONYMOUS = (
    "{done}, but then something went wrong on our side. There is no need to do it again." + UNREFERENCED
)
ANONYMOUS_REQUEST = "latitude_anonymous_request"
"""Set on the context of a request whose sender stays anonymous (`anonymous_request`)."""
ANONYMOUS_ROUND = "latitude_anonymous_round"
DECIDED = "Your decision was recorded"

BAD_REQUEST = "Bad request: Slack never sends this."
WORTH_WAITING_FOR = frozenset({"ratelimited", "service_unavailable"})
"""Slack errors (besides HTTP 429) that say the DM was not posted and will be later: it then goes to the outbox."""
TOO_SLOW_FOR_A_FORM = (
    "Sorry, that took longer than Slack allows for opening a form, so it did not open. Nothing was saved; "
    "please try again."
)


def handle_error(
    error: Exception,
    body: dict[str, Any],
    respond: Respond | None,
    response: BoltResponse | None = None,
    context: BoltContext | None = None,
    client: WebClient | None = None,
) -> BoltResponse | None:
    """Log with a reference and tell the user; a malformed payload read before the ack is answered 400, and a
    request nothing listens to is acknowledged (handlers/unhandled.py)."""
    if isinstance(error, BoltUnhandledRequestError):
        return answer_bolt_stopped_waiting_for(context) or answer_unhandled(body)
    if context is not None:
        note_failure(error, context)
        if kept_for_later(error, body, context):
            return BoltResponse(status=200, body="")
    anonymous = context is not None and bool(context.get(ANONYMOUS_REQUEST))
    return _handled(error, body, respond, response, context, client, anonymous=anonymous)


def anonymous_request(context: BoltContext, *, round_id: int | None = None) -> None:
    """An error in this request gives its sender no reference: its log line is dated to the millisecond, like what
    they sent, and a reference passed on to an admin would tie them to it. `round_id`: the open pulse round they are
    anonymous in; an error DM Slack asks to wait for then waits in the outbox sealed, until that round's seal."""
    context[ANONYMOUS_REQUEST] = True
    if round_id is not None:
        context[ANONYMOUS_ROUND] = round_id


def _handled(
    error: Exception,
    body: dict[str, Any],
    respond: Respond | None,
    response: BoltResponse | None = None,
    context: BoltContext | None = None,
    client: WebClient | None = None,
    done: str | None = None,
    *,
    anonymous: bool = False,
    request: BoltContext | None = None,
) -> BoltResponse | None:
    """`request`: the context to queue a DM under, when `context` (whose held ack is answered) is not given."""
    ref = secrets.token_hex(4)
    if isinstance(error, BrokenSeal) and response is not None and _submitted_form(body) is not None:
        log.warning("[ref %s] refused a form not as it was opened: %s", ref, error)
        return json_answer(seal_refused())
    if isinstance(error, MalformedPayload):
        log.warning("[ref %s] refused a malformed %s request: %s", ref, _kind(body), error)
        return BoltResponse(status=400, body=BAD_REQUEST) if response is not None else None
    told = _apology(ref, done, anonymous)
    if isinstance(error, SlackApiError) and error.response.get("error") == "expired_trigger_id":
        log.warning("[ref %s] a form opened after its trigger expired (a %s request held up)", ref, _kind(body))
        told = TOO_SLOW_FOR_A_FORM
    elif isinstance(error, ReadOvertaken):  # an event's listener: tried again later (handlers/departures.py)
        log.warning("[ref %s] %s", ref, error)
    elif isinstance(error, AuthorizationFailedForNow):
        log.warning("[ref %s] %s", ref, error)
        told, client = SLACK_NOT_ANSWERING, None  # no token Slack checked to DM with: Slack shows a click's 5xx itself
    elif isinstance(error, SlackApiError) and error.response.status_code == 429:
        wait = retry_after_seconds(error.response)
        log.warning("[ref %s] Slack rate-limited %s (Retry-After %.0f s)", ref, error.response.api_url, wait)
    elif isinstance(error, SlackApiError):
        failed = error.response
        log.error("[ref %s] Slack call %s failed: %s", ref, failed.api_url, failed.get("error"), exc_info=error)
    else:
        log.error("[ref %s] unhandled error for a %s request", ref, _kind(body), exc_info=error)
    held = context.get("ack") if context is not None else None
    if response is not None and body.get("command"):  # failed before its ack: Bolt's 500 would show Slack's error too
        return command_answer(told)
    form = _submitted_form(body)
    if response is not None and isinstance(error, SQLAlchemyError) and form is not None:
        return json_answer(form_apology(form, DATABASE_DOWN_ANONYMOUS if anonymous else DATABASE_DOWN.format(ref=ref)))
    if response is not None and isinstance(error, AuthorizationFailedForNow) and form is not None:
        return json_answer(form_apology(form, SLACK_UNREACHABLE))
    if respond is not None and _has_response_url(body):
        if not _responded(respond, told, ref) and client is not None and _user_of(body):
            worded = respond.worded(told) if isinstance(respond, FailureReply) else told
            _tell_in_a_dm(client, _user_of(body), worded, ref, context or request, anonymous=anonymous)
    elif isinstance(held, TimelyAck) and held.held:  # a form showing "the answer will appear here"
        held.fail(told)
    elif _answered_in_a_view(body) and client is not None:  # the Home or a form: no response URL, so a DM
        _tell_in_a_dm(client, body["user"]["id"], told, ref, context or request, anonymous=anonymous)
    return None


def _submitted_form(body: dict[str, Any]) -> dict[str, Any] | None:
    view = body.get("view")
    return view if body.get("type") == "view_submission" and isinstance(view, dict) else None


def _responded(respond: Respond, told: str, ref: str) -> bool:
    """Whether the response URL took the apology. Slack takes one for 30 minutes and five answers only, and answers
    an outage with a 5xx: slack_sdk returns that refusal rather than raise it, which would lose the apology unsaid."""
    try:
        answer = respond(text=told, response_type="ephemeral", replace_original=False)
    except Exception:
        log.warning("[ref %s] could not tell the user about the error through the response URL", ref)
        return False
    if answer.status_code == 200:
        return True
    said = str(answer.body or "")[:40]
    log.warning("[ref %s] the response URL refused the apology (HTTP %s %s)", ref, answer.status_code, said)
    return False


def _user_of(body: dict[str, Any]) -> str:
    """Who sent a command (`user_id`) or clicked (`user.id`)."""
    return str(body.get("user_id") or (body.get("user") or {}).get("id") or "")


def _apology(ref: str, done: str | None, anonymous: bool) -> str:
    if anonymous:
        return SORRY_ANONYMOUS if done is None else DONE_THEN_SORRY_ANONYMOUS.format(done=done)
    return SORRY.format(ref=ref) if done is None else DONE_THEN_SORRY.format(done=done, ref=ref)


def _answered_in_a_view(body: dict[str, Any]) -> bool:
    """A click in the App Home or a form, or a form submitted: Slack gives it no response URL to answer through, and
    a submitted form has closed once acked."""
    clicked_in_a_view = body.get("type") == "block_actions" and (body.get("container") or {}).get("type") == "view"
    return (clicked_in_a_view or body.get("type") == "view_submission") and bool(body.get("user"))


def _tell_in_a_dm(
    client: WebClient, user_id: str, told: str, ref: str, context: BoltContext | None, *, anonymous: bool
) -> None:
    """Straight to Slack; one Slack asks to wait for (a rate limit) goes to the outbox, sent once Slack allows, when
    the request's `context` is given. An anonymous sender's waits only with its recipient sealed, under a key the
    seal of the round they are anonymous in deletes: a row naming them would keep, past it, who was told when that
    their comment was saved. Without such a round (an anonymous suggestion), under one that is deleted once an hour
    old, sent or not (services/anonymous_dms.py)."""
    try:
        client.chat_postMessage(channel=user_id, **_error_dm(told, anonymous))
    except SlackApiError as error:
        wait = _wait_asked(error)
        if wait is None or context is None or not _queued(context, user_id, told, ref, wait, anonymous):
            log.warning("[ref %s] could not tell the user about the error", ref)
    except Exception:
        log.warning("[ref %s] could not tell the user about the error", ref)


def _error_dm(told: str, anonymous: bool) -> dict[str, Any]:
    """An anonymous sender's notification says nothing of what they sent (kit.PRIVATE_NOTICE)."""
    return {"text": PRIVATE_NOTICE, "blocks": [text_block(told)]} if anonymous else {"text": told}


def _wait_asked(error: SlackApiError) -> float | None:
    """The seconds Slack asks to wait before the DM is sent again; None when it refused it for good."""
    response = error.response
    if response.status_code != 429 and response.get("error") not in WORTH_WAITING_FOR:
        return None
    return retry_after_seconds(response)


def _queued(context: BoltContext, user_id: str, told: str, ref: str, wait: float, anonymous: bool) -> bool:
    deps = deps_of(context)
    now = deps.now()
    with deps.sessions.begin() as session:
        workspace = known_serving_workspace(session, context)
        addressed = None if workspace is None else _addressed(session, context, workspace, user_id, ref, anonymous)
        if workspace is None or addressed is None:
            return False
        key, channel = addressed
        payload = {"channel": channel, **_error_dm(told, anonymous)}
        send_at = now + timedelta(seconds=wait)
        outbox.enqueue(
            session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now, send_at=send_at
        )
    log.warning("[ref %s] Slack asked to wait before telling the user about the error: queued", ref)
    return True


def _addressed(
    session: Session, context: BoltContext, workspace: Workspace, user_id: str, ref: str, anonymous: bool
) -> tuple[str, str] | None:
    """The key and channel of an error DM to queue; an anonymous sender's is sealed, under their open round's
    prefix (not queued once it has closed), or without a round under the prefix of those kept an hour."""
    if not anonymous:
        return f"error-dm:{user_id}:{ref}", user_id
    relay, round_id = deps_of(context).relay, context.get(ANONYMOUS_ROUND)
    if relay is None:
        return None
    if not isinstance(round_id, int):
        prefix = anonymous_dms.key_prefix(workspace)
    elif rounds.open_for_anonymous_dm(session, workspace=workspace, round_id=round_id):
        prefix = rounds.anonymous_dm_key_prefix(workspace, round_id)
    else:
        return None
    return f"{prefix}{secrets.token_hex(8)}", relay.seal(workspace.id, user_id)


def _kind(body: dict[str, Any]) -> str:
    return str(body.get("command") or body.get("type") or "unknown")


def _has_response_url(body: dict[str, Any]) -> bool:
    return bool(body.get("response_url") or body.get("response_urls"))


@contextmanager
def reported(
    body: dict[str, Any],
    respond: Respond | None = None,
    client: WebClient | None = None,
    *,
    done: str | None = None,
    anonymous: bool = False,
    context: BoltContext | None = None,
) -> Iterator[None]:
    """Send an error raised after the ack to the global handler, with this `respond` (the export's, say),
    and let the listener go on; `client` tells someone who clicked in the App Home, which has no response URL.
    A submitted form has closed by then: `client` tells its author in a DM, which waits in the outbox when Slack asks
    to wait, given the request's `context`.
    `done` says what was committed before (`Your fix was logged`): the person is then told that, never to try
    again. `anonymous`: what was sent keeps its sender anonymous, so no reference is given (`anonymous_request`).
    An error that escapes a listener reaches the handler too, through Bolt; its answer stays given either way
    (`handlers.timely.KeptAck`)."""
    try:
        yield
    except Exception as error:
        _handled(error, body, respond, client=client, done=done, anonymous=anonymous, request=context)
