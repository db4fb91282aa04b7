"""A slash command's ack as Slack shows it: a message only the person who typed the command sees (one in the channel
with `response_type: in_channel`), which the command's response URL replaces (`replace_original`) or deletes
(https://docs.slack.dev/interactivity/handling-user-interaction#message_responses), its buttons going with it.

A response URL used before the driver has the ack (by a listener answering before its ack) finds no message to
replace, and posts a new one, as Slack does before the ack it has not yet shown.
"""

from typing import Any


def ack_message(ack: dict[str, Any], ts: str) -> dict[str, Any] | None:
    """The message an ack shows (None when it carries none): its text and blocks, at `ts`."""
    if not (ack.get("text") or ack.get("blocks")):
        return None
    return {"type": "message", "text": ack.get("text", ""), "blocks": ack.get("blocks", []), "ts": ts}
