"""/resolve, the decider's Approve / Decline buttons and the decline-reason modal."""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers.blocks import resolutions as blocks
from handlers.commands import Usage, is_help
from handlers.delivery import Outgoing, deliver, queue, send_now
from handlers.deps import Deps, deps_of
from handlers.errors import reported
from handlers.home import build_home
from handlers.people import NEW_EMPLOYEE_NOTE, action_caller, command_caller, learn_from_slack
from models import Resolution
from services import decisions, escalations, outbox, resolutions
from services.errors import DomainError, InvalidInput
from services.money import looks_like_amount, parse_amount
from services.policy import BoundaryRule
from services.resolutions import Logged, ResolutionRequest
from services.text import escape_mrkdwn

USAGE = Usage(
    command="/resolve",
    purpose="log something you did on the spot to fix a customer's problem.",
    forms=(
        ("/resolve", "open a form"),
        ("/resolve refund 45 order 1234 arrived late", "log a fix in one line: category, amount, what happened"),
        ("/resolve reschedule moved the delivery to Friday", "no amount when no money is involved"),
        ("ref:ABC123 · outcome:happy", "optional, anywhere in the line: the customer reference and how they left"),
        ("/boundaries", "see your categories and limits"),
    ),
)
_REF = re.compile(r"\bref:(\S+)", re.IGNORECASE)
_OUTCOME = re.compile(r"\boutcome:(\S+)", re.IGNORECASE)
_NAMED_REF = re.compile(
    r"\b(order|ticket|case|booking|account|invoice)\s*#?\s*((?=[A-Za-z0-9-]*\d)[A-Za-z0-9-]+)", re.IGNORECASE
)


@dataclass(frozen=True)
class OneLiner:
    category: str
    words: list[str]


def split_one_liner(text: str) -> OneLiner:
    words = text.split()
    return OneLiner(category=words[0].lower(), words=words[1:])


def to_request(line: OneLiner, rule: BoundaryRule) -> ResolutionRequest:
    """Read the amount (when the category involves money), the reference, the outcome and the summary."""
    words = list(line.words)
    amount = Decimal(0)
    if rule.involves_money or (words and looks_like_amount(words[0])):
        if not words:
            raise InvalidInput(f"Give the amount after the category, like `/resolve {rule.category} 45 what happened`.")
        amount = parse_amount(words.pop(0))
    rest = " ".join(words)
    outcome_match = _OUTCOME.search(rest)
    outcome = outcome_match.group(1).lower() if outcome_match else None
    ref_match = _REF.search(rest)
    named = _NAMED_REF.search(rest)
    customer_ref = (
        ref_match.group(1) if ref_match else (f"{named.group(1).lower()} {named.group(2)}" if named else None)
    )
    summary = " ".join(_OUTCOME.sub("", _REF.sub("", rest)).split())
    return ResolutionRequest(
        category=rule.category, amount=amount, summary=summary, customer_ref=customer_ref, customer_outcome=outcome
    )


def resolve_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    text = command.get("text", "").strip()
    if is_help(text):
        ack(text=USAGE.text())
        return
    deps = deps_of(context)
    if not text:
        open_resolve_modal(ack, command, deps, client, respond)
        return
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, deps, command)
            policy = resolutions.categories_for(session, identity.employee)
            line = split_one_liner(text)
            rule = policy[1].get(line.category)
            if rule is None:
                raise resolutions.UnknownCategory(line.category, sorted(policy[1]))
            logged = resolutions.log_resolution(
                session, employee=identity.employee, request=to_request(line, rule), now=deps.now(), policy=policy
            )
            reply = blocks.confirmation(logged)
            requests = queue(
                session, workspace_id=logged.resolution.workspace_id, messages=approval_requests(logged), now=deps.now()
            )
    except DomainError as error:
        ack(text=USAGE.text(str(error)) if isinstance(error, resolutions.UnknownCategory) else f":warning: {error}")
        return
    ack(text=blocks.confirmation_text(logged), blocks=_with_note(reply, identity.newly_added))
    with reported(command, respond):
        send_now(deps, client, requests)
        if identity.newly_added:
            learn_from_slack(client, deps, identity.employee)


def _with_note(content: list[blocks.Block], newly_added: bool) -> list[blocks.Block]:
    return [blocks.text_block(NEW_EMPLOYEE_NOTE), *content] if newly_added else content


