"""The `text` of every message sent with blocks, read as its notification (handlers/blocks/kit.notification_text)."""

from typing import Any

from handlers.blocks.kit import notification_text


def as_notified(payload: dict[str, Any]) -> dict[str, Any]:
    """A message with blocks with its text as a lock screen and a screen reader say it; a message without blocks
    (its text is what is shown, mrkdwn drawn) and anything else (a view, a reaction) goes as it is."""
    text = payload.get("text")
    if not payload.get("blocks") or not isinstance(text, str):
        return payload
    return {**payload, "text": notification_text(text)}
