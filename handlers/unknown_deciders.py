"""A command's request waiting on a decider whose org-file Slack id Slack has nobody of: the command's reply says so.

Such a decider's DMs are withheld (handlers/unknown_ids.py), the request's among them, and its requester is told once
per request and decider (handlers/request_refusals.py): by DM, unless the `/resolve` or `/nominate` that made the
request can say it in its own ephemeral reply. So, before the command's requests are sent, those queued to a marked
decider have the requester's notice recorded as told, and the reply says it: the DM that would follow finds it told.
"""

from slack_bolt import Respond
from slack_sdk import WebClient

from handlers import request_refusals, unknown_ids
from handlers.delivery import send_now
from handlers.deps import Deps
from handlers.messages_tab import POST
from services import outbox
from services.outbox import Claimed, SendOutcome
from services.unknown_ids import Marked

TOLD_IN_REPLY = SendOutcome(ok=True, result={})
"""The requester's notice, said in the command's reply: done, with nothing sent."""


def send_requests(deps: Deps, client: WebClient, respond: Respond, requests: list[Claimed]) -> None:
    """Send a command's requests right after its commit; its reply tells the requester of any that cannot reach
    their decider: one Slack has nobody of (`say_if_unknown`, before they are sent, so that no DM says it too), or
    none while the Messages tab is off (request_refusals.say_if_unreached)."""
    marked = say_if_unknown(deps, respond, requests)
    request_refusals.say_if_unreached(respond, send_now(deps, client, requests, marked=marked))


def say_if_unknown(deps: Deps, respond: Respond, requests: list[Claimed]) -> Marked:
    """Tell the requester in the command's reply, once per request and decider, that a decider of `requests` cannot
    be reached in Slack yet; called after the commit, before the requests are sent (`send_now`, given the marks read
    here)."""
    if not requests:
        return {}
    with deps.sessions.begin() as session:
        marked = unknown_ids.marked_in(session, requests)
        withheld = [(delivery, unknown_ids.DM_NOT_SENT) for delivery in unknown_ids.to_marked(requests, marked)]
        told = request_refusals.notices(session, withheld, deps.now())
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
        outbox.record_outcomes(session, outcomes=[(claimed, TOLD_IN_REPLY) for claimed in new], now=deps.now())
    for claimed in new:
        payload = claimed.payload
        respond(text=payload["text"], blocks=payload["blocks"], response_type="ephemeral", replace_original=False)
    return marked
