"""Deciding requests outside the boundaries: Approve / Decline wherever they are shown, and the reason modal."""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient, WebhookResponse
from sqlalchemy.orm import Session

from handlers import decided_views, handover_summary, home_again, payload, unknown_ids
from handlers.blocks import decline
from handlers.blocks import resolutions as blocks
from handlers.blocks.kit import Block, field_errors
from handlers.delivery import Outgoing, queue, send_now
from handlers.deps import Deps, deps_of
from handlers.digest_redraws import queue_digest_redraws, send_held
from handlers.errors import DECIDED, reported
from handlers.form_seals import opened, sealed
from handlers.home import in_a_view, republish_home, tell_clicker
from handlers.message_updates import UPDATED_SINCE, drop_queued_updates, update_each, updates_prefix
from handlers.people import action_caller
from models import Resolution
from services import outbox_series, settling
from services.errors import AlreadyDone, DomainError, NotAllowed
from services.outbox import Claimed
from services.resolutions import decisions
from services.unknown_ids import Marked

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
            clicked = decided_views.digest_message(body)
            message = _request_message(body)
            announcement = Announcement.of(session, resolution, now=deps.now(), clicked=clicked, message=message)
    except DomainError as error:
        _tell_refused(context, client, body, respond, error)
        return
    with reported(body, respond, client, done=DECIDED, context=context):
        announce_decision(deps, client, announcement)
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
                response_url=decided_views.preview_url(body),
                digest=decided_views.digest_message(body),
            )
    except DomainError as error:
        _tell_refused(context, client, body, respond, error)
        return
    with reported(body, respond, client, context=context):
        client.views_open(trigger_id=body["trigger_id"], view=sealed(deps, view, body["user"]["id"]))


def _tell_refused(
    context: BoltContext, client: WebClient, body: dict[str, Any], respond: Respond, error: DomainError
) -> None:
    """Say why nothing changed; a weekly digest or a `/digest` preview still offering a request decided since, or no
    longer the clicker's to decide, is drawn as it stands now (what they may no longer decide shows no outcome)."""
    with reported(body, respond, client, context=context):
        tell_clicker(context, client, body, respond, f":warning: {error}")
        if not isinstance(error, AlreadyDone | NotAllowed):
            return
        if decided_views.preview_url(body):
            decided_views.replace_preview(
                lambda preview: _replaced(respond(replace_original=True, **preview)), context, body, None
            )
        elif decided_views.digest_message(body)[1]:
            decided_views.refresh_digest(context, client, body, *decided_views.digest_message(body))


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
            announcement = Announcement.of(
                session, resolution, now=deps.now(), clicked=form.digest, message=(form.channel, form.ts)
            )
    except DomainError as error:
        ack(**field_errors(blocks.REASON, str(error)))
        return
    ack()
    with reported(body, client=client, done=DECIDED, context=context):
        announce_decision(deps, client, announcement)
        if form.in_home:
            republish_home(context, client, body)
        elif form.response_url:
            webhook = WebhookClient(form.response_url, ssl=client.ssl)
            decided_views.replace_preview(
                lambda preview: _replaced(webhook.send(replace_original=True, **preview)),
                context,
                body,
                announcement.shown,
            )
        elif form.digest[1]:
            decided_views.refresh_digest(context, client, body, *form.digest)


def _request_message(body: dict[str, Any]) -> tuple[str, str]:
    """The clicked message when it is an approval request, which the outcome replaces whole.

    Buttons elsewhere (a digest, the App Home) are one part of a bigger view: see refresh_where_clicked.
    """
    if not decided_views.clicked_block(body).startswith(blocks.DECIDE_BLOCK_PREFIX):
        return "", ""
    container = body.get("container") or {}
    return str(container.get("channel_id") or ""), str(container.get("message_ts") or "")


def refresh_where_clicked(
    context: BoltContext, client: WebClient, body: dict[str, Any], respond: Respond, announcement: "Announcement"
) -> None:
    """A decision made from the App Home republishes it; the weekly digest it was made from shows each of its
    requests as it stands now (see `decided_views.refresh_digest`).

    The `/digest` preview is ephemeral: its click carries no `message` and chat.update cannot touch it, so the
    preview is rendered again and replaces the original through the response URL.
    """
    container = body.get("container") or {}
    if in_a_view(body):
        republish_home(context, client, body)
    elif container.get("is_ephemeral"):
        decided_views.replace_preview(
            lambda preview: _replaced(respond(replace_original=True, **preview)), context, body, announcement.shown
        )
    elif decided_views.digest_message(body)[1]:
        decided_views.refresh_digest(context, client, body, *decided_views.digest_message(body))


