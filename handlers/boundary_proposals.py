"""*Apply* or *Dismiss* on a boundary proposal: HR or an admin decides it, and every copy says so.

*Apply* turns it into a new policy version; *Dismiss* keeps the policy as it is.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import payload
from handlers.blocks import boundary_proposals as blocks
from handlers.blocks.kit import Block
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.message_updates import update_each
from handlers.people import action_caller
from services import settling
from services.directory import Identity
from services.errors import DomainError
from services.policy.versions import require_policy
from services.suggestions.apply import apply_proposal, dismiss_proposal

Decided = tuple[list[Block], str]
"""What every copy of the proposal shows once decided, and its notification text."""


def apply(session: Session, identity: Identity, proposal_id: int, now: datetime) -> Decided:
    result = apply_proposal(
        session, workspace=identity.workspace, proposal_id=proposal_id, hr=identity.employee, now=now
    )
    currency = require_policy(session, identity.workspace).policy.currency
    content = blocks.applied(result.proposal, currency, identity.employee.name, result.version.number)
    return content, blocks.proposal_text(result.proposal, "applied")


def dismiss(session: Session, identity: Identity, proposal_id: int, now: datetime) -> Decided:
    proposal = dismiss_proposal(
        session, workspace=identity.workspace, proposal_id=proposal_id, hr=identity.employee, now=now
    )
    currency = require_policy(session, identity.workspace).policy.currency
    return blocks.dismissed(proposal, currency, identity.employee.name), blocks.proposal_text(proposal, "dismissed")


def clicked_with(decide: Callable[[Session, Identity, int, datetime], Decided]) -> Callable[..., None]:
    """The listener for one of the proposal's buttons."""

    def listener(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        proposal_id = payload.id_value(action)
        ack()
        deps = deps_of(context)
        try:
            with deps.sessions.begin() as session:
                identity = action_caller(session, context, body)
                content, text = decide(session, identity, proposal_id, deps.now())
                # The copies not sent yet never will be; one on its way shows the decision once it lands.
                shown = {"text": text, "blocks": content}
                key, reason = f"proposal:{proposal_id}", "proposal decided"
                copies = settling.settle(session, key=key, reason=reason, shown=shown, now=deps.now()).copies
                workspace_id = identity.workspace.id
        except DomainError as error:
            respond(text=f":warning: {error}", response_type="ephemeral", replace_original=False)
            return
        container = body.get("container") or {}
        clicked = (str(container.get("channel_id") or ""), str(container.get("message_ts") or ""))
        with reported(body, respond):
            update_each(deps, client, workspace_id, [clicked, *copies], text=text, blocks=content)

    listener.__name__ = f"{decide.__name__}_clicked"
    return listener


def register(app: App) -> None:
    app.action(blocks.APPLY)(clicked_with(apply))
    app.action(blocks.DISMISS)(clicked_with(dismiss))
