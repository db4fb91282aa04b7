"""Fields of interactive elements Slack bounds beyond their text: a confirmation dialog, a text input's length
bounds, and the one element a view may focus when it opens.

https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object and
https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element.
"""

from typing import Any

from bot.fakeslack.text_objects import text_problems

CONFIRM_TEXT = {"title": 100, "text": 300, "confirm": 30, "deny": 30}
"""Each part of a confirmation dialog is required, at most this long, and plain_text but for `text`."""
CONFIRM_ANY_TEXT = ("text",)
"""The part that may be mrkdwn too: the reference page now says plain_text, but its earlier version and Slack's own
@slack/types (`ConfirmationDialog.text: PlainTextElement | MrkdwnElement`) take either, so Slack very likely does."""
CONFIRM_STYLES = ("primary", "danger")
INPUT_LENGTH = 3000


def confirm_problems(element: dict[str, Any]) -> list[str]:
    """An element's `confirm`, a dialog whose title, text and both buttons' words Slack requires."""
    dialog = element.get("confirm")
    if dialog is None:
        return []
    if not isinstance(dialog, dict):
        return [f"confirm must be a confirmation dialog object, got {dialog!r:.60}"]
    problems = [f"a confirmation dialog needs its {key}" for key in CONFIRM_TEXT if not dialog.get(key)]
    for key, limit in CONFIRM_TEXT.items():
        problems += [
            f"confirm {key}: {problem}"
            for problem in text_problems(dialog.get(key), limit, plain=key not in CONFIRM_ANY_TEXT)
        ]
    if dialog.get("style") is not None and dialog["style"] not in CONFIRM_STYLES:
        problems.append(f"confirm style {dialog['style']!r} (primary or danger only)")
    return problems


def length_bound_problems(element: dict[str, Any]) -> list[str]:
    """A text input's `min_length` (0 to 3,000) and `max_length` (1 to 3,000), the least no more than the most."""
    low, high = element.get("min_length"), element.get("max_length")
    problems = []
    if low is not None and not 0 <= int(low) <= INPUT_LENGTH:
        problems.append(f"min_length {low} (0 to {INPUT_LENGTH})")
    if high is not None and not 1 <= int(high) <= INPUT_LENGTH:
        problems.append(f"max_length {high} (1 to {INPUT_LENGTH})")
    if low is not None and high is not None and int(low) > int(high):
        problems.append(f"min_length {low} over max_length {high}")
    return problems


def focus_problems(blocks: list[dict[str, Any]]) -> list[str]:
    """`focus_on_load`: "Only one element can be set to true" in a view."""
    elements = [block.get("element") or block.get("accessory") or {} for block in blocks]
    elements += [element for block in blocks for element in block.get("elements") or [] if isinstance(element, dict)]
    focused = sum(1 for element in elements if element.get("focus_on_load") is True)
    return [f"{focused} elements set to focus_on_load (one at most)"] if focused > 1 else []
