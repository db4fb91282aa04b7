"""Pieces of what Slack sends: command text escaped as Slack escapes it, a clicked element, a modal input's state."""

import re
from typing import Any

# What Slack leaves as markup in a command's text with `should_escape: true`: mentions, channels,
# special mentions and links; every other `&`, `<`, `>` arrives as an HTML entity.
# https://api.slack.com/interactivity/slash-commands#creating_commands and
# https://api.slack.com/reference/surfaces/formatting#escaping
_SLACK_MARKUP = re.compile(r"(<(?:[@#!]|https?://|mailto:)[^<>]*>)")


def slack_escaped(text: str) -> str:
    """Command text as Slack sends it: `&`, `<`, `>` escaped, except in the mentions and links Slack itself wrote."""
    parts = _SLACK_MARKUP.split(text)
    return "".join(
        part if index % 2 else part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for index, part in enumerate(parts)
    )


def find_element(blocks: list[dict[str, Any]], action_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for block in blocks:
        candidates = list(block.get("elements") or []) + ([block["accessory"]] if block.get("accessory") else [])
        if block.get("element"):
            candidates.append(block["element"])
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block, element
    present = [e.get("action_id") for b in blocks for e in (b.get("elements") or []) if isinstance(e, dict)]
    raise AssertionError(f"no element {action_id!r} in the message; it has {present}")


def state_value(element: dict[str, Any], entered: Any) -> dict[str, Any]:
    kind = element.get("type")
    if kind in ("static_select", "radio_buttons", "external_select"):
        options = {o["value"]: o for o in element.get("options", [])}
        selected = options.get(entered) if entered is not None else element.get("initial_option")
        return {"type": kind, "selected_option": selected}
    if kind == "users_select":
        return {"type": kind, "selected_user": entered}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(entered or [])}
    if kind == "checkboxes":
        options = {o["value"]: o for o in element.get("options", [])}
        return {"type": kind, "selected_options": [options[v] for v in entered or []]}
    if kind == "number_input":
        return {"type": kind, "value": None if entered is None else str(entered)}
    return {"type": kind or "plain_text_input", "value": entered}
