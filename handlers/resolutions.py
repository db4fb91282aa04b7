"""/resolve, the decider's Approve / Decline buttons and the decline-reason modal."""

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import payload, unknown_deciders
from handlers.blocks import resolutions as blocks
from handlers.blocks.kit import Block, field_errors, named, text_block
from handlers.blocks.resolutions import ResolveForm
from handlers.commands import Usage, is_help
from handlers.delivery import Outgoing, queue, send_now
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.late_replies import answer_through
from handlers.people import (
    NEW_EMPLOYEE_NOTE,
    action_caller,
    command_caller,
    labelled,
    learn_if_wanted,
    refused_before_a_form,
    vet_with_slack,
)
from services.directory import Identity
from services.errors import DomainError
from services.money import (
    parse_amount,
)
from services.outbox import Claimed
from services.policy.versions import ActivePolicy, BoundaryRule
from services.resolutions import fixes as resolutions
from services.resolutions.fixes import Logged, ResolutionRequest
from services.resolutions.typed import CategoryNotFirst, NamedFirst, read_one_liner, to_request

USAGE = Usage(
    command="/resolve",
    purpose="log something you did on the spot to fix a customer's problem.",
    forms=(
        ("/resolve", "open a form"),
        ("/resolve refund 45 order 1234 arrived late", "log a fix in one line: category, amount, what happened"),
        ("/resolve reschedule moved the delivery to Friday", "no amount when no money is involved"),
        ("ref:ABC123 · outcome:happy", "optional, anywhere in the line: the customer reference and how they left"),
        ("/boundaries", "see your categories and limits"),
        ("/resolve help", "show this help"),
    ),
)
MODAL_FIELDS = {
    "amount": blocks.AMOUNT,
    "summary": blocks.SUMMARY,
    "customer_ref": blocks.CUSTOMER_REF,
    "category": blocks.CATEGORY,
    "customer_outcome": blocks.OUTCOME,
}
"""Which modal input shows an error about each field (anything else shows under the summary)."""
LOGGED = "Your fix was logged"
Policy = tuple[ActivePolicy, dict[str, BoundaryRule]]
"""What `categories_to_log` returns: the active policy and the caller's rules by category."""
SHOWN_WITH_USAGE = (resolutions.UnknownCategory, CategoryNotFirst, NamedFirst)
"""Refusals of how the line is laid out, answered with the ways to type it."""


def resolve_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    text = command.get("text", "").strip()
    if is_help(text):
        ack(text=USAGE.text())
        return
    deps = deps_of(context)
    if not text:
        open_resolve_modal(ack, command, context, client, respond)
        return
    answer: Callable[..., object] = ack  # until Slack must be asked about the caller: then after the ack
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            done = None if identity.may_be_a_guest else _log_one_liner(session, context, identity, text)
        if done is None:  # Slack says whether they are a guest, after the ack; then they are answered
            ack()
            answer = partial(answer_through, respond, response_type="ephemeral")
            vet_with_slack(client, deps, identity.employee)  # still unvetted when Slack did not answer: refused
            with deps.sessions.begin() as session:
                done = _log_one_liner(session, context, command_caller(session, context, command), text)
    except DomainError as error:
        answer(text=USAGE.text(str(error)) if isinstance(error, SHOWN_WITH_USAGE) else f":warning: {error}")
        return
    logged, requests = done
    with reported(command, respond, client, done=LOGGED, context=context):  # lost, the fix is not to be logged again
        shown = _with_note(blocks.confirmation(logged), identity.newly_added)
        answer(text=blocks.confirmation_text(logged), blocks=shown)
    with reported(command, respond, client, done=LOGGED, context=context):
        unknown_deciders.send_requests(deps, client, respond, requests)
        if answer is ack:  # Slack was not asked about them yet
            learn_if_wanted(client, deps, identity)


def _log_one_liner(
    session: Session, context: BoltContext, identity: Identity, text: str
) -> tuple[Logged, list[Claimed]]:
    """Log a fix typed in one line, and queue the requests it causes."""
    now = deps_of(context).now()
    policy = resolutions.categories_to_log(session, identity.employee)
    line = read_one_liner(labelled(session, context, identity.workspace, text), policy[1])
    logged = resolutions.log_resolution(
        session,
        employee=identity.employee,
        request=to_request(line, policy[1][line.category], policy[0].policy.currency),
        now=now,
        policy=policy,
    )
    requests = queue(session, workspace_id=logged.resolution.workspace_id, messages=approval_requests(logged), now=now)
    return logged, requests


def _with_note(content: list[Block], newly_added: bool) -> list[Block]:
    return [text_block(NEW_EMPLOYEE_NOTE), *content] if newly_added else content


