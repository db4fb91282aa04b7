"""Tangible rewards after a nomination: the approver's Approve / Decline, then HR's Mark fulfilled / Revoke.

Every decision has the same shape: one transaction runs the service and queues the messages it
causes; after the commit the clicked message is updated and the messages are sent. A refusal is
shown where the person acted (an ephemeral note for a button, the field for a reason modal).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import home_again, payload
from handlers.blocks import nominations as blocks
from handlers.blocks import rewards as reward_blocks
from handlers.blocks.kit import field_errors
from handlers.delivery import Outgoing, queue, send_now
from handlers.deps import Deps, deps_of
from handlers.errors import DECIDED, reported
from handlers.form_seals import opened, sealed
from handlers.home import in_a_view, republish_home, tell_clicker
from handlers.message_updates import update_each
from handlers.people import action_caller
from handlers.reward_messages import granted_messages, hr_copies, hr_messages, request_copies
from models import Employee
from services.directory import Identity
from services.errors import DomainError
from services.outbox import Claimed
from services.rewards import approvals as reward_approvals
from services.rewards import grants as rewards
from services.text import escape_mrkdwn


@dataclass(frozen=True)
class Decided:
    """What a decision shows in place of its buttons, and the messages it causes."""

    update: dict[str, Any]
    messages: list[Outgoing]
    copies: list[tuple[str, str]] = field(default_factory=list)
    """The other messages that showed the same buttons (another approver's, another HR person's): updated alike."""
    homes: list[Employee] = field(default_factory=list)
    """Whose App Home counts it (the nominator's waiting and given, the nominee's received): published again."""


Decide = Callable[[Session, Deps, Identity], Decided]


def approve_reward(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond) -> None:
    nomination_id = payload.id_value(payload.first_action(body))

    def decide(session: Session, deps: Deps, caller: Identity) -> Decided:
        grant = reward_approvals.approve(
            session, workspace=caller.workspace, nomination_id=nomination_id, approver=caller.employee, now=deps.now()
        )
        approved = Outgoing(
            f"reward-approved:{nomination_id}", "chat.postMessage", blocks.approved_dm(grant.nomination)
        )
        messages = [*granted_messages(session, deps, [grant.nomination]), approved, *hr_messages(session, grant)]
        decided = blocks.decided_request(grant.nomination, caller.employee.name)
        copies = request_copies(session, nomination_id, decided, deps.now())
        return Decided(decided, messages, copies, [grant.nomination.nominator, grant.nomination.nominee])

    decide_from_button(ack, body, context, client, respond, decide)


def fulfil_reward(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond) -> None:
    grant_id = payload.id_value(payload.first_action(body))

    def decide(session: Session, deps: Deps, caller: Identity) -> Decided:
        hr = caller.employee
        grant = rewards.fulfil_grant(
            session, workspace=caller.workspace, grant_id=grant_id, hr=hr, actor=hr.slack_id, now=deps.now()
        )
        dm = Outgoing(f"reward-fulfilled:{grant.id}", "chat.postMessage", reward_blocks.fulfilled_dm(grant))
        fulfilled = reward_blocks.hr_grant(grant, f":white_check_mark: Fulfilled by {escape_mrkdwn(hr.name)}")
        return Decided(fulfilled, [dm], hr_copies(session, grant.id, fulfilled, deps.now()))

    decide_from_button(ack, body, context, client, respond, decide)


def submit_decline(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    nomination_id, channel, ts, reason = payload.parsed(
        reward_blocks.parse_reason_modal, opened(deps_of(context), body, view)
    )

    def decide(session: Session, deps: Deps, caller: Identity) -> Decided:
        approver = caller.employee
        nomination = reward_approvals.decline(
            session,
            workspace=caller.workspace,
            nomination_id=nomination_id,
            approver=approver,
            reason=reason,
            now=deps.now(),
        )
        dm = blocks.declined_dm(nomination, approver)
        declined = Outgoing(f"reward-declined:{nomination_id}", "chat.postMessage", dm)
        decided = blocks.decided_request(nomination, approver.name)
        copies = request_copies(session, nomination_id, decided, deps.now())
        return Decided(decided, [declined], copies, [nomination.nominator])

    decide_from_modal(ack, body, context, client, (channel, ts), decide)


def submit_revoke(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    grant_id, channel, ts, reason = payload.parsed(
        reward_blocks.parse_reason_modal, opened(deps_of(context), body, view)
    )

    def decide(session: Session, deps: Deps, caller: Identity) -> Decided:
        hr = caller.employee
        grant = rewards.revoke_grant(
            session,
            workspace=caller.workspace,
            grant_id=grant_id,
            hr=hr,
            actor=hr.slack_id,
            reason=reason,
            now=deps.now(),
        )
        revoked = reward_blocks.revoked_outcome(hr.name, reason)
        dms = [
            Outgoing(f"reward-revoked:{grant.id}:{key}", "chat.postMessage", dm)
            for key, dm in reward_blocks.revoked_dms(grant)
        ]
        shown = reward_blocks.hr_grant(grant, revoked)
        return Decided(shown, dms, hr_copies(session, grant.id, shown, deps.now()), [grant.nominator, grant.recipient])

    decide_from_modal(ack, body, context, client, (channel, ts), decide)


def ask_decline_reason(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    with payload.reading("decline button"):
        nomination_id = payload.id_value(payload.first_action(body))
        clicked = _clicked_message(body)
    ack()
    modals: list[dict[str, Any]] = []

    def check(session: Session, caller: Identity) -> None:
        nomination = reward_approvals.find_pending(session, caller.workspace, nomination_id, caller.employee)
        modals.append(blocks.decline_modal(nomination, *clicked))

    if may_open(context, body, respond, check, client):
        with reported(body, respond, client, context=context):
            view = sealed(deps_of(context), modals[0], body["user"]["id"])
            client.views_open(trigger_id=body["trigger_id"], view=view)


def _clicked_message(body: dict[str, Any]) -> tuple[str, str]:
    """The DM a button was clicked in (channel, ts); ("", "") for one on the App Home, which has none."""
    if in_a_view(body):
        return "", ""
    container = body["container"]
    return str(container["channel_id"]), str(container["message_ts"])


def ask_revoke_reason(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    with payload.reading("revoke button"):
        container = body["container"]
        grant_id = payload.id_value(payload.first_action(body))
        modal = reward_blocks.revoke_modal(grant_id, container["channel_id"], container["message_ts"])
    ack()

    def check(session: Session, caller: Identity) -> None:
        rewards.revocable(session, workspace=caller.workspace, grant_id=grant_id, hr=caller.employee)

    if may_open(context, body, respond, check):
        with reported(body, respond):
            client.views_open(trigger_id=body["trigger_id"], view=sealed(deps_of(context), modal, body["user"]["id"]))


def may_open(
    context: BoltContext,
    body: dict[str, Any],
    respond: Respond,
    check: Callable[[Session, Identity], None],
    client: WebClient | None = None,
) -> bool:
    """Whether a reason form may open: a button Slack still shows on a reward already decided (or not the
    clicker's) is answered at once, not after a reason was written for nothing. Submitting checks again."""
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            check(session, action_caller(session, context, body))
    except DomainError as error:
        _refused(context, body, respond, client, f":warning: {error}")
        return False
    return True


def _refused(context: BoltContext, body: dict[str, Any], respond: Respond, client: WebClient | None, text: str) -> None:
    """Said where the click was: on the App Home (`client` given: a click there may come from it), else beside it."""
    if client is None:
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    with reported(body, respond, client, context=context):
        tell_clicker(context, client, body, respond, text)


def decide_from_button(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond, decide: Decide
) -> None:
    ack()
    deps = deps_of(context)
    try:
        decided, claimed, workspace_id = _decided(deps, context, body, decide)
    except DomainError as error:
        _refused(context, body, respond, client, f":warning: {error}")
        return
    with reported(body, respond, client, done=DECIDED, context=context):
        send_now(deps, client, claimed)
        clicked = [] if in_a_view(body) else [_clicked_message(body)]
        update_each(deps, client, workspace_id, [*clicked, *decided.copies], **decided.update)
        if in_a_view(body):
            republish_home(context, client, body)


def decide_from_modal(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, message: tuple[str, str], decide: Decide
) -> None:
    deps = deps_of(context)
    try:
        decided, claimed, workspace_id = _decided(deps, context, body, decide)
    except DomainError as error:
        ack(**field_errors(reward_blocks.DECISION_REASON, str(error)))
        return
    ack()
    with reported(body, client=client, done=DECIDED, context=context):
        send_now(deps, client, claimed)
        clicked = [message] if message[1] else []  # none when decided from the App Home
        update_each(deps, client, workspace_id, [*clicked, *decided.copies], **decided.update)
        if not message[1]:
            republish_home(context, client, body)


def _decided(
    deps: Deps, context: BoltContext, body: dict[str, Any], decide: Decide
) -> tuple[Decided, list[Claimed], int]:
    """The decision, the messages it queued and its workspace's id."""
    with deps.sessions.begin() as session:
        caller = action_caller(session, context, body)
        decided = decide(session, deps, caller)
        workspace_id = caller.workspace.id
        home_again.queue_homes_of(session, workspace=caller.workspace, people=decided.homes, now=deps.now())
        return (
            decided,
            queue(session, workspace_id=workspace_id, messages=decided.messages, now=deps.now()),
            workspace_id,
        )


def register(app: App) -> None:
    app.action(blocks.APPROVE)(approve_reward)
    app.action(blocks.DECLINE)(ask_decline_reason)
    app.view(blocks.DECLINE_MODAL)(submit_decline)
    app.action(reward_blocks.FULFIL)(fulfil_reward)
    app.action(reward_blocks.REVOKE)(ask_revoke_reason)
    app.view(reward_blocks.REVOKE_MODAL)(submit_revoke)
