"""The state-changing events the app runs again itself when their listener fails on something that may pass.

Bolt acks an event before its listener runs, and the event id is recorded as handled then (handlers/middleware.py
`drop_repeated_events`), so Slack never sends again an event whose listener failed: someone deactivated would keep
approving. A `user_change` is kept as its listener starts (services/event_retries.py), with the person's ids and
none of the profile Slack sent, and forgotten when the listener is done, or fails on something that will not pass (a
payload it cannot read); a failure that may pass (the database, Slack answering `users.info`, reads of Slack
overtaken each time by changes followed meanwhile, the install's look-up in front of the listener) leaves it for
handlers/jobs/retry_failed_events.py. The app's own try reads the person as Slack has them then
(handlers/departures.py), so a try that comes after a newer change (reactivated meanwhile) follows Slack as it is,
never an older state.

An uninstall (`app_uninstalled`, `tokens_revoked`) is kept the same way, with only what Slack sent of it (ids): lost,
the workspace would stay served with tokens Slack revoked, and its data would never become purgeable, its retention
never begun. Run late it undoes nothing: an uninstall sent before the workspace's current install is ignored
(handlers/installs.py `stop_workspace`). So is a change of the workspaces an org-wide install is in
(`team_access_granted`, `team_access_revoked`), with the org's and the workspaces' ids: lost, a workspace removed
would still count as the org's (its own install made again kept stopped, later removals deactivating nobody, its
people keeping what they could approve), and one added would not be taken over nor its people learnt. Its try
leaves alone the workspaces a change Slack sent after it named (services/event_order.py). So is a Grid migration's
start or finish: a start lost would have the app call Slack through the migration, which Slack asks apps not to, its
messages failing; a finish lost would hold them until a request names the org. Its try does nothing once a start or
finish Slack sent after it was recorded (a start run after its finish would hold every message). An App Home opened
is not kept: opened again, it is drawn again.
"""

import logging
from http.client import HTTPException
from typing import Any

from slack_bolt import BoltContext
from slack_sdk.errors import SlackApiError, SlackClientError, SlackTokenRotationError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from handlers.deps import AuthorizationFailedForNow, Deps, InstallGone, RefreshTokenSpent, deps_of
from handlers.event_attempts import EVENT_ATTEMPT, LASTING, PASSING, Attempt
from services import event_retries
from services.departures import ReadOvertaken

log = logging.getLogger(__name__)
RETRIED_EVENTS = frozenset(
    {
        "user_change",
        "app_uninstalled",
        "tokens_revoked",
        "team_access_granted",
        "team_access_revoked",
        "grid_migration_started",
        "grid_migration_finished",
    }
)
SLACK_FOR_A_WHILE = frozenset(
    {"ratelimited", "service_unavailable", "fatal_error", "internal_error", "request_timeout", "team_added_to_org"}
)
"""Slack's errors that say it did not do it now, not that it never will."""


def may_pass(error: Exception) -> bool:
    """Whether running the listener again later may succeed: the database refused or did not answer, Slack was busy
    or down or never reached, a person's reads of Slack were all overtaken by changes of theirs followed meanwhile.
    A bug, a payload the listener cannot read or a refusal Slack means will not pass (a renewal refused for a bad
    client id or secret, say), which Slack's error says."""
    if isinstance(error, DBAPIError | PoolTimeout | ReadOvertaken):
        return True
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        return status == 429 or status >= 500 or error.response.get("error") in SLACK_FOR_A_WHILE
    if isinstance(error, RefreshTokenSpent):
        return True
    if isinstance(error, SlackTokenRotationError):  # InstallGone included: refused for good
        return not isinstance(error, InstallGone) and may_pass(error.api_error)
    return isinstance(error, SlackClientError | OSError | HTTPException)  # no answer, or one cut short


