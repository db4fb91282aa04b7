"""Replies to anonymous pulse comments: a manager's reply goes to the author, their answer comes back; nobody
learns who (services/pulse/relay.py).

These are the one kind of message to someone else sent straight to Slack, not through the outbox: a delivery row
would keep the author's user id next to the reply, which is exactly the link the relay exists to hide.
A reply lost to a crash stays lost; an author's id, once written down, cannot be taken back. A message Slack refuses
is told to its sender in a DM, with its text to send again (a refused reply is withdrawn: there is nothing to answer).
One Slack asks to wait for (a rate limit) is not refused: it waits in the outbox with its recipient sealed, as an
anonymous suggestion's author is (services/suggestions/relay.py), and is deleted, sent or not, when the relay ends
(services/pulse/relay.py), so the seal, which the relay's secret opens, outlives the relay in no row.
"""

import logging
import secrets
from datetime import timedelta
from typing import Any, Literal

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from handlers import payload
from handlers.blocks import pulse_results as result_blocks
from handlers.blocks.kit import field_errors
from handlers.delivery import retry_after_seconds
from handlers.deps import Deps, deps_of
from handlers.errors import anonymous_request, reported
from handlers.people import action_caller
from models import Workspace
from services import outbox
from services.errors import DomainError
from services.pulse import relay as pulse_relay
from services.pulse.relay import Relayed

log = logging.getLogger(__name__)

RelayOutcome = Literal["sent", "queued", "refused", "unconfirmed"]


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
            manager, workspace_id = identity.employee, identity.workspace.id
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
    outcome = relay(deps, client, workspace_id, relayed, result_blocks.reply_to_author(relayed, manager.name))
    if outcome in ("sent", "queued"):
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
            workspace_id = identity.workspace.id
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
    outcome = relay(deps, client, workspace_id, relayed, result_blocks.answer_to_manager(relayed))
    if outcome not in ("sent", "queued"):
        told = result_blocks.not_relayed("answer", "the manager", relayed.text, refused=outcome == "refused")
        tell_sender(client, identity.employee.slack_id, told)


def relay(deps: Deps, client: WebClient, workspace_id: int, relayed: Relayed, message: dict[str, Any]) -> RelayOutcome:
    """Send a relayed message straight to Slack; "queued" when Slack asked to wait (it goes once Slack allows),
    "unconfirmed" when Slack did not answer (it may have arrived).
    The log names nobody: who receives a reply is who wrote the comment."""
    try:
        client.chat_postMessage(channel=relayed.recipient, **message)
    except SlackApiError as error:
        if error.response.status_code == 429 and _queued(deps, workspace_id, relayed, message, error):
            log.warning("Slack asked to wait before a relayed pulse message: it is sent once Slack allows")
            return "queued"
        log.warning("Slack refused a relayed pulse message: %s", error.response.get("error"))
        return "refused"
    except (OSError, SlackClientError) as error:
        log.warning("Slack did not confirm a relayed pulse message: %s", type(error).__name__)
        return "unconfirmed"
    return "sent"


def _queued(deps: Deps, workspace_id: int, relayed: Relayed, message: dict[str, Any], error: SlackApiError) -> bool:
    """Queue the message for when Slack allows, its recipient sealed, under the round's relay prefix."""
    if deps.relay is None:
        return False
    now = deps.now()
    key = f"{pulse_relay.relayed_key_prefix(relayed.round_id)}{relayed.reply_id}:{secrets.token_hex(8)}"
    payload = {**message, "channel": deps.relay.seal(workspace_id, relayed.recipient)}
    with deps.sessions.begin() as session:
        outbox.enqueue(
            session,
            workspace=session.get_one(Workspace, workspace_id),
            key=key,
            method="chat.postMessage",
            payload=payload,
            now=now,
            send_at=now + timedelta(seconds=retry_after_seconds(error.response)),
        )
    return True


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
