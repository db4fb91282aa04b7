"""Why Slack found nobody of a Home's `user_id` (handlers/slack_answers.py), asked of Slack once, and said in one line.

Slack says so of someone gone from the workspace (deactivated, or an id it never had: a mistyped org file), which no
code of the app can change: one info line. It says so as well when the token is another workspace's than the person's
(slackapi/bolt-js#494, slackapi/bolt-python#954), or of an id that is not a person's: a bug of the app, an error line.
So the background sender asks `users.info`, with the token the Home was sent with: only Slack's `user_not_found`, or
the person deactivated (`deleted`), is taken as gone (https://docs.slack.dev/reference/methods/users.info).
"""

import logging
import re

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
"""A person's Slack id; anything else (empty, a DM's `D…`) published to is the app's bug."""
REFUSED = "views.publish: invalid_arguments, invalid `user_id`"
WRONG_TOKEN = "most likely the token of another workspace was used for them"


def log_refused_reader(client: WebClient, home: str, user_id: str) -> None:
    """Log, once, why Slack found nobody of `user_id` for the Home `home` names; outside any transaction (one call)."""
    if not USER_ID.match(user_id):
        log.error("%s: a Home was published to no person's id (%s), a bug of the app: dropped", home, REFUSED)
        return
    try:
        person = client.users_info(user=user_id).get("user") or {}
    except SlackApiError as error:
        if error.response.get("error") == "user_not_found":
            log.info("%s: Slack does not find the person (%s; users.info: user_not_found): dropped", home, REFUSED)
        else:
            _unconfirmed(home, str(error.response.get("error")))
        return
    except (SlackClientError, OSError) as error:
        _unconfirmed(home, type(error).__name__)
        return
    if person.get("deleted"):
        log.info("%s: Slack does not find the person (%s; users.info: deactivated): dropped", home, REFUSED)
    else:
        log.error("%s: Slack refused the Home of someone it knows (%s), %s: dropped", home, REFUSED, WRONG_TOKEN)


def _unconfirmed(home: str, why: str) -> None:
    log.error(
        "%s: Slack refused a Home (%s) and users.info could not tell whether it knows them (%s)", home, REFUSED, why
    )
