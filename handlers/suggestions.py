"""/suggest, one line or a modal, and "me too" in the team channel (the owner's buttons: suggestion_decisions.py)."""

from dataclasses import replace
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import payload, suggestion_answers
from handlers.blocks import suggestion_lists
from handlers.blocks import suggestions as blocks
from handlers.blocks.kit import Block, field_errors, text_block
from handlers.commands import Usage, is_help, without_courtesy
from handlers.delivery import Outgoing, queue, send_now
from handlers.deps import Deps, deps_of
from handlers.errors import anonymous_request, reported
from handlers.people import action_caller, command_caller, labelled, with_newcomer_note
from handlers.suggestion_shown import Shown, show_until_current
from handlers.suggestion_typed import (
    ANSWER_SLIPPED,
    ASKED_NOT_SUGGESTED,
    TRIED_NOT_SUGGESTED,
    HeldIdea,
    held_for_anonymity,
    looks_like_a_subcommand,
    looks_like_a_try,
    looks_like_answer,
    looks_like_list,
    looks_like_mistyped_list,
)
from models import Employee, Suggestion, Workspace
from services import anonymous_dms, directory
from services.directory import Identity
from services.errors import DomainError
from services.outbox import Claimed
from services.resolutions import recent
from services.sentence_words import plain_word
from services.suggestions import backing, lifecycle, listing, thanks
from services.suggestions.lifecycle import SuggestionRequest
from services.text import echoed

USAGE = Usage(
    command="/suggest",
    purpose="send an idea or a problem that keeps coming back to the person who can act on it.",
    forms=(
        ("/suggest", "open a form: what, why, category, one of your fixes, and whether to send it anonymously"),
        ("/suggest your idea...", "send it at once, with your name, to your manager"),
        ("/suggest anonymous: your idea...", "open the form with it, ticked to send it anonymously"),
        ("/suggest list", "your suggestions and, if you answer some, those waiting on you (HR and admins: on anyone)"),
        ("/suggest answer #N", "HR and admins: a copy of suggestion N's card in your DMs, to answer it (any open one)"),
        ("/suggest help", "show this help"),
    ),
)
NOTE_NEEDED = ("done", "not_doing")


def suggest_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    text = command.get("text", "").strip()
    deps = deps_of(context)
    if is_help(text):
        ack(text=USAGE.text())
    elif not text:
        open_suggest_modal(ack, client, context, command, respond)
    elif plain_word(asked := " ".join(without_courtesy(text.split())) or text) == "list":  # `list, please`, `List.`
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            content = list_for(session, deps, identity.workspace, identity.employee)
        ack(text="Your suggestions", blocks=content)
    elif (number := suggestion_answers.asked_number(asked)) is not None:
        suggestion_answers.answer_asked(ack, command, context, client, respond, number)
    elif looks_like_answer(asked):
        ack(text=USAGE.text(ANSWER_SLIPPED.format(typed=echoed(asked))))
    elif looks_like_list(asked):
        ack(text=USAGE.text(f"`/suggest list` takes nothing after it (you typed `{echoed(text)}`)."))
    elif looks_like_mistyped_list(asked):
        ack(text=USAGE.text(f"`{echoed(text)}` looks like `/suggest list` mistyped, so I sent nothing."))
    elif looks_like_a_subcommand(asked):
        ack(text=USAGE.text(ASKED_NOT_SUGGESTED.format(word=echoed(asked))))
    elif looks_like_a_try(text):
        ack(text=USAGE.text(TRIED_NOT_SUGGESTED.format(word=echoed(text))))
    elif (held := held_for_anonymity(text)) is not None:
        open_suggest_modal(ack, client, context, command, respond, held=held)
    else:
        submit_suggestion(ack, command, context, client, SuggestionRequest(what=text))


def list_for(session: Session, deps: Deps, workspace: Workspace, employee: Employee) -> list[Block]:
    lists = listing.lists_for(session, workspace=workspace, employee=employee, relay=deps.relay, now=deps.now())
    return suggestion_lists.list_blocks(lists.mine, lists.waiting, lists.team, lists.others, tz=employee.tz)


def open_suggest_modal(
    ack: Ack,
    client: WebClient,
    context: BoltContext,
    command: dict[str, Any],
    respond: Respond,
    *,
    held: HeldIdea | None = None,
) -> None:
    """The /suggest form, empty or holding an idea typed in one line that spoke of anonymity."""
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            directory.require_active(identity.employee)
            settings, _threshold = lifecycle.settings_of(session, identity.workspace)
            fixes = recent.fixes_as_shown(session, identity.workspace, identity.employee)
    except DomainError as error:
        ack(text=f":warning: {error}")
        return
    ack()
    with reported(command, respond):
        form = blocks.suggest_modal(settings.categories, fixes, held=held)
        client.views_open(trigger_id=command["trigger_id"], view=form)


