"""The DMs of a reply to an anonymous pulse comment and its author's answer, relayed without naming who receives
them (services/pulse/relay.py), and what their senders are told of them."""

from typing import Any

from handlers.blocks.kit import PRIVATE_NOTICE, button, quote, text_block
from handlers.blocks.pulse_results import ANSWER_REPLY_ACTION, REPLY_ACTION, YOUR_COMMENT, answer_value
from services.pulse.relay import AnswerTo, Relayed
from services.text import escape_mrkdwn


def reply_to_author(relayed: Relayed, manager_name: str) -> dict[str, Any]:
    """The DM to a comment's author: their manager's reply. The manager does not know who receives it, nor may a
    glance at the author's screen tell them (kit.PRIVATE_NOTICE)."""
    text = f"{escape_mrkdwn(manager_name)} replied to your anonymous pulse comment. They don't know it's you."
    return {
        "text": PRIVATE_NOTICE,
        "blocks": [
            text_block(text),
            text_block(f"{YOUR_COMMENT}{quote(relayed.comment)}"),
            text_block(f"Their reply:\n{quote(relayed.text)}"),
            {
                "type": "actions",
                "elements": [button(ANSWER_REPLY_ACTION, "Answer anonymously", answer_value(_answer_to(relayed)))],
            },
        ],
    }


def relay_on_its_way(what: str, to: str, low: int, high: int) -> str:
    """What the sender of `what` (a reply, an answer) sees once it is queued: when it arrives, and why not at once."""
    return (
        f"Your {what} is on its way to {to}. It arrives at a random moment {low} to {high} minutes from now, "
        "so that nobody can tell who received it by watching who looks at their phone."
    )


def relay_not_delivered(what: str, to: str, text: str) -> dict[str, Any]:
    """The DM to whoever sent `what` (a reply, an answer) that Slack refused for good, with their text; a reply
    refused is withdrawn, so nobody is left holding an answer button for it. An answer's sender is a comment's author,
    whose notification says nothing of it (kit.PRIVATE_NOTICE)."""
    said = f"Slack would not deliver your {what} to {to}, so it was not sent."
    if what == "reply":
        said += " It is withdrawn: there is nothing for them to answer."
    shown = said if what == "reply" else PRIVATE_NOTICE
    return {"text": shown, "blocks": [text_block(said), text_block(f"Your {what}:\n{quote(text)}")]}


def answer_to_manager(relayed: Relayed) -> dict[str, Any]:
    """The DM back to the manager: the author's answer, anonymous."""
    text = "The author of an anonymous pulse comment answered your reply."
    return {
        "text": text,
        "blocks": [
            text_block(text),
            text_block(f"The comment:\n{quote(relayed.comment)}"),
            text_block(f"Their answer:\n{quote(relayed.text)}"),
            {"type": "actions", "elements": [button(REPLY_ACTION, "Reply", str(relayed.comment_id))]},
        ],
    }


def _answer_to(relayed: Relayed) -> AnswerTo:
    return AnswerTo(relayed.reply_id, relayed.round_id)
