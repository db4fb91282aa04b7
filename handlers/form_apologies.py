"""The apology a submitted form shows when nothing was done: in the form, what was typed in it kept; and what a command
or a click is told when Slack did not check the app's token in time."""

from typing import Any

from handlers.blocks.kit import plain, text_block

SLACK_UNREACHABLE = (
    "Sorry, Slack isn't answering Latitude just now, so nothing was done. What you typed is still here: "
    "please send it again in a minute."
)
"""A form sent while Slack failed to check the app's token: no reference, as a pulse answer's sender stays anonymous."""
SLACK_NOT_ANSWERING = (
    "Sorry, Latitude couldn't reach Slack just now, so nothing was done. Please try again in a moment; if it keeps "
    "happening, tell your admin."
)
"""The same, told a command or a click (in its reply, or through its response URL): no reference either."""


def form_apology(form: dict[str, Any], apology: str) -> dict[str, Any]:
    """The ack of a submitted form that tells it nothing was done, failed before its ack: acked empty it would close,
    and what was typed in it would be lost. The apology goes under its first input, where the person sees it
    without scrolling (https://api.slack.com/surfaces/modals#displaying_errors), or, a form without inputs, in a view
    pushed over it, whose closing goes back to the form."""
    blocks = form.get("blocks") or []
    first_input = next((str(b["block_id"]) for b in blocks if b.get("type") == "input" and b.get("block_id")), None)
    if first_input is not None:
        return {"response_action": "errors", "errors": {first_input: apology}}
    return {"response_action": "push", "view": apology_view(apology)}


def apology_view(apology: str) -> dict[str, Any]:
    """A modal with the apology and a Close button only: over a form, closing it goes back to the form."""
    return {
        "type": "modal",
        "title": plain("Nothing was done"),
        "close": plain("Close"),
        "blocks": [text_block(apology)],
    }
