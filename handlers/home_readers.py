"""Why Slack found nobody of a Home's `user_id` (handlers/slack_answers.py), asked of Slack, and said in one line.

Slack says so of someone gone from the workspace (deactivated, or an id it never had: a mistyped org file), which no
code of the app can change: one info line. It says so as well when the token is another workspace's than the person's
(slackapi/bolt-js#494, slackapi/bolt-python#954), or of an id that is not a person's: a bug of the app, an error line.
So the background sender asks `users.info`, with the workspace's own token: only Slack's `user_not_found`, or
the person deactivated (`deleted`), is taken as gone (https://docs.slack.dev/reference/methods/users.info). How often
it asks, and of whom, is handlers/home_reader_asks.py's. An id Slack has nobody of (`user_not_found`, not a
deactivation) is the org file's to fix: HR hear of it, and no Home is published to it until the next org import
(handlers/unknown_ids.py).
"""

import logging
import re
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from handlers.derived_clients import with_token
from handlers.slack_answers import retry_after_seconds

log = logging.getLogger(__name__)

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
"""A person's Slack id; anything else (empty, a DM's `D…`) published to is the app's bug."""
REFUSED = "views.publish: invalid_arguments, invalid `user_id`"
WRONG_TOKEN = "most likely the token of another workspace was used for them"
USERS_INFO = "users.info"
UNKNOWN = "user_not_found"
"""What `users.info` says of an id Slack has nobody of in the workspace."""
CONFIRMED_UNKNOWN = "slack_id_unknown_confirmed"
"""The outcome of a Home refused for an id `users.info` then said is nobody's (`UNKNOWN`): HR hear of it
(handlers/unknown_ids.py). Our own word, never Slack's: Slack answering `user_not_found` to a send itself proves
nothing, as it was not asked with users.info."""
WITHHELD_UNKNOWN = "slack_id_unknown_withheld"
"""The outcome of a Home dropped unsent for an id marked as nobody's when its batch began (handlers/home_again.py):
HR hear of it again only if the mark still stands when the batch is recorded, and it never marks anyone itself."""
DM_WITHHELD_UNKNOWN = "not_sent_slack_id_unknown"
"""The outcome of a DM given up unsent to an id marked as nobody's (handlers/unknown_ids.py): HR hear of it as of a
Home withheld; a decision request's requester hears their decider cannot be reached (handlers/request_refusals.py)."""
DM_TOLD_IN_WITHHELD_SUMMARY = "not_sent_told_in_withheld_summary"
"""A DM withheld so (`DM_WITHHELD_UNKNOWN`) that the summary sent as the mark lifted told of instead
(handlers/withheld_summary.py): given up for good."""
ASK_TIMEOUT = 3
"""Seconds `users.info` is given, tried once: the Homes of a batch are sent one after another, and a slow answer
would hold up the others (10 s each with the client's own timeout); not knowing is an error line, not a retry."""


@dataclass(frozen=True)
class Verdict:
    """What `users.info` said of someone: gone (how Slack said it), or it could not tell (why, and the seconds of a
    429's Retry-After); neither: Slack knows them."""

    gone: str | None = None
    unconfirmed: str | None = None
    retry_after: float | None = None


def ask(client: WebClient, user_id: str) -> Verdict:
    """Ask Slack of `user_id` with `client`'s token, once, within ASK_TIMEOUT; outside any transaction."""
    quick = with_token(client, client.token, retry_handlers=[], timeout=ASK_TIMEOUT)
    try:
        person = quick.users_info(user=user_id).get("user") or {}
    except SlackApiError as error:
        code = str(error.response.get("error"))
        if error.response.status_code == 429:
            return Verdict(unconfirmed="ratelimited", retry_after=retry_after_seconds(error.response))
        return Verdict(gone=code) if code == UNKNOWN else Verdict(unconfirmed=code)
    except (SlackClientError, OSError) as error:
        return Verdict(unconfirmed=type(error).__name__)
    return Verdict(gone="deactivated") if person.get("deleted") else Verdict()


def log_verdict(home: str, verdict: Verdict) -> None:
    """One line for the Home `home` names, Slack having refused it (REFUSED) and said `verdict` of its person."""
    if verdict.gone is not None:
        log.info("%s: Slack does not find the person (%s; users.info: %s): dropped", home, REFUSED, verdict.gone)
    elif verdict.unconfirmed is not None:
        log.error(
            "%s: Slack refused a Home (%s) and users.info could not tell whether it knows them (%s)",
            home,
            REFUSED,
            verdict.unconfirmed,
        )
    else:
        log.error("%s: Slack refused the Home of someone it knows (%s), %s: dropped", home, REFUSED, WRONG_TOKEN)


def log_no_persons_id(home: str, user_id: str) -> bool:
    """Whether `user_id` is no person's id, logged so: Slack is not asked of it."""
    if USER_ID.match(user_id):
        return False
    log.error("%s: a Home was published to no person's id (%s), a bug of the app: dropped", home, REFUSED)
    return True
