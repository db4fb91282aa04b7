"""*Apply* on a boundary proposal: HR or an admin turns it into a new policy version, and every copy says so."""

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers import payload
from handlers.blocks import boundary_proposals as blocks
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.people import action_caller
from services import outbox
from services.errors import DomainError
from services.policy.versions import require_policy
from services.suggestions.apply import apply_proposal


def apply_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    proposal_id = payload.id_value(action)
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            result = apply_proposal(
                session,
                workspace=identity.workspace,
                proposal_id=proposal_id,
                hr=identity.employee,
                now=deps.now(),
            )
            currency = require_policy(session, identity.workspace).policy.currency
            content = blocks.applied(result.proposal, currency, identity.employee.name, result.version.number)
            copies = outbox.sent_messages(session, key_prefix=f"proposal:{result.proposal.id}:")
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral", replace_original=False)
        return
    container = body.get("container") or {}
    clicked = (str(container.get("channel_id") or ""), str(container.get("message_ts") or ""))
    with reported(body, respond):
        for channel, ts in dict.fromkeys([clicked, *copies]):
            if channel and ts:
                client.chat_update(channel=channel, ts=ts, text="Boundary proposal applied", blocks=content)


def register(app: App) -> None:
    app.action(blocks.APPLY)(apply_clicked)
