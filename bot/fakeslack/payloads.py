"""Pieces of what Slack sends: command text escaped as Slack escapes it, a clicked element, a submitted view's state."""

import re
import time
from typing import Any

from bot.fakeslack.envelopes import APP_ID

BOT_ID = "B0LATBOT"

# What Slack leaves as markup in a command's text with `should_escape: true`: mentions, channels,
# special mentions and links; every other `&`, `<`, `>` arrives as an HTML entity.
# https://api.slack.com/interactivity/slash-commands#creating_commands and
# https://api.slack.com/reference/surfaces/formatting#escaping
_SLACK_MARKUP = re.compile(r"(<(?:[@#!]|https?://|mailto:)[^<>]*>)")


def slack_escaped(text: str, *, as_characters: bool = False) -> str:
    """Command text as Slack sends it: `&`, `<`, `>` escaped; in the mentions and links Slack itself wrote only `&`
    (`<https://x.example/?a=1&amp;b=2>`), their brackets being Slack's markup. `as_characters`: Slack wrote none."""
    parts = [text] if as_characters else _SLACK_MARKUP.split(text)
    return "".join(
        part.replace("&", "&amp;")
        if index % 2
        else part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for index, part in enumerate(parts)
    )


def find_element(
    blocks: list[dict[str, Any]], action_id: str, value: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The element `action_id`; of several (one per block, as in a list of requests), the button whose value is
    `value`, the one the person clicks, else the first."""
    found = [
        (block, element) for block in blocks for element in block_elements(block) if element["action_id"] == action_id
    ]
    if not found:
        present = [e.get("action_id") for b in blocks for e in (b.get("elements") or []) if isinstance(e, dict)]
        raise AssertionError(f"no element {action_id!r} in the message; it has {present}")
    return next(((b, e) for b, e in found if value is not None and e.get("value") == value), found[0])


def block_elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    """The interactive elements of a block: its elements, its accessory, an input's element."""
    candidates = list(block.get("elements") or []) + [block[key] for key in ("accessory", "element") if block.get(key)]
    return [element for element in candidates if isinstance(element, dict) and element.get("action_id")]


UNTOUCHED: Any = object()
"""What `state_value` is given for an input the person left alone."""

# Where each input keeps its initial value and where Slack reports it in a view's state; an input the person
# left alone reports its initial value: https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload
# and https://docs.slack.dev/reference/block-kit/block-elements
STATE_FIELDS = {
    "plain_text_input": ("initial_value", "value"),
    "email_text_input": ("initial_value", "value"),
    "url_text_input": ("initial_value", "value"),
    "number_input": ("initial_value", "value"),
    "datepicker": ("initial_date", "selected_date"),
    "timepicker": ("initial_time", "selected_time"),
    "datetimepicker": ("initial_date_time", "selected_date_time"),
    "users_select": ("initial_user", "selected_user"),
    "multi_users_select": ("initial_users", "selected_users"),
    "conversations_select": ("initial_conversation", "selected_conversation"),
    "multi_conversations_select": ("initial_conversations", "selected_conversations"),
    "channels_select": ("initial_channel", "selected_channel"),
    "multi_channels_select": ("initial_channels", "selected_channels"),
    "static_select": ("initial_option", "selected_option"),
    "external_select": ("initial_option", "selected_option"),
    "radio_buttons": ("initial_option", "selected_option"),
    "multi_static_select": ("initial_options", "selected_options"),
    "multi_external_select": ("initial_options", "selected_options"),
    "checkboxes": ("initial_options", "selected_options"),
}
TEXT_INPUTS = ("plain_text_input", "email_text_input", "url_text_input", "number_input")


def view_state(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A submitted view's `state.values`; `values` maps an input's action_id or block_id to what was entered."""
    inputs = [block for block in view.get("blocks") or [] if block.get("type") == "input"]
    ids = {key for block in inputs for key in (block["block_id"], block["element"]["action_id"])}
    if set(values) - ids:
        raise AssertionError(f"no input {sorted(set(values) - ids)} in the view; it has {sorted(ids)}")
    state: dict[str, dict[str, Any]] = {}
    for block in inputs:
        action_id, block_id = block["element"]["action_id"], block["block_id"]
        entered = values.get(action_id, values.get(block_id, UNTOUCHED))
        state[block_id] = {action_id: state_value(block["element"], entered)}
    return {"values": state}


def state_value(element: dict[str, Any], entered: Any = UNTOUCHED) -> dict[str, Any]:
    """An input's entry in `view.state.values`: what the person entered, or, left alone, its initial value.

    `entered` is what they typed or picked: text, a date, a user id, an option's value, or a list of those for a
    multi-select or checkboxes; [] unticks every box and None (or "") empties a field, which Slack reports as null.
    """
    kind = str(element.get("type") or "plain_text_input")
    initial, reported = STATE_FIELDS.get(kind, ("initial_value", "value"))
    many = kind.startswith("multi_") or kind == "checkboxes"
    if entered is UNTOUCHED:
        value = element.get(initial)
        return {"type": kind, reported: list(value or []) if many else value}
    picked = _listed(entered) if many else [] if entered in (None, "") else [entered]
    if reported.startswith("selected_option"):
        picked = [_option(element, value) for value in picked]
    elif kind in TEXT_INPUTS:
        picked = [str(value) for value in picked]
    return {"type": kind, reported: picked if many else next(iter(picked), None)}


def _option(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """The option object picked; an external select's options come from the app's options listener, so any value."""
    offered: list[dict[str, Any]] = list(element.get("options") or [])
    offered += [option for group in element.get("option_groups") or [] for option in group.get("options") or []]
    found = next((option for option in offered if option.get("value") == value), None)
    if found is None and "external" in str(element.get("type")):
        return {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)}
    if found is None:
        values = [option.get("value") for option in offered]
        raise AssertionError(f"no option {value!r} in {element.get('action_id')!r}; it offers {values}")
    return found


def _listed(entered: Any) -> list[Any]:
    if entered is None:
        return []
    if not isinstance(entered, list | tuple):
        raise AssertionError(f"a multi-select or checkboxes takes a list of what is picked, not {entered!r}")
    return list(entered)


def clicked_action(block: dict[str, Any], element: dict[str, Any], value: str | None) -> dict[str, Any]:
    """The `actions` entry of a click on `element`: a button's value, or the option picked in a menu."""
    action = {
        "action_id": element["action_id"],
        "block_id": block.get("block_id", "b"),
        "type": element.get("type", "button"),
        "action_ts": f"{time.time():.6f}",
    }
    if element.get("type", "button") == "button":
        action.update(value=value if value is not None else element.get("value", ""), text=element.get("text"))
    elif element.get("type") in ("static_select", "radio_buttons"):
        options = {o["value"]: o for o in element.get("options", [])}
        action["selected_option"] = options.get(value, {"value": value})
    return action


VIEW_DEFAULTS: dict[str, Any] = {
    "private_metadata": "",
    "callback_id": "",
    "external_id": "",
    "clear_on_close": False,
    "notify_on_close": False,
    "type": "modal",
}
"""What Slack fills in for a field of a view the app left out."""


def view_as_sent(
    view: dict[str, Any],
    view_id: str,
    view_hash: str,
    team_id: str,
    *,
    installed_by: str,
    root_view_id: str | None = None,
    previous_view_id: str | None = None,
) -> dict[str, Any]:
    """A view as Slack holds it, in a payload, an `app_home_opened` event or a views method's answer: with the fields
    Slack fills in (empty strings and false where the app set none, an empty state, the app's ids, the stack it is in:
    `root_view_id` is its own id for a Home or a modal opened, `previous_view_id` the view it was pushed over) and the
    workspace, or for an org-wide install the org (`E…`), that installed the app, which Bolt reads first to authorize
    the request (https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload,
    https://docs.slack.dev/reference/events/app_home_opened, https://docs.slack.dev/reference/methods/views.publish)."""
    shown = {**VIEW_DEFAULTS, "state": {"values": {}}, **view}
    made = {"hash": view_hash, "root_view_id": root_view_id or view_id, "previous_view_id": previous_view_id}
    ids = {"id": view_id, "team_id": team_id, "app_id": APP_ID, "bot_id": BOT_ID, "app_installed_team_id": installed_by}
    return {**shown, **made, **ids}
