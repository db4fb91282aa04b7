"""What Slack says of a refusal, as a log line keeps it."""

import logging

from slack_sdk.web import SlackResponse

log = logging.getLogger(__name__)

HOME_PERSON_UNKNOWN = "invalid `user_id`"
"""What views.publish says, with `invalid_arguments`, of a `user_id` it finds nobody of: its errors list names no
error for that; its reference's "Common error response" is this one
(https://docs.slack.dev/reference/methods/views.publish)."""
HOME_PERSON_GONE = frozenset({"user_not_found", "not_found"})
"""`user_not_found` as users.info and conversations.open say it, `not_found` as views.update says it of a view:
taken alike, should views.publish ever answer so."""


def slack_says(response: SlackResponse) -> str:
    """What Slack says of its refusal (` ([ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text])`
    for `invalid_blocks`), for the log: the rule and where it was broken, never the text; "" when it says nothing."""
    metadata = response.get("response_metadata")
    messages = metadata.get("messages") if isinstance(metadata, dict) else None
    if not isinstance(messages, list) or not messages:
        return ""
    return " (" + "; ".join(str(message)[:SAID_LENGTH] for message in messages[:SAID_COUNT]) + ")"


SAID_COUNT = 5
SAID_LENGTH = 200
"""What of Slack's messages a log line keeps: enough to find the block, however many a long message breaks."""


def home_finds_nobody(response: SlackResponse, home: str) -> bool:
    """Whether Slack refused a Home (`home` says whose, for the log) because it finds nobody of its `user_id`: they
    left the workspace, or an org file names an id Slack never had. If so, logged here in one info line: publishing
    it again changes nothing, and no code of the app is at fault."""
    code, said = str(response.get("error") or ""), slack_says(response)
    if code not in HOME_PERSON_GONE and not (code == "invalid_arguments" and HOME_PERSON_UNKNOWN in said):
        return False
    log.info("%s was not published: Slack does not find the person (%s%s)", home, code, said)
    return True