def open_resolve_modal(ack: Ack, command: dict[str, Any], deps: Deps, client: WebClient, respond: Respond) -> None:
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, deps, command)
            active, rules = resolutions.categories_for(session, identity.employee)
    except DomainError as error:
        ack(text=f":warning: {error}")
        return
    if not rules:
        ack(text=":warning: Your profile has no categories in the policy yet. Ask HR to add some.")
        return
    ack()
    with reported(command, respond):
        client.views_open(trigger_id=command["trigger_id"], view=blocks.resolve_modal(rules, active.policy.currency))


def submit_resolve_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    form = blocks.parse_resolve_modal(view["state"]["values"])
    deps = deps_of(context)
    try:
        amount = parse_amount(form.amount) if form.amount else Decimal(0)
        request = ResolutionRequest(
            category=form.category,
            amount=amount,
            summary=form.summary,
            customer_ref=form.customer_ref,
            customer_outcome=form.outcome,
        )
        with deps.sessions.begin() as session:
            identity = action_caller(session, deps, body)
            logged = resolutions.log_resolution(session, employee=identity.employee, request=request, now=deps.now())
            reply = blocks.confirmation(logged)
            requests = queue(
                session, workspace_id=logged.resolution.workspace_id, messages=approval_requests(logged), now=deps.now()
            )
    except DomainError as error:
        ack(response_action="errors", errors={_field_for(error, form.amount): str(error)[:300]})
        return
    ack()
    with reported(body):
        client.chat_postMessage(channel=body["user"]["id"], text=blocks.confirmation_text(logged), blocks=reply)
        send_now(deps, client, requests)


def _field_for(error: DomainError, amount_text: str) -> str:
    message = str(error).lower()
    if "amount" in message or (amount_text and amount_text in str(error)):
        return blocks.AMOUNT
    if "customer reference" in message:
        return blocks.CUSTOMER_REF
    if "categor" in message:
        return blocks.CATEGORY
    return blocks.SUMMARY


def approval_requests(logged: Logged) -> list[Outgoing]:
    """The messages that ask the deciders about a request outside the boundaries (none when within)."""
    resolution = logged.resolution
    heading = f"*{escape_mrkdwn(resolution.employee.name)} needs your decision* on a fix outside their boundaries:"
    return [
        Outgoing(
            key=f"resolution:{resolution.id}:request:{decider.slack_id}",
            method="chat.postMessage",
            payload={
                "channel": decider.slack_id,
                "text": f"{resolution.employee.name} needs your decision",
                "blocks": blocks.approval_request(resolution, logged.history, heading=heading),
            },
        )
        for decider in logged.deciders
    ]


def approve_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            decider = action_caller(session, deps, body).employee
            resolution = decisions.decide(
                session, resolution_id=int(action["value"]), decider=decider, approve=True, reason=None, now=deps.now()
            )
            announcement = Announcement.of(session, resolution)
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral", replace_original=False)
        return
    with reported(body, respond):
        announce_decision(deps, client, announcement, _request_message(body))
        refresh_where_clicked(deps, client, body, announcement)


def decline_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            decider = action_caller(session, deps, body).employee
            resolution = decisions.decidable(session, resolution_id=int(action["value"]), decider=decider)
            view = blocks.decline_modal(resolution, *_request_message(body))
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral", replace_original=False)
        return
    with reported(body, respond):
        client.views_open(trigger_id=body["trigger_id"], view=view)


