"""Where a request was decided from a bigger message, that message shows it: the weekly digest DM (rebuilt from the
digest as sent) and the ephemeral `/digest` preview (rendered again), each request in it as it stands now."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlalchemy.orm import Session

from handlers.blocks import digest as digest_blocks
from handlers.blocks import digest_waiting
from handlers.blocks.kit import Block
from handlers.deps import deps_of
from handlers.message_updates import update_each
from handlers.people import action_caller
from models import Employee, Resolution
from services import outbox
from services.digest import access as digest_access
from services.digest.weekly import digest_key_prefix
from services.errors import DomainError
from services.resolutions import decisions

log = logging.getLogger(__name__)
_Shown = TypeVar("_Shown")


def clicked_block(body: dict[str, Any]) -> str:
    return str((body.get("actions") or [{}])[0].get("block_id") or "")


def digest_message(body: dict[str, Any]) -> tuple[str, str]:
    """The weekly digest DM a Decline was clicked in (channel, ts), else ("", "")."""
    container = body.get("container") or {}
    if container.get("is_ephemeral") or not clicked_block(body).startswith(digest_waiting.DIGEST_DECIDE_PREFIX):
        return "", ""
    return str(container.get("channel_id") or ""), str(container.get("message_ts") or "")


CATCH_UP_ROUNDS = 3
"""Updates one decision makes at most: each one more needs another decision committed in between."""


@dataclass(frozen=True)
class _Digest:
    text: str
    blocks: list[Block]
    workspace_id: int


def refresh_digest(context: BoltContext, client: WebClient, body: dict[str, Any], channel: str, ts: str) -> None:
    """Show each request of the weekly digest DM as it stands now. It is rebuilt from the digest as it was sent: a
    modal's submission brings no copy of the message, and a click's copy may be older than the message (two quick
    clicks carry the same one). Then it is looked at again, and shown again until what Slack shows is what is stored:
    another decision's update, rendered before this one committed, may land after this one's."""
    deps = deps_of(context)

    def update(digest: _Digest) -> bool:
        update_each(deps, client, digest.workspace_id, [(channel, ts)], text=digest.text, blocks=digest.blocks)
        return True

    in_their_dm = _in_their_dm(client, body, channel)
    _until_current(lambda: _digest_now(context, body, channel, ts, in_their_dm), update)


def _until_current(render: Callable[[], _Shown | None], send: Callable[[_Shown], bool]) -> None:
    """Send what `render` reads now, then read again, until it reads as what was sent last (or nothing, or a send
    fails): at most `CATCH_UP_ROUNDS` sends."""
    shown: _Shown | None = None
    for _ in range(CATCH_UP_ROUNDS):
        current = render()
        if current is None or current == shown or not send(current):
            return
        shown = current


def _digest_now(
    context: BoltContext, body: dict[str, Any], channel: str, ts: str, in_their_dm: Callable[[], bool]
) -> _Digest | None:
    """The digest sent to the caller in (channel, ts), each request in it as it stands now (None: no such digest).
    Once the outbox no longer keeps it, the click's copy stands for it, if the click came from the caller's own DM
    with Latitude (asked of Slack with no transaction open): a click forged with another's digest must not draw over
    theirs."""
    with deps_of(context).sessions.begin() as session:
        caller = action_caller(session, context, body)
        prefix = digest_key_prefix(caller.workspace, caller.employee.slack_id)
        sent = outbox.sent_payload(session, key_prefix=prefix, channel=channel, ts=ts)
        if sent is not None:
            return _drawn(session, caller.employee, sent, caller.workspace.id)
    copy = _clicked_copy(body)
    if copy is None or not in_their_dm():
        log.warning("the digest %s/%s clicked in is not among the digests sent: left as it is", channel, ts)
        return None
    with deps_of(context).sessions.begin() as session:
        caller = action_caller(session, context, body)
        return _drawn(session, caller.employee, copy, caller.workspace.id)


def _drawn(session: Session, reader: Employee, sent: dict[str, Any], workspace_id: int) -> _Digest:
    return _Digest(sent.get("text") or "Updated", as_decided_now(session, reader, sent["blocks"]), workspace_id)


def _in_their_dm(client: WebClient, body: dict[str, Any], channel: str) -> Callable[[], bool]:
    """Whether `channel` is the clicker's DM with Latitude, asked of Slack once, when first needed. Slack failing to
    say counts as no: the digest is then left as it is, which only a redraw would have changed."""
    said: list[bool] = []

    def ask() -> bool:
        if not said:
            said.append(_dm_is(client, str((body.get("user") or {}).get("id") or ""), channel))
        return said[0]

    return ask


def _dm_is(client: WebClient, user: str, channel: str) -> bool:
    try:
        return bool(user) and client.conversations_open(users=user)["channel"]["id"] == channel
    except SlackClientError as error:  # SlackApiError included
        log.warning("could not ask Slack for %s's DM (%s): their digest is left as it is", user, error)
        return False


def _clicked_copy(body: dict[str, Any]) -> dict[str, Any] | None:
    """The copy of the digest a click brings, once the outbox no longer keeps the one sent (`outbox_retention`)."""
    message = body.get("message") or {}
    return message if isinstance(message.get("blocks"), list) else None


def as_decided_now(session: Session, reader: Employee, sent: list[Block]) -> list[Block]:
    ids = [_request_id(block) for block in sent if _decides(block)]
    requests = decisions.requests_by_id(session, workspace_id=reader.workspace_id, ids=ids)
    return [_decided_or_as_sent(block, requests, reader) for block in sent]


def _decided_or_as_sent(block: Block, requests: dict[int, Resolution], reader: Employee) -> Block:
    """A request the reader may no longer decide (they left, or it is someone else's now) says only that: its
    outcome, who decided and why are not theirs to read. So does an id no request of the workspace has: a click's
    copy of a digest is the clicker's to write, and a line left as it came would tell which ids exist."""
    if not _decides(block):
        return block
    request = requests.get(_request_id(block))
    if request is None or not decisions.may_decide(request, reader):
        return digest_waiting.not_yours_line()
    return digest_waiting.decided_line(request) if request.status != "pending" else block


def _decides(block: Block) -> bool:
    block_id = str(block.get("block_id") or "")
    return block_id.startswith(digest_waiting.DIGEST_DECIDE_PREFIX) and _request_digits(block_id).isdigit()


def _request_id(block: Block) -> int:
    return int(_request_digits(str(block["block_id"])))


def _request_digits(block_id: str) -> str:
    return block_id[len(digest_waiting.DIGEST_DECIDE_PREFIX) :]


def preview_url(body: dict[str, Any]) -> str:
    """The response URL of a click in the ephemeral `/digest` preview (valid 30 minutes), else ""."""
    return str(body.get("response_url") or "") if (body.get("container") or {}).get("is_ephemeral") else ""


def replace_preview(
    send: Callable[[dict[str, Any]], bool], context: BoltContext, body: dict[str, Any], decided: dict[str, Any] | None
) -> None:
    """Replace the `/digest` preview (`send`: through the click's response URL) with how it reads now, then look
    again, until what was sent last reads as stored: two quick decisions' replacements may land in either order,
    and the one rendered before the other's decision must not be the last word. A response URL takes five posts.
    `decided`: what stands for the preview when the clicker has none now (None: it is left as it is)."""
    _until_current(lambda: preview_now(context, body, decided), send)


def preview_now(context: BoltContext, body: dict[str, Any], decided: dict[str, Any] | None) -> dict[str, Any] | None:
    """The clicker's digest preview as it reads now (`decided` if they have none)."""
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            caller = action_caller(session, context, body).employee
            preview = digest_access.preview_for(session, caller=caller, team_name=None, now=deps.now())
    except DomainError:
        return decided
    return {"text": digest_blocks.digest_text(preview), "blocks": digest_blocks.digest_blocks(preview)}