def submit_suggestion(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, request: SuggestionRequest
) -> None:
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            what = labelled(session, context, identity.workspace, request.what)
            suggestion, claimed = record_suggestion(session, deps, identity, replace(request, what=what))
            reply = with_newcomer_note(blocks.confirmation(suggestion), identity)
    except DomainError as error:
        ack(text=f":warning: {error}")
        return
    ack(text=reply)
    with reported(command):
        send_now(deps, client, claimed)


def submit_suggest_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    request = payload.parsed(blocks.parse_suggest_modal, payload.state_values(view))
    if request.anonymous:
        anonymous_request(context)
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            suggestion, claimed = record_suggestion(session, deps, identity, request)
            told = told_sent(suggestion, identity.workspace)
            claimed += queue(session, workspace_id=suggestion.workspace_id, messages=[told], now=deps.now())
    except DomainError as error:
        ack(**field_errors(error.field or blocks.WHAT, str(error)))
        return
    ack()
    done = "Your suggestion was sent anonymously" if suggestion.anonymous else "Your suggestion was sent"
    with reported(body, client=client, done=done, anonymous=suggestion.anonymous, context=context):
        send_now(deps, client, claimed)


def told_sent(suggestion: Suggestion, workspace: Workspace) -> Outgoing:
    """The form's answer, a DM to its author (sealed when anonymous), queued with the suggestion after the owner's
    card: one Slack refuses just then is sent by the background sender, never lost and never sent twice. An anonymous
    author's goes under the prefix forgotten within the hour (services/anonymous_dms.py): a row kept would keep the
    moment the idea was sent, which its release hides (services/suggestions/release.py)."""
    author = suggestion.author.slack_id if suggestion.author is not None else suggestion.author_seal
    said = blocks.confirmation(suggestion)
    return Outgoing(
        key=f"{anonymous_dms.key_prefix(workspace) if suggestion.anonymous else ''}suggestion:{suggestion.id}:sent",
        method="chat.postMessage",
        payload={"channel": author, "text": blocks.to_the_author(suggestion, said), "blocks": [text_block(said)]},
    )


def record_suggestion(
    session: Session, deps: Deps, identity: Identity, request: SuggestionRequest
) -> tuple[Suggestion, list[Claimed]]:
    """The suggestion, and its owner's card (and channel post) queued in the same transaction; an anonymous one's
    wait for its release (handlers/jobs/release_suggestions.py)."""
    suggestion = lifecycle.submit(
        session,
        workspace=identity.workspace,
        author=identity.employee,
        request=request,
        relay=deps.relay,
        now=deps.now(),
    )
    return suggestion, queue_new_suggestion(session, suggestion, deps.now()) if suggestion.is_released else []


def queue_new_suggestion(session: Session, suggestion: Suggestion, now: datetime) -> list[Claimed]:
    """The owner's card with its buttons and, when the policy names the team's channel, the post colleagues back."""
    messages = [
        Outgoing(
            key=f"suggestion:{suggestion.id}:owner",
            method="chat.postMessage",
            payload={
                "channel": suggestion.owner.slack_id,
                "text": f"New suggestion #{suggestion.number}",
                "blocks": blocks.owner_card(suggestion),
            },
        )
    ]
    channel = thanks.team_channel(session, session.get_one(Workspace, suggestion.workspace_id), suggestion)
    if channel is not None:
        messages.append(
            Outgoing(
                key=backing.channel_posts_key(suggestion.id),
                method="chat.postMessage",
                payload={
                    "channel": channel,
                    "text": f"New suggestion #{suggestion.number}",
                    "blocks": blocks.channel_post(suggestion),
                },
            )
        )
    return queue(session, workspace_id=suggestion.workspace_id, messages=messages, now=now)


# -- "me too" ----------------------------------------------------------------------------------------
def back_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    number = payload.id_value(action)
    ack()
    deps = deps_of(context)
    container = body.get("container") or {}
    clicked = (str(container.get("channel_id")), str(container.get("message_ts")))
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            suggestion, new = backing.back(
                session,
                workspace=identity.workspace,
                number=number,
                backer=identity.employee,
                clicked=clicked,
                relay=deps.relay,
                now=deps.now(),
            )
            shown, stored = Shown.of(session, suggestion), (suggestion.workspace_id, suggestion.id)
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral", replace_original=False)
        return
    said, count = "You back" if new else "You already back", shown.stood[1]
    with reported(body, respond):
        respond(
            text=f"{said} suggestion #{number} ({count} colleague{'s' if count != 1 else ''} so far).",
            response_type="ephemeral",
            replace_original=False,
        )
        # Shown again to someone who already backs it: what a click before could not show (Slack was busy), it shows.
        show_until_current(deps, client, stored, shown, posts=[clicked], cards=[], posts_first=True)


def register(app: App) -> None:
    app.command("/suggest")(suggest_command)
    app.view(blocks.SUGGEST_MODAL)(submit_suggest_modal)
    app.action(blocks.BACK)(back_clicked)
