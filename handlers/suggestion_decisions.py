"""The owner's buttons on a suggestion: Under review, Planned, Done and Not doing (with their note), and
"you said, we did" when it is done."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import payload, suggestion_told
from handlers.blocks import suggestions as blocks
from handlers.blocks.kit import Block, field_errors
from handlers.delivery import Outgoing, queue, send_now
from handlers.deps import Deps, deps_of
from handlers.errors import reported
from handlers.form_seals import opened, sealed
from handlers.people import action_caller
from handlers.suggestion_shown import Shown, answer_copies_prefix, latest_handover, show_until_current
from models import Employee, Suggestion, Workspace
from services import outbox, settled_updates
from services.errors import DomainError
from services.outbox import Claimed
from services.suggestions import lifecycle, thanks

NOTE_NEEDED = ("done", "not_doing")


def status_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    number = payload.id_value(action)
    ack()
    status = next(key for key, action_id in blocks.STATUS_ACTIONS.items() if action_id == action["action_id"])
    deps = deps_of(context)
    container = body.get("container") or {}
    clicked = (str(container.get("channel_id") or ""), str(container.get("message_ts") or ""))
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            if status in NOTE_NEEDED:
                suggestion = lifecycle.decidable(
                    session,
                    workspace=identity.workspace,
                    number=number,
                    decider=identity.employee,
                    relay=deps.relay,
                    clicked=clicked,
                )
                view = blocks.note_modal(suggestion, status, *clicked)
            else:
                announced = decide(
                    session, deps, identity.workspace, identity.employee, number, status, clicked=clicked
                )
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral", replace_original=False)
        return
    with reported(body, respond):
        if status in NOTE_NEEDED:
            client.views_open(trigger_id=body["trigger_id"], view=sealed(deps, view, body["user"]["id"]))
        else:
            announced.publish(deps, client, clicked)


def submit_note(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    deps = deps_of(context)
    number, status, channel, ts, note = payload.parsed(blocks.parse_note_modal, opened(deps, body, view))
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            announced = decide(
                session, deps, identity.workspace, identity.employee, number, status, note, clicked=(channel, ts)
            )
    except DomainError as error:
        ack(**field_errors(blocks.NOTE, str(error)))
        return
    ack()
    with reported(body, client=client, done="Your update was saved", context=context):
        announced.publish(deps, client, (channel, ts))


@dataclass
class Announced:
    """A status change, rendered while the session is open: messages queued with it, cards to update after."""

    claimed: list[Claimed]
    shown: Shown
    posts: list[tuple[str, str]]
    suggestion: tuple[int, int]
    """Its workspace's id and its own."""
    fan_out: bool = False

    def publish(self, deps: Deps, client: WebClient, clicked: tuple[str, str]) -> None:
        send_now(deps, client, self.claimed)
        show_until_current(deps, client, self.suggestion, self.shown, posts=self.posts, cards=[clicked])
        if self.fan_out:
            deps.sender_bell.ring()


def decide(
    session: Session,
    deps: Deps,
    workspace: Workspace,
    decider: Employee,
    number: int,
    status: str,
    note: str = "",
    *,
    clicked: tuple[str, str],
) -> Announced:
    now = deps.now()
    suggestion = lifecycle.set_status(
        session,
        workspace=workspace,
        number=number,
        decider=decider,
        status=status,
        note=note,
        relay=deps.relay,
        now=now,
        clicked=clicked,
    )
    messages: list[Outgoing] = []
    fan_out: list[Outgoing] = []
    if status == "done":
        thanks.thank_author(session, suggestion=suggestion, decider=decider, now=now)
        messages, fan_out = we_did_messages(session, workspace, suggestion, decider)
    news = suggestion_told.status_news(session, workspace, suggestion, decider, now=now)
    messages = [*news, *messages]
    claimed = queue(session, workspace_id=workspace.id, messages=messages, now=now)
    for message in fan_out:
        outbox.enqueue(
            session, workspace=workspace, key=message.key, method=message.method, payload=message.payload, now=now
        )
    shown = Shown.of(session, suggestion)
    follow_on_their_way(session, suggestion, shown.card, shown.post, now)
    return Announced(
        claimed=claimed,
        shown=shown,
        posts=outbox.sent_messages(session, key_prefix=f"suggestion:{suggestion.id}:channel"),
        suggestion=(suggestion.workspace_id, suggestion.id),
        fan_out=bool(fan_out),
    )


def follow_on_their_way(
    session: Session, suggestion: Suggestion, card: list[Block], post: list[Block], now: datetime
) -> None:
    """The owner's card and the channel's post not recorded sent yet (a sender may hold them, to land after this
    change) show it once they land: only those sent are updated after the commit."""
    cards = f"suggestion:{suggestion.id}:owner"
    handed = latest_handover(session, suggestion.id)
    text = blocks.headline(suggestion)
    shown = {"text": text, "blocks": card}
    if handed:  # the first card's key is a prefix of every other card's, copies included
        settled_updates.follow(session, key_prefix=f"{cards}:handover:{handed}:", shown=shown, now=now)
        settled_updates.follow(session, key_prefix=answer_copies_prefix(suggestion.id, handed), shown=shown, now=now)
    else:
        settled_updates.follow(session, key_prefix=cards, shown=shown, now=now)
    posts = f"suggestion:{suggestion.id}:channel"
    settled_updates.follow(session, key_prefix=posts, shown={"text": text, "blocks": post}, now=now)


def we_did_messages(
    session: Session, workspace: Workspace, suggestion: Suggestion, decider: Employee
) -> tuple[list[Outgoing], list[Outgoing]]:
    """ "You said, we did" in the channel the suggestion was posted in (sent now), where colleagues backed it, even
    if its team reports elsewhere since; else in the team's channel; else one DM per teammate (for the background
    sender), but a named author, whose own DM of its status tells them. An anonymous author gets theirs as every
    teammate does, and it stands for their own (suggestion_told.told_otherwise): one DM each, whoever wrote it."""
    audience = thanks.audience(session, workspace, suggestion)
    posted = outbox.sent_messages(session, key_prefix=f"suggestion:{suggestion.id}:channel")
    channel = posted[0][0] if posted else audience.channel
    content = {
        "text": f"You said, we did: suggestion #{suggestion.number} is done",
        "blocks": blocks.we_did(suggestion, decider),
    }
    key = suggestion_told.we_did_key(suggestion.id)
    if channel is not None:
        return [Outgoing(key, "chat.postMessage", {"channel": channel, **content})], []
    backers = [row.employee.slack_id for row in suggestion.backers]
    author = suggestion.author.slack_id if suggestion.author is not None else None
    people = [person for person in dict.fromkeys([*audience.people, *backers]) if person != author]
    return [], [Outgoing(f"{key}:{person}", "chat.postMessage", {"channel": person, **content}) for person in people]


def register(app: App) -> None:
    app.view(blocks.NOTE_MODAL)(submit_note)
    for action_id in blocks.STATUS_ACTIONS.values():
        app.action(action_id)(status_clicked)
