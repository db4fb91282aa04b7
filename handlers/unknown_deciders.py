"""A command's request waiting on a decider whose org-file Slack id Slack has nobody of: the command's reply says so.

Such a decider's DMs are withheld (handlers/unknown_ids.py), the request's among them, and its requester is told once
per request and decider (handlers/request_refusals.py): by DM, unless the `/resolve` or `/nominate` that made the
request can say it in its own ephemeral reply. So, before the command's requests are sent, those queued to a marked
decider have the requester's notice queued, held, and the reply says it; once the reply is taken the notice is
recorded as told, and the DM that would follow finds it told. A reply refused or lost leaves the notice to go as a DM.
A crash after the reply's 200 and before the second transaction records it sends the notice as a DM as well: the
requester is told twice, which is rare, and accepted.
With the Messages tab off only the reply says HR could not be told: a DM is read once the tab is on again.
"""

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from handlers import request_refusals, unknown_ids
from handlers.delivery import send_now
from handlers.deps import Deps
from handlers.messages_tab import POST
from services import outbox
from services.outbox import Claimed, SendOutcome
from services.unknown_ids import Marked

log = logging.getLogger(__name__)

TOLD_IN_REPLY = SendOutcome(ok=True, result={})
"""The requester's notice, said in the command's reply: done, with nothing sent."""


def send_requests(deps: Deps, client: WebClient, respond: Respond, requests: list[Claimed]) -> None:
    """Send a command's requests right after its commit; its reply tells the requester of any that cannot reach
    their decider: one Slack has nobody of (`say_if_unknown`, before they are sent, so that no DM says it too; a
    notice the reply could not say goes as a DM with them), or none while the Messages tab is off
    (request_refusals.say_if_unreached)."""
    marked, unsaid = say_if_unknown(deps, respond, requests)
    request_refusals.say_if_unreached(respond, send_now(deps, client, [*requests, *unsaid], marked=marked))


def say_if_unknown(deps: Deps, respond: Respond, requests: list[Claimed]) -> tuple[Marked, list[Claimed]]:
    """Tell the requester in the command's reply, once per request and decider, that a decider of `requests` cannot
    be reached in Slack yet; called after the commit, before the requests are sent (`send_now`, given the marks read
    here). Each notice is queued, held, before the reply, and recorded as told only once the reply was taken: the
    marks, and the notices the reply could not say, to be sent as DMs."""
    if not requests:
        return {}, []
    with deps.sessions.begin() as session:
        marked = unknown_ids.marked_in(session, requests)
        withheld = [(delivery, unknown_ids.DM_NOT_SENT) for delivery in unknown_ids.to_marked(requests, marked)]
        told = request_refusals.notices(session, withheld, deps.now())
        replies = {t.key: t.payload for t in request_refusals.notices(session, withheld, deps.now(), in_reply=True)}
        held = [
            outbox.enqueue_held(
                session,
                workspace_id=notice.workspace.id,
                key=notice.key,
                method=POST,
                payload=notice.payload,
                now=deps.now(),
            )
            for notice in told
        ]
    new = [claimed for claimed in held if claimed is not None]
    said = [claimed for claimed in new if _replied(respond, replies[claimed.idempotency_key])]
    if said:
        with deps.sessions.begin() as session:
            outbox.record_outcomes(session, outcomes=[(claimed, TOLD_IN_REPLY) for claimed in said], now=deps.now())
    return marked, [claimed for claimed in new if claimed not in said]


def _replied(respond: Respond, payload: dict[str, Any]) -> bool:
    """Whether the command's reply took the notice."""
    try:
        answer = respond(
            text=payload["text"], blocks=payload["blocks"], response_type="ephemeral", replace_original=False
        )
    except (OSError, SlackClientError) as error:
        log.warning("the reply telling of a decider Slack has nobody of was not sent, a DM tells it: %r", error)
        return False
    if answer.status_code != 200:
        log.warning(
            "the response URL refused the reply telling of a decider Slack has nobody of (HTTP %s): a DM tells it",
            answer.status_code,
        )
    return bool(answer.status_code == 200)
