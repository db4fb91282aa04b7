"""What Slack says of a refusal: as a log line keeps it, and whether it finds nobody of a Home's `user_id`."""

from slack_sdk.web import SlackResponse

HOME_FINDS_NOBODY = ["invalid `user_id`"]
"""All views.publish says, with `invalid_arguments`, of a `user_id` it finds nobody of. Its documented errors name
nothing for that (no `user_not_found`); its reference's "Common error response" is this one
(https://docs.slack.dev/reference/methods/views.publish). Slack says it too of a token of another workspace than the
person's (slackapi/bolt-js#494, slackapi/bolt-python#954): it tells whom Slack did not find, not that they are gone."""


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


def home_finds_nobody(response: SlackResponse) -> bool:
    """Whether Slack refused a Home saying only that it finds nobody of its `user_id`; the caller judges why, logs."""
    metadata = response.get("response_metadata")
    said = metadata.get("messages") if isinstance(metadata, dict) else None
    return response.get("error") == "invalid_arguments" and said == HOME_FINDS_NOBODY