def submit_decline_reason(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    resolution_id, channel, ts, reason = blocks.parse_decline_modal(view)
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            decider = action_caller(session, deps, body).employee
            resolution = decisions.decide(
                session, resolution_id=resolution_id, decider=decider, approve=False, reason=reason, now=deps.now()
            )
            announcement = Announcement.of(session, resolution)
    except DomainError as error:
        ack(response_action="errors", errors={blocks.REASON: str(error)[:300]})
        return
    ack()
    with reported(body):
        announce_decision(deps, client, announcement, (channel, ts))


def _request_message(body: dict[str, Any]) -> tuple[str, str]:
    """The clicked message when it is an approval request, which the outcome replaces whole.

    Buttons elsewhere (a digest, the App Home) are one part of a bigger view: see refresh_where_clicked.
    """
    if not _clicked_block(body).startswith(blocks.DECIDE_BLOCK_PREFIX):
        return "", ""
    container = body.get("container") or {}
    return str(container.get("channel_id") or ""), str(container.get("message_ts") or "")


def _clicked_block(body: dict[str, Any]) -> str:
    return str((body.get("actions") or [{}])[0].get("block_id") or "")


def refresh_where_clicked(deps: Deps, client: WebClient, body: dict[str, Any], announcement: "Announcement") -> None:
    """A decision made from the App Home republishes it; one made from a digest replaces just those buttons."""
    container = body.get("container") or {}
    if container.get("type") == "view":
        with deps.sessions.begin() as session:
            home = build_home(session, action_caller(session, deps, body).employee, deps.now())
        client.views_publish(user_id=body["user"]["id"], view=home)
    elif not _clicked_block(body).startswith(blocks.DECIDE_BLOCK_PREFIX) and container.get("message_ts"):
        clicked = _clicked_block(body)
        kept = [b if b.get("block_id") != clicked else announcement.decided[-1] for b in body["message"]["blocks"]]
        client.chat_update(
            channel=container["channel_id"],
            ts=container["message_ts"],
            text=body["message"].get("text") or "Updated",
            blocks=kept,
        )


@dataclass(frozen=True)
class Announcement:
    """A decision, rendered while the session is open: the deciders' new message and the employee's DM."""

    workspace_id: int
    status: str
    decided: list[blocks.Block]
    outcome: Outgoing
    requests: list[tuple[str, str]]

    @classmethod
    def of(cls, session: Session, resolution: Resolution) -> "Announcement":
        outcome = Outgoing(
            key=f"resolution:{resolution.id}:outcome",
            method="chat.postMessage",
            payload={
                "channel": resolution.employee.slack_id,
                "text": f"Your request was {resolution.status}",
                "blocks": blocks.outcome_for_employee(resolution),
            },
        )
        requests = outbox.sent_messages(session, key_prefix=f"resolution:{resolution.id}:")
        return cls(resolution.workspace_id, resolution.status, blocks.decided(resolution), outcome, requests)


def announce_decision(deps: Deps, client: WebClient, announcement: Announcement, message: tuple[str, str]) -> None:
    """Replace the buttons with the outcome (in every request, reminder and escalation sent), tell the employee."""
    for channel, ts in dict.fromkeys([message, *announcement.requests]):
        if channel and ts:
            client.chat_update(
                channel=channel, ts=ts, text=f"Request {announcement.status}", blocks=announcement.decided
            )
    deliver(deps, client, announcement.workspace_id, [announcement.outcome])


def follow_up_pending_requests(deps: Deps, client: WebClient) -> None:
    """Scheduled: remind deciders of requests waiting too long, then hand them one level up."""
    by_workspace: dict[int, list[Outgoing]] = {}
    with deps.sessions.begin() as session:
        for follow_up in escalations.due_follow_ups(session, now=deps.now()):
            resolution = follow_up.resolution
            heading = FOLLOW_UP_HEADINGS[follow_up.kind].format(name=escape_mrkdwn(resolution.employee.name))
            by_workspace.setdefault(resolution.workspace_id, []).extend(
                Outgoing(
                    key=f"resolution:{resolution.id}:{follow_up.kind}:{person.slack_id}",
                    method="chat.postMessage",
                    payload={
                        "channel": person.slack_id,
                        "text": f"{resolution.employee.name} is waiting",
                        "blocks": blocks.approval_request(resolution, [], heading=heading),
                    },
                )
                for person in follow_up.recipients
            )
    for workspace_id, messages in by_workspace.items():
        deliver(deps, client, workspace_id, messages)


FOLLOW_UP_HEADINGS = {
    "reminder": "⏰ *Reminder:* {name} is still waiting for your decision:",
    "escalation": "⏫ {name}'s request has waited too long for their manager, so it comes to you:",
}


def register(app: App) -> None:
    app.command("/resolve")(resolve_command)
    app.view(blocks.RESOLVE_MODAL)(submit_resolve_modal)
    app.action(blocks.APPROVE)(approve_clicked)
    app.action(blocks.DECLINE)(decline_clicked)
    app.view(blocks.DECLINE_MODAL)(submit_decline_reason)
