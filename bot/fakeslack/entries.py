"""What Slack's own client checks in a modal before it sends a submission: a person cannot send one that fails them.

An input that is not `optional` cannot be left empty ("whether the input element may be empty when a user submits
the modal": https://docs.slack.dev/reference/block-kit/blocks/input-block); a text input takes no more than its
`max_length` and no less than its `min_length` ("If the user provides more, they will receive an error":
https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element); a number input takes a number
(a whole one unless `is_decimal_allowed`) within `min_value` and `max_value`
(https://docs.slack.dev/reference/block-kit/block-elements/number-input-element); a multi-select takes no more than
`max_selected_items` (https://docs.slack.dev/reference/block-kit/block-elements/multi-select-menu-element).
A test of the app's own checks of such a submission sends it hand-made (`forged=True`).
"""

from decimal import Decimal, InvalidOperation
from typing import Any


class Unsendable(AssertionError):
    """A submission Slack's client would not send: it shows the person the error instead."""


def check_entries(view: dict[str, Any], values: dict[str, Any]) -> None:
    """Raise `Unsendable` for the first input of `view` whose entry (in `values`, a view's `state.values`) Slack's
    client refuses."""
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        element = block.get("element") or {}
        entry = (values.get(block.get("block_id")) or {}).get(element.get("action_id")) or {}
        problem = _problem(element, _entered(entry), optional=bool(block.get("optional")))
        if problem:
            raise Unsendable(
                f"Slack does not send this form: {block.get('block_id')!r} {problem}; a test of the app's own check "
                "says forged=True"
            )


def _entered(entry: dict[str, Any]) -> Any:
    """What the person entered or picked: the one field of the entry besides its type."""
    return next((value for key, value in entry.items() if key != "type"), None)


def _problem(element: dict[str, Any], entered: Any, *, optional: bool) -> str | None:
    if entered in (None, "", []):
        return None if optional else "is required and left empty"
    if isinstance(entered, list) and element.get("max_selected_items"):
        most = int(element["max_selected_items"])
        return f"has {len(entered)} picked, over max_selected_items {most}" if len(entered) > most else None
    if not isinstance(entered, str) or element.get("type") not in ("plain_text_input", "number_input"):
        return None
    if element.get("max_length") and len(entered) > int(element["max_length"]):
        return f"holds {len(entered)} characters, over max_length {element['max_length']}"
    if element.get("min_length") and len(entered) < int(element["min_length"]):
        return f"holds {len(entered)} characters, under min_length {element['min_length']}"
    return _number_problem(element, entered) if element.get("type") == "number_input" else None


def _number_problem(element: dict[str, Any], entered: str) -> str | None:
    try:
        number = Decimal(entered)
    except InvalidOperation:
        return f"holds {entered!r}, not a number"
    if not number.is_finite() or (not element.get("is_decimal_allowed") and number != number.to_integral_value()):
        return f"holds {entered!r}, not a whole number"
    low, high = element.get("min_value"), element.get("max_value")
    if (low is not None and number < Decimal(str(low))) or (high is not None and number > Decimal(str(high))):
        return f"holds {entered}, outside {low} to {high}"
    return None
