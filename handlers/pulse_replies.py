"""Replies to anonymous pulse comments: a manager's reply goes to the author, their answer comes back; nobody
learns who (services/pulse/relay.py).

These are the one kind of message to someone else sent straight to Slack, not through the outbox: a delivery row
would keep the author's user id next to the reply, which is exactly the link the relay exists to hide.
A reply lost to a crash stays lost; an author's id, once written down, cannot be taken back. A message Slack refuses
is told to its sender in a DM, with its text to send again (a refused reply is withdrawn: there is nothing to answer).
"""

import logging
from typing import Any, Literal

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from handlers import payload
from handlers.blocks import pulse_results as result_blocks
from handlers.blocks.kit import field_errors
from handlers.deps import deps_of
from handlers.errors import anonymous_request, reported
from handlers.people import action_caller
from services.errors import DomainError
from services.pulse import relay as pulse_relay

log = logging.getLogger(__name__)

RelayOutcome = Literal["sent", "refused", "unconfirmed"]


def open_reply(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    comment_id = payload.id_value(action)
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            pulse_relay.check_reply_allowed(
                session,
                workspace=identity.workspace,
                manager=identity.employee,
                comment_id=comment_id,
                relay_key=deps.relay_key,
                now=deps.now(),
            )
    except DomainError as error:
        respond(text=str(error), response_type="ephemeral", replace_original=False)
        return
    intro = "The bot sends this to the comment's author without telling you who they are."
    view = result_blocks.message_modal(result_blocks.REPLY_CALLBACK, comment_id, "Reply to a comment", intro)
    with reported(body, respond):
        client.views_open(trigger_id=body["trigger_id"], view=view)


def open_answer_reply(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    to = payload.parsed(result_blocks.parse_answer_button, action)
    anonymous_request(context)  # only a comment's author holds the button: a reference would name them
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            pulse_relay.check_answer_allowed(
                session,
                workspace=identity.workspace,
                author=identity.employee,
                to=to,
                relay_key=deps.relay_key,
                now=deps.now(),
            )
    except DomainError as error:
        respond(text=str(error), response_type="ephemeral", replace_original=False)
        return
    intro = "The bot sends this to the manager without your name: they still won't know it's you."
    subject = result_blocks.answer_value(to)
    view = result_blocks.message_modal(result_blocks.ANSWER_REPLY_CALLBACK, subject, "Answer anonymously", intro)
    with reported(body, respond, anonymous=True):
        client.views_open(trigger_id=body["trigger_id"], view=view)


def submit_reply(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    comment_id, text = payload.parsed(result_blocks.parse_message, view)
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            manager = identity.employee
            relayed = pulse_relay.reply_to_comment(
                session,
                workspace=identity.workspace,
                manager=manager,
                comment_id=comment_id,
                text=text,
                relay_key=deps.relay_key,
                now=deps.now(),
            )
    except DomainError as error:
        ack(**field_errors(result_blocks.MESSAGE_BLOCK, str(error)))
        return
    ack()
    outcome = relay(client, relayed.recipient, result_blocks.reply_to_author(relayed, manager.name))
    if outcome == "sent":
        return
    if outcome == "refused":
        with deps.sessions.begin() as session:
            pulse_relay.withdraw_reply(session, reply_id=relayed.reply_id)
    told = result_blocks.not_relayed("reply", "the comment's author", relayed.text, refused=outcome == "refused")
    tell_sender(client, manager.slack_id, told)


def submit_answer_reply(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    to, text = payload.parsed(result_blocks.parse_answer, view)
    anonymous_request(context)
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            relayed = pulse_relay.answer_reply(
                session,
                workspace=identity.workspace,
                author=identity.employee,
                to=to,
                text=text,
                relay_key=deps.relay_key,
                now=deps.now(),
            )
    except DomainError as error:
        ack(**field_errors(result_blocks.MESSAGE_BLOCK, str(error)))
        return
    ack()
    outcome = relay(client, relayed.recipient, result_blocks.answer_to_manager(relayed))
    if outcome != "sent":
        told = result_blocks.not_relayed("answer", "the manager", relayed.text, refused=outcome == "refused")
        tell_sender(client, identity.employee.slack_id, told)


def relay(client: WebClient, recipient: str, message: dict[str, Any]) -> RelayOutcome:
    """Send a relayed message straight to Slack; "unconfirmed" when Slack did not answer (it may have arrived).
    The log names nobody: who receives a reply is who wrote the comment."""
    try:
        client.chat_postMessage(channel=recipient, **message)
    except SlackApiError as error:
        log.warning("Slack refused a relayed pulse message: %s", error.response.get("error"))
        return "refused"
    except (OSError, SlackClientError) as error:
        log.warning("Slack did not confirm a relayed pulse message: %s", type(error).__name__)
        return "unconfirmed"
    return "sent"


def tell_sender(client: WebClient, sender: str, told: dict[str, Any]) -> None:
    try:
        client.chat_postMessage(channel=sender, **told)
    except (OSError, SlackClientError) as error:
        log.warning("could not tell the sender of a relayed pulse message that it failed: %s", type(error).__name__)


def register(app: App) -> None:
    app.action(result_blocks.REPLY_ACTION)(open_reply)
    app.view(result_blocks.REPLY_CALLBACK)(submit_reply)
    app.action(result_blocks.ANSWER_REPLY_ACTION)(open_answer_reply)
    app.view(result_blocks.ANSWER_REPLY_CALLBACK)(submit_answer_reply)
