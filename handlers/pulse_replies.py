"""Replies to anonymous pulse comments: a manager's reply goes to the author, their answer comes back; nobody
learns who (services/pulse/relay.py).

Each message is queued with the reply (or answer) in one transaction and waits a random few minutes in the outbox,
its recipient sealed (handlers/pulse_relay_outbox.py): sent at once, it would light up its reader's phone while its
sender watched. The sender's form says when it will arrive, and why not at once.
"""

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers import payload
from handlers import pulse_relay_outbox as relay_outbox
from handlers.blocks import pulse_relay as relay_blocks
from handlers.blocks import pulse_results as result_blocks
from handlers.blocks.kit import field_errors
from handlers.deps import deps_of
from handlers.errors import anonymous_request, reported
from handlers.form_seals import opened, sealed
from handlers.people import action_caller
from handlers.timely import notice_view
from services.errors import DomainError
from services.pulse import relay as pulse_relay
from services.pulse.relay import RELAY_DELAY_MINUTES

_LATER = "at a random moment {} to {} minutes after you send it".format(*RELAY_DELAY_MINUTES)


def open_reply(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    comment_id = payload.id_value(action, below_zero=True)
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
    intro = f"The bot sends this to the comment's author without telling you who they are, {_LATER}."
    view = result_blocks.message_modal(result_blocks.REPLY_CALLBACK, comment_id, "Reply to a comment", intro)
    with reported(body, respond):
        client.views_open(trigger_id=body["trigger_id"], view=sealed(deps, view, body["user"]["id"]))


def open_answer_reply(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    to = payload.parsed(result_blocks.parse_answer_button, action)
    if to.round_id is None:  # a button sent before it carried the round: its message's comment names it
        to = replace(to, comment=result_blocks.quoted_comment(body.get("message")))
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
    intro = (
        f"The bot sends this to the manager without your name, {_LATER}: they still won't know it's you. "
        "You can answer each reply once."
    )
    subject = result_blocks.answer_value(to)
    view = result_blocks.message_modal(result_blocks.ANSWER_REPLY_CALLBACK, subject, "Answer anonymously", intro)
    with reported(body, respond, anonymous=True):
        client.views_open(trigger_id=body["trigger_id"], view=sealed(deps, view, body["user"]["id"]))


def submit_reply(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    deps = deps_of(context)
    comment_id, text = payload.parsed(result_blocks.parse_message, opened(deps, body, view))
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            manager, now = identity.employee, deps.now()
            relayed = pulse_relay.reply_to_comment(
                session,
                workspace=identity.workspace,
                manager=manager,
                comment_id=comment_id,
                text=text,
                relay_key=deps.relay_key,
                now=now,
            )
            message = relay_blocks.reply_to_author(relayed, manager.name)
            relay_outbox.queue_relayed(
                session,
                deps,
                workspace=identity.workspace,
                relayed=relayed,
                message=message,
                sender=manager.slack_id,
                kind="reply",
                now=now,
            )
    except DomainError as error:
        ack(**field_errors(result_blocks.MESSAGE_BLOCK, str(error)))
        return
    ack(response_action="update", view=notice_view(view, relay_outbox.on_its_way("reply")))


def submit_answer_reply(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    anonymous_request(context)
    deps = deps_of(context)
    to, text = payload.parsed(result_blocks.parse_answer, opened(deps, body, view))
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            now = deps.now()
            relayed = pulse_relay.answer_reply(
                session,
                workspace=identity.workspace,
                author=identity.employee,
                to=to,
                text=text,
                relay_key=deps.relay_key,
                now=now,
            )
            relay_outbox.queue_relayed(
                session,
                deps,
                workspace=identity.workspace,
                relayed=relayed,
                message=relay_blocks.answer_to_manager(relayed),
                sender=identity.employee.slack_id,
                kind="answer",
                now=now,
            )
    except DomainError as error:
        ack(**field_errors(result_blocks.MESSAGE_BLOCK, str(error)))
        return
    ack(response_action="update", view=notice_view(view, relay_outbox.on_its_way("answer")))


def register(app: App) -> None:
    app.action(result_blocks.REPLY_ACTION)(open_reply)
    app.view(result_blocks.REPLY_CALLBACK)(submit_reply)
    app.action(result_blocks.ANSWER_REPLY_ACTION)(open_answer_reply)
    app.view(result_blocks.ANSWER_REPLY_CALLBACK)(submit_answer_reply)
