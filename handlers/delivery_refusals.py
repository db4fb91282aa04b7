"""How the sender takes Slack's refusal of one delivery (handlers/delivery.py sends it): tried again later, held for a
new token, taken as done, or dropped, and the one log line that says so."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers import home_readers, messages_tab
from handlers.home_reader_asks import ReaderAsks
from handlers.slack_answers import home_finds_nobody, retry_after_seconds, slack_says
from services.outbox import Claimed, SendOutcome
from services.outbox_keys import RELAYED, forgotten, logged_prefix

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})
"""Slack errors worth another try; any other error Slack answers (missing_scope, msg_too_long, channel_not_found...)
will not change by retrying, so the message is dropped and logged."""
TOKEN_REFUSED = frozenset({"token_revoked", "invalid_auth", "account_inactive"})
"""The token, not the message: Slack revokes it before it tells of an uninstall, and another process may still
hold one replaced by a reinstall. The message waits as for a token not renewed (no attempt counted): it goes with
the next token, or is dropped with the rest once the uninstall is handled."""
TOKEN_UNAVAILABLE = "token_unavailable"
TOKEN_RETRY_SECONDS = 300
"""A workspace whose token Slack would not renew: its messages wait (no attempt counted) until it is renewed or
the app is uninstalled, which drops them."""
REFUSED_BY_THE_READER = frozenset(
    {
        "channel_not_found",
        "invalid_channel",  # files.completeUploadExternal's word for it
        "user_not_found",
        "user_disabled",
        "user_not_visible",
        "is_archived",
        "cannot_dm_bot",
        "messages_tab_disabled",
    }
)
"""What Slack answers a DM (chat.postMessage, conversations.open) refused because of its reader: they left or were
deactivated, are hidden from the app, closed or archived their DM with it, turned its Messages tab off, or are a bot.
Any other refusal (missing_scope, invalid_blocks, msg_too_long) is ours, whoever the reader."""
REFUSED_BY_ITS_READER = "refused_by_its_reader"
"""The error of an author's answer refused because of its reader, the manager (handlers/pulse_relay_outbox.py)."""
PUBLISH = "views.publish"
HOME_SUPERSEDED = "hash_conflict"
"""views.publish's refusal of a Home queued over one that was replaced meanwhile: the newer one stays."""
HOME_TAB_OFF = "not_enabled"
"""views.publish's refusal of every Home while the app's Home tab is off (a setting of the app, not of the Home)."""


def refused(
    client: WebClient,
    delivery: Claimed,
    error: SlackApiError,
    *,
    sealed: bool = False,
    readers: ReaderAsks | None = None,
) -> SendOutcome:
    """What a refusal makes of the delivery, logged in one line; a Home's reader Slack finds nobody of is asked of
    Slack through `readers` (this drain's asks), with `client`, the token the delivery was sent with. Called outside any
    transaction."""
    response = error.response
    code = str(response.get("error", "unknown_error"))
    if response.status_code == 429:
        return SendOutcome(ok=False, error="ratelimited", retry_after=retry_after_seconds(response))
    if code == HOME_SUPERSEDED and delivery.method == PUBLISH:
        return SendOutcome(ok=True, result={})  # a newer Home was published meanwhile (handlers/home.py)
    if code in TOKEN_REFUSED:
        log.warning("delivery %s: Slack refused the token (%s): it waits for a new one", logged_key(delivery), code)
        return SendOutcome(ok=False, error=TOKEN_UNAVAILABLE, retry_after=TOKEN_RETRY_SECONDS)
    if code == messages_tab.TAB_OFF:  # the operator is warned once (handlers/messages_tab.py), not once a DM
        where = "a sealed delivery" if sealed else f"delivery {logged_key(delivery)}"
        log.info("%s: Slack refused it, the Messages tab is off: dropped", where)
        return SendOutcome(ok=False, error=code, permanent=True)
    if delivery.method == PUBLISH and code == HOME_TAB_OFF:  # warned once a drain (handlers/home_refusals.py)
        return SendOutcome(ok=False, error=code, permanent=True)
    if delivery.method == PUBLISH and home_finds_nobody(response):  # why is asked of Slack, and logged, there
        return _home_refused(client, delivery, code, readers)
    permanent = response.status_code < 500 and code not in TRANSIENT_ERRORS
    if permanent and sealed:
        return _refused_to_someone_anonymous(delivery, code)
    level = logging.ERROR if permanent else logging.WARNING
    said = slack_says(response)
    log.log(
        level, "delivery %s: Slack %s %s: %s%s", logged_key(delivery), delivery.method, _verdict(permanent), code, said
    )
    return SendOutcome(ok=False, error=code, permanent=permanent)


def _refused_to_someone_anonymous(delivery: Claimed, code: str) -> SendOutcome:
    """Slack refuses a DM for good because of its reader (they left, their DM is closed): dated beside the change it
    told of (an anonymous idea's new status, a manager's reply), a log line or a failed row would say its author is
    whoever left by then. So nothing is logged, and it is recorded as done; an author's answer to a manager, whose
    reader is no one anonymous, is given up, for handlers/pulse_relay_outbox.py to tell its author. The error rides on
    the outcome, never kept, for what it says of the Messages tab (handlers/messages_tab.py: a DM that reached nobody
    does not find the tab on). Refused for anything else (a scope, the blocks), it says nothing of the reader: it
    fails, logged with the method and the error alone."""
    if code not in REFUSED_BY_THE_READER:
        log.error("a sealed delivery: Slack %s refused it for good, dropped: %s", delivery.method, code)
        return SendOutcome(ok=False, error=code, permanent=True)
    if (delivery.payload.get(RELAYED) or {}).get("kind") == "answer":
        return SendOutcome(ok=False, error=REFUSED_BY_ITS_READER, permanent=True)
    return SendOutcome(ok=True, error=code, result={})


def _home_refused(client: WebClient, delivery: Claimed, code: str, readers: ReaderAsks | None) -> SendOutcome:
    """A Home Slack found nobody to publish to, dropped: as `home_readers.CONFIRMED_UNKNOWN` once `users.info` confirms
    Slack has nobody of that id (HR hear of it: handlers/unknown_ids.py), else as Slack refused it."""
    home = f"delivery {logged_key(delivery)}"
    if readers is None:  # only a redraw is sent without (handlers/digest_redraws.py), never a Home
        home_readers.log_verdict(home, home_readers.Verdict(unconfirmed="not asked"))
        return SendOutcome(ok=False, error=code, permanent=True)
    verdict = readers.log_refused(client, delivery.workspace_id, home, str(delivery.payload.get("user_id") or ""))
    unknown = verdict is not None and verdict.gone == home_readers.UNKNOWN
    return SendOutcome(ok=False, error=home_readers.CONFIRMED_UNKNOWN if unknown else code, permanent=True)


def logged_key(delivery: Claimed) -> str:
    """The delivery's key; only its kind and workspace for one deleted once its purpose ends (outbox_keys.FORGOTTEN):
    who was still reminded is who had not answered, and an anonymous author's DM dated by the log line would date
    their idea; the outbox forgets them, and the log must not keep them either."""
    key = delivery.idempotency_key
    return logged_prefix(key) if forgotten(key) else key


def _verdict(permanent: bool) -> str:
    return "refused it for good, dropped" if permanent else "failed, will retry"