def kept_body(body: dict[str, Any]) -> dict[str, Any]:
    """What is kept of an event to run it again: not Slack's verification token (requests are told Slack's by their
    signature), and of a `user_change` the person's ids, not the profile (name, email, phone...); the app's try asks
    Slack for them afresh."""
    kept = {key: value for key, value in body.items() if key != "token"}
    event = body.get("event")
    user = event.get("user") if isinstance(event, dict) else None
    if not isinstance(event, dict) or not isinstance(user, dict):
        return kept
    ids = {key: user[key] for key in ("id", "team_id") if key in user}
    return {**kept, "event": {**event, "user": ids}}


def kept_for_later(error: Exception, body: dict[str, Any], context: BoltContext) -> bool:
    """Slack's delivery of a kept event (`RETRIED_EVENTS`) whose token Slack failed to check for now: kept as its
    listener would keep it (`kept_body`), for the app's own tries, 1, 5, 15 and 60 minutes on; its id is
    recorded as handled, so that Slack's retries, should one still come, are dropped and it runs once. Slack's own
    retries (all within about 5 minutes) could all meet the same outage. False when it is not such an event or could
    not be kept: it then gets its 5xx, for Slack to send it again."""
    event = body.get("event") if body.get("type") == "event_callback" else None
    event_type, event_id = (event or {}).get("type"), body.get("event_id")
    deps = context.get("deps")
    if not isinstance(error, AuthorizationFailedForNow) or event_type not in RETRIED_EVENTS:
        return False
    if not isinstance(deps, Deps) or not isinstance(event_id, str):
        return False
    try:
        with deps.sessions.begin() as session:
            kept = event_retries.keep_for_its_tries(
                session.connection(), event_id=event_id, event_type=event_type, body=kept_body(body), now=deps.now()
            )
    except SQLAlchemyError:
        return False
    if kept:
        log.warning("event %s %s kept: the app tries it again itself once Slack answers", event_type, event_id)
    return True


def tried_again(context: BoltContext) -> bool:
    """Whether this request is the app's own try of a kept event, not Slack's delivery."""
    attempt = context.get(EVENT_ATTEMPT)
    return isinstance(attempt, Attempt) and attempt.again


def note_failure(error: Exception, context: BoltContext) -> None:
    """Called by the one error handler: how the run of a kept event failed. One kept that failed in front of its
    listener (the replay check's commit answered with an error) has no run going: it waits for its next try at once,
    not for the lease, whatever the failure (its listener never read it)."""
    attempt = context.get(EVENT_ATTEMPT)
    if not isinstance(attempt, Attempt):
        return
    attempt.failure = PASSING if may_pass(error) else LASTING
    if attempt.reached and not attempt.started:
        attempt.failure = PASSING
        settle(deps_of(context), attempt)


def started(context: BoltContext) -> None:
    """As a kept event's listener starts: a failure from then on is the listener's, settled once it is done."""
    attempt = context.get(EVENT_ATTEMPT)
    if isinstance(attempt, Attempt):
        attempt.started = True


def finished(context: BoltContext) -> None:
    """Once a kept event's listener is done (`settle`)."""
    attempt = context.get(EVENT_ATTEMPT)
    if isinstance(attempt, Attempt):
        settle(deps_of(context), attempt)


def settle(deps: Deps, attempt: Attempt) -> None:
    """After a run of a kept event, through its listener or stopped in front of it: one that failed on something that
    may pass with tries left waits for its next try; any other is forgotten, with its body. One given up is one line,
    with its type and id only (its body may hold a profile)."""
    waits = attempt.failure == PASSING and not attempt.last
    try:
        with deps.sessions.begin() as session:
            if waits:
                event_retries.wait_for_next_try(session, event_id=attempt.event_id, now=deps.now())
                return
            kept = event_retries.forget(session, event_id=attempt.event_id)
    except SQLAlchemyError:
        log.warning("event %s %s could not be settled now: it runs again later", attempt.event_type, attempt.event_id)
        return
    if kept and attempt.failure == PASSING:
        given_up(attempt.event_type, attempt.event_id, attempt.number)


def given_up(event_type: str, event_id: str, tries: int) -> None:
    log.warning("gave up event %s %s: its listener failed %d times after Slack's delivery", event_type, event_id, tries)
