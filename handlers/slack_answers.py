"""What Slack says of a refusal: as a log line keeps it, whether it finds nobody of a Home's `user_id`, and how long
it asks to wait."""

import re

from slack_sdk.web import SlackResponse

HOME_FINDS_NOBODY = "invalid `user_id`"
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


DRESSING = re.compile(r"^(?:\[ERROR\] )?(?P<said>.*?)(?: \[json-pointer:[^\]]*\])?$")
"""What Slack may wrap a message in: "[ERROR] " before it, where it was broken after it (" [json-pointer:/user_id]",
as its other `invalid_arguments` messages have, slackapi/bolt-js#1108)."""


def home_finds_nobody(response: SlackResponse) -> bool:
    """Whether Slack refused a Home saying only that it finds nobody of its `user_id`, however it dresses the message;
    the caller judges why, logs. Saying more (another argument as well) is not finding nobody alone."""
    metadata = response.get("response_metadata")
    said = metadata.get("messages") if isinstance(metadata, dict) else None
    if response.get("error") != "invalid_arguments" or not isinstance(said, list) or len(said) != 1:
        return False
    bare = DRESSING.match(str(said[0]))
    return bare is not None and bare["said"] == HOME_FINDS_NOBODY


def retry_after_seconds(response: SlackResponse) -> float:
    """The seconds Slack's Retry-After asks for (1 when it does not say)."""
    return float(response.headers.get("retry-after") or response.headers.get("Retry-After") or 1)
