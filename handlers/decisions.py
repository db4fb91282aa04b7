"""Deciding requests outside the boundaries: Approve / Decline wherever they are shown, and the reason modal."""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient
from sqlalchemy.orm import Session

from handlers import handover_summary, home_again, payload
from handlers.blocks import decline, digest_waiting
from handlers.blocks import digest as digest_blocks
from handlers.blocks import resolutions as blocks
from handlers.blocks.kit import Block, field_errors
from handlers.delivery import Outgoing, queue, send_now
from handlers.deps import Deps, deps_of
from handlers.errors import DECIDED, reported
from handlers.form_seals import opened, sealed
from handlers.home import in_a_view, republish_home, tell_clicker
from handlers.message_updates import update_each
from handlers.people import action_caller
from models import Resolution
from services import outbox, settling
from services.digest import access as digest_access
from services.digest.weekly import digest_key_prefix
from services.errors import DomainError
from services.outbox import Claimed
from services.resolutions import decisions

log = logging.getLogger(__name__)


def approve_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    resolution_id = payload.id_value(action)
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            caller = action_caller(session, context, body)  # held: the workspace stays in the session for the audit
            resolution = decisions.decide(
                session, resolution_id=resolution_id, decider=caller.employee, approve=True, reason=None, now=deps.now()
            )
            announcement = Announcement.of(session, resolution, now=deps.now())
    except DomainError as error:
        with reported(body, respond, client, context=context):
            tell_clicker(context, client, body, respond, f":warning: {error}")
        return
    with reported(body, respond, client, done=DECIDED, context=context):
        announce_decision(deps, client, announcement, _request_message(body))
        refresh_where_clicked(context, client, body, respond, announcement)


def decline_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    resolution_id = payload.id_value(action)
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            decider = action_caller(session, context, body).employee
            resolution = decisions.decidable(session, resolution_id=resolution_id, decider=decider)
            view = decline.decline_modal(
                resolution,
                *_request_message(body),
                in_home=in_a_view(body),
                response_url=_preview_url(body),
                digest=_digest_message(body),
            )
    except DomainError as error:
        with reported(body, respond, client, context=context):
            tell_clicker(context, client, body, respond, f":warning: {error}")
        return
    with reported(body, respond, client, context=context):
        client.views_open(trigger_id=body["trigger_id"], view=sealed(deps, view, body["user"]["id"]))