def _replaced(answer: WebhookResponse) -> bool:
    if answer.status_code != 200:
        log.warning("the /digest preview could not be replaced: HTTP %s", answer.status_code)
    return answer.status_code == 200


@dataclass(frozen=True)
class Announcement:
    """A decision, rendered while the session is open: the deciders' new message, the employee's DM (queued)."""

    text: str
    """What the deciders' messages say in a notification and to a screen reader, once decided."""
    decided: list[Block]
    outcome: list[Claimed]
    requests: list[tuple[str, str]]
    """Every copy of the request to show the decision in: the one clicked, every request, reminder and escalation sent;
    their updates still queued from before were dropped in the decision's transaction."""
    workspace_id: int
    digests: list[Claimed]
    """The redraws of the weekly digests that offered the request elsewhere (each drawn as it is sent)."""
    marked: Marked
    """The workspace's ids marked as Slack's nobody, read in the decision's transaction for the employee's DM."""

    @property
    def shown(self) -> dict[str, Any]:
        """The decision alone, as a message: where a bigger view cannot be rendered again, it stands for it."""
        return {"text": self.text, "blocks": self.decided}

    @classmethod
    def of(
        cls,
        session: Session,
        resolution: Resolution,
        *,
        now: datetime,
        clicked: tuple[str, str] = ("", ""),
        message: tuple[str, str] = ("", ""),
    ) -> "Announcement":
        """Queue the employee's DM in the decision's own transaction, so the decision never goes untold; the
        request's reminders, escalations and hand-overs not sent yet never will be (their buttons are moot), and one
        already on its way shows the decision once it lands. The weekly digests offering it are redrawn, but the one
        `clicked` in (its click redraws it). The updates still queued of the request `message` clicked and of every
        copy sent are dropped here, so that none replaces the decision once it is shown."""
        decided = blocks.decided(resolution)
        text = blocks.decided_text(resolution)
        shown = {"text": text, "blocks": decided}
        key, reason = f"resolution:{resolution.id}", f"request {resolution.status}"
        replaced = _take_turns_replacing(session, resolution.workspace_id, message)
        settled = settling.settle(
            session, key=key, reason=reason, shown=shown, now=now, decided=True, replaced=replaced
        )
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
        digests = queue_digest_redraws(session, [resolution], now=now, clicked=clicked)
        others = [copy for copy in dict.fromkeys(settled.copies) if all(copy) and copy != message]
        drop_queued_updates(session, resolution.workspace_id, others, reason=UPDATED_SINCE)
        copies = [message, *others] if all(message) else others
        marked = unknown_ids.marked_in(session, claimed)
        return cls(text, decided, claimed, copies, resolution.workspace_id, digests, marked)


def _take_turns_replacing(session: Session, workspace_id: int, message: tuple[str, str]) -> tuple[str, str] | None:
    """The updates still queued of the request message clicked, given up as the decision settles the request (one
    statement), after taking turns with any other change of that message (`drop_queued_updates`)."""
    if not all(message):
        return None
    prefix = updates_prefix(*message)
    outbox_series.take_turns_under(session, workspace_id=workspace_id, key_prefixes=[prefix])
    return prefix, UPDATED_SINCE


def announce_decision(deps: Deps, client: WebClient, announcement: Announcement) -> None:
    """Replace the buttons with the outcome (in every request, reminder and escalation sent), tell the employee."""
    send_now(deps, client, announcement.outcome, marked=announcement.marked)
    send_held(deps, client, announcement.digests)
    update_each(
        deps,
        client,
        announcement.workspace_id,
        announcement.requests,
        queued_dropped=True,
        text=announcement.text,
        blocks=announcement.decided,
    )


def register(app: App) -> None:
    app.action(blocks.APPROVE)(approve_clicked)
    app.action(blocks.DECLINE)(decline_clicked)
    app.view(blocks.DECLINE_MODAL)(submit_decline_reason)
