"""*Answer* in HR's and admins' `/suggest list`: a copy of a suggestion's card, with its owner's buttons, in a DM.

The copy is one of the suggestion's cards (suggestion_shown.py), so its buttons are the owner's, checked and
answered as theirs are (suggestion_decisions.py), and a change made from either shows on both.
"""

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import payload
from handlers.blocks import suggestions as blocks
from handlers.blocks.suggestion_lists import ANSWER
from handlers.delivery import Outgoing, queue, send_now
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.people import action_caller, command_caller
from handlers.suggestion_shown import answer_copies_prefix, latest_handover
from services import outbox_series
from services.directory import Identity
from services.errors import DomainError
from services.suggestions import lifecycle

ASKED = re.compile(r"answer\s+#?(\d{1,9})[.!]?", re.IGNORECASE)
"""`/suggest answer #N` (or `answer N`): the copy *Answer* brings, for an idea beyond what the list shows."""


def asked_number(text: str) -> int | None:
    """The N of `answer #N`, None for any other line (an idea that starts with "answer" is an idea)."""
    found = ASKED.fullmatch(text.strip())
    return int(found.group(1)) if found else None


def answer_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Checked as a status button is (only HR, admins and its owner, never its author, and only while open); a second
    click sends no second copy of the same card."""
    number = payload.id_value(action)
    ack()
    send_copy(context, client, respond, body, lambda session: action_caller(session, context, body), number)


def answer_asked(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond, number: int
) -> None:
    """`/suggest answer #N`: what *Answer* on idea N does, with the same checks and words."""
    ack()
    send_copy(context, client, respond, command, lambda session: command_caller(session, context, command), number)


def send_copy(
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    body: dict[str, Any],
    caller: Callable[[Session], Identity],
    number: int,
) -> None:
    """A copy of suggestion `number`'s card to the caller's DMs, or why not, said only to them."""
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = caller(session)
            suggestion = lifecycle.decidable(
                session, workspace=identity.workspace, number=number, decider=identity.employee, relay=deps.relay
            )
            copies = answer_copies_prefix(suggestion.id, latest_handover(session, suggestion.id))
            key = f"{copies}{identity.employee.slack_id}"
            sent_before = outbox_series.count_under(session, key_prefix=key) > 0
            copy = Outgoing(
                key=key,
                method="chat.postMessage",
                payload={
                    "channel": identity.employee.slack_id,
                    "text": f"Suggestion #{suggestion.number}, for you to answer",
                    "blocks": blocks.owner_card(suggestion),
                },
            )
            claimed = queue(session, workspace_id=identity.workspace.id, messages=[copy], now=deps.now())
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral", replace_original=False)
        return
    where = "is already in" if sent_before else "is on its way to"
    told = f"Suggestion #{number}'s card, with its buttons, {where} your DMs with me: answer it there."
    with reported(body, respond):
        send_now(deps, client, claimed)
        respond(text=told, response_type="ephemeral", replace_original=False)


def register(app: App) -> None:
    app.action(ANSWER)(answer_clicked)
