"""Only what a person sees now can be clicked or submitted: a message as the app last changed it, a view still open.

Slack keeps one copy of a message and shows its changes to everyone who has it open: chat.update changes it in
place and chat.delete removes it, and a response URL's `replace_original` replaces the clicked message, an ephemeral
one included, as `delete_original` deletes it (https://docs.slack.dev/messaging/modifying-messages,
https://docs.slack.dev/reference/methods/chat.update). So a button the app replaced or removed is gone from every
screen, and a click on it is one only an attacker replaying an old payload sends. A modal is submitted only while
open: the ack's `clear` closes every view of its stack, any answer but `errors`, `update` or `push` closes the view,
and `views.update` replaces what the person sees (https://docs.slack.dev/surfaces/modals,
https://docs.slack.dev/reference/methods/views.update); a Home published again replaces the one shown. A button
sends its own `value` and a menu one of its options (https://docs.slack.dev/reference/block-kit/block-elements).

A click made before the app's change reached the screen is real: a double click (`SlackDriver.double_click`), one
built earlier with `click_payload` and sent after the change with `send_click`, or one made on a copy the test kept
(`SlackDriver.seen`) on a screen the changes since have not reached yet (`click_payload_on`). Anything else on an old
copy is a forged payload (`forged=True`).
"""

from typing import Any

from bot.fakeslack.message_clicks import ClickedMessage, as_slack_keeps, is_made_up
from bot.fakeslack.payloads import VIEW_DEFAULTS, block_elements, find_element
from bot.fakeslack.state import SlackState
from bot.fakeslack.views import ShownView

Json = dict[str, Any]


class Outdated(AssertionError):
    """A click on a button or a submission of a view the person no longer sees: Slack cannot send it."""


def as_shown_now(
    state: SlackState, clicked: ClickedMessage, action_id: str, value: str | None
) -> tuple[ClickedMessage, Json, Json]:
    """The message as Slack shows it now, and the block and element clicked in it: the element the test's copy shows,
    in the block of the same `block_id` (any block, for an id Slack made up), else `Outdated`.

    A command's ack the test built by hand (no `ts`) is taken as the test holds it."""
    held_block, held = find_element(clicked.blocks, action_id, value)
    if not clicked.ts:
        return clicked, held_block, held
    shown = shown_now(state, clicked)
    alike = [(block, element) for block in shown.blocks for element in block_elements(block) if element == held]
    same_block = [(block, element) for block, element in alike if block["block_id"] == held_block["block_id"]]
    found = same_block or (alike if is_made_up(clicked, held_block) else [])
    if not found:
        raise Outdated(f"{action_id!r} as the test's copy shows it is no longer in message {clicked.ts}: " + _REPLAYED)
    block, element = found[0]
    return shown, block, element


def shown_now(state: SlackState, clicked: ClickedMessage) -> ClickedMessage:
    """The message as Slack shows it now, else `Outdated` (deleted)."""
    now = state.find_message(clicked.channel, clicked.ts) or state.find_ephemeral(clicked.channel, clicked.ts)
    if now is None:
        raise Outdated(f"the message {clicked.ts} in {clicked.channel} was deleted: " + _REPLAYED)
    blocks = as_slack_keeps(now.get("blocks") or [], clicked.ts)
    return ClickedMessage(clicked.channel, clicked.ts, blocks, clicked.ephemeral, str(now.get("text") or ""))


def check_open(state: SlackState, view: Json, shown: ShownView | None) -> None:
    """Raise `Outdated` unless the view the test holds is open, on top of its stack, and as the app last showed it (a
    Home: the last one published for the person)."""
    if shown is None:
        raise Outdated("the view was closed or replaced since (or never shown): " + _REPLAYED)
    if state.views.covered(shown.view_id):
        raise Outdated(f"the view {shown.view_id} has another pushed over it, which Slack shows instead: " + _REPLAYED)
    differing = sorted(key for key in set(view) - SLACK_FILLED if view[key] != _as_shown(shown.definition, key))
    if differing:
        raise Outdated(f"the view {shown.view_id} was updated since the test's copy (its {differing}): " + _REPLAYED)
    home = state.home_view(shown.owner) if shown.definition.get("type") == "home" and shown.owner else None
    if home is not None and home.get("id") != shown.view_id:
        raise Outdated(f"{shown.owner}'s Home was published again since the test's copy: " + _REPLAYED)


SLACK_FILLED = frozenset(
    {"id", "team_id", "app_id", "bot_id", "app_installed_team_id", "hash", "root_view_id", "previous_view_id", "state"}
)
"""What Slack adds to the view the app sent: the test's copy may hold them or not."""


def _as_shown(definition: Json, key: str) -> Any:
    """The view's `key` as Slack shows it: the app's, else what Slack fills in for a field the app left out."""
    return definition.get(key, VIEW_DEFAULTS.get(key))


def check_value(element: Json, value: str | None) -> None:
    """Raise `Outdated` for a value the element cannot send: a button's own, or one of a menu's options."""
    if value is None:
        return
    if element.get("type", "button") == "button" and value != element.get("value", ""):
        raise Outdated(
            f"the button {element.get('action_id')!r} sends {element.get('value')!r}, not {value!r}: "
            "a test of a hand-made value says forged=True"
        )
    options = [o.get("value") for o in element.get("options") or []]
    if element.get("type") in ("static_select", "radio_buttons", "overflow") and value not in options:
        raise Outdated(
            f"{element.get('action_id')!r} offers {options}, not {value!r}: a test of a hand-made value "
            "says forged=True"
        )


_REPLAYED = "Slack sends no such request; a test of a replayed payload says forged=True"
