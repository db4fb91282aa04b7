"""/pulse: answer the team pulse, start or close a round (HR/admin), see results (managers); the DM's buttons."""

import re
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import payload, pulse_comments, pulse_message, pulse_replies
from handlers.blocks import pulse as blocks
from handlers.blocks.kit import field_errors
from handlers.commands import Usage, is_help, unknown_argument, without_courtesy
from handlers.deps import deps_of
from handlers.errors import anonymous_request, reported
from handlers.failure_replies import FailureReply
from handlers.form_seals import opened, sealed
from handlers.people import action_caller, command_caller, person_labels, vet_with_slack, with_newcomer_note
from handlers.pulse_invitations import queue_invitations
from handlers.pulse_results import show_results
from models import Employee, Workspace
from services.directory import Identity
from services.errors import DomainError
from services.pulse import answers as pulse
from services.pulse import closing as pulse_closing
from services.pulse import rounds as pulse_rounds
from services.sentence_words import plain_word, stated_word
from services.text import plural

USAGE = Usage(
    command="/pulse",
    purpose="short anonymous polls on how your team is doing.",
    forms=(
        ("/pulse", "send me my open pulse questions again"),
        ("/pulse results", "your team's results (managers); HR and admins: the whole organisation"),
        ("/pulse results @manager", "the results of a team inside yours (HR and admins: any team)"),
        ("/pulse results org", "the whole organisation (HR and admins)"),
        ("/pulse start", "open a round for everyone now (HR and admins)"),
        ("/pulse close", "close the open round now, so its results show at once (HR and admins)"),
        ("/pulse help", "show this help"),
    ),
)
NOT_RESENT = "Your pulse questions did not reach our DM after all. "
"""Said when Slack refuses the questions `/pulse` has just said it sent."""
ANSWER_SAVED = "Your answer was saved"
"""Said when updating the questions message fails after the answer counted: never "try again"."""


def handle_pulse(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond) -> None:
    text = command.get("text", "").strip()
    words = without_courtesy(text.split())
    asked = plain_word(words[0]) if words else ""  # `Results, please`, `“results”`
    stated = stated_word(words[0]) if len(words) == 1 else ""  # `start.`; `start?`, `'start'` are asked about
    if is_help(text):
        ack(text=USAGE.text())
    elif not words:
        resend_questions(ack, command, context, client, respond)
    elif stated == "start":
        start_round(ack, command, context)
    elif stated == "close":
        close_round(ack, command, context)
    elif asked == "results":
        show_results(ack, command, context, client, respond, " ".join(words[1:]) or None, USAGE)
    else:
        ack(text=unknown_argument(USAGE, " ".join(words), person_labels(context)))  # `please reslts`


