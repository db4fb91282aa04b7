"""What Slack says of a refusal, as a log line keeps it."""

from slack_sdk.web import SlackResponse


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
