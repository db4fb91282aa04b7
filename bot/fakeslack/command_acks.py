"""A slash command's ack as Slack shows it: a message only the person who typed the command sees (one in the channel
with `response_type: in_channel`), which the command's response URL replaces (`replace_original`) or deletes
(https://docs.slack.dev/interactivity/handling-user-interaction#message_responses), its buttons going with it.

Slack documents replacing the original message from a click's response URL; for a command's ack it documents
nothing, and its SDKs' issues report a new message posted instead. So a response URL that replaces or deletes an ack
the driver is still waiting for (a listener answering right after its `ack()`, before Bolt has sent it) is a
violation: the app must not be designed around what Slack does then. A new message through it is posted as ever.
"""

from typing import Any


def ack_message(ack: dict[str, Any], ts: str) -> dict[str, Any] | None:
    """The message an ack shows (None when it carries none): its text and blocks, at `ts`."""
    if not (ack.get("text") or ack.get("blocks")):
        return None
    return {"type": "message", "text": ack.get("text", ""), "blocks": ack.get("blocks", []), "ts": ts}