def resend_questions(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    deps = deps_of(context)
    answer: Callable[..., object] = ack  # until Slack must be asked about the caller: then after the ack
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            mine = None if identity.may_be_a_guest else _my_round(session, deps.now(), identity)
        if mine is None:  # a round asks them once Slack says they are no guest: asked now, after the ack
            ack()
            answer = partial(respond, response_type="ephemeral")
            vet_with_slack(client, deps, identity.employee)
            with deps.sessions.begin() as session:
                mine = _my_round(session, deps.now(), command_caller(session, context, command))
    except DomainError as error:
        answer(text=str(error))
        return
    done = not mine.unanswered
    reply = (
        f"You've answered every question of round {mine.round.number}, thanks! I've sent them again in case "
        "you want to change an answer."
        if done
        else f"I've sent your {plural(len(mine.unanswered), 'open pulse question')} to our DM."
    )
    answer(text=with_newcomer_note(reply, identity))
    with reported(command, FailureReply(respond, NOT_RESENT)):
        client.chat_postMessage(channel=command["user_id"], **blocks.questions_message(mine, tz=identity.employee.tz))


def _my_round(session: Session, now: datetime, identity: Identity) -> pulse.MyRound:
    return pulse.my_round(session, workspace=identity.workspace, employee=identity.employee, now=now)


def start_round(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    """Open a round and queue everyone's invitation with it; the background sender does the fan-out."""
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            started = pulse_rounds.start_round(
                session,
                workspace=identity.workspace,
                by=identity.employee,
                actor=identity.employee.slack_id,
                now=deps.now(),
            )
            number = started.number
            queue_invitations(session, workspace=identity.workspace, now=deps.now())
    except DomainError as error:
        ack(text=str(error))
        return
    ack(text=f"Pulse round {number} is open: everyone gets the questions in a DM within a minute.")
    deps.sender_bell.ring()


def close_round(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    """Close the open round early (HR/admin): it is sealed now and its results are shown under the same rule."""
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            progress = pulse_rounds.round_progress(session, workspace=identity.workspace)
            closed = pulse_closing.close_round(
                session,
                workspace=identity.workspace,
                by=identity.employee,
                actor=identity.employee.slack_id,
                now=deps.now(),
            )
            number, threshold = closed.number, closed.anonymity_threshold
    except DomainError as error:
        ack(text=str(error))
        return
    answered, invited = (progress.answered, progress.invited) if progress else (0, 0)
    turnout = f"Pulse round {number} is closed: {answered} of {invited} asked answered"
    if answered < threshold:
        ack(text=f"{turnout}, fewer than the {threshold} a result needs, so it shows none.")
        return
    ack(text=f"{turnout}. Its results are ready: `/pulse results` (add `@manager` for a team).")


def answer_question(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    question_id, value = payload.parsed(blocks.parse_answer, str(action.get("value")))
    anonymous_request(context)
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            outcome = pulse.record_answer(
                session,
                workspace=identity.workspace,
                employee=identity.employee,
                question_id=question_id,
                value=value,
                now=deps.now(),
            )
    except DomainError as error:
        respond(text=str(error), response_type="ephemeral", replace_original=False)
        return
    with reported(body, respond, done=ANSWER_SAVED, anonymous=True):
        newer = pulse_message.newer_answers(context, body, identity.employee, question_id)
        pulse_message.show_until_current(client, body.get("container") or {}, outcome.mine, newer, identity.employee.tz)


def change_answer(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    editing = payload.id_value(action)
    anonymous_request(context)
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            mine = pulse.my_round_asking(
                session, workspace=identity.workspace, employee=identity.employee, question_id=editing, now=deps.now()
            )
    except DomainError as error:
        respond(text=str(error), response_type="ephemeral", replace_original=False)
        return
    with reported(body, respond, anonymous=True):
        _update(client, body, blocks.questions_message(mine, tz=identity.employee.tz, editing=editing))


def open_comment(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    with payload.reading("comment button"):
        container = body.get("container") or {}
        placement = blocks.Placement(payload.id_value(action), container["channel_id"], container["message_ts"])
    anonymous_request(context)
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            pulse.round_taking_comments(
                session,
                workspace=identity.workspace,
                employee=identity.employee,
                round_id=placement.round_id,
                now=deps.now(),
            )
    except DomainError as error:
        respond(text=str(error), response_type="ephemeral", replace_original=False)
        return
    with reported(body, respond, anonymous=True):
        client.views_open(
            trigger_id=body["trigger_id"], view=sealed(deps, blocks.comment_modal(placement), body["user"]["id"])
        )


def submit_comment(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    deps = deps_of(context)
    placement, text = payload.parsed(blocks.parse_comment, opened(deps, body, view))
    anonymous_request(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            mine = pulse.save_comment(
                session,
                workspace=identity.workspace,
                employee=identity.employee,
                round_id=placement.round_id,
                text=text,
                relay_key=deps.relay_key,
                now=deps.now(),
            )
    except DomainError as error:
        ack(**field_errors(blocks.COMMENT_BLOCK, str(error)))
        return
    anonymous_request(context, round_id=placement.round_id)  # the comment was saved in this round, open
    ack()
    with reported(body, client=client, done="Your comment was saved", anonymous=True, context=context):
        shown = blocks.questions_message(mine, tz=identity.employee.tz)
        client.chat_update(channel=placement.channel, ts=placement.ts, **shown)


def pulse_home_section(session: Session, employee: Employee, now: datetime) -> list[dict[str, Any]]:
    """App Home: the round's questions still waiting for this person, if any."""
    workspace = session.get_one(Workspace, employee.workspace_id)
    mine = pulse.waiting_for(session, workspace=workspace, employee=employee, now=now)
    return blocks.home_section(mine) if mine else []


def _update(client: WebClient, body: dict[str, Any], message: dict[str, Any]) -> None:
    container = body.get("container") or {}
    client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **message)


def register(app: App) -> None:
    app.command("/pulse")(handle_pulse)
    app.action(re.compile(f"^{blocks.ANSWER_PREFIX}:"))(answer_question)
    app.action(re.compile(f"^{blocks.CHANGE_PREFIX}:"))(change_answer)
    app.action(blocks.COMMENT_ACTION)(open_comment)
    app.view(blocks.COMMENT_CALLBACK)(submit_comment)
    pulse_replies.register(app)
    pulse_comments.register(app)