def submit_decline_reason(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    deps = deps_of(context)
    form = payload.parsed(decline.parse_decline_modal, opened(deps, body, view))
    try:
        with deps.sessions.begin() as session:
            decider = action_caller(session, context, body).employee
            resolution = decisions.decide(
                session,
                resolution_id=form.resolution_id,
                decider=decider,
                approve=False,
                reason=form.reason,
                now=deps.now(),
            )
            announcement = Announcement.of(session, resolution, now=deps.now())
    except DomainError as error:
        ack(**field_errors(blocks.REASON, str(error)))
        return
    ack()
    with reported(body, client=client, done=DECIDED, context=context):
        announce_decision(deps, client, announcement, (form.channel, form.ts))
        if form.in_home:
            republish_home(context, client, body)
        elif form.response_url:
            replaced = WebhookClient(form.response_url).send(
                replace_original=True, **_preview_now(context, body, announcement)
            )
            if replaced.status_code != 200:
                log.warning("the /digest preview could not be replaced: HTTP %s", replaced.status_code)
        elif form.digest[1]:
            _refresh_digest(context, client, body, *form.digest)


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


def refresh_where_clicked(
    context: BoltContext, client: WebClient, body: dict[str, Any], respond: Respond, announcement: "Announcement"
) -> None:
    """A decision made from the App Home republishes it; one made from a digest replaces just those buttons.

    The `/digest` preview is ephemeral: its click carries no `message` and chat.update cannot touch it, so the
    preview is rendered again and replaces the original through the response URL.
    """
    container = body.get("container") or {}
    if in_a_view(body):
        republish_home(context, client, body)
    elif container.get("is_ephemeral"):
        respond(replace_original=True, **_preview_now(context, body, announcement))
    elif not _clicked_block(body).startswith(blocks.DECIDE_BLOCK_PREFIX) and container.get("message_ts"):
        clicked = _clicked_block(body)
        kept = [b if b.get("block_id") != clicked else announcement.decided[-1] for b in body["message"]["blocks"]]
        digest = (str(container["channel_id"]), str(container["message_ts"]))
        text = body["message"].get("text") or "Updated"
        update_each(deps_of(context), client, announcement.workspace_id, [digest], text=text, blocks=kept)


def _digest_message(body: dict[str, Any]) -> tuple[str, str]:
    """The weekly digest DM a Decline was clicked in (channel, ts), else ("", "")."""
    container = body.get("container") or {}
    if container.get("is_ephemeral") or not _clicked_block(body).startswith(digest_waiting.DIGEST_DECIDE_PREFIX):
        return "", ""
    return str(container.get("channel_id") or ""), str(container.get("message_ts") or "")


def _refresh_digest(context: BoltContext, client: WebClient, body: dict[str, Any], channel: str, ts: str) -> None:
    """Show the decisions in the weekly digest DM. A modal's submission brings no copy of the message, so it is
    rebuilt from the digest as it was sent, each request in it shown as it stands now (earlier decisions too)."""
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        caller = action_caller(session, context, body)
        prefix = digest_key_prefix(caller.workspace, caller.employee.slack_id)
        sent = outbox.sent_payload(session, key_prefix=prefix, channel=channel, ts=ts)
        if sent is None:
            log.warning("the digest %s/%s clicked in is not among the digests sent: left as it is", channel, ts)
            return
        shown, workspace_id = _as_decided_now(session, caller.workspace.id, sent["blocks"]), caller.workspace.id
    update_each(deps, client, workspace_id, [(channel, ts)], text=sent.get("text") or "Updated", blocks=shown)


def _as_decided_now(session: Session, workspace_id: int, sent: list[Block]) -> list[Block]:
    ids = [_request_id(block) for block in sent if _decides(block)]
    requests = decisions.requests_by_id(session, workspace_id=workspace_id, ids=ids)
    return [_decided_or_as_sent(block, requests) for block in sent]


def _decided_or_as_sent(block: Block, requests: dict[int, Resolution]) -> Block:
    request = requests.get(_request_id(block)) if _decides(block) else None
    return digest_waiting.decided_line(request) if request is not None and request.status != "pending" else block


def _decides(block: Block) -> bool:
    block_id = str(block.get("block_id") or "")
    return block_id.startswith(digest_waiting.DIGEST_DECIDE_PREFIX) and _request_digits(block_id).isdigit()


def _request_id(block: Block) -> int:
    return int(_request_digits(str(block["block_id"])))


def _request_digits(block_id: str) -> str:
    return block_id[len(digest_waiting.DIGEST_DECIDE_PREFIX) :]


def _preview_url(body: dict[str, Any]) -> str:
    """The response URL of a click in the ephemeral `/digest` preview (valid 30 minutes), else ""."""
    return str(body.get("response_url") or "") if (body.get("container") or {}).get("is_ephemeral") else ""


def _preview_now(context: BoltContext, body: dict[str, Any], announcement: "Announcement") -> dict[str, Any]:
    """The decider's digest preview as it reads after the decision (the outcome alone if there is none)."""
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            caller = action_caller(session, context, body).employee
            preview = digest_access.preview_for(session, caller=caller, team_name=None, now=deps.now())
    except DomainError:
        return {"text": announcement.text, "blocks": announcement.decided}
    return {"text": digest_blocks.digest_text(preview), "blocks": digest_blocks.digest_blocks(preview)}


@dataclass(frozen=True)
class Announcement:
    """A decision, rendered while the session is open: the deciders' new message, the employee's DM (queued)."""

    text: str
    """What the deciders' messages say in a notification and to a screen reader, once decided."""
    decided: list[Block]
    outcome: list[Claimed]
    requests: list[tuple[str, str]]
    workspace_id: int

    @classmethod
    def of(cls, session: Session, resolution: Resolution, *, now: datetime) -> "Announcement":
        """Queue the employee's DM in the decision's own transaction, so the decision never goes untold; the
        request's reminders, escalations and hand-overs not sent yet never will be (their buttons are moot), and one
        already on its way shows the decision once it lands."""
        decided = blocks.decided(resolution)
        text = blocks.decided_text(resolution)
        shown = {"text": text, "blocks": decided}
        key, reason = f"resolution:{resolution.id}", f"request {resolution.status}"
        settled = settling.settle(session, key=key, reason=reason, shown=shown, now=now, decided=True)
        summaries = handover_summary.told_in(settled)
        handover_summary.queue_summary_updates(
            session, workspace_id=resolution.workspace_id, item_key=key, now=now, summaries=summaries
        )
        outcome = Outgoing(
            key=f"resolution:{resolution.id}:outcome",
            method="chat.postMessage",
            payload={
                "channel": resolution.employee.slack_id,
                "text": blocks.outcome_text(resolution),
                "blocks": blocks.outcome_for_employee(resolution),
            },
        )
        claimed = queue(session, workspace_id=resolution.workspace_id, messages=[outcome], now=now)
        home_again.queue_homes_after_decision(session, resolution=resolution, now=now)
        return cls(text, decided, claimed, settled.copies, resolution.workspace_id)


def announce_decision(deps: Deps, client: WebClient, announcement: Announcement, message: tuple[str, str]) -> None:
    """Replace the buttons with the outcome (in every request, reminder and escalation sent), tell the employee."""
    send_now(deps, client, announcement.outcome)
    shown = [message, *announcement.requests]
    update_each(
        deps,
        client,
        announcement.workspace_id,
        shown,
        text=announcement.text,
        blocks=announcement.decided,
    )


def register(app: App) -> None:
    app.action(blocks.APPROVE)(approve_clicked)
    app.action(blocks.DECLINE)(decline_clicked)
    app.view(blocks.DECLINE_MODAL)(submit_decline_reason)
