"""What the outbox keeps of Slack's answer to a send: a message's channel and ts (a later change updates it), and a
Home's hash (the next Home redrawn for its person is published over it: handlers/home_redraws.py)."""

from typing import Any

HOME_HASH = "home_hash"


def kept_of(data: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {key: data[key] for key in ("channel", "ts") if key in data}
    view = data.get("view")
    if isinstance(view, dict) and view.get("type") == "home" and isinstance(view.get("hash"), str):
        kept[HOME_HASH] = view["hash"]
    return kept