def open_resolve_modal(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            active, rules = resolutions.categories_to_log(session, identity.employee)
    except DomainError as error:
        ack(text=f":warning: {error}")
        return
    if not rules:
        ack(text=":warning: Your profile has no categories in the policy yet. Ask HR to add some.")
        return
    ack()
    with reported(command, respond):
        refused = refused_before_a_form(client, deps, identity)
        if refused is not None:
            respond(text=f":warning: {refused}", response_type="ephemeral")
            return
        client.views_open(trigger_id=command["trigger_id"], view=blocks.resolve_modal(rules, active.policy.currency))
        if not identity.may_be_a_guest:  # else Slack was just asked
            learn_if_wanted(client, deps, identity)


def submit_resolve_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Checked inside the ack (errors show on the form). When Slack must first say whether the caller, whom the org
    file does not list, is a guest (Slack did not answer when the form opened), the fields are checked inside the ack,
    the fix logged after it: a refusal then comes as a DM, the form being closed by then."""
    form = blocks.parse_resolve_modal(payload.state_values(view))
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            if identity.may_be_a_guest:
                policy, request = _form_request(session, identity, form)
                resolutions.checked_rule(request, policy[1], policy[0].policy.currency)
            claimed = None if identity.may_be_a_guest else _log_from_form(session, context, identity, form)
    except DomainError as error:
        ack(**field_errors(MODAL_FIELDS.get(error.field or "", blocks.SUMMARY), str(error)))
        return
    ack()
    if claimed is None:
        with reported(body, client=client, context=context):
            _log_after_asking_slack(context, client, body, identity, form)
        return
    with reported(body, client=client, done=LOGGED, context=context):
        send_now(deps, client, claimed)
        learn_if_wanted(client, deps, identity)


def _log_after_asking_slack(
    context: BoltContext, client: WebClient, body: dict[str, Any], identity: Identity, form: ResolveForm
) -> None:
    deps = deps_of(context)
    try:
        vet_with_slack(client, deps, identity.employee, identity.slack_person)
        with deps.sessions.begin() as session:
            claimed = _log_from_form(session, context, action_caller(session, context, body), form)
    except DomainError as error:
        client.chat_postMessage(channel=body["user"]["id"], text=f":warning: Your fix was not logged: {error}")
        return
    with reported(body, client=client, done=LOGGED, context=context):
        send_now(deps, client, claimed)


def _log_from_form(session: Session, context: BoltContext, identity: Identity, form: ResolveForm) -> list[Claimed]:
    """Log the form's fix, and queue the requests it causes with the DM that confirms it."""
    now = deps_of(context).now()
    policy, request = _form_request(session, identity, form)
    logged = resolutions.log_resolution(session, employee=identity.employee, request=request, now=now, policy=policy)
    messages = [*approval_requests(logged), confirmation_dm(logged)]
    return queue(session, workspace_id=logged.resolution.workspace_id, messages=messages, now=now)


def _form_request(session: Session, identity: Identity, form: ResolveForm) -> tuple[Policy, ResolutionRequest]:
    policy = resolutions.categories_to_log(session, identity.employee)
    amount = parse_amount(form.amount, policy[0].policy.currency) if form.amount else Decimal(0)
    request = ResolutionRequest(
        category=form.category,
        amount=amount,
        summary=form.summary,
        customer_ref=form.customer_ref,
        customer_outcome=form.outcome,
    )
    return policy, request


def confirmation_dm(logged: Logged) -> Outgoing:
    """The form's answer, a DM to the employee: queued with the fix, after the deciders' requests, so a DM Slack
    refuses holds up nobody's request and is sent again by the background sender."""
    resolution = logged.resolution
    return Outgoing(
        key=f"resolution-logged:{resolution.id}",
        method="chat.postMessage",
        payload={
            "channel": resolution.employee.slack_id,
            "text": blocks.confirmation_text(logged),
            "blocks": blocks.confirmation(logged),
        },
    )


def approval_requests(logged: Logged) -> list[Outgoing]:
    """The messages that ask the deciders about a request outside the boundaries (none when within)."""
    resolution = logged.resolution
    heading = f"*{named(resolution.employee)} needs your decision* on a fix outside their boundaries:"
    return [
        Outgoing(
            key=f"resolution:{resolution.id}:request:{decider.slack_id}",
            method="chat.postMessage",
            payload={
                "channel": decider.slack_id,
                "text": blocks.decision_needed_text(resolution),
                "blocks": blocks.approval_request(resolution, logged.history, heading=heading),
            },
        )
        for decider in logged.deciders
    ]


def register(app: App) -> None:
    app.command("/resolve")(resolve_command)
    app.view(blocks.RESOLVE_MODAL)(submit_resolve_modal)
