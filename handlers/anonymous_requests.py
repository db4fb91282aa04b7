"""Which requests come from someone acting anonymously, read from the payload alone (for an answer given before any
listener runs, as while the database is out of reach): a pulse answer, comment or the answer to a reply to one's
comment, and an anonymous suggestion's form. The listeners themselves say so with `errors.anonymous_request`."""

from typing import Any

from handlers.blocks import pulse as pulse_blocks
from handlers.blocks import pulse_results as result_blocks
from handlers.blocks import suggestions as suggestion_blocks

_ANONYMOUS_CLICKS = (
    f"{pulse_blocks.ANSWER_PREFIX}:",
    f"{pulse_blocks.CHANGE_PREFIX}:",
)
_ANONYMOUS_BUTTONS = frozenset({pulse_blocks.COMMENT_ACTION, result_blocks.ANSWER_REPLY_ACTION})
_ANONYMOUS_FORMS = frozenset({pulse_blocks.COMMENT_CALLBACK, result_blocks.ANSWER_REPLY_CALLBACK})


def sent_anonymously(payload: dict[str, Any]) -> bool:
    """Whether an interaction payload is a click or a form whose sender stays anonymous."""
    if payload.get("type") == "block_actions":
        return any(_anonymous_click(action) for action in payload.get("actions") or [] if isinstance(action, dict))
    if payload.get("type") == "view_submission":
        view = payload.get("view") or {}
        return isinstance(view, dict) and _anonymous_form(view)
    return False


def _anonymous_click(action: dict[str, Any]) -> bool:
    action_id = str(action.get("action_id") or "")
    return action_id in _ANONYMOUS_BUTTONS or action_id.startswith(_ANONYMOUS_CLICKS)


def _anonymous_form(view: dict[str, Any]) -> bool:
    callback_id = view.get("callback_id")
    if callback_id in _ANONYMOUS_FORMS:
        return True
    if callback_id != suggestion_blocks.SUGGEST_MODAL:
        return False
    values = (view.get("state") or {}).get("values") or {}
    ticked = (values.get(suggestion_blocks.ANONYMOUS) or {}).get(suggestion_blocks.ANONYMOUS) or {}
    return bool(ticked.get("selected_options"))
