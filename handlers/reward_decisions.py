"""Tangible rewards after a nomination: the approver's Approve / Decline, then HR's Mark fulfilled / Revoke.

Each decision queues the messages it causes in its own transaction and sends them after the commit.
"""

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers import payload
from handlers.blocks import nominations as blocks
from handlers.blocks import rewards as reward_blocks
from handlers.delivery import Outgoing, queue, send_now
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.people import action_caller
from handlers.reward_messages import granted_messages, hr_messages
from services.errors import DomainError
from services.rewards import approvals as reward_approvals
from services.rewards import grants as rewards
from services.text import escape_mrkdwn


def approve_reward(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond) -> None:
    nomination_id = payload.id_value(payload.first_action(body))
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            caller = action_caller(session, context, body)
            approver = caller.employee
            grant = reward_approvals.approve(
                session, workspace=caller.workspace, nomination_id=nomination_id, approver=approver, now=deps.now()
            )
            update = blocks.decided_request(grant.nomination, approver.name)
            messages = [
                *granted_messages(session, deps, [grant.nomination]),
                Outgoing(f"reward-approved:{nomination_id}", "chat.postMessage", blocks.approved_dm(grant.nomination)),
                *hr_messages(session, grant),
            ]
            claimed = queue(session, workspace_id=caller.workspace.id, messages=messages, now=deps.now())
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral", replace_original=False)
        return
    container = body["container"]
    with reported(body, respond):
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **update)
        send_now(deps, client, claimed)


def ask_decline_reason(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    with payload.reading("decline button"):
        container = body["container"]
        nomination_id = payload.id_value(payload.first_action(body))
        modal = blocks.decline_modal(nomination_id, container["channel_id"], container["message_ts"])
    ack()
    with reported(body):
        client.views_open(trigger_id=body["trigger_id"], view=modal)


def submit_decline(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    deps = deps_of(context)
    nomination_id, channel, ts, reason = payload.parsed(reward_blocks.parse_reason_modal, view)
    try:
        with deps.sessions.begin() as session:
            caller = action_caller(session, context, body)
            approver = caller.employee
            nomination = reward_approvals.decline(
                session,
                workspace=caller.workspace,
                nomination_id=nomination_id,
                approver=approver,
                reason=reason,
                now=deps.now(),
            )
            update = blocks.decided_request(nomination, approver.name)
            dm = Outgoing(
                f"reward-declined:{nomination_id}", "chat.postMessage", blocks.declined_dm(nomination, approver.name)
            )
            claimed = queue(session, workspace_id=caller.workspace.id, messages=[dm], now=deps.now())
    except DomainError as error:
        ack(response_action="errors", errors={reward_blocks.DECISION_REASON: str(error)})
        return
    ack()
    with reported(body):
        client.chat_update(channel=channel, ts=ts, **update)
        send_now(deps, client, claimed)


def fulfil_reward(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond) -> None:
    grant_id = payload.id_value(payload.first_action(body))
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            caller = action_caller(session, context, body)
            hr = caller.employee
            grant = rewards.fulfil_grant(
                session,
                workspace=caller.workspace,
                grant_id=grant_id,
                hr=hr,
                actor=hr.slack_id,
                now=deps.now(),
            )
            update = reward_blocks.hr_grant(grant, f":white_check_mark: Fulfilled by {escape_mrkdwn(hr.name)}")
            dm = Outgoing(f"reward-fulfilled:{grant.id}", "chat.postMessage", reward_blocks.fulfilled_dm(grant))
            claimed = queue(session, workspace_id=caller.workspace.id, messages=[dm], now=deps.now())
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral", replace_original=False)
        return
    container = body["container"]
    with reported(body, respond):
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **update)
        send_now(deps, client, claimed)


def ask_revoke_reason(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    with payload.reading("revoke button"):
        container = body["container"]
        grant_id = payload.id_value(payload.first_action(body))
        modal = reward_blocks.revoke_modal(grant_id, container["channel_id"], container["message_ts"])
    ack()
    with reported(body):
        client.views_open(trigger_id=body["trigger_id"], view=modal)


def submit_revoke(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    deps = deps_of(context)
    grant_id, channel, ts, reason = payload.parsed(reward_blocks.parse_reason_modal, view)
    try:
        with deps.sessions.begin() as session:
            caller = action_caller(session, context, body)
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
            revoked = f":no_entry: Revoked by {escape_mrkdwn(hr.name)}: {escape_mrkdwn(reason)}"
            update = reward_blocks.hr_grant(grant, revoked)
            messages = [
                Outgoing(f"reward-revoked:{grant.id}:{key}", "chat.postMessage", payload)
                for key, payload in reward_blocks.revoked_dms(grant)
            ]
            claimed = queue(session, workspace_id=caller.workspace.id, messages=messages, now=deps.now())
    except DomainError as error:
        ack(response_action="errors", errors={reward_blocks.DECISION_REASON: str(error)})
        return
    ack()
    with reported(body):
        client.chat_update(channel=channel, ts=ts, **update)
        send_now(deps, client, claimed)


def register(app: App) -> None:
    app.action(blocks.APPROVE)(approve_reward)
    app.action(blocks.DECLINE)(ask_decline_reason)
    app.view(blocks.DECLINE_MODAL)(submit_decline)
    app.action(reward_blocks.FULFIL)(fulfil_reward)
    app.action(reward_blocks.REVOKE)(ask_revoke_reason)
    app.view(reward_blocks.REVOKE_MODAL)(submit_revoke)
